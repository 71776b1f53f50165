// Throughput of the MQTT parser (sensor/app/mqtt): a 5.0 session (CONNECT/CONNACK) then a run of
// PUBLISH messages (QoS 0, or QoS 1 each answered by its PUBACK) with payloads of state.range(0)
// bytes, fed in MSS-sized chunks as TCP reassembly delivers them; every transaction is drained
// (and, with the EVE arg, written as its JSON object). Reports bytes/s and items/s (messages).
//
//   build-<x>/bin/mqtt_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "core/json_writer.h"
#include "sensor/app/mqtt/mqtt_eve.h"
#include "sensor/app/mqtt/mqtt_parser.h"
#include "tests/sensor/app/app_test_util.h"
#include "tests/sensor/app/mqtt_test_util.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;
using vigil::sensor::testing::Bytes;

constexpr size_t kMss = 1448;
constexpr int kMessages = 256;

void Feed(MqttParser& p, Direction d, const std::string& s) {
  for (size_t i = 0; i < s.size(); i += kMss) p.OnData(d, Bytes(std::string_view(s).substr(i, kMss)));
}

void RunPublish(benchmark::State& state, uint8_t qos, bool eve) {
  const size_t payload = static_cast<size_t>(state.range(0));
  std::string client = testing::MqttConnect(5);
  std::string server = testing::MqttConnack(5, 0);
  for (int i = 0; i < kMessages; ++i) {
    const uint16_t id = static_cast<uint16_t>(i + 1);
    client += testing::MqttPublish(5, qos, id, "sensors/room1/temperature", std::string(payload, 'p'));
    if (qos > 0) server += testing::MqttMsg(4, 0, testing::U16(id));
  }
  MqttConfig cfg;
  MqttParser p(cfg, nullptr);
  JsonWriter w;
  size_t txs = 0;
  for (auto _ : state) {
    p.Reset();
    Feed(p, Direction::kToServer, client);
    Feed(p, Direction::kToClient, server);
    p.ForEachUpdated([](const MqttTransaction&) {});
    txs += p.DrainCompleted([&](const MqttTransaction& t) {
      if (eve) {
        w.Clear();
        WriteMqttJson(t, w);
        benchmark::DoNotOptimize(w.view().data());
      }
    }, true);
    p.anomalies().Clear();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (client.size() + server.size())));
  state.SetItemsProcessed(static_cast<int64_t>(txs));
}

void BM_MqttPublishQos0(benchmark::State& state) { RunPublish(state, 0, false); }
void BM_MqttPublishQos1(benchmark::State& state) { RunPublish(state, 1, false); }
void BM_MqttPublishQos0Eve(benchmark::State& state) { RunPublish(state, 0, true); }
BENCHMARK(BM_MqttPublishQos0)->Arg(32)->Arg(1024)->Arg(16 << 10);
BENCHMARK(BM_MqttPublishQos1)->Arg(32)->Arg(1024);
BENCHMARK(BM_MqttPublishQos0Eve)->Arg(32)->Arg(1024);

}  // namespace

BENCHMARK_MAIN();
