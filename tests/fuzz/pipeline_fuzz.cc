// Fuzzes the packet path behind capture: arbitrary frames through PacketIngest (decode, defrag)
// and a Worker (flow table, TCP reassembly, anomaly and flow events), then the end of the run.
// Input: [datalink selector byte] then frames as [len_hi len_lo ts_delta_ms bytes...]; the time
// delta lets the fuzzer drive timeouts (flows, fragments) and port reuse.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "sensor/decode/decoder.h"
#include "sensor/output/event_sink.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/packet_ingest.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker.h"
#include "tests/fuzz/fuzz_frames.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

// Small tables and short timeouts so the fuzzer reaches eviction and expiry quickly.
const SensorConfig& FuzzConfig() {
  static const SensorConfig c = [] {
    const std::vector<std::string> sets = {
        "runmode=single", "flow.memcap=1mb", "flow.hash-size=64", "stream.memcap=1mb",
        "stream.reassembly.memcap=256kb", "stream.reassembly.depth=4kb", "defrag.memcap=64kb",
        "defrag.trackers=16", "defrag.hash-size=16", "defrag.timeout=2s",
        "flow-timeouts.tcp.new=3s", "flow-timeouts.tcp.established=5s",
        "flow-timeouts.tcp.closed=1s", "flow-timeouts.udp.new=2s", "stream.midstream=true"};
    auto cfg = Config::LoadString("", "fuzz", SensorConfigSchema(), sets);
    auto sc = BuildSensorConfig(*cfg);
    return *sc;
  }();
  return c;
}

constexpr int kLinkTypes[] = {link_type::kEthernet, link_type::kRaw, link_type::kLinuxSll,
                              link_type::kNull, link_type::kLinuxSll2, link_type::kIpv6};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const SensorConfig& config = FuzzConfig();
  CounterRegistry registry;
  auto ids = RegisterPipelineCounters(registry);
  if (!ids) return 0;
  CounterBlock* block = registry.NewBlock("fuzz");
  NullSink sink;
  Worker worker(0, config, *ids, block, sink, {});
  AnomalyReporter anomalies(worker.events(), *ids, block, true);
  PacketIngest ingest(config, *ids, block, anomalies);

  const int dlt = kLinkTypes[data[0] % std::size(kLinkTypes)];
  FeedFuzzFrames(data + 1, size - 1, dlt, kNanosPerMilli * 50, ingest, worker);
  return 0;
}
