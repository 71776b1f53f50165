// SensorConfig: Suricata key names reach the right stage fields, memcaps are split per worker,
// the documented example config covers every key, and mistakes are reported with file:line.
#include <gtest/gtest.h>

#include <fstream>

#include "sensor/flow/flow_key.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

TEST(SensorConfig, SuricataKeysReachTheStages) {
  SensorConfig c = MakeConfig({"x.pcap"}, {"stream.midstream=true",
                                           "stream.reassembly.depth=2mb",
                                           "stream.reassembly.memcap=128mb",
                                           "stream.memcap=32mb",
                                           "flow.memcap=256mb",
                                           "flow.hash-size=4096",
                                           "flow-timeouts.tcp.new=7s",
                                           "flow-timeouts.tcp.established=1h",
                                           "flow-timeouts.tcp.closed=3s",
                                           "flow-timeouts.udp.new=11s",
                                           "flow-timeouts.udp.established=13s",
                                           "flow-timeouts.default.new=17s",
                                           "defrag.memcap=8mb",
                                           "defrag.max-frags=64",
                                           "defrag.timeout=5s",
                                           "decoder.vxlan.ports=4789,8472",
                                           "checksum-validation=no",
                                           "runmode=workers",
                                           "threads=4",
                                           "pcap.snaplen=1600",
                                           "pcap.bpf-filter=tcp port 80",
                                           "stats.interval=30s",
                                           "vars.address-groups.HOME_NET=[10.0.0.0/8]"});
  EXPECT_TRUE(c.stream.midstream);
  EXPECT_EQ(c.stream.stream_depth, 2u << 20);
  EXPECT_EQ(c.workers, 4u);
  EXPECT_EQ(c.stream.memcap, (128u << 20) / 4) << "memcaps are totals, split per worker";
  EXPECT_EQ(c.stream_session_memcap, (32u << 20) / 4);
  EXPECT_EQ(c.flow.memcap, (256u << 20) / 4);
  EXPECT_EQ(c.flow.hash_buckets, 4096u);
  EXPECT_EQ(c.flow.timeouts[0].new_ns, 7 * kNanosPerSecond);
  EXPECT_EQ(c.flow.timeouts[0].established_ns, 3600 * kNanosPerSecond);
  EXPECT_EQ(c.flow.timeouts[0].closed_ns, 3 * kNanosPerSecond);
  EXPECT_EQ(c.flow.timeouts[1].new_ns, 11 * kNanosPerSecond);
  EXPECT_EQ(c.flow.timeouts[1].established_ns, 13 * kNanosPerSecond);
  EXPECT_EQ(c.flow.timeouts[3].new_ns, 17 * kNanosPerSecond);
  EXPECT_TRUE(c.flow.flow_id_from_key);
  EXPECT_EQ(c.defrag.memcap, 8u << 20);
  EXPECT_EQ(c.defrag.max_fragments, 64u);
  EXPECT_EQ(c.defrag.timeout_ns, 5 * kNanosPerSecond);
  EXPECT_EQ(c.decoder.vxlan_ports[0], 4789);
  EXPECT_EQ(c.decoder.vxlan_ports[1], 8472);
  EXPECT_EQ(c.decoder.checksums, ChecksumMode::kNone);
  EXPECT_EQ(c.capture.snaplen, 1600u);
  EXPECT_EQ(c.capture.bpf_filter, "tcp port 80");
  EXPECT_EQ(c.stats_interval_ns, 30 * kNanosPerSecond);
  ASSERT_EQ(c.address_groups.size(), 1u);
  EXPECT_EQ(c.address_groups[0].first, "HOME_NET");
  EXPECT_TRUE(c.Validate().ok()) << c.Validate().error().message;

  SensorConfig d = MakeConfig({"x.pcap"}, {"runmode=single", "threads=8"});
  EXPECT_EQ(d.runmode, RunMode::kSingle);
  EXPECT_EQ(d.workers, 1u) << "single runs one thread whatever threads says";
  EXPECT_EQ(d.decoder.checksums, ChecksumMode::kAll) << "checksum validation is on by default";
  EXPECT_FALSE(d.stream.midstream);
  EXPECT_EQ(d.stats_interval_ns, 8 * kNanosPerSecond);
}

TEST(SensorConfig, ExampleFileSetsEveryKeyAndIsValid) {
  const std::string path = (SourceDir() / "sensor" / "vigil-sensor.yaml").string();
  const ConfigSchema schema = SensorConfigSchema();
  ASSERT_TRUE(schema.status().ok()) << schema.status().error().message;
  auto cfg = Config::LoadFile(path, schema);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  for (const ConfigKey& k : schema.keys()) {
    EXPECT_TRUE(cfg->IsSet(k.path)) << "sensor/vigil-sensor.yaml does not document " << k.path;
  }
  auto sc = BuildSensorConfig(*cfg);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  sc->capture.inputs = {"x.pcap"};
  EXPECT_TRUE(sc->Validate().ok());
}

TEST(SensorConfig, MistakesNameTheKeyAndLine) {
  TempDir dir;
  const std::string path = dir / "bad.yaml";
  {
    std::ofstream f(path);
    f << "stream:\n  midstream: yes\n  reassembly:\n    depht: 1mb\n";
  }
  auto cfg = Config::LoadFile(path, SensorConfigSchema());
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("bad.yaml:4"), std::string::npos) << cfg.error().message;
  EXPECT_NE(cfg.error().message.find("stream.reassembly.depth"), std::string::npos)
      << cfg.error().message;

  const std::vector<std::string> lots = {"flow.memcap=lots"};
  auto bad_value = Config::LoadString("", "t", SensorConfigSchema(), lots);
  ASSERT_FALSE(bad_value.ok());
  EXPECT_NE(bad_value.error().message.find("flow.memcap"), std::string::npos);

  const std::vector<std::string> big_port = {"decoder.vxlan.ports=99999"};
  auto ports = Config::LoadString("", "t", SensorConfigSchema(), big_port);
  ASSERT_TRUE(ports.ok());
  auto sc = BuildSensorConfig(*ports);
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("decoder.vxlan.ports"), std::string::npos);
}

// The integration change in sensor/flow: the same inner 5-tuple in two tunnels is two flows.
TEST(FlowKeyTunnel, TunnelKindAndKeyArePartOfTheKey) {
  Packet p;
  p.decoded = true;
  p.ip_version = 4;
  p.ip_proto = 17;
  p.src = *IpAddress::Parse("10.0.0.1");
  p.dst = *IpAddress::Parse("10.0.0.2");
  p.sport = 1000;
  p.dport = 53;
  Packet q = p;
  q.tunnel_depth = 1;
  q.tunnel = TunnelInfo{TunnelInfo::kVxlan, true, 42};
  Packet r = q;
  r.tunnel.key = 43;
  EXPECT_FALSE(FlowKey::FromPacket(p) == FlowKey::FromPacket(q));
  EXPECT_FALSE(FlowKey::FromPacket(q) == FlowKey::FromPacket(r));
  // Still symmetric inside the tunnel.
  Packet reply = q;
  std::swap(reply.src, reply.dst);
  std::swap(reply.sport, reply.dport);
  EXPECT_TRUE(FlowKey::FromPacket(q) == FlowKey::FromPacket(reply));
  EXPECT_EQ(FlowKey::FromPacket(q).Hash(), FlowKey::FromPacket(reply).Hash());
}

}  // namespace
}  // namespace vigil::sensor
