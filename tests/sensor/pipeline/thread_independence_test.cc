// Offline results must not depend on the number of workers, apart from the order of events:
// the same flow events (every field, flow_id included: ids come from the flow hash and start
// time) and the same counter totals for runmode single and for 1, 2 and 4 workers.
#include <gtest/gtest.h>

#include "sensor/output/memory_sink.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"
#include "tools/synth/synthesizer.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

struct Outcome {
  std::vector<std::string> flows;      // sorted EveFlow::Summary() + flow_id
  std::vector<std::string> anomalies;  // sorted "type event pcap_cnt flow_id"
  RunSummary summary;
};

Outcome RunWith(const std::vector<std::string>& inputs, const std::string& runmode, uint32_t threads) {
  std::vector<std::string> sets = {"runmode=" + runmode, "threads=" + std::to_string(threads),
                                   // small rings: the reader really waits for the workers
                                   "capture.ring-size=64", "capture.pool-slots=256"};
  SensorConfig cfg = MakeConfig(inputs, sets);
  MemorySink sink;
  auto r = RunOffline(cfg, sink);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  Outcome o;
  ParsedEve eve = ParseEve(sink.Lines());
  EXPECT_EQ(eve.invalid, 0u);
  EXPECT_EQ(eve.missing_identity, 0u);
  for (const EveFlow& f : eve.flows) {
    o.flows.push_back(f.Summary() + " id=" + std::to_string(f.flow_id));
  }
  for (const EveAnomaly& a : eve.anomalies) {
    o.anomalies.push_back(a.type + " " + a.event + " " + std::to_string(a.pcap_cnt) + " " +
                          std::to_string(a.flow_id));
  }
  std::sort(o.flows.begin(), o.flows.end());
  std::sort(o.anomalies.begin(), o.anomalies.end());
  if (r.ok()) o.summary = std::move(*r);
  return o;
}

// Counters that legitimately differ with the thread layout: waits and batches depend on timing,
// and the stats/output counts on how many stats events the wall clock produced.
bool TimingDependent(std::string_view name) {
  // capture.large_frames counts frames copied into overflow buffers, which only the reader of
  // runmode workers does (runmode single reads frames in place).
  return name == "capture.queue_full_waits" || name == "capture.large_frames" ||
         name.starts_with("output.") ||
         name == "flow.emergency_mode_entered";
}

void ExpectSame(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.flows.size(), b.flows.size()) << what;
  EXPECT_TRUE(a.flows == b.flows) << what << ": flow events differ";
  for (size_t i = 0; i < std::min(a.flows.size(), b.flows.size()); ++i) {
    if (a.flows[i] != b.flows[i]) {
      ADD_FAILURE() << what << " first difference:\n  " << a.flows[i] << "\n  " << b.flows[i];
      break;
    }
  }
  EXPECT_TRUE(a.anomalies == b.anomalies) << what << ": anomaly events differ ("
                                          << a.anomalies.size() << " vs " << b.anomalies.size()
                                          << ")";
  ASSERT_EQ(a.summary.counters.size(), b.summary.counters.size());
  for (size_t i = 0; i < a.summary.counters.size(); ++i) {
    const auto& [name, va] = a.summary.counters[i];
    if (TimingDependent(name)) continue;
    EXPECT_EQ(va, b.summary.counters[i].second) << what << ": counter " << name;
  }
}

TEST(ThreadIndependence, CorpusAndSynthesizedCaptureGiveTheSameResultsWithAnyWorkerCount) {
  TempDir dir;
  synth::SynthConfig sc;
  sc.out_path = dir / "mixed.pcap";
  sc.flows = 150;
  sc.seed = 5;
  sc.mss = 536;
  sc.attacks = 6;
  sc.ipv6_fraction = 0.2;
  sc.max_body_bytes = 32 * 1024;
  sc.impair = synth::Impairments{.reorder = 0.02, .retransmit = 0.02, .overlap = 0.01,
                                 .fragment = 0.03};
  auto st = synth::Synthesize(sc);
  ASSERT_TRUE(st.ok()) << st.error().ToString();

  // One capture per run: packet time must not go backwards (the captures are from different
  // years; see the README's note on packet time).
  std::vector<std::string> inputs = CorpusPcaps();
  inputs.push_back(sc.out_path);
  size_t flows = 0;
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input);
    const Outcome single = RunWith({input}, "single", 1);
    flows += single.flows.size();
    for (uint32_t n : {1u, 2u, 4u}) {
      ExpectSame(single, RunWith({input}, "workers", n), "workers=" + std::to_string(n));
    }
    if (input == sc.out_path) {
      EXPECT_GT(single.summary.Counter("pipeline.reassembled"), 0u);
    }
  }
  EXPECT_GT(flows, 300u);
}

}  // namespace
}  // namespace vigil::sensor
