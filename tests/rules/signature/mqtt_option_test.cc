// MQTT keywords: parsing (mqtt.type, mqtt.flags, mqtt.qos, mqtt.protocol_version,
// mqtt.reason_code, mqtt.connack.session_present, mqtt.connect.flags; the mqtt.* sticky buffers)
// and evaluation against a transaction's facts.
#include <gtest/gtest.h>

#include "rules/signature/mqtt_option.h"
#include "rules/signature/rule_parser.h"

namespace vigil::rules {
namespace {

MqttOptions Opts(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  MqttOptions m;
  for (const auto& [k, v] : kv) {
    Status st = ApplyMqttOption(&m, k, v);
    EXPECT_TRUE(st.ok()) << k << ":" << v << " " << (st.ok() ? "" : st.error().message);
  }
  return m;
}

bool Bad(std::string_view k, std::string_view v) {
  MqttOptions m;
  return !ApplyMqttOption(&m, k, v).ok();
}

// A CONNECT (v5, username+password+clean session) answered by a CONNACK with `rc`.
struct ConnectTx {
  explicit ConnectTx(uint8_t rc) {
    msgs[0] = MqttMessageFacts{.type = 1, .connect_flags = 0xc2};
    msgs[1] = MqttMessageFacts{.type = 2, .session_present = 0, .reason_code = rc};
    tx.msgs = msgs;
    tx.protocol_version = 5;
  }
  MqttMessageFacts msgs[2];
  MqttTxFacts tx;
};

TEST(MqttOption, TypeByNameNumberAndIndex) {
  ConnectTx c(0);
  EXPECT_TRUE(Opts({{"mqtt.type", "CONNACK"}}).Matches(c.tx));
  EXPECT_TRUE(Opts({{"mqtt.type", "connect"}}).Matches(c.tx));
  EXPECT_TRUE(Opts({{"mqtt.type", "2"}}).Matches(c.tx));
  EXPECT_FALSE(Opts({{"mqtt.type", "PUBLISH"}}).Matches(c.tx));
  EXPECT_TRUE(Opts({{"mqtt.type", "CONNECT,0"}, {"mqtt.type", "CONNACK,1"}}).Matches(c.tx));
  EXPECT_FALSE(Opts({{"mqtt.type", "CONNACK,0"}}).Matches(c.tx));
  EXPECT_FALSE(Opts({{"mqtt.type", "CONNECT,5"}}).Matches(c.tx));
  EXPECT_TRUE(Bad("mqtt.type", "HELLO"));
  EXPECT_TRUE(Bad("mqtt.type", "0"));
  EXPECT_TRUE(Bad("mqtt.type", ""));
}

TEST(MqttOption, ReasonCodeSessionPresentVersionAndConnectFlags) {
  ConnectTx ok(0), refused(134);
  const MqttOptions rc0 = Opts({{"mqtt.reason_code", "0"}});
  EXPECT_TRUE(rc0.Matches(ok.tx));
  EXPECT_FALSE(rc0.Matches(refused.tx));
  EXPECT_TRUE(Opts({{"mqtt.connack.return_code", ">100"}}).Matches(refused.tx));
  EXPECT_TRUE(Opts({{"mqtt.connack.session_present", "false"}}).Matches(ok.tx));
  EXPECT_FALSE(Opts({{"mqtt.connack.session_present", "true"}}).Matches(ok.tx));
  EXPECT_TRUE(Opts({{"mqtt.protocol_version", "5"}}).Matches(ok.tx));
  EXPECT_FALSE(Opts({{"mqtt.protocol_version", "<5"}}).Matches(ok.tx));
  EXPECT_TRUE(Opts({{"mqtt.connect.flags", "username,password,clean_session"}}).Matches(ok.tx));
  EXPECT_FALSE(Opts({{"mqtt.connect.flags", "username,!password"}}).Matches(ok.tx));
  EXPECT_FALSE(Opts({{"mqtt.connect.flags", "will"}}).Matches(ok.tx));
  EXPECT_TRUE(Bad("mqtt.connect.flags", "bogus"));
  EXPECT_TRUE(Bad("mqtt.connack.session_present", "maybe"));
  EXPECT_TRUE(Bad("mqtt.reason_code", "300"));
}

TEST(MqttOption, FlagsAndQosHoldForSomeMessage) {
  MqttMessageFacts msgs[2] = {MqttMessageFacts{.type = 8, .qos = 1},
                              MqttMessageFacts{.type = 9, .retain = true, .qos = 0,
                                               .codes = {}}};
  const uint8_t codes[] = {0, 17};
  msgs[1].codes = codes;
  MqttTxFacts tx{.msgs = msgs, .protocol_version = 4};
  EXPECT_TRUE(Opts({{"mqtt.flags", "!retain,!dup"}}).Matches(tx));   // the SUBSCRIBE
  EXPECT_TRUE(Opts({{"mqtt.flags", "retain"}}).Matches(tx));         // the SUBACK
  EXPECT_FALSE(Opts({{"mqtt.flags", "dup"}}).Matches(tx));
  EXPECT_TRUE(Opts({{"mqtt.qos", "0"}}).Matches(tx));
  EXPECT_TRUE(Opts({{"mqtt.qos", "1"}}).Matches(tx));
  EXPECT_FALSE(Opts({{"mqtt.qos", "2"}}).Matches(tx));
  EXPECT_TRUE(Opts({{"mqtt.reason_code", "17"}}).Matches(tx));       // any SUBACK/UNSUBACK code
  EXPECT_FALSE(Opts({{"mqtt.reason_code", "2"}}).Matches(tx));
  EXPECT_TRUE(Bad("mqtt.qos", "3"));
  EXPECT_TRUE(Bad("mqtt.flags", "retain,!retain"));
}

TEST(MqttOption, RulesWithMqttKeywordsAndBuffers) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  RuleParser parser(vars);
  RuleParseResult r = parser.Parse(
      R"(alert mqtt any any -> any any (msg:"x"; mqtt.type:PUBLISH; mqtt.qos:0; mqtt.publish.message; content:"|FF D8|"; startswith; mqtt.subscribe.topic; content:"a"; sid:1;))");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.rule->app.mqtt.types.size(), 1u);
  ASSERT_TRUE(r.rule->app.mqtt.qos.has_value());
  ASSERT_NE(r.rule->FindBuffer(BufferId::kMqttPublishMessage), nullptr);
  ASSERT_NE(r.rule->FindBuffer(BufferId::kMqttSubscribeTopic), nullptr);
  EXPECT_EQ(BufferName(BufferId::kMqttConnectProtocolString), "mqtt.connect.protocol_string");
  EXPECT_FALSE(parser.Parse(R"(alert mqtt any any -> any any (mqtt.type:NOPE; sid:2;))").ok());
}

}  // namespace
}  // namespace vigil::rules
