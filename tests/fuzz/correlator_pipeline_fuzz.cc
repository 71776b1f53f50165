// libFuzzer: arbitrary bytes as a batch payload for CorrelationPipeline::AddBatch (ingest
// validation, then for every stored event: FlatEvent parse, index entries, the correlation
// engine with one rule of each type, correlated alerts). It must never crash or fail, and never
// read out of bounds. Alternate inputs carry a province (the national tier's stamping path).
// Every stored event is also forwarded (forward-events: all classes; RestampForUpstream).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "correlator/tier/correlation_pipeline.h"
#include "tests/fuzz/fuzz_store.h"

namespace {

constexpr const char* kRules = R"(
title: flow
name: f
detection: {sel: {proto|exists: true}, condition: sel}
---
title: alert
name: a
logsource: {category: alert}
detection: {sel: {alert.severity|lte: 2}, filter: {src_ip|cidr: 10.0.0.0/8}, condition: sel and not filter}
---
title: dns
name: d
logsource: {category: dns}
detection: {sel: {dns.rrname|re: '^[a-z0-9]{20,}'}, condition: sel}
---
title: count
correlation: {type: event_count, rules: [f], group-by: [src_ip], timespan: 10s, condition: {gte: 3}}
---
title: ports
correlation: {type: value_count, rules: [f], group-by: [src_ip], timespan: 1m, condition: {field: dest_port, gte: 3}}
---
title: sum
correlation: {type: value_sum, rules: [f], group-by: [dest_ip], timespan: 1m, condition: {field: bytes, gt: 100}}
---
title: pct
correlation: {type: value_percentile, rules: [f], group-by: [src_ip], timespan: 1m, condition: {field: bytes, percentile: 90, gte: 10}}
---
title: ordered
name: o
correlation: {type: temporal_ordered, rules: [a, d], group-by: [src_ip], timespan: 1m}
---
title: absent
correlation: {type: absence, rules: [a, d], group-by: [src_ip], timespan: 5s}
---
title: beacon
correlation: {type: periodicity, rules: [f], group-by: [src_ip, dest_ip], timespan: 1h, periodicity: {min_events: 3, max_jitter: 0.5, min_interval: 1s}}
---
title: provinces
correlation: {type: value_count, rules: [o], group-by: [src_ip], timespan: 1h, condition: {field: province, gte: 2}}
)";

std::unique_ptr<vigil::correlator::CorrelationPipeline> MakePipeline() {
  vigil::testing::FuzzStore* store = vigil::testing::OpenFuzzStore();
  vigil::RuleSetBuilder b;
  b.AddText("fuzz.yml", kRules);
  auto rules = b.Build();
  if (!rules) std::abort();
  vigil::correlator::EventStoreOptions so;
  so.max_event_bytes = 4096;
  so.max_depth = 16;
  vigil::correlator::PipelineOptions po;
  po.engine.allowed_lateness_ns = 1'000'000'000;
  po.engine.max_groups_per_rule = 1000;
  po.checkpoint_every_events = 64;  // exercises Checkpoint() too
  for (size_t i = 0; i < vigil::correlator::kEventClassCount; ++i) {  // every stored event restamped
    po.forward.Add(static_cast<vigil::correlator::EventClass>(i));     // for the upstream (forward-events)
  }
  auto p = vigil::correlator::CorrelationPipeline::Create(
      *store->db, so, std::make_shared<const vigil::RuleSet>(std::move(*rules)), po,
      [](std::string_view json) {
        if (json.empty() || json.front() != '{') std::abort();  // a forwarded event is an object
        return vigil::Ok();
      });
  if (!p) std::abort();
  return std::move(*p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Opened once and never destroyed (see fuzz_store.h); batches are never written to the Db.
  static auto* pipeline = MakePipeline().release();
  vigil::transport::ReceivedBatch b;
  b.origin = "fuzz";
  b.province = (size % 2) ? "prov-a" : "";
  b.seq = 1;
  b.payload = std::string_view(reinterpret_cast<const char*>(data), size);
  vigil::storage::WriteBatch wb;
  if (!pipeline->AddBatch(b, wb)) std::abort();
  return 0;
}
