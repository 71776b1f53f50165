// A deterministic synthetic EVE event stream for correlator tests and benchmarks: flows with port
// scans and beacons, auth-failure then success alerts, DNS with long labels, from several
// sensors, cut into NDJSON batches. Event time advances ~20 ms per event with small
// out-of-order jitter (within the engine's allowed lateness), so windows stay open across
// batches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace vigil::testing {

struct StreamBatch {
  uint64_t seq = 0;
  uint32_t events = 0;
  std::string payload;  // newline-terminated JSON lines
};

inline std::vector<StreamBatch> MakeEventStream(uint32_t batches, uint32_t per_batch, uint64_t seed = 7,
                                                int64_t start_ns = 1'700'000'000LL * 1'000'000'000) {
  std::vector<StreamBatch> out;
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  auto rnd = [&x]() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  uint64_t n = 0;
  for (uint32_t b = 0; b < batches; ++b) {
    StreamBatch sb;
    sb.seq = b + 1;
    for (uint32_t i = 0; i < per_batch; ++i, ++n) {
      const int64_t jitter = static_cast<int64_t>(rnd() % 2000) * 1'000'000;  // up to 2 s late
      const int64_t t = start_ns + static_cast<int64_t>(n) * 20'000'000 - jitter;
      const std::string ts = Timestamp{t}.ToEve();
      const uint64_t r = rnd();
      const std::string sensor = "sensor-" + std::to_string(r % 4);
      const std::string src = "10.1." + std::to_string((r >> 8) % 4) + "." + std::to_string((r >> 16) % 8);
      std::string line;
      switch ((r >> 24) % 8) {
        case 0:
        case 1:
        case 2:  // flows; a few scanners sweep ports
          line = R"({"timestamp":")" + ts + R"(","event_type":"flow","proto":"TCP","src_ip":")" + src +
                 R"(","dest_ip":"203.0.113.)" + std::to_string((r >> 32) % 16) + R"(","dest_port":)" +
                 std::to_string(((r >> 16) % 8) < 2 ? 1000 + (n % 200) : 443) +
                 R"(,"sensor_id":")" + sensor + R"(","community_id":"1:c)" + std::to_string(r % 50) +
                 R"(","flow":{"bytes_toserver":)" + std::to_string(100 + (r >> 40) % 2000) + "}}";
          break;
        case 3:  // a beacon: same pair every ~2 s of event time
          line = R"({"timestamp":")" + ts + R"(","event_type":"flow","proto":"TCP","src_ip":"10.9.9.9","dest_ip":"198.51.100.1","dest_port":8443,"sensor_id":")" +
                 sensor + R"("})";
          break;
        case 4:
        case 5:  // alerts: auth failures, some successes
          line = R"({"timestamp":")" + ts + R"(","event_type":"alert","src_ip":")" + src +
                 R"(","dest_ip":"10.2.0.5","dest_port":22,"sensor_id":")" + sensor +
                 R"(","alert":{"signature_id":)" + std::to_string(2001 + (r >> 36) % 3) +
                 R"(,"signature":")" +
                 ((r >> 44) % 10 == 0 ? "SSH login success" : "SSH brute force failed password") +
                 R"(","category":"Attempted Administrator Privilege Gain","severity":)" +
                 std::to_string(1 + (r >> 48) % 3) + "}}";
          break;
        default:  // DNS, some with long labels
          line = R"({"timestamp":")" + ts + R"(","event_type":"dns","src_ip":")" + src +
                 R"(","dest_ip":"10.0.0.53","sensor_id":")" + sensor + R"(","dns":{"type":"query","rrname":")" +
                 ((r >> 40) % 3 == 0 ? "a" + std::to_string(n) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.t.example"
                                     : "www.example.org") +
                 R"(","rrtype":"A"}})";
          break;
      }
      sb.payload += line;
      sb.payload += '\n';
      ++sb.events;
    }
    out.push_back(std::move(sb));
  }
  return out;
}

}  // namespace vigil::testing
