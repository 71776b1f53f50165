// MQTT end to end through the sensor (InspectPlugin): detection on port 1883, mqtt.* keywords and
// buffers, app-layer-event:mqtt.*, one alert per transaction, the alert's "mqtt" object, the
// "mqtt" events and the anomaly events (named without the "mqtt." prefix, as Suricata).
#include <gtest/gtest.h>

#include "tests/sensor/app/mqtt_test_util.h"
#include "tests/sensor/inspect/inspect_test_util.h"

namespace vigil::sensor::inspect_test {
namespace {

using testing::MqttConnack;
using testing::MqttConnect;
using testing::MqttMsg;
using testing::MqttPublish;
using testing::MqttStr;
using testing::U16;

constexpr const char* kClient = "10.0.0.5";
constexpr const char* kServer = "198.51.100.7";

TEST(MqttInspect, KeywordsBuffersEventsAndEve) {
  TempDir dir;
  const std::string pcap_path = dir / "mqtt.pcap";
  uint64_t connack_cnt = 0, publish_cnt = 0;
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40100, 1883);
    c.Handshake();
    c.ToServer(MqttConnect(5, "sensor-7"));
    connack_cnt = c.ToClient(MqttConnack(5, 134));
    publish_cnt = c.ToServer(MqttPublish(5, 0, 0, "plant/valve", "\xff\xd8\xff\xe0jpeg"));
    c.ToServer(MqttMsg(8, 0x02, U16(4) + std::string(1, '\0') + MqttStr("a/b") + std::string(1, '\0') +
                                    MqttStr("c/d") + std::string(1, '\0')));
    c.ToClient(MqttMsg(4, 0, U16(99)));  // PUBACK nobody asked for
    c.Close();
  }
  RunResult r = RunSensor(
      pcap_path,
      "alert mqtt any any -> any any (msg:\"refused\"; mqtt.type:CONNACK; mqtt.reason_code:134; sid:1;)\n"
      "alert mqtt any any -> any any (msg:\"accepted\"; mqtt.type:CONNACK; mqtt.reason_code:0; sid:2;)\n"
      "alert mqtt any any -> any any (msg:\"jpeg\"; mqtt.type:PUBLISH; mqtt.publish.message; "
      "content:\"|FF D8 FF E0|\"; startswith; sid:3;)\n"
      "alert mqtt any any -> any any (msg:\"client\"; mqtt.connect.clientid; content:\"sensor\"; "
      "mqtt.connect.flags:username,password; sid:4;)\n"
      "alert mqtt any any -> any any (msg:\"second topic\"; mqtt.subscribe.topic; content:\"c/d\"; "
      "sid:5;)\n"
      "alert mqtt any any -> any any (msg:\"no publish\"; app-layer-event:mqtt.missing_publish; sid:6;)\n"
      "alert mqtt any any -> any any (msg:\"qos0\"; mqtt.qos:0; sid:7;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(1), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(1)->pcap_cnt, connack_cnt);
  EXPECT_NE(r.FirstAlert(1)->json.find("\"connack\":{\"qos\":0,\"retain\":false,\"dup\":false,"
                                       "\"session_present\":false,\"return_code\":134"),
            std::string::npos) << r.FirstAlert(1)->json;
  EXPECT_EQ(r.CountSid(2), 0u);
  ASSERT_EQ(r.CountSid(3), 1u);
  EXPECT_EQ(r.FirstAlert(3)->pcap_cnt, publish_cnt);
  EXPECT_EQ(r.CountSid(4), 1u);
  EXPECT_EQ(r.CountSid(5), 1u);
  EXPECT_EQ(r.CountSid(6), 1u);
  EXPECT_EQ(r.CountSid(7), 3u) << "one per transaction: CONNECT, PUBLISH, PUBACK (the SUBSCRIBE is QoS 1)";
  const auto mqtt = r.Of("mqtt");
  EXPECT_EQ(mqtt.size(), 4u);
  bool saw_publish = false;
  for (const auto& e : mqtt) saw_publish |= e.json.find("\"topic\":\"plant/valve\"") != std::string::npos;
  EXPECT_TRUE(saw_publish);
  const auto anomalies = r.Of("anomaly");
  ASSERT_EQ(anomalies.size(), 1u);
  EXPECT_NE(anomalies[0].json.find("\"event\":\"missing_publish\""), std::string::npos) << anomalies[0].json;
}

}  // namespace
}  // namespace vigil::sensor::inspect_test
