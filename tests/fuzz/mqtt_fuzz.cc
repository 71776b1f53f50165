// libFuzzer target for sensor/app/mqtt: the input (cut at its first 0xff 0xff pair) is a client
// stream and a server stream; they are fed whole and one byte at a time, and the transactions
// (messages, events, the EVE object) and anomalies must agree. The first byte's 0x40 bit lowers
// max_msg_length so truncation is exercised too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "sensor/app/mqtt/mqtt_eve.h"
#include "sensor/app/mqtt/mqtt_parser.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/two_streams.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

std::string Run(const MqttConfig& cfg, std::string_view c, std::string_view s, size_t piece) {
  MqttParser p(cfg, nullptr);
  std::string out;
  JsonWriter w;
  auto drain = [&](bool all) {
    p.ForEachUpdated([](const MqttTransaction&) {});
    p.DrainCompleted([&](const MqttTransaction& t) {
      w.Clear();
      WriteMqttJson(t, w);
      FUZZ_CHECK(w.Complete());
      out += std::to_string(t.id) + ":" + std::to_string(t.events) + ":" + std::string(w.view()) + "\n";
    }, all);
  };
  auto feed = [&](Direction d, std::string_view v) { FeedInPieces(p, d, v, piece); };
  feed(Direction::kToServer, c);
  feed(Direction::kToClient, s);
  drain(true);
  for (const AppAnomaly& a : p.anomalies().items()) out += std::string(a.name) + ",";
  out += std::to_string(p.abandoned(Direction::kToServer)) + std::to_string(p.abandoned(Direction::kToClient));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto [c, s] = SplitTwoStreams(in);
  MqttConfig cfg;
  if (!c.empty() && (static_cast<uint8_t>(c[0]) & 0x40)) cfg.max_msg_length = 64;
  std::string whole = Run(cfg, c, s, size + 1);
  std::string bytewise = Run(cfg, c, s, 1);
  FUZZ_CHECK(whole == bytewise);
  return 0;
}
