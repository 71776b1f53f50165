// Anomalies and checksums: a malformed packet becomes a counted, named EVE anomaly event in
// Suricata's format; a bad TCP checksum is counted and keeps the packet out of reassembly unless
// checksum validation is off (-k none).
#include <gtest/gtest.h>

#include "sensor/output/memory_sink.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

constexpr uint32_t kClient = 0x0a000001;  // 10.0.0.1
constexpr uint32_t kServer = 0x0a000002;  // 10.0.0.2

struct PcapRun : OfflineRun {
  StreamStore streams;
};

void RunPcap(const std::string& pcap, std::vector<std::string> sets, PcapRun& out) {
  RunOfflinePcap(pcap, std::move(sets), CollectStreams(out.streams), out);
}

TEST(Anomalies, TruncatedIpv4PacketIsAnAnomalyEvent) {
  TempDir dir;
  std::vector<uint8_t> ok = TcpFrame(kClient, kServer, 40000, 80, 1000, 0, tcp_flag::kSyn);
  // IPv4 total length says 40 bytes but only 30 follow the Ethernet header: ipv4.trunc_pkt.
  std::vector<uint8_t> trunc = ok;
  trunc.resize(14 + 30);
  const std::string pcap = dir / "trunc.pcap";
  ASSERT_TRUE(WritePcap(pcap, {ok, trunc}));

  PcapRun r;
  RunPcap(pcap, {}, r);
  ASSERT_EQ(r.eve.anomalies.size(), 1u);
  const EveAnomaly& a = r.eve.anomalies[0];
  EXPECT_EQ(a.type, "decode");
  EXPECT_EQ(a.event, "decoder.ipv4.trunc_pkt");
  EXPECT_EQ(a.pcap_cnt, 2u);  // packets are numbered from 1 in read order
  EXPECT_EQ(r.summary.Counter("decoder.event.ipv4.trunc_pkt"), 1u);
  EXPECT_EQ(r.summary.Counter("pipeline.anomalies"), 1u);
  EXPECT_EQ(r.summary.Counter("output.events.anomaly"), 1u);
  EXPECT_EQ(r.eve.missing_identity, 0u);
  // The raw line, as a Suricata consumer reads it.
  bool found = false;
  for (const std::string& l : r.lines) {
    if (l.find("\"event_type\":\"anomaly\"") == std::string::npos) continue;
    found = true;
    EXPECT_NE(l.find("\"anomaly\":{\"type\":\"decode\",\"event\":\"decoder.ipv4.trunc_pkt\"}"),
              std::string::npos)
        << l;
    EXPECT_NE(l.find("\"pcap_cnt\":2"), std::string::npos) << l;
    EXPECT_NE(l.find("\"sensor_id\":\"test-sensor\""), std::string::npos) << l;
    EXPECT_NE(l.find("\"province\":\"test-province\""), std::string::npos) << l;
  }
  EXPECT_TRUE(found);
}

TEST(Anomalies, StreamAnomalyCarriesTheFlowId) {
  TempDir dir;
  // Handshake, then a RST, then data after the RST: stream.suspected_rst_inject.
  std::vector<std::vector<uint8_t>> frames = {
      TcpFrame(kClient, kServer, 40001, 80, 100, 0, tcp_flag::kSyn),
      TcpFrame(kServer, kClient, 80, 40001, 500, 101, tcp_flag::kSyn | tcp_flag::kAck),
      TcpFrame(kClient, kServer, 40001, 80, 101, 501, tcp_flag::kAck),
      TcpFrame(kServer, kClient, 80, 40001, 501, 101, tcp_flag::kRst | tcp_flag::kAck),
      TcpFrame(kClient, kServer, 40001, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh, "GET /"),
  };
  const std::string pcap = dir / "rst.pcap";
  ASSERT_TRUE(WritePcap(pcap, frames));
  PcapRun r;
  RunPcap(pcap, {}, r);
  ASSERT_EQ(r.eve.flows.size(), 1u);
  bool seen = false;
  for (const EveAnomaly& a : r.eve.anomalies) {
    EXPECT_EQ(a.type, "stream");
    EXPECT_EQ(a.flow_id, r.eve.flows[0].flow_id);
    if (a.event == "stream.suspected_rst_inject") seen = true;
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(r.eve.flows[0].state, "closed");
}

// A session whose client data segment has a broken checksum: with validation (default) the flow
// counts the packet but reassembly never sees it; with -k none its bytes are delivered.
TEST(Checksums, BadTcpChecksumIsCountedAndNotInspectedUnlessValidationIsOff) {
  TempDir dir;
  std::vector<std::vector<uint8_t>> frames = {
      TcpFrame(kClient, kServer, 40002, 80, 100, 0, tcp_flag::kSyn),
      TcpFrame(kServer, kClient, 80, 40002, 500, 101, tcp_flag::kSyn | tcp_flag::kAck),
      TcpFrame(kClient, kServer, 40002, 80, 101, 501, tcp_flag::kAck),
      TcpFrame(kClient, kServer, 40002, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh,
               "GET /evil HTTP/1.0\r\n\r\n", /*corrupt_tcp_checksum=*/true),
  };
  const std::string pcap = dir / "badsum.pcap";
  ASSERT_TRUE(WritePcap(pcap, frames));

  PcapRun on;
  RunPcap(pcap, {}, on);
  EXPECT_EQ(on.summary.Counter("decoder.checksum_bad"), 1u);
  EXPECT_EQ(on.summary.Counter("pipeline.checksum_skipped"), 1u);
  EXPECT_EQ(on.summary.Counter("tcp.delivered_bytes"), 0u);
  ASSERT_EQ(on.eve.flows.size(), 1u);
  EXPECT_EQ(on.eve.flows[0].pkts_toserver, 3u);  // the flow still counts it, as tshark does
  bool anomaly = false;
  for (const EveAnomaly& a : on.eve.anomalies) {
    if (a.event == "decoder.tcp.checksum_bad") anomaly = true;
  }
  EXPECT_TRUE(anomaly);

  PcapRun off;
  RunPcap(pcap, {"checksum-validation=no"}, off);
  EXPECT_EQ(off.summary.Counter("decoder.checksum_bad"), 0u);
  EXPECT_EQ(off.summary.Counter("pipeline.checksum_skipped"), 0u);
  EXPECT_EQ(off.summary.Counter("tcp.delivered_bytes"), 22u);
  const StreamKey k{Endpoint{"10.0.0.1", 40002}, Endpoint{"10.0.0.2", 80}};
  ASSERT_EQ(off.streams.streams.count(k), 1u);
  EXPECT_EQ(off.streams.streams[k][0].bytes[0], "GET /evil HTTP/1.0\r\n\r\n");
}

TEST(Midstream, SetStreamMidstreamPicksUpSessionsWithoutAHandshake) {
  TempDir dir;
  std::vector<std::vector<uint8_t>> frames = {
      TcpFrame(kClient, kServer, 40003, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh, "abc"),
      TcpFrame(kServer, kClient, 80, 40003, 501, 104, tcp_flag::kAck | tcp_flag::kPsh, "xyz"),
  };
  const std::string pcap = dir / "mid.pcap";
  ASSERT_TRUE(WritePcap(pcap, frames));
  PcapRun off;
  RunPcap(pcap, {}, off);
  EXPECT_EQ(off.summary.Counter("tcp.delivered_bytes"), 0u);
  PcapRun on;
  RunPcap(pcap, {"stream.midstream=true"}, on);
  EXPECT_EQ(on.summary.Counter("tcp.delivered_bytes"), 6u);
  EXPECT_EQ(on.summary.Counter("tcp.midstream_pickups"), 1u);
}

}  // namespace
}  // namespace vigil::sensor
