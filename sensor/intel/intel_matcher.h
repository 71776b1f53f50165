// IntelMatcher: one worker's indicator matching. The inspection stage calls it once per flow
// (client and server address) and once per protocol event (DNS query names and answer data,
// HTTP host and URL, TLS SNI and JA3 hash); a hit raises an EVE `alert` shaped like Suricata's,
// with the dedicated gid kIntelGid, naming the indicator (type, value, note) and its bundle
// (name = the list, version) in the signature text and in alert.metadata:
//
//   "alert": {"gid": 9100, "signature_id": <stable hash of type+value>, "rev": <bundle version>,
//             "signature": "VIGIL INTEL domain evil.example in dns.query (national-intel v42)",
//             "category": "Threat Intelligence Indicator", "severity": 2,
//             "metadata": {"intel_type": ["domain"], "intel_value": ["evil.example"],
//                          "intel_list": ["national-intel"], "bundle_id": ["national-intel"],
//                          "bundle_version": ["42"], "intel_field": ["dns.query"], ...}}
//
// Cost when no bundle is loaded: one acquire load per call. With indicators: the
// IndicatorSet probes (hash lookups, no allocation). Alerts are rare and urgent: the writer is
// flushed through to the file and the upstream after one (at most once per 100 ms), so an
// intel alert leaves the sensor at once even when the rest of the output is batched (a second
// alert within 100 ms waits for the next flush).
//
//   IntelMatcher m(store, writer, store.registry().NewBlock("intel-w0"));
//   m.OnFlow(flow);  m.OnDns(msg, flow, pkt);  m.OnHttp(tx, flow, pkt);  m.OnTls(s, flow, pkt);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/counters.h"
#include "rules/bundle/indicator_set.h"
#include "sensor/app/app_proto.h"
#include "sensor/app/dns/dns_message.h"
#include "sensor/app/http/http_transaction.h"
#include "sensor/app/tls/tls_parser.h"
#include "sensor/decode/packet.h"
#include "sensor/flow/flow.h"
#include "sensor/intel/intel_store.h"
#include "sensor/output/event_writer.h"

namespace vigil::sensor {

inline constexpr uint32_t kIntelGid = 9100;
inline constexpr std::string_view kIntelCategory = "Threat Intelligence Indicator";
inline constexpr uint32_t kIntelSeverity = 2;

// The alert's signature_id for an indicator: stable across bundles and sensors (FNV-1a of
// "type value", 31 bits, never 0).
uint32_t IntelSignatureId(rules::IndicatorType type, std::string_view value);

class IntelMatcher {
 public:
  // `store` and `out` must outlive the matcher; `block` may be null (no counting).
  IntelMatcher(const IntelStore& store, EventWriter& out, CounterBlock* block);

  void OnFlow(const Flow& flow);
  void OnDns(const DnsMessage& m, const Flow& flow, const Packet& p);
  void OnHttp(const HttpTransaction& tx, const Flow& flow, const Packet& p);
  void OnTls(const TlsSession& s, const Flow& flow, const Packet& p);

  uint64_t matches() const { return matches_; }

 private:
  const rules::IndicatorHit* Domain(const IntelSnapshot& s, std::string_view name);
  const rules::IndicatorHit* Exact(const IntelSnapshot& s, rules::IndicatorType t,
                                   std::string_view v);
  // Writes the alert; `p` null: a flow-level alert (client -> server orientation).
  void Raise(const IntelSnapshot& s, const rules::IndicatorHit& hit, std::string_view field,
             const Flow& flow, const Packet* p, AppProto proto);

  IntelView view_;
  EventWriter& out_;
  CounterBlock* block_;
  CounterGroup group_;
  std::string signature_;  // reused
  std::string url_;        // reused: "http://" + host + uri
  uint64_t matches_ = 0;
  int64_t last_flush_ns_ = 0;
};

}  // namespace vigil::sensor
