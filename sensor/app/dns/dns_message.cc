#include "sensor/app/dns/dns_message.h"

#include <cstdio>
#include <optional>
#include <string>

#include "sensor/app/dns/dns_names.h"

namespace vigil::sensor {

Status DnsConfig::Validate() const {
  if (max_name_length < 1 || max_name_length > 4096) {
    return Error(ErrorCode::kInvalidArgument, "app.dns.max_name_length must be in 1..4096");
  }
  if (max_labels < 1) return Error(ErrorCode::kInvalidArgument, "app.dns.max_labels must be >= 1");
  if (max_pointer_jumps < 1 || max_pointer_jumps > 255) {
    return Error(ErrorCode::kInvalidArgument, "app.dns.max_pointer_jumps must be in 1..255");
  }
  if (max_queued_messages < 1) {
    return Error(ErrorCode::kInvalidArgument, "app.dns.max_queued_messages must be >= 1");
  }
  return Ok();
}

void DnsMessage::Clear() {
  id = flags = qdcount = ancount = nscount = arcount = 0;
  questions.clear();
  answers.clear();
  authorities.clear();
  additionals.clear();
  events = 0;
  malformed = records_capped = tcp = false;
  index = 0;
}

namespace {

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

class Reader {
 public:
  Reader(std::span<const uint8_t> msg, const DnsConfig& cfg, uint32_t& events)
      : msg_(msg), cfg_(cfg), events_(events) {}

  void Raise(DnsEvent e) { events_ |= 1u << static_cast<unsigned>(e); }

  // Reads the name at `pos` (following compression pointers), appending its dotted text to
  // `out`. Returns the offset just after the name where it started, or nullopt if malformed.
  std::optional<size_t> Name(size_t pos, std::string& out) {
    out.clear();
    std::optional<size_t> end;
    size_t p = pos;
    size_t jumps = 0, labels = 0;
    bool cut = false;
    while (true) {
      if (p >= msg_.size()) return std::nullopt;
      uint8_t len = msg_[p];
      if ((len & 0xc0) == 0xc0) {
        if (p + 1 >= msg_.size()) return std::nullopt;
        size_t target = (size_t{len & 0x3fu} << 8) | msg_[p + 1];
        if (!end) end = p + 2;
        if (++jumps > cfg_.max_pointer_jumps) {
          Raise(DnsEvent::kInfiniteLoop);
          break;  // the name stops here; the message continues after the first pointer
        }
        p = target;
        continue;
      }
      if ((len & 0xc0) != 0) return std::nullopt;  // extended label types are not in use
      if (len == 0) {
        if (!end) end = p + 1;
        break;
      }
      if (p + 1 + len > msg_.size()) return std::nullopt;
      if (!cut) {
        if (++labels > cfg_.max_labels) {
          Raise(DnsEvent::kTooManyLabels);
          cut = true;
        } else {
          size_t need = out.size() + (out.empty() ? 0 : 1) + len;
          if (need > cfg_.max_name_length) {
            Raise(DnsEvent::kNameTooLong);
            cut = true;
          } else {
            if (!out.empty()) out.push_back('.');
            out.append(reinterpret_cast<const char*>(&msg_[p + 1]), len);
          }
        }
      }
      p += 1 + size_t{len};
    }
    if (out.empty()) out.assign("<root>");
    return end;
  }

  // Decodes record data at [pos, pos+len) into text; returns false only for a name running
  // out of the message. Wrong fixed sizes leave rdata empty and raise malformed_data.
  bool Rdata(DnsRecord& r, size_t pos, size_t len) {
    const uint8_t* d = msg_.data() + pos;
    size_t end = pos + len;
    char buf[64];
    switch (r.type) {
      case 1:  // A
        if (len != 4) return BadFixed();
        std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
        r.rdata.assign(buf);
        break;
      case 28: {  // AAAA, written in full as Suricata does: "2001:0db8:0000:...:0001"
        if (len != 16) return BadFixed();
        r.rdata.clear();
        for (int i = 0; i < 16; i += 2) {
          std::snprintf(buf, sizeof(buf), "%s%02x%02x", i == 0 ? "" : ":", d[i], d[i + 1]);
          r.rdata.append(buf);
        }
        break;
      }
      case 2:   // NS
      case 5:   // CNAME
      case 12: {  // PTR
        auto n = Name(pos, r.rdata);
        if (!n || *n > end) return BadName();
        break;
      }
      case 15: {  // MX: the exchange (Suricata logs the name only)
        if (len < 3) return BadFixed();
        auto n = Name(pos + 2, r.rdata);
        if (!n || *n > end) return BadName();
        break;
      }
      case 16: {  // TXT: character-strings
        r.rdata.clear();
        size_t p = pos;
        while (p < end) {
          size_t l = d[p - pos];
          if (p + 1 + l > end) return BadFixed();
          if (!r.rdata.empty()) r.rdata.push_back(' ');
          r.rdata.append(reinterpret_cast<const char*>(msg_.data() + p + 1), l);
          p += 1 + l;
        }
        break;
      }
      case 6: {  // SOA
        std::string mname, rname;
        auto n1 = Name(pos, mname);
        if (!n1 || *n1 > end) return BadName();
        auto n2 = Name(*n1, rname);
        if (!n2 || *n2 + 20 > end) return BadName();
        const uint8_t* q = msg_.data() + *n2;
        std::snprintf(buf, sizeof(buf), " %u %u %u %u %u", Be32(q), Be32(q + 4), Be32(q + 8),
                      Be32(q + 12), Be32(q + 16));
        r.rdata = mname;
        r.rdata.push_back(' ');
        r.rdata.append(rname);
        r.rdata.append(buf);
        break;
      }
      case 33: {  // SRV
        if (len < 7) return BadFixed();
        std::string target;
        auto n = Name(pos + 6, target);
        if (!n || *n > end) return BadName();
        std::snprintf(buf, sizeof(buf), "%u %u %u ", Be16(d), Be16(d + 2), Be16(d + 4));
        r.rdata.assign(buf);
        r.rdata.append(target);
        break;
      }
      default:
        return true;  // kept as type + length only
    }
    r.rdata_decoded = true;
    return true;
  }

 private:
  bool BadFixed() {
    Raise(DnsEvent::kMalformedData);
    return true;  // the record's length is still known: parsing goes on
  }
  bool BadName() { return false; }

  std::span<const uint8_t> msg_;
  const DnsConfig& cfg_;
  uint32_t& events_;
};

}  // namespace

bool ParseDnsMessage(std::span<const uint8_t> msg, const DnsConfig& cfg, DnsMessage& out) {
  out.Clear();
  Reader rd(msg, cfg, out.events);
  auto malformed = [&]() {
    out.malformed = true;
    rd.Raise(DnsEvent::kMalformedData);
    return false;
  };
  if (msg.size() < 12) return malformed();
  const uint8_t* h = msg.data();
  out.id = Be16(h);
  out.flags = Be16(h + 2);
  out.qdcount = Be16(h + 4);
  out.ancount = Be16(h + 6);
  out.nscount = Be16(h + 8);
  out.arcount = Be16(h + 10);
  if (out.flags & 0x0040) rd.Raise(DnsEvent::kZFlagSet);
  uint8_t op = out.opcode();
  if (op == 3 || op > 6) rd.Raise(DnsEvent::kInvalidOpcode);

  size_t pos = 12;
  size_t budget = cfg.max_records;
  for (uint16_t i = 0; i < out.qdcount; ++i) {
    if (budget == 0) {
      out.records_capped = true;
      return true;
    }
    --budget;
    DnsQuestion& q = out.questions.emplace_back();
    auto n = rd.Name(pos, q.name);
    if (!n || *n + 4 > msg.size()) {
      out.questions.pop_back();
      return malformed();
    }
    pos = *n;
    q.type = Be16(h + pos);
    q.klass = Be16(h + pos + 2);
    DnsTypeText(q.type, q.type_name);
    pos += 4;
  }
  std::vector<DnsRecord>* sections[3] = {&out.answers, &out.authorities, &out.additionals};
  uint16_t counts[3] = {out.ancount, out.nscount, out.arcount};
  for (int s = 0; s < 3; ++s) {
    for (uint16_t i = 0; i < counts[s]; ++i) {
      if (budget == 0) {
        out.records_capped = true;
        return true;
      }
      --budget;
      DnsRecord& r = sections[s]->emplace_back();
      auto n = rd.Name(pos, r.name);
      if (!n || *n + 10 > msg.size()) {
        sections[s]->pop_back();
        return malformed();
      }
      pos = *n;
      r.type = Be16(h + pos);
      r.klass = Be16(h + pos + 2);
      r.ttl = Be32(h + pos + 4);
      r.rdlength = Be16(h + pos + 8);
      pos += 10;
      if (pos + r.rdlength > msg.size()) {
        sections[s]->pop_back();
        return malformed();
      }
      DnsTypeText(r.type, r.type_name);
      if (!rd.Rdata(r, pos, r.rdlength)) {
        r.rdata.clear();
        r.rdata_decoded = false;
        rd.Raise(DnsEvent::kMalformedData);
      }
      pos += r.rdlength;
    }
  }
  return true;
}

}  // namespace vigil::sensor
