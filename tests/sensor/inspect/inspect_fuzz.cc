// Fuzzes the inspection stage on the packet path: arbitrary Ethernet frames through decode, flows,
// TCP reassembly and InspectPlugin (protocol detection, HTTP/TLS/DNS parsers, stream and app-layer
// inspections with a small rule set on every buffer kind, events), then the end of the run.
// Input: frames as [len_hi len_lo ts_delta bytes...]; ts_delta drives flow timeouts.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_plugin.h"
#include "sensor/output/event_sink.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/packet_ingest.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/worker.h"
#include "tests/fuzz/fuzz_frames.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

constexpr const char* kRules =
    "alert tcp any any -> any any (content:\"GET\"; flowbits:set,g; sid:1;)\n"
    "alert http any any -> any any (http.uri; content:\"/a\"; http.host; content:\"b\"; sid:2;)\n"
    "alert http any any -> any any (http.stat_code; content:\"200\"; file.data; content:\"x\"; "
    "flowbits:isset,g; sid:3;)\n"
    "alert dns any any -> any any (dns.query; content:\"ex\"; sid:4;)\n"
    "alert tls any any -> any any (tls.sni; content:\"a\"; tls.cert_subject; content:\"C\"; sid:5;)\n"
    "pass udp any any -> any 9 (content:\"p\"; sid:6;)\n"
    "alert ip any any -> any any (ttl:1; sid:7;)\n";

struct Setup {
  SensorConfig config;
  std::shared_ptr<const InspectContext> ctx;
};

const Setup& FuzzSetup() {
  static const Setup s = [] {
    Setup out;
    const std::string rules = "/tmp/vigil-inspect-fuzz.rules";
    if (FILE* f = std::fopen(rules.c_str(), "w")) {
      std::fputs(kRules, f);
      std::fclose(f);
    }
    const std::vector<std::string> sets = {
        "runmode=single", "flow.memcap=1mb", "flow.hash-size=64", "stream.memcap=1mb",
        "stream.reassembly.memcap=256kb", "stream.reassembly.depth=8kb",
        "flow-timeouts.tcp.new=3s", "flow-timeouts.tcp.established=5s",
        "flow-timeouts.udp.new=2s", "stream.midstream=true", "checksum-validation=no"};
    auto cfg = Config::LoadString("", "fuzz", SensorConfigSchema(), sets);
    out.config = *BuildSensorConfig(*cfg);
    RuleSources src{.replace = true, .files = {rules}};
    out.ctx = *LoadInspectContext(out.config, src);
    return out;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Setup& s = FuzzSetup();
  CounterRegistry registry;
  auto ids = RegisterPipelineCounters(registry);
  if (!ids) return 0;
  CounterBlock* block = registry.NewBlock("fuzz");
  NullSink sink;
  Worker worker(0, s.config, *ids, block, sink, MakeInspectPluginFactory(s.ctx));
  AnomalyReporter anomalies(worker.events(), *ids, block, true);
  PacketIngest ingest(s.config, *ids, block, anomalies);
  FeedFuzzFrames(data, size, link_type::kEthernet, kNanosPerMilli * 100, ingest, worker);
  return 0;
}
