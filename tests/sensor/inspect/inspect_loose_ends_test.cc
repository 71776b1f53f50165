// Golden tests for the issue #4/#5 loose ends of the sensor wiring: stream_size from the flow's
// stream byte counts, base64_data rules on packet payloads (not transaction-scoped), the stream
// window reset at a gap, and detect.xbits-table-size reaching the engine.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inspect_test_util.h"

namespace vigil::sensor::inspect_test {
namespace {

constexpr const char* kClient = "10.0.0.5";
constexpr const char* kServer = "198.51.100.7";

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(InspectLooseEnds, StreamSizeSeesTheClientBytesSentSoFar) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t second = 0;
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40100, 9100);
    c.Handshake();
    c.ToServer("0123456789");                      // client bytes: 10
    second = c.ToServer("abcdefghijklmnopqrst");   // 30
    c.ToClient("ok");                              // server bytes: 2
    c.Close();
  }
  RunResult r = RunSensor(
      pcap_path,
      "alert tcp any any -> any any (msg:\"big client\"; flow:to_server; "
      "stream_size:client,>,25; sid:1;)\n"
      "alert tcp any any -> any any (msg:\"exact\"; flow:to_server; content:\"abc\"; "
      "stream_size:client,=,30; sid:2;)\n"
      "alert tcp any any -> any any (msg:\"big server\"; stream_size:server,>,2; sid:3;)\n"
      "alert tcp any any -> any any (msg:\"small server\"; flow:to_client; content:\"ok\"; "
      "stream_size:server,<=,2; sid:4;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_GE(r.CountSid(1), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(1)->pcap_cnt, second) << "first packet after 25 client bytes";
  EXPECT_EQ(r.CountSid(2), 1u);
  EXPECT_EQ(r.CountSid(3), 0u) << "the server sent 2 bytes only";
  EXPECT_EQ(r.CountSid(4), 1u);
}

TEST(InspectLooseEnds, StreamSizeNeverMatchesOutsideTcp) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  {
    PcapBuilder pcap(pcap_path);
    pcap.Udp(*IpAddress::Parse(kClient), *IpAddress::Parse(kServer), 5000, 6000,
             Bytes("udp payload"));
  }
  RunResult r = RunSensor(pcap_path,
                          "alert ip any any -> any any (stream_size:either,>=,0; sid:1;)\n"
                          "alert udp any any -> any any (content:\"udp\"; sid:2;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(1), 0u);
  EXPECT_EQ(r.CountSid(2), 1u);
}

TEST(InspectLooseEnds, Base64DataOnAUdpPayloadIsAPacketRule) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t cnt = 0;
  {
    PcapBuilder pcap(pcap_path);
    // "c2VjcmV0IGtleQ==" is base64 for "secret key".
    pcap.Udp(*IpAddress::Parse(kClient), *IpAddress::Parse(kServer), 5001, 6001,
             Bytes("cmd data=c2VjcmV0IGtleQ== end"));
    cnt = pcap.count();
  }
  RunResult r = RunSensor(pcap_path,
                          "alert udp any any -> any any (msg:\"b64\"; content:\"data=\"; "
                          "base64_decode:relative; base64_data; content:\"secret key\"; sid:7;)\n"
                          "alert udp any any -> any any (msg:\"b64 no\"; content:\"data=\"; "
                          "base64_decode:relative; base64_data; content:\"public\"; sid:8;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(7), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(7)->pcap_cnt, cnt);
  EXPECT_EQ(r.CountSid(8), 0u);
}

TEST(InspectLooseEnds, NoStreamMatchAcrossAGap) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  const IpAddress c = *IpAddress::Parse(kClient);
  const IpAddress s = *IpAddress::Parse(kServer);
  const uint16_t cp = 40101, sp = 9101;
  {
    PcapBuilder pcap(pcap_path);
    const uint8_t ack = synth::kTcpAck, psh = synth::kTcpAck | synth::kTcpPsh;
    pcap.Tcp(c, s, cp, sp, 1000, 0, synth::kTcpSyn, "");
    pcap.Tcp(s, c, sp, cp, 5000, 1001, synth::kTcpSyn | synth::kTcpAck, "");
    pcap.Tcp(c, s, cp, sp, 1001, 5001, ack, "");
    pcap.Tcp(c, s, cp, sp, 1001, 5001, psh, "prefix EVILPAT");   // 14 bytes: 1001..1014
    pcap.Tcp(s, c, sp, cp, 5001, 1015, ack, "");
    // 10 bytes (1015..1024) never seen; the server acknowledges past them.
    pcap.Tcp(c, s, cp, sp, 1025, 5001, psh, "TERN suffix");      // 11 bytes: 1025..1035
    pcap.Tcp(s, c, sp, cp, 5001, 1036, ack, "");
    pcap.Tcp(c, s, cp, sp, 1036, 5001, synth::kTcpFin | synth::kTcpAck, "");
    pcap.Tcp(s, c, sp, cp, 5001, 1037, synth::kTcpFin | synth::kTcpAck, "");
    pcap.Tcp(c, s, cp, sp, 1037, 5002, ack, "");
  }
  RunResult r = RunSensor(pcap_path,
                          "alert tcp any any -> any any (msg:\"split\"; content:\"EVILPATTERN\"; "
                          "sid:1;)\n"
                          "alert tcp any any -> any any (msg:\"after\"; flow:to_server; "
                          "content:\"TERN suffix\"; sid:2;)\n"
                          "alert tcp any any -> any any (msg:\"size\"; flow:to_server; "
                          "content:\"suffix\"; stream_size:client,=,35; sid:3;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(1), 0u) << "the pattern spans missing bytes";
  EXPECT_EQ(r.CountSid(2), 1u) << "bytes after the gap are inspected";
  EXPECT_EQ(r.CountSid(3), 1u) << "stream_size counts the gap (14 + 10 + 11)";
}

TEST(InspectLooseEnds, XbitsTableSizeComesFromTheConfig) {
  TempDir dir;
  const std::string rule_file = dir / "x.rules";
  WriteFile(rule_file, "alert ip any any -> any any (xbits:set,seen,track ip_src; noalert; sid:1;)\n");
  const std::vector<std::string> sets = {"detect.xbits-table-size=128", "stats.enabled=no"};
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), sets);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto sc = BuildSensorConfig(*cfg);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_EQ(sc->detection.xbits_table_size, 128u);
  RuleSources sources{.replace = true, .files = {rule_file}};
  auto ctx = LoadInspectContext(*sc, sources);
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  ASSERT_NE((*ctx)->engine, nullptr);
  EXPECT_EQ((*ctx)->engine->config().xbits_table_size, 128u);

  const std::vector<std::string> zero = {"detect.xbits-table-size=0"};
  auto bad = Config::LoadString("", "test", SensorConfigSchema(), zero);
  if (bad.ok()) {
    EXPECT_FALSE(BuildSensorConfig(*bad).ok()) << "0 entries is refused";
  }
}

}  // namespace
}  // namespace vigil::sensor::inspect_test
