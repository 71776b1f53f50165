// Field matchers, conditions and timespans of the correlation rule language.
#include <gtest/gtest.h>

#include <map>

#include "rules/correlation/condition.h"
#include "rules/correlation/field_matcher.h"
#include "rules/correlation/timespan.h"

namespace vigil {
namespace {

// A map-backed event for matcher tests.
class MapEvent final : public EventView {
 public:
  std::map<std::string, FieldValue> f;
  std::vector<std::string> keep;  // owns string values
  MapEvent& S(const std::string& k, const std::string& v) {
    keep.push_back(v);
    f[k] = FieldValue::String(keep.back());
    return *this;
  }
  MapEvent& N(const std::string& k, double v) {
    f[k] = FieldValue::Number(v);
    return *this;
  }
  MapEvent() { keep.reserve(64); }
  std::string_view event_type() const override { return "alert"; }
  Timestamp timestamp() const override { return {}; }
  uint64_t id() const override { return 0; }
  FieldValue Get(const FieldPath& p) const override {
    auto it = f.find(p.text());
    return it == f.end() ? FieldValue::Missing() : it->second;
  }
};

RawValue Str(const std::string& s) { return RawValue::String(s); }
RawValue Num(double d) { return RawValue::Number(d, std::to_string(d)); }

bool M(const std::string& key, std::vector<RawValue> values, const MapEvent& ev) {
  auto m = FieldMatcher::Create(key, values);
  EXPECT_TRUE(m.ok()) << key << ": " << (m.ok() ? "" : m.error().message);
  if (!m.ok()) return false;
  MatchScratch scratch;
  return m->Match(ev, scratch);
}

TEST(FieldMatcher, PlainStringsAreCaseInsensitiveUnlessCased) {
  MapEvent ev;
  ev.S("alert.signature", "ET SCAN Nmap Scripting Engine");
  EXPECT_TRUE(M("alert.signature", {Str("et scan nmap scripting engine")}, ev));
  EXPECT_FALSE(M("alert.signature|cased", {Str("et scan nmap scripting engine")}, ev));
  EXPECT_FALSE(M("alert.signature", {Str("ET SCAN")}, ev));  // equality, not prefix
  EXPECT_TRUE(M("alert.signature|contains", {Str("nmap")}, ev));
  EXPECT_TRUE(M("alert.signature|startswith", {Str("et scan")}, ev));
  EXPECT_TRUE(M("alert.signature|endswith", {Str("ENGINE")}, ev));
  EXPECT_FALSE(M("alert.signature|endswith", {Str("nmap")}, ev));
  EXPECT_FALSE(M("missing.field|contains", {Str("x")}, ev));
}

TEST(FieldMatcher, ListsAreOrAndAllIsAnd) {
  MapEvent ev;
  ev.S("http.url", "/wp-admin/setup.php");
  EXPECT_TRUE(M("http.url|contains", {Str("nothing"), Str("wp-admin")}, ev));
  EXPECT_TRUE(M("http.url|contains|all", {Str("wp-"), Str("setup")}, ev));
  EXPECT_FALSE(M("http.url|contains|all", {Str("wp-"), Str("nothing")}, ev));
}

TEST(FieldMatcher, Wildcards) {
  MapEvent ev;
  ev.S("dns.rrname", "abc.evil.example");
  EXPECT_TRUE(M("dns.rrname", {Str("*.evil.example")}, ev));
  EXPECT_TRUE(M("dns.rrname", {Str("a?c.*")}, ev));
  EXPECT_FALSE(M("dns.rrname", {Str("*.good.example")}, ev));
  EXPECT_TRUE(M("dns.rrname|contains", {Str("evil*ample")}, ev));
  MapEvent star;
  star.S("x", "a*b");
  EXPECT_TRUE(M("x", {Str("a\\*b")}, star));  // escaped: literal star
  EXPECT_FALSE(M("x", {Str("a\\*c")}, star));
  EXPECT_TRUE(FieldMatcher::GlobMatch("a*b*c", "axxbyyc", false));
  EXPECT_FALSE(FieldMatcher::GlobMatch("a*b*c", "axxbyy", false));
}

TEST(FieldMatcher, NumbersAndNumericComparisons) {
  MapEvent ev;
  ev.N("dest_port", 443).S("port_text", "8080").N("flow.bytes", 1500.5);
  EXPECT_TRUE(M("dest_port", {Num(443)}, ev));
  EXPECT_TRUE(M("dest_port", {Str("443")}, ev));     // string rule value, number field
  EXPECT_TRUE(M("port_text", {Num(8080)}, ev));      // number rule value, string field
  EXPECT_FALSE(M("dest_port", {Num(80), Num(22)}, ev));
  EXPECT_TRUE(M("flow.bytes|gt", {Num(1500)}, ev));
  EXPECT_FALSE(M("flow.bytes|lte", {Num(1500)}, ev));
  EXPECT_TRUE(M("port_text|gte", {Num(8080)}, ev));  // numeric string compared as a number
  EXPECT_TRUE(M("dest_port|startswith", {Str("44")}, ev));
}

TEST(FieldMatcher, CidrRegexExistsNull) {
  MapEvent ev;
  ev.S("src_ip", "10.1.2.3").S("v6", "2001:db8::1").S("dns.rrname", "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8.t.example");
  ev.f["nul"] = FieldValue::Null();
  EXPECT_TRUE(M("src_ip|cidr", {Str("10.0.0.0/8")}, ev));
  EXPECT_FALSE(M("src_ip|cidr", {Str("192.168.0.0/16"), Str("10.1.3.0/24")}, ev));
  EXPECT_TRUE(M("v6|cidr", {Str("2001:db8::/32")}, ev));
  EXPECT_FALSE(M("v6|cidr", {Str("10.0.0.0/8")}, ev));
  // A list: any network (the last one here), or with |all every network.
  EXPECT_TRUE(M("src_ip|cidr", {Str("192.168.0.0/16"), Str("fc00::/7"), Str("10.1.2.0/24")}, ev));
  EXPECT_TRUE(M("src_ip|cidr|all", {Str("10.0.0.0/8"), Str("10.1.0.0/16")}, ev));
  EXPECT_FALSE(M("src_ip|cidr|all", {Str("10.0.0.0/8"), Str("10.2.0.0/16")}, ev));
  EXPECT_FALSE(M("dns.rrname|cidr", {Str("10.0.0.0/8")}, ev));  // not an address
  EXPECT_FALSE(M("missing|cidr", {Str("10.0.0.0/8")}, ev));
  EXPECT_TRUE(M("dns.rrname|re", {Str("^[A-Za-z0-9]{30,}\\.")}, ev));
  EXPECT_FALSE(M("dns.rrname|re", {Str("^A")}, ev));
  EXPECT_TRUE(M("dns.rrname|re|i", {Str("^A")}, ev));
  EXPECT_TRUE(M("src_ip|exists", {RawValue::Bool(true)}, ev));
  EXPECT_TRUE(M("nope|exists", {RawValue::Bool(false)}, ev));
  EXPECT_TRUE(M("nope", {RawValue::Null()}, ev));
  EXPECT_TRUE(M("nul", {RawValue::Null()}, ev));
  EXPECT_FALSE(M("src_ip", {RawValue::Null()}, ev));
}

TEST(FieldMatcher, Errors) {
  auto err = [](const std::string& key, std::vector<RawValue> v) {
    auto m = FieldMatcher::Create(key, v);
    return m.ok() ? std::string() : m.error().message;
  };
  EXPECT_NE(err("a|contain", {Str("x")}).find("unknown field modifier 'contain'"), std::string::npos);
  EXPECT_NE(err("a|contains|startswith", {Str("x")}).find("conflicting"), std::string::npos);
  EXPECT_NE(err("a|re", {Str("(unclosed")}).find("bad regular expression"), std::string::npos);
  EXPECT_NE(err("a|cidr", {Str("10.0.0.0/33")}).find("cidr"), std::string::npos);
  EXPECT_NE(err("a|gt", {Str("ten")}).find("needs a number"), std::string::npos);
  EXPECT_NE(err("a|exists", {Str("yes")}).find("true or false"), std::string::npos);
  EXPECT_NE(err("a..b", {Str("x")}).find("bad field name"), std::string::npos);
}

TEST(ConditionParser, PrecedenceAndQuantifiers) {
  const std::vector<std::string> names = {"sel", "filter_a", "filter_b", "other"};
  auto eval = [&](const std::string& text, std::vector<bool> v) {
    auto c = Condition::Parse(text, names);
    EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message);
    return c.ok() && c->Evaluate([&](size_t i) { return static_cast<bool>(v[i]); });
  };
  EXPECT_TRUE(eval("sel and not filter_a", {true, false, true, false}));
  EXPECT_FALSE(eval("sel and not filter_a", {true, true, false, false}));
  // not > and > or
  EXPECT_TRUE(eval("other or sel and filter_a", {true, true, false, false}));
  EXPECT_FALSE(eval("(other or sel) and filter_a", {true, false, false, false}));
  EXPECT_TRUE(eval("not other and not filter_b", {false, false, false, false}));
  EXPECT_TRUE(eval("sel and not 1 of filter_*", {true, false, false, false}));
  EXPECT_FALSE(eval("sel and not 1 of filter_*", {true, false, true, false}));
  EXPECT_TRUE(eval("all of filter_*", {false, true, true, false}));
  EXPECT_FALSE(eval("all of them", {true, true, true, false}));
  EXPECT_TRUE(eval("1 of them", {false, false, false, true}));
}

TEST(ConditionParser, ErrorsSayWhereAndWhat) {
  const std::vector<std::string> names = {"sel", "filter"};
  auto err = [&](const std::string& text) {
    auto c = Condition::Parse(text, names);
    return c.ok() ? std::string() : c.error().message;
  };
  EXPECT_NE(err("sel and").find("position 8 (end of condition)"), std::string::npos) << err("sel and");
  EXPECT_NE(err("sel and (filter").find("expected ')'"), std::string::npos);
  EXPECT_NE(err("sel andd filter").find("position 5"), std::string::npos) << err("sel andd filter");
  EXPECT_NE(err("sel and nosuch").find("unknown selection"), std::string::npos);
  EXPECT_NE(err("1 of x*").find("matches no selection"), std::string::npos);
  EXPECT_NE(err("sel & filter").find("position 5"), std::string::npos) << err("sel & filter");
  EXPECT_NE(err("1 sel").find("expected 'of'"), std::string::npos);
  EXPECT_NE(err(std::string(100, '(') + "sel" + std::string(100, ')')).find("nested too deeply"), std::string::npos);
}

TEST(Timespan, ParseAndFormat) {
  EXPECT_EQ(*ParseTimespan("30s"), 30'000'000'000);
  EXPECT_EQ(*ParseTimespan("5m"), 300'000'000'000);
  EXPECT_EQ(*ParseTimespan("1h"), 3'600'000'000'000);
  EXPECT_EQ(*ParseTimespan("2d"), 172'800'000'000'000);
  EXPECT_EQ(*ParseTimespan("250ms"), 250'000'000);
  EXPECT_EQ(FormatTimespan(300'000'000'000), "5m");
  EXPECT_EQ(FormatTimespan(90'000'000'000), "90s");
  for (const char* bad : {"", "5", "m", "0s", "5M", "1y", "-5m", "5 m", "99999999999999999999d", "400d"}) {
    EXPECT_FALSE(ParseTimespan(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vigil
