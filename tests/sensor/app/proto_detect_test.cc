#include "sensor/app/proto_detect.h"

#include <gtest/gtest.h>

#include "core/counters.h"
#include "tests/sensor/app/app_test_util.h"
#include "tests/sensor/app/tls_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Bytes;

struct DetectHarness {
  DetectHarness() {
    counters = *RegisterAppCounters(registry);
    counters.block = registry.NewBlock("t");
    det = std::make_unique<ProtoDetector>(cfg, dns_cfg, &counters);
  }
  ProtoDetectConfig cfg;
  DnsConfig dns_cfg;
  CounterRegistry registry;
  AppCounters counters;
  std::unique_ptr<ProtoDetector> det;
};

std::string DnsTcpQuery() {
  std::string m("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x01\x00\x01", 29);
  return std::string(1, '\0') + std::string(1, static_cast<char>(m.size())) + m;
}

TEST(ProtoDetect, HttpTlsDnsByContent) {
  {
    DetectHarness h;
    EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes("GET / HTTP/1.1\r\n")), AppProto::kHttp);
    EXPECT_EQ(h.registry.Total("app.detect.http"), 1u);
  }
  {
    DetectHarness h;
    EXPECT_EQ(h.det->OnData(Direction::kToClient, Bytes("HTTP/1.0 200 OK\r\n")), AppProto::kHttp);
  }
  {
    DetectHarness h;
    std::string ch = testing::Record(22, testing::Handshake(1, testing::Ja3ExampleClientHello()), 0x0301);
    EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes(ch)), AppProto::kTls);
  }
  {
    DetectHarness h;  // DNS over TCP on a non-DNS port: the message must parse
    EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes(DnsTcpQuery())), AppProto::kDns);
  }
  EXPECT_EQ(AppProtoName(AppProto::kHttp), "http");
  EXPECT_EQ(AppProtoName(AppProto::kFailed), "failed");
}

TEST(ProtoDetect, OneByteAtATimeAndReplay) {
  DetectHarness h;
  std::string req = "POST /x HTTP/1.1\r\n";
  AppProto p = AppProto::kUnknown;
  size_t i = 0;
  for (; i < req.size() && p == AppProto::kUnknown; ++i) {
    p = h.det->OnData(Direction::kToServer, Bytes(std::string_view(req).substr(i, 1)));
  }
  EXPECT_EQ(p, AppProto::kHttp);
  EXPECT_EQ(i, 5u);  // "POST " decides
  // Held = the bytes before the deciding one.
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h.det->Held(Direction::kToServer).data()),
                        h.det->Held(Direction::kToServer).size()),
            "POST");
}

TEST(ProtoDetect, GivesUpAfterTheBound) {
  DetectHarness h;
  h.cfg.max_detect_bytes = 64;
  // "GETX..." is a method prefix for 3 bytes and then matches nothing; a DNS length prefix
  // needs 14 bytes to be ruled out.
  EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes("GETXYZ")), AppProto::kUnknown);
  EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes(" / HTTP/1.1\r\n")), AppProto::kUnknown);
  EXPECT_EQ(h.det->OnData(Direction::kToClient, Bytes("SSH-2.0-OpenSSH\r\n")), AppProto::kFailed);
  EXPECT_EQ(h.registry.Total("app.detect.failed"), 1u);

  DetectHarness h2;
  h2.cfg.max_detect_bytes = 16;
  // A DNS-over-TCP length prefix announcing more than the window, not on port 53: no decision
  // is possible within the bound.
  std::string pre("\x01\x00", 2);
  EXPECT_EQ(h2.det->OnData(Direction::kToServer, Bytes(pre + std::string(14, '\x01'))), AppProto::kUnknown);
  h2.det->OnEnd(Direction::kToClient);
  EXPECT_EQ(h2.det->OnEnd(Direction::kToServer), AppProto::kFailed);
}

TEST(ProtoDetect, PortHintAcceptsLongDnsOnPort53) {
  DetectHarness h;
  h.cfg.max_detect_bytes = 32;
  std::string m = DnsTcpQuery();
  m[0] = 0x01;  // announce 256+ bytes
  h.det->set_port_hint(53);
  EXPECT_EQ(h.det->OnData(Direction::kToServer, Bytes(m)), AppProto::kDns);
}

TEST(ProtoDetect, GapFailsAndUdp) {
  DetectHarness h;
  h.det->OnData(Direction::kToServer, Bytes("GE"));
  h.det->OnGap(Direction::kToServer);
  EXPECT_EQ(h.det->OnGap(Direction::kToClient), AppProto::kFailed);
  EXPECT_EQ(h.registry.Total("app.detect.gap"), 2u);

  DetectHarness u;
  std::string dns = DnsTcpQuery().substr(2);
  EXPECT_EQ(u.det->OnDatagram(Direction::kToServer, Bytes(dns)), AppProto::kDns);
  DetectHarness u2;
  EXPECT_EQ(u2.det->OnDatagram(Direction::kToServer, Bytes(std::string(40, 'x'))), AppProto::kFailed);

  DetectHarness e;  // a flow that carried nothing has no protocol
  e.det->OnEnd(Direction::kToServer);
  EXPECT_EQ(e.det->OnEnd(Direction::kToClient), AppProto::kUnknown);
}

}  // namespace
}  // namespace vigil::sensor
