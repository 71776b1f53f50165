#include "tools/synth/dns_message.h"

#include <string_view>
#include <utility>

#include "tools/synth/catalog.h"

namespace vigil::synth {
namespace {

constexpr uint16_t kClassIn = 1;

// Appends big-endian fields and compressed names; remembers every name suffix it wrote so later
// names can point at it (RFC 1035 4.1.4).
class DnsWriter {
 public:
  explicit DnsWriter(std::vector<uint8_t>& out) : out_(out) { out_.clear(); }

  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v));
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void Bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }

  void Name(std::string_view name) {
    while (!name.empty()) {
      for (const auto& [suffix, offset] : suffixes_) {
        if (suffix == name) {
          U16(static_cast<uint16_t>(0xC000 | offset));
          return;
        }
      }
      if (out_.size() < 0x3FFF) suffixes_.emplace_back(std::string(name), static_cast<uint16_t>(out_.size()));
      const size_t dot = name.find('.');
      const std::string_view label = name.substr(0, dot);
      U8(static_cast<uint8_t>(label.size()));
      out_.insert(out_.end(), label.begin(), label.end());
      name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    }
    U8(0);
  }

  // Resource record header; returns the position of RDLENGTH to patch with EndRdata().
  size_t Record(std::string_view name, uint16_t type, uint32_t ttl) {
    Name(name);
    U16(type);
    U16(kClassIn);
    U32(ttl);
    const size_t at = out_.size();
    U16(0);
    return at;
  }
  void EndRdata(size_t at) {
    const size_t len = out_.size() - at - 2;
    out_[at] = static_cast<uint8_t>(len >> 8);
    out_[at + 1] = static_cast<uint8_t>(len);
  }

  void Opt() {
    U8(0);  // root name
    U16(kDnsTypeOpt);
    U16(1232);  // UDP payload size (DNS flag day 2020)
    U32(0);     // extended rcode, version, flags
    U16(0);     // no options
  }

 private:
  std::vector<uint8_t>& out_;
  std::vector<std::pair<std::string, uint16_t>> suffixes_;
};

void Header(DnsWriter& w, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
  w.U16(id);
  w.U16(flags);
  w.U16(qd);
  w.U16(an);
  w.U16(ns);
  w.U16(ar);
}

// "www.example.com" -> "example.com"; two-label names stay as they are.
std::string_view Zone(std::string_view name) {
  size_t dots = 0;
  for (char c : name) dots += c == '.';
  if (dots < 2) return name;
  size_t pos = name.size();
  for (int i = 0; i < 2; ++i) pos = name.rfind('.', pos - 1);
  return name.substr(pos + 1);
}

void Address(DnsWriter& w, const std::string& owner, const std::string& for_name, bool v6, uint32_t ttl,
             const AddressPlan& plan) {
  const size_t at = w.Record(owner, v6 ? kDnsTypeAaaa : kDnsTypeA, ttl);
  const IpAddress ip = plan.Server(for_name, v6).ip;
  w.Bytes(ip.data(), ip.size());
  w.EndRdata(at);
}

}  // namespace

void WriteDnsQuery(const DnsQuestion& q, std::vector<uint8_t>& out) {
  DnsWriter w(out);
  Header(w, q.id, 0x0100 /* RD */, 1, 0, 0, q.edns ? 1 : 0);
  w.Name(q.name);
  w.U16(q.qtype);
  w.U16(kClassIn);
  if (q.edns) w.Opt();
}

void WriteDnsResponse(Rng& rng, const DnsQuestion& q, bool nxdomain, const AddressPlan& plan,
                      std::vector<uint8_t>& out) {
  DnsWriter w(out);
  const uint16_t ar = q.edns ? 1 : 0;
  const uint32_t ttl = static_cast<uint32_t>(rng.Range(30, 3600));
  if (nxdomain) {
    Header(w, q.id, 0x8183 /* QR RD RA, NXDOMAIN */, 1, 0, 1, ar);
    w.Name(q.name);
    w.U16(q.qtype);
    w.U16(kClassIn);
    const std::string zone(Zone(q.name));
    const size_t at = w.Record(zone, kDnsTypeSoa, 900);
    w.Name("ns1." + zone);
    w.Name("hostmaster." + zone);
    w.U32(2024010101);
    w.U32(7200);
    w.U32(3600);
    w.U32(1209600);
    w.U32(300);
    w.EndRdata(at);
    if (q.edns) w.Opt();
    return;
  }

  // Decide the answer records first: the header needs their count.
  const bool address = q.qtype == kDnsTypeA || q.qtype == kDnsTypeAaaa;
  const bool cname = address && rng.Chance(0.3);
  const uint16_t n_main = static_cast<uint16_t>(q.qtype == kDnsTypeTxt ? 1 + rng.Below(2) : 1 + rng.Below(address ? 3 : 2));
  const uint16_t an = static_cast<uint16_t>(n_main + (cname ? 1 : 0));
  Header(w, q.id, 0x8180 /* QR RD RA */, 1, an, 0, ar);
  w.Name(q.name);
  w.U16(q.qtype);
  w.U16(kClassIn);

  std::string owner = q.name;
  if (cname) {
    const std::string target = std::string(rng.Pick(catalog::CnameTargets()));
    const size_t at = w.Record(q.name, kDnsTypeCname, ttl);
    w.Name(target);
    w.EndRdata(at);
    owner = target;
  }
  const std::string zone(Zone(q.name));
  for (uint16_t i = 0; i < n_main; ++i) {
    switch (q.qtype) {
      case kDnsTypeA:
      case kDnsTypeAaaa:
        // The first address is the one connections use; extra ones are siblings.
        Address(w, owner, i == 0 ? q.name : q.name + "#" + std::to_string(i), q.qtype == kDnsTypeAaaa, ttl, plan);
        break;
      case kDnsTypeMx: {
        const size_t at = w.Record(q.name, kDnsTypeMx, ttl);
        w.U16(static_cast<uint16_t>(10 * (i + 1)));
        w.Name(std::string(catalog::MailHosts()[i % catalog::MailHosts().size()]) + "." + zone);
        w.EndRdata(at);
        break;
      }
      case kDnsTypeTxt: {
        const size_t at = w.Record(q.name, kDnsTypeTxt, ttl);
        const std::string_view txt = rng.Pick(catalog::TxtRecords());
        w.U8(static_cast<uint8_t>(txt.size()));
        w.Bytes(reinterpret_cast<const uint8_t*>(txt.data()), txt.size());
        w.EndRdata(at);
        break;
      }
      default: {
        const size_t at = w.Record(q.name, q.qtype, ttl);
        w.EndRdata(at);
        break;
      }
    }
  }
  if (q.edns) w.Opt();
}

}  // namespace vigil::synth
