#include "sensor/intel/intel_matcher.h"

#include <array>
#include <charconv>
#include <iterator>

#include <fmt/format.h>

#include "core/event.h"
#include "core/time.h"
#include "sensor/pipeline/event_fields.h"

namespace vigil::sensor {
namespace {

constexpr int64_t kFlushEveryNs = 100 * kNanosPerMilli;

}  // namespace

uint32_t IntelSignatureId(rules::IndicatorType type, std::string_view value) {
  uint32_t h = 2166136261u;
  auto mix = [&h](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<uint8_t>(c);
      h *= 16777619u;
    }
  };
  mix(rules::IndicatorTypeName(type));
  mix(" ");
  mix(value);
  h &= 0x7fffffffu;
  return h == 0 ? 1 : h;
}

IntelMatcher::IntelMatcher(const IntelStore& store, EventWriter& out, CounterBlock* block)
    : view_(store), out_(out), block_(block), group_(store.match_counters()) {
  signature_.reserve(256);
  url_.reserve(512);
}

const rules::IndicatorHit* IntelMatcher::Domain(const IntelSnapshot& s, std::string_view name) {
  if (name.empty()) return nullptr;
  if (block_ != nullptr) block_->Add(group_[kIntelLookups]);
  return s.set.MatchDomain(name);
}

const rules::IndicatorHit* IntelMatcher::Exact(const IntelSnapshot& s, rules::IndicatorType t,
                                               std::string_view v) {
  if (v.empty()) return nullptr;
  if (block_ != nullptr) block_->Add(group_[kIntelLookups]);
  return s.set.MatchExact(t, v);
}

void IntelMatcher::OnFlow(const Flow& flow) {
  const IntelSnapshot* s = view_.Get();
  if (s == nullptr || s->set.empty()) return;
  if (block_ != nullptr) block_->Add(group_[kIntelLookups], 2);
  if (const rules::IndicatorHit* h = s->set.MatchIp(flow.client())) {
    Raise(*s, *h, "src_ip", flow, nullptr, AppProto::kUnknown);
  }
  if (const rules::IndicatorHit* h = s->set.MatchIp(flow.server())) {
    Raise(*s, *h, "dest_ip", flow, nullptr, AppProto::kUnknown);
  }
}

void IntelMatcher::OnDns(const DnsMessage& m, const Flow& flow, const Packet& p) {
  const IntelSnapshot* s = view_.Get();
  if (s == nullptr || s->set.empty()) return;
  if (!m.is_response()) {
    for (const DnsQuestion& q : m.questions) {
      if (const rules::IndicatorHit* h = Domain(*s, q.name)) {
        Raise(*s, *h, "dns.query", flow, &p, AppProto::kDns);
      }
    }
    return;
  }
  // A response's question was matched with its query (as Suricata's dns.query): only the
  // answers' data here.
  for (const DnsRecord& r : m.answers) {
    if (!r.rdata_decoded || r.rdata.empty()) continue;
    // A/AAAA data is an address (IP indicators); CNAME/NS/PTR/MX data a name.
    if (r.type == 1 || r.type == 28) {
      auto addr = IpAddress::Parse(r.rdata);
      if (!addr) continue;
      if (block_ != nullptr) block_->Add(group_[kIntelLookups]);
      if (const rules::IndicatorHit* h = s->set.MatchIp(*addr)) {
        Raise(*s, *h, "dns.answer.rdata", flow, &p, AppProto::kDns);
      }
    } else if (r.type == 5 || r.type == 2 || r.type == 12 || r.type == 15) {
      std::string_view name = r.rdata;
      if (r.type == 15) {  // "preference exchange"
        const size_t sp = name.rfind(' ');
        if (sp != std::string_view::npos) name.remove_prefix(sp + 1);
      }
      if (const rules::IndicatorHit* h = Domain(*s, name)) {
        Raise(*s, *h, "dns.answer.rdata", flow, &p, AppProto::kDns);
      }
    }
  }
}

void IntelMatcher::OnHttp(const HttpTransaction& tx, const Flow& flow, const Packet& p) {
  const IntelSnapshot* s = view_.Get();
  if (s == nullptr || s->set.empty()) return;
  if (const rules::IndicatorHit* h = Domain(*s, tx.host)) {
    Raise(*s, *h, "http.hostname", flow, &p, AppProto::kHttp);
  }
  if (tx.uri.empty()) return;
  // URL indicators are whole URLs: http://host/path as the client asked for it.
  url_.clear();
  if (tx.uri.rfind("http://", 0) == 0 || tx.uri.rfind("https://", 0) == 0) {
    url_.append(tx.uri);
  } else {
    url_.append("http://").append(tx.host);
    if (tx.host_port && *tx.host_port != 80) {
      url_.push_back(':');
      std::array<char, 8> port;
      auto [end, ec] = std::to_chars(port.data(), port.data() + port.size(), *tx.host_port);
      (void)ec;
      url_.append(port.data(), end);
    }
    url_.append(tx.uri);
  }
  if (const rules::IndicatorHit* h = Exact(*s, rules::IndicatorType::kUrl, url_)) {
    Raise(*s, *h, "http.url", flow, &p, AppProto::kHttp);
  }
}

void IntelMatcher::OnTls(const TlsSession& t, const Flow& flow, const Packet& p) {
  const IntelSnapshot* s = view_.Get();
  if (s == nullptr || s->set.empty()) return;
  const std::string& sni = t.client_hello.sni;
  if (const rules::IndicatorHit* h = Exact(*s, rules::IndicatorType::kSni, sni)) {
    Raise(*s, *h, "tls.sni", flow, &p, AppProto::kTls);
  } else if (const rules::IndicatorHit* d = Domain(*s, sni)) {
    Raise(*s, *d, "tls.sni", flow, &p, AppProto::kTls);  // a domain indicator covers its SNIs
  }
  if (const rules::IndicatorHit* h = Exact(*s, rules::IndicatorType::kJa3, t.ja3_hash)) {
    Raise(*s, *h, "tls.ja3.hash", flow, &p, AppProto::kTls);
  }
}

void IntelMatcher::Raise(const IntelSnapshot& s, const rules::IndicatorHit& hit,
                         std::string_view field, const Flow& flow, const Packet* p,
                         AppProto proto) {
  ++matches_;
  if (block_ != nullptr) block_->Add(group_[kIntelMatches]);
  const rules::Indicator& ind = *hit.indicator;
  const IntelBundleInfo& b = s.bundles[hit.bundle];
  const std::string_view type = rules::IndicatorTypeName(ind.type);

  signature_.clear();
  fmt::format_to(std::back_inserter(signature_), "VIGIL INTEL {} {} in {} ({} v{})", type,
                 ind.value, field, b.name, b.version);
  std::array<char, 24> version;
  auto [vend, vec] = std::to_chars(version.data(), version.data() + version.size(), b.version);
  (void)vec;
  const std::string_view version_text(version.data(), static_cast<size_t>(vend - version.data()));
  const std::string_view values[] = {type, ind.value, b.name, b.name, version_text, field, ind.note};
  const size_t n_meta = ind.note.empty() ? 6 : 7;
  const AlertMetadata meta[] = {
      {"intel_type", {&values[0], 1}},     {"intel_value", {&values[1], 1}},
      {"intel_list", {&values[2], 1}},     {"bundle_id", {&values[3], 1}},
      {"bundle_version", {&values[4], 1}}, {"intel_field", {&values[5], 1}},
      {"intel_note", {&values[6], 1}},
  };

  AlertInfo info;
  info.gid = kIntelGid;
  info.signature_id = IntelSignatureId(ind.type, ind.value);
  info.rev = static_cast<uint32_t>(b.version);
  info.signature = signature_;
  info.category = kIntelCategory;
  info.severity = kIntelSeverity;
  info.metadata = std::span<const AlertMetadata>(meta, n_meta);
  Event ev;
  ev.type = EventType::kAlert;
  ev.alert = &info;
  if (p != nullptr) {
    FillPacketEnvelope(*p, &flow, ev.envelope);
    if (p->pcap_cnt == 0) ev.envelope.pcap_cnt.reset();
  } else {
    FillFlowEnvelope(flow, ev.envelope);
  }
  ev.envelope.app_proto = AppProtoName(proto);
  out_.Write(ev);
  const int64_t now = MonotonicNanos();
  if (now - last_flush_ns_ >= kFlushEveryNs) {
    (void)out_.FlushThrough();
    last_flush_ns_ = now;
  }
}

}  // namespace vigil::sensor
