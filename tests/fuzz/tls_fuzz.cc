// libFuzzer target for sensor/app/tls: the input (cut at its first 0xff 0xff pair) is a client
// stream and a server stream; they are fed whole and one byte at a time, and the sessions must
// agree (hellos, fingerprints, certificate fields, encryption state, anomalies).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sensor/app/tls/tls_parser.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/two_streams.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

std::string Run(const TlsConfig& cfg, std::string_view c, std::string_view s, size_t piece) {
  TlsParser p(cfg, nullptr);
  auto feed = [&](Direction d, std::string_view v) { FeedInPieces(p, d, v, piece); };
  feed(Direction::kToServer, c);
  feed(Direction::kToClient, s);
  const TlsSession& t = p.session();
  TlsInfo info;
  FillTlsInfo(t, info);
  std::string out = std::to_string(t.client_hello_seen) + std::to_string(t.server_hello_seen) +
                    std::to_string(t.certificate_seen) + std::to_string(t.encrypted[0]) +
                    std::to_string(t.encrypted[1]) + "|" + t.ja3_string + "|" + t.ja3_hash + "|" +
                    t.ja4 + "|" + t.ja3s_string + "|" + t.client_hello.sni + "|" +
                    std::string(t.version_name) + "|" + t.cert.subject + "|" + t.cert.issuer +
                    "|" + t.cert.serial + "|" + t.cert.fingerprint + "|" +
                    std::to_string(p.abandoned(Direction::kToServer)) +
                    std::to_string(p.abandoned(Direction::kToClient));
  for (const AppAnomaly& a : p.anomalies().items()) out += std::string(a.name) + ",";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto [c, s] = SplitTwoStreams(in);
  TlsConfig cfg;
  if (!c.empty() && (static_cast<uint8_t>(c[0]) & 0x40)) cfg.max_handshake_size = 1024;
  std::string whole = Run(cfg, c, s, size + 1);
  std::string ones = Run(cfg, c, s, 1);
  FUZZ_CHECK(whole == ones);
  return 0;
}
