// MQTT: fixed header decoding, message bodies (3.1.1 and 5.0), Suricata's transaction model and
// events, limits, splits, detection on port 1883 and the EVE object.
#include "sensor/app/mqtt/mqtt_parser.h"

#include <gtest/gtest.h>

#include "core/json_writer.h"
#include "sensor/app/mqtt/mqtt_eve.h"
#include "sensor/app/proto_detect.h"
#include "tests/sensor/app/app_test_util.h"
#include "tests/sensor/app/mqtt_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Bytes;
using testing::FeedSplit;
using testing::MqttConnack;
using testing::MqttConnect;
using testing::MqttMsg;
using testing::MqttPublish;
using testing::MqttStr;
using testing::MqttVarInt;
using testing::U16;

constexpr Direction kTs = Direction::kToServer;
constexpr Direction kTc = Direction::kToClient;

struct Feed {
  Direction dir;
  std::string bytes;
};

// Runs a conversation through a parser, each message split by `mode`, and keeps every
// transaction (drained at the end).
struct Convo {
  explicit Convo(std::vector<Feed> feeds, size_t mode = 0, MqttConfig c = {}) : cfg(c), p(cfg, nullptr) {
    for (const Feed& f : feeds) {
      FeedSplit(f.bytes, mode, [&](std::string_view piece) { p.OnData(f.dir, Bytes(piece)); });
      for (const AppAnomaly& a : p.anomalies().items()) anomalies.emplace_back(a.name);
      p.anomalies().Clear();
    }
    p.ForEachUpdated([](const MqttTransaction&) {});
    p.DrainCompleted([&](const MqttTransaction& t) { txs.push_back(t); }, true);
  }
  MqttConfig cfg;
  MqttParser p;
  std::vector<MqttTransaction> txs;
  std::vector<std::string> anomalies;
};

TEST(MqttMessage, FixedHeaderRemainingLength) {
  MqttFixedHeader h;
  size_t hlen = 0;
  const std::string max = std::string("\x30\xff\xff\xff\x7f", 5);
  ASSERT_EQ(ParseMqttFixedHeader(Bytes(max), &h, &hlen), MqttHeaderResult::kOk);
  EXPECT_EQ(h.type, kMqttPublish);
  EXPECT_EQ(h.remaining_length, 268435455u);
  EXPECT_EQ(hlen, 5u);
  EXPECT_EQ(ParseMqttFixedHeader(Bytes(std::string("\x30\xff\xff\xff\x80", 5)), &h, &hlen),
            MqttHeaderResult::kError);
  EXPECT_EQ(ParseMqttFixedHeader(Bytes(std::string("\x30\xff", 2)), &h, &hlen),
            MqttHeaderResult::kNeedMore);
  ASSERT_EQ(ParseMqttFixedHeader(Bytes(std::string("\x3b\x00", 2)), &h, &hlen), MqttHeaderResult::kOk);
  EXPECT_TRUE(h.dup);
  EXPECT_EQ(h.qos, 1);
  EXPECT_TRUE(h.retain);
}

TEST(MqttParser, ConnectConnackIsOneTransactionInEverySplit) {
  for (size_t mode : {0, 1, 3, 7}) {
    Convo r({{kTs, MqttConnect(5, "myclient")}, {kTc, MqttConnack(5, 0)}}, mode);
    ASSERT_EQ(r.txs.size(), 1u) << mode;
    const MqttTransaction& t = r.txs[0];
    ASSERT_EQ(t.msgs.size(), 2u);
    EXPECT_TRUE(t.complete);
    EXPECT_EQ(t.events, 0u);
    const MqttMessage& c = t.msgs[0];
    EXPECT_EQ(c.protocol_string, "MQTT");
    EXPECT_EQ(c.protocol_version, 5);
    EXPECT_EQ(c.client_id, "myclient");
    EXPECT_EQ(c.username.value_or(""), "user");
    EXPECT_EQ(c.password.value_or(""), "pass");
    ASSERT_EQ(c.properties.size(), 1u);
    EXPECT_EQ(c.properties[0].number, 20u);
    EXPECT_EQ(t.msgs[1].hdr.type, kMqttConnack);
    ASSERT_EQ(t.msgs[1].properties.size(), 1u);
    EXPECT_EQ(MqttPropertyName(t.msgs[1].properties[0].id), "topic_alias_maximum");
    EXPECT_TRUE(r.p.connected());
    EXPECT_EQ(r.p.protocol_version(), 5);
  }
}

TEST(MqttParser, PublishQos1WaitsForItsPuback) {
  Convo r({{kTs, MqttConnect(4)}, {kTc, MqttConnack(4, 0)},
         {kTs, MqttPublish(4, 1, 7, "a/b", "hello")},
         {kTc, MqttMsg(4, 0, U16(9))},    // PUBACK for an unknown id
         {kTc, MqttMsg(4, 0, U16(7))}});  // PUBACK for the publish
  ASSERT_EQ(r.txs.size(), 3u);
  EXPECT_EQ(r.txs[1].msgs.size(), 2u);
  EXPECT_EQ(r.txs[1].msgs[0].topic, "a/b");
  EXPECT_EQ(r.txs[1].msgs[0].payload, "hello");
  EXPECT_TRUE(r.txs[1].complete);
  EXPECT_TRUE(r.txs[2].Has(MqttEvent::kMissingPublish));
  EXPECT_FALSE(r.txs[2].Has(MqttEvent::kUnintroducedMessage));
  EXPECT_EQ(r.anomalies, std::vector<std::string>{"mqtt.missing_publish"});
}

TEST(MqttParser, SuricataEvents) {
  {
    Convo r({{kTc, MqttConnack(4, 0)}});
    ASSERT_EQ(r.txs.size(), 1u);
    EXPECT_TRUE(r.txs[0].Has(MqttEvent::kMissingConnect));
  }
  {
    Convo r({{kTs, MqttPublish(4, 0, 0, "t", "x")}});
    ASSERT_EQ(r.txs.size(), 1u);
    EXPECT_TRUE(r.txs[0].Has(MqttEvent::kUnintroducedMessage));
  }
  {
    Convo r({{kTs, MqttConnect(4)}, {kTc, MqttConnack(4, 0)},
           {kTs, MqttMsg(3, 0x06, MqttStr("t") + U16(1) + "x")},  // QoS 3
           {kTs, MqttMsg(0, 0, "")},                               // type 0
           {kTs, MqttConnect(4)}});
    ASSERT_EQ(r.txs.size(), 4u);
    EXPECT_TRUE(r.txs[1].Has(MqttEvent::kInvalidQosLevel));
    EXPECT_TRUE(r.txs[2].Has(MqttEvent::kUnassignedMsgType));
    EXPECT_TRUE(r.txs[3].Has(MqttEvent::kDoubleConnect));
    EXPECT_EQ(r.anomalies, (std::vector<std::string>{"mqtt.invalid_qos_level",
                                                     "mqtt.unassigned_msg_type",
                                                     "mqtt.double_connect"}));
  }
}

TEST(MqttParser, ExcessivePropertyLengthIsMalformedAndStopsTheFlow) {
  std::string body = MqttStr("MQTT") + std::string("\x05\x02\x00\x3c", 4) + MqttVarInt(200) + "x";
  Convo r({{kTs, MqttMsg(1, 0, body)}, {kTc, MqttConnack(5, 0)}, {kTs, MqttConnect(5)}});
  ASSERT_EQ(r.txs.size(), 1u);
  EXPECT_TRUE(r.txs[0].msgs.empty());
  EXPECT_TRUE(r.txs[0].Has(MqttEvent::kMalformedTraffic));
  EXPECT_EQ(r.anomalies, std::vector<std::string>{"mqtt.malformed_traffic"});
  EXPECT_TRUE(r.p.abandoned(kTs));
  EXPECT_TRUE(r.p.abandoned(kTc));
}

TEST(MqttParser, MessageOverMaxLengthIsSkippedUnbuffered) {
  MqttConfig cfg;
  cfg.max_msg_length = 64;
  const std::string big = MqttPublish(4, 0, 0, "big", std::string(1000, 'z'));
  for (size_t mode : {0, 1, 50}) {
    Convo r({{kTs, MqttConnect(4)}, {kTc, MqttConnack(4, 0)}, {kTs, big},
           {kTs, MqttPublish(4, 0, 0, "small", "ok")}}, mode, cfg);
    ASSERT_EQ(r.txs.size(), 3u) << mode;
    EXPECT_TRUE(r.txs[1].msgs[0].truncated);
    EXPECT_EQ(r.txs[1].msgs[0].hdr.remaining_length, big.size() - 3);
    EXPECT_EQ(r.txs[2].msgs[0].topic, "small");
    EXPECT_EQ(r.p.stats().truncated, 1u);
  }
}

TEST(MqttParser, SubscribeAndUnsubscribePairWithTheirAcks) {
  const std::string sub = MqttMsg(8, 0x02, U16(1) + std::string(1, '\0') + MqttStr("topicX") +
                                               std::string(1, '\0') + MqttStr("topicY") + std::string(1, '\0'));
  const std::string suback = MqttMsg(9, 0, U16(1) + std::string(1, '\0') + std::string("\x00\x01", 2));
  const std::string unsub = MqttMsg(10, 0x02, U16(2) + std::string(1, '\0') + MqttStr("topicX"));
  const std::string unsuback = MqttMsg(11, 0, U16(2) + std::string(1, '\0') + std::string("\x11", 1));
  Convo r({{kTs, MqttConnect(5)}, {kTc, MqttConnack(5, 0)}, {kTs, sub}, {kTc, suback},
         {kTs, unsub}, {kTc, unsuback}});
  ASSERT_EQ(r.txs.size(), 3u);
  const MqttTransaction& s = r.txs[1];
  ASSERT_EQ(s.msgs.size(), 2u);
  ASSERT_EQ(s.msgs[0].topics.size(), 2u);
  EXPECT_EQ(s.msgs[0].topics[1].name, "topicY");
  EXPECT_EQ(s.msgs[1].codes, (std::vector<uint8_t>{0, 1}));
  const MqttTransaction& u = r.txs[2];
  ASSERT_EQ(u.msgs.size(), 2u);
  EXPECT_EQ(u.msgs[1].codes, std::vector<uint8_t>{0x11});

  JsonWriter w;
  WriteMqttJson(u, w);
  ASSERT_TRUE(w.Complete());
  EXPECT_NE(w.view().find(R"("unsubscribe":{"qos":1,"retain":false,"dup":false,"message_id":2,"topics":["topicX"]})"),
            std::string_view::npos) << w.view();
  EXPECT_NE(w.view().find(R"("reason_codes":[17])"), std::string_view::npos) << w.view();
}

TEST(MqttParser, GapAbandonsTheDirectionAndResetStartsOver) {
  MqttConfig cfg;
  MqttParser p(cfg, nullptr);
  const std::string c = MqttConnect(4);
  p.OnData(kTs, Bytes(std::string_view(c).substr(0, 5)));
  p.OnGap(kTs, 10);
  p.OnData(kTs, Bytes(MqttConnect(4)));
  EXPECT_TRUE(p.abandoned(kTs));
  EXPECT_EQ(p.tx_count(), 0u);
  p.Reset();
  EXPECT_FALSE(p.abandoned(kTs));
  p.OnData(kTs, Bytes(c));
  EXPECT_EQ(p.tx_count(), 1u);
}

TEST(MqttDetect, ProbedOnPort1883Only) {
  ProtoDetectConfig cfg;
  DnsConfig dns;
  {
    ProtoDetector det(cfg, dns, nullptr);
    det.set_port_hint(1883);
    const std::string c = MqttConnect(4);
    EXPECT_EQ(det.OnData(kTs, Bytes(std::string_view(c).substr(0, 1))), AppProto::kUnknown);
    EXPECT_EQ(det.OnData(kTs, Bytes(std::string_view(c).substr(1))), AppProto::kMqtt);
    EXPECT_EQ(AppProtoName(AppProto::kMqtt), "mqtt");
  }
  {
    ProtoDetector det(cfg, dns, nullptr);
    det.set_port_hint(1883);
    EXPECT_EQ(det.OnData(kTs, Bytes(std::string("\x06\x00", 2))), AppProto::kUnknown);  // QoS 3
  }
  {
    ProtoDetector det(cfg, dns, nullptr);
    det.set_port_hint(80);
    EXPECT_NE(det.OnData(kTs, Bytes(MqttConnect(4))), AppProto::kMqtt);
  }
}

}  // namespace
}  // namespace vigil::sensor
