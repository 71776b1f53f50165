// Filter evaluation with suricata-verify's semantics: YAML typing, key paths, Python equality,
// count checks and the failure diagnosis.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "tools/verify/expected_value.h"
#include "tools/verify/filter_check.h"
#include "tools/verify/json_match.h"
#include "tools/verify/yaml_value.h"

namespace vigil::verify {
namespace {

using Kind = ExpectedValue::Kind;

TEST(ResolvePlainScalar, TypesLikePyYamlSafeLoad) {
  EXPECT_EQ(ResolvePlainScalar("12").kind(), Kind::kInt);
  EXPECT_EQ(ResolvePlainScalar("12").as_int(), 12);
  EXPECT_EQ(ResolvePlainScalar("-3").as_int(), -3);
  EXPECT_EQ(ResolvePlainScalar("0x1f").as_int(), 31);
  EXPECT_EQ(ResolvePlainScalar("010").as_int(), 8);  // YAML 1.1 octal
  EXPECT_EQ(ResolvePlainScalar("1_000").as_int(), 1000);
  EXPECT_EQ(ResolvePlainScalar("yes").kind(), Kind::kBool);
  EXPECT_TRUE(ResolvePlainScalar("On").as_bool());
  EXPECT_FALSE(ResolvePlainScalar("no").as_bool());
  EXPECT_EQ(ResolvePlainScalar("~").kind(), Kind::kNull);
  EXPECT_EQ(ResolvePlainScalar("null").kind(), Kind::kNull);
  EXPECT_EQ(ResolvePlainScalar("1.5").kind(), Kind::kDouble);
  EXPECT_DOUBLE_EQ(ResolvePlainScalar("1.5").as_double(), 1.5);
  EXPECT_EQ(ResolvePlainScalar("1e5").kind(), Kind::kString);  // YAML 1.1 floats need a dot
  EXPECT_EQ(ResolvePlainScalar("8.0.4").kind(), Kind::kString);
  EXPECT_EQ(ResolvePlainScalar("alert").as_string(), "alert");
  EXPECT_EQ(ResolvePlainScalar("192.168.0.1").kind(), Kind::kString);
}

TEST(ExpectedFromYaml, QuotedScalarsStayStrings) {
  const YAML::Node n = YAML::Load("{a: \"5\", b: 5, c: 'true', d: true, e: [1, x], f: {g: 1}}");
  EXPECT_EQ(ExpectedFromYaml(n["a"]).kind(), Kind::kString);
  EXPECT_EQ(ExpectedFromYaml(n["b"]).kind(), Kind::kInt);
  EXPECT_EQ(ExpectedFromYaml(n["c"]).kind(), Kind::kString);
  EXPECT_EQ(ExpectedFromYaml(n["d"]).kind(), Kind::kBool);
  EXPECT_EQ(ExpectedFromYaml(n["e"]).ToString(), "[1, \"x\"]");
  EXPECT_EQ(ExpectedFromYaml(n["f"]).ToString(), "{g: 1}");
}

class JsonRecord : public ::testing::Test {
 protected:
  simdjson::dom::element Parse(const std::string& json) {
    auto r = parser_.parse(json);
    EXPECT_EQ(r.error(), simdjson::SUCCESS) << json;
    return r.value_unsafe();
  }
  simdjson::dom::parser parser_;
};

TEST_F(JsonRecord, KeyPathWalksObjectsAndIndexes) {
  const auto rec = Parse(R"({"dns":{"answers":[{"rrname":"a.example"},{"rrname":"b.example"}]},"vlan":[5,6]})");
  auto v = KeyPath::Parse("dns.answers[1].rrname").Lookup(rec);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(std::string_view(v->get_string().value_unsafe()), "b.example");
  EXPECT_FALSE(KeyPath::Parse("dns.answers[2].rrname").Lookup(rec).has_value());
  EXPECT_FALSE(KeyPath::Parse("dns.nothing").Lookup(rec).has_value());
  EXPECT_FALSE(KeyPath::Parse("vlan.x").Lookup(rec).has_value());  // not an object
  auto vlan = KeyPath::Parse("vlan[1]").Lookup(rec);
  ASSERT_TRUE(vlan.has_value());
  EXPECT_TRUE(JsonEquals(*vlan, ExpectedValue::Int(6)));
}

TEST_F(JsonRecord, PythonEquality) {
  const auto rec = Parse(R"({"i":1,"d":1.0,"b":true,"s":"1","n":null,"l":[1,"a"],"o":{"x":1,"y":"z"},"u":18446744073709551615})");
  auto at = [&](const char* k) { return *KeyPath::Parse(k).Lookup(rec); };
  EXPECT_TRUE(JsonEquals(at("i"), ExpectedValue::Int(1)));
  EXPECT_TRUE(JsonEquals(at("i"), ExpectedValue::Double(1.0)));  // 1 == 1.0
  EXPECT_TRUE(JsonEquals(at("d"), ExpectedValue::Int(1)));
  EXPECT_TRUE(JsonEquals(at("b"), ExpectedValue::Int(1)));       // True == 1
  EXPECT_TRUE(JsonEquals(at("i"), ExpectedValue::Bool(true)));
  EXPECT_FALSE(JsonEquals(at("s"), ExpectedValue::Int(1)));      // "1" != 1
  EXPECT_FALSE(JsonEquals(at("i"), ExpectedValue::String("1")));
  EXPECT_TRUE(JsonEquals(at("n"), ExpectedValue::Null()));
  EXPECT_TRUE(JsonEquals(at("l"), ExpectedValue::List({ExpectedValue::Int(1), ExpectedValue::String("a")})));
  EXPECT_FALSE(JsonEquals(at("l"), ExpectedValue::List({ExpectedValue::Int(1)})));
  EXPECT_TRUE(JsonEquals(at("o"), ExpectedValue::Map({{"y", ExpectedValue::String("z")}, {"x", ExpectedValue::Int(1)}})));
  EXPECT_FALSE(JsonEquals(at("o"), ExpectedValue::Map({{"x", ExpectedValue::Int(1)}})));
  EXPECT_FALSE(JsonEquals(at("u"), ExpectedValue::Int(-1)));
}

TEST_F(JsonRecord, MatchTermsFollowRunPy) {
  const auto rec = Parse(R"({"event_type":"alert","alert":{"signature_id":7,"engine":null},"ftp":{"reply":["220 ready","331 pw"]},"packet":"AAEC","s":"héllo"})");
  EXPECT_EQ(MatchTerm::Equals("alert.signature_id", ExpectedValue::Int(7)).Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::Equals("alert.signature_id", ExpectedValue::Int(8)).Evaluate(rec), MatchOutcome::kNoMatch);
  // A missing key equals only null.
  EXPECT_EQ(MatchTerm::Equals("alert.missing", ExpectedValue::Null()).Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::Equals("alert.missing", ExpectedValue::Int(0)).Evaluate(rec), MatchOutcome::kNoMatch);
  EXPECT_EQ(MatchTerm::HasKey("alert.signature_id").Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::HasKey("alert.engine").Evaluate(rec), MatchOutcome::kNoMatch);  // null is None
  EXPECT_EQ(MatchTerm::NotHasKey("alert.engine").Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::NotHasKey("alert").Evaluate(rec), MatchOutcome::kNoMatch);
  EXPECT_EQ(MatchTerm::Equals("ftp.reply.__contains", ExpectedValue::String("331 pw")).Evaluate(rec),
            MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::Equals("ftp.reply.__contains", ExpectedValue::String("331")).Evaluate(rec),
            MatchOutcome::kNoMatch);  // list membership, not substring
  EXPECT_EQ(MatchTerm::Equals("packet.__len", ExpectedValue::Int(4)).Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::Equals("s.__len", ExpectedValue::Int(5)).Evaluate(rec), MatchOutcome::kMatch);  // code points
  EXPECT_EQ(MatchTerm::Equals("s.__startswith", ExpectedValue::String("hé")).Evaluate(rec), MatchOutcome::kMatch);
  EXPECT_EQ(MatchTerm::Equals("ftp.reply.__find", ExpectedValue::String("x")).Evaluate(rec), MatchOutcome::kError);
}

Result<ParsedChecks> ChecksFrom(const std::string& yaml) { return ParseChecks(YAML::Load(yaml)["checks"]); }

TEST(ParseChecks, ReadsFiltersAndMarksAlertChecks) {
  auto c = ChecksFrom(R"(
checks:
  - filter:
      count: 1
      match:
        event_type: alert
        alert.signature_id: 2
        has-key: alert.rev
  - filter:
      min-version: 8
      count: 2
      match:
        event_type: flow
  - shell:
      args: true
)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->filters.size(), 2u);
  EXPECT_EQ(c->other_checks, 1u);
  EXPECT_TRUE(c->filters[0].alert);
  EXPECT_EQ(c->filters[0].signature_id(), 2);
  EXPECT_EQ(c->filters[0].match.size(), 3u);
  EXPECT_FALSE(c->filters[1].alert);
  EXPECT_EQ(c->filters[1].number, 2u);
  EXPECT_TRUE(c->filters[1].requirements.Unsatisfied(*SuricataVersion::Parse("7.0.3")).has_value());
  EXPECT_FALSE(c->filters[1].requirements.Unsatisfied(*SuricataVersion::Parse("9")).has_value());
}

TEST(ParseChecks, HasKeyTakesAListOfPaths) {
  auto c = ChecksFrom("checks:\n  - filter:\n      count: 1\n      match:\n        not-has-key: [a.b, \"c[1]\"]\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->filters[0].match.size(), 2u);
  EXPECT_EQ(c->filters[0].match[1].ToString(), "not-has-key c[1]");
  EXPECT_FALSE(ChecksFrom("checks:\n  - filter:\n      count: 1\n      match:\n        has-key: []\n").ok());
}

TEST(ParseChecks, RejectsMalformedFilters) {
  EXPECT_FALSE(ChecksFrom("checks:\n  - filter:\n      match: {event_type: alert}\n").ok());  // no count
  EXPECT_FALSE(ChecksFrom("checks:\n  - filter:\n      count: x\n").ok());
  EXPECT_FALSE(ChecksFrom("checks:\n  - filter:\n      count: 1\n      match: [a]\n").ok());
  EXPECT_FALSE(ChecksFrom("checks: 5\n").ok());
  EXPECT_TRUE(ChecksFrom("checks: []\n").ok());
}

class Evaluator : public JsonRecord {
 protected:
  std::vector<CheckOutcome> Run(const std::string& yaml, const std::vector<std::string>& records) {
    auto c = ChecksFrom(yaml);
    EXPECT_TRUE(c.ok());
    checks_ = std::move(*c);
    std::vector<const FilterCheck*> ptrs;
    for (const auto& f : checks_.filters) ptrs.push_back(&f);
    FilterEvaluator ev(ptrs);
    for (const auto& r : records) ev.Add(Parse(r));
    return ev.Finish();
  }
  ParsedChecks checks_;
};

const std::vector<std::string> kRecords = {
    R"({"event_type":"flow"})",
    R"({"event_type":"alert","pcap_cnt":4,"alert":{"signature_id":1}})",
    R"({"event_type":"alert","pcap_cnt":9,"alert":{"signature_id":1}})",
    R"({"event_type":"alert","pcap_cnt":5,"alert":{"signature_id":3}})",
};

TEST_F(Evaluator, CountsAndPasses) {
  auto o = Run("checks:\n- filter: {count: 2, match: {event_type: alert, alert.signature_id: 1}}\n"
               "- filter: {count: 0, match: {event_type: alert, alert.signature_id: 2}}\n"
               "- filter: {count: 4, match: {}}\n",
               kRecords);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_TRUE(o[0].passed);
  EXPECT_EQ(o[0].got, 2);
  EXPECT_TRUE(o[1].passed);
  EXPECT_TRUE(o[2].passed);
}

TEST_F(Evaluator, ExplainsWhichTermStoppedTheCount) {
  auto o = Run("checks:\n- filter: {count: 1, match: {event_type: alert, alert.signature_id: 1, pcap_cnt: 5}}\n"
               "- filter: {count: 1, match: {event_type: alert, alert.signature_id: 2}}\n"
               "- filter: {count: 0, match: {event_type: alert, alert.signature_id: 3}}\n"
               "- filter: {count: 1, match: {event_type: alert, alert.signature_id: 1}}\n",
               kRecords);
  ASSERT_EQ(o.size(), 4u);
  EXPECT_FALSE(o[0].passed);
  EXPECT_EQ(o[0].group, "alert field differs: pcap_cnt");
  EXPECT_NE(o[0].reason.find("first other value 4"), std::string::npos) << o[0].reason;
  EXPECT_EQ(o[1].group, "alert did not fire");
  EXPECT_NE(o[1].reason.find("expected count 1 got 0"), std::string::npos) << o[1].reason;
  EXPECT_EQ(o[2].group, "unexpected alert (expected none)");
  EXPECT_EQ(o[3].group, "too many alerts");
  EXPECT_EQ(o[3].got, 2);
}

TEST_F(Evaluator, NoAlertsAtAll) {
  auto o = Run("checks:\n- filter: {count: 1, match: {event_type: alert, alert.signature_id: 1}}\n",
               {R"({"event_type":"flow"})"});
  EXPECT_EQ(o[0].group, "no alerts at all");
}

TEST(Requirements, VersionsAsRunPyComparesThem) {
  const SuricataVersion nine = *SuricataVersion::Parse("9.0.0");
  Requirements r;
  r.Add("min-version", "8.0.4");
  r.Add("features", "HAVE_LUA");
  EXPECT_FALSE(r.Unsatisfied(nine).has_value());
  EXPECT_EQ(r.unchecked().size(), 1u);
  Requirements lt;
  lt.Add("lt-version", "8");
  EXPECT_TRUE(lt.Unsatisfied(nine).has_value());
  Requirements eq;
  eq.Add("version", "9");
  EXPECT_FALSE(eq.Unsatisfied(nine).has_value());
  Requirements gt;
  gt.Add("gt-version", "9.0.0");
  EXPECT_TRUE(gt.Unsatisfied(nine).has_value());
  EXPECT_FALSE(SuricataVersion::Parse("x").has_value());
}

}  // namespace
}  // namespace vigil::verify
