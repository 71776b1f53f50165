#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/core/json_test_util.h"

namespace vigil {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  JsonWriter::AppendEscaped(out, s);
  return out;
}

// Writes s as a top-level string and parses it back; returns the decoded value.
std::string RoundTrip(std::string_view s, std::string* json = nullptr) {
  JsonWriter w;
  w.String(s);
  EXPECT_TRUE(w.Complete());
  if (json) *json = w.str();
  EXPECT_TRUE(IsValidUtf8(w.view())) << w.str();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(testing::Parse(parser, w.view(), &doc), "") << w.str();
  std::string_view v;
  EXPECT_FALSE(doc.get(v));
  return std::string(v);
}

TEST(JsonWriter, QuoteBackslashAndShortEscapes) {
  EXPECT_EQ(Escaped("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(Escaped("\n\r\t\b\f"), "\\n\\r\\t\\b\\f");
  EXPECT_EQ(Escaped("/path/x"), "/path/x");  // '/' is not escaped
  EXPECT_EQ(RoundTrip("say \"hi\" \\ bye"), "say \"hi\" \\ bye");
}

TEST(JsonWriter, EveryControlByteAndDelIsEscaped) {
  for (int c = 0; c < 0x20; ++c) {
    std::string in(1, static_cast<char>(c));
    std::string out = Escaped(in);
    ASSERT_EQ(out[0], '\\') << c;
    for (char o : out) EXPECT_GE(static_cast<unsigned char>(o), 0x20) << c;
    EXPECT_EQ(RoundTrip(in), in) << c;
  }
  EXPECT_EQ(Escaped(std::string(1, '\0')), "\\u0000");
  EXPECT_EQ(Escaped("\x1f"), "\\u001f");
  EXPECT_EQ(Escaped("\x7f"), "\\u007f");
  EXPECT_EQ(RoundTrip("\x7f"), "\x7f");
  // NUL in the middle of a longer string, past the 8-byte fast path.
  std::string nul = "abcdefghijklmnop";
  nul[11] = '\0';
  EXPECT_EQ(RoundTrip(nul), nul);
}

TEST(JsonWriter, ValidMultibyteUtf8PassesThrough) {
  const std::string s = "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80 \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85";
  EXPECT_EQ(Escaped(s), s);
  EXPECT_EQ(RoundTrip(s), s);
}

TEST(JsonWriter, InvalidUtf8BecomesBackslashXTextLikeSuricata) {
  // Suricata's own test: bytes f0 f1 f2 -> JSON text "\\xf0\\xf1\\xf2".
  std::string json;
  EXPECT_EQ(RoundTrip("\xf0\xf1\xf2", &json), "\\xf0\\xf1\\xf2");
  EXPECT_EQ(json, "\"\\\\xf0\\\\xf1\\\\xf2\"");
  // One invalid byte turns the whole string into byte form, valid sequences included.
  EXPECT_EQ(RoundTrip("\xc3\xa9 \xff"), "\\xc3\\xa9 \\xff");
  // ASCII and control bytes keep their normal treatment.
  EXPECT_EQ(RoundTrip("a\"\n\xfe"), "a\"\n\\xfe");
}

TEST(JsonWriter, RejectsEveryKindOfMalformedUtf8) {
  const char* bad[] = {
      "\x80",              // lone continuation
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong
      "\xe0\x80\xaf",      // overlong 3-byte
      "\xed\xa0\x80",      // UTF-16 surrogate
      "\xf0\x80\x80\xaf",  // overlong 4-byte
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xf5\x80\x80\x80",  // invalid lead
      "\xe4\xb8",          // truncated
      "\xc3",              // truncated at end
  };
  for (const char* b : bad) {
    EXPECT_FALSE(IsValidUtf8(b)) << Escaped(b);
    std::string out = Escaped(b);
    EXPECT_TRUE(IsValidUtf8(out));
    for (char c : out) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
    RoundTrip(b);
  }
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));      // U+D7FF
}

TEST(JsonWriter, EveryByteValueAlwaysGivesValidJson) {
  // Each byte 0..255 alone and embedded in ASCII and in valid UTF-8.
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    RoundTrip(one);
    RoundTrip("0123456789" + one + "abcdefghij");
    RoundTrip("\xc3\xa9" + one + "\xe4\xb8\xad");
  }
}

TEST(JsonWriter, NestingAndCommas) {
  JsonWriter w;
  w.BeginObject();
  w.KeyString("a", "x");
  w.KeyUint("b", 18446744073709551615ull);
  w.KeyInt("c", -9223372036854775807ll - 1);
  w.KeyArray("d");
  w.Int(1);
  w.BeginObject();
  w.KeyBool("t", true);
  w.KeyBool("f", false);
  w.KeyNull("n");
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.String("s");
  w.EndArray();
  w.KeyObject("e");
  w.EndObject();
  w.KeyDouble("g", 1.5);
  w.KeyDouble("nan", std::numeric_limits<double>::quiet_NaN());
  w.KeyRaw("r", "{\"pre\":[1,2]}");
  w.EndObject();
  ASSERT_TRUE(w.Complete()) << w.status().error().message;
  EXPECT_EQ(w.str(),
            "{\"a\":\"x\",\"b\":18446744073709551615,\"c\":-9223372036854775808,"
            "\"d\":[1,{\"t\":true,\"f\":false,\"n\":null},[],\"s\"],\"e\":{},\"g\":1.5,"
            "\"nan\":null,\"r\":{\"pre\":[1,2]}}");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(testing::Parse(parser, w.view(), &doc), "");
  EXPECT_EQ(uint64_t(doc["b"]), 18446744073709551615ull);
}

TEST(JsonWriter, MisuseFailsAndSticks) {
  {
    JsonWriter w;
    w.BeginObject();
    w.String("no key");
    EXPECT_FALSE(w.ok());
    w.KeyString("k", "v");  // ignored after failure
    EXPECT_FALSE(w.ok());
    EXPECT_FALSE(w.status().ok());
  }
  {
    JsonWriter w;
    w.BeginArray();
    w.EndObject();
    EXPECT_FALSE(w.ok());
  }
  {
    JsonWriter w;
    w.BeginObject();
    w.Key("k");
    w.EndObject();
    EXPECT_FALSE(w.ok());
  }
  {
    JsonWriter w;
    w.EndArray();
    EXPECT_FALSE(w.ok());
  }
  {
    JsonWriter w;
    w.Int(1);
    w.Int(2);  // a second top-level value needs Newline()
    EXPECT_FALSE(w.ok());
  }
  {
    JsonWriter w;
    w.BeginArray();
    w.Key("k");
    EXPECT_FALSE(w.ok());
    w.Clear();
    EXPECT_TRUE(w.ok());
  }
}

TEST(JsonWriter, DepthLimit) {
  JsonWriter w(JsonWriterConfig{.max_depth = 4});
  for (int i = 0; i < 4; ++i) w.BeginArray();
  EXPECT_TRUE(w.ok());
  w.BeginArray();
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.status().error().message.find("max_depth"), std::string::npos);

  JsonWriter deep;  // default 64
  for (int i = 0; i < 64; ++i) deep.BeginObject(), deep.Key("k");
  deep.Null();
  for (int i = 0; i < 64; ++i) deep.EndObject();
  EXPECT_TRUE(deep.Complete());
  deep.Clear();
  for (int i = 0; i < 65; ++i) deep.BeginArray();
  EXPECT_FALSE(deep.ok());

  JsonWriter capped(JsonWriterConfig{.max_depth = 100000});  // clamped to kMaxDepthLimit
  for (uint32_t i = 0; i <= JsonWriter::kMaxDepthLimit; ++i) capped.BeginArray();
  EXPECT_FALSE(capped.ok());
}

TEST(JsonWriter, ClearKeepsCapacityAndNewlineBatches) {
  JsonWriter w;
  w.BeginObject();
  w.KeyString("big", std::string(100000, 'x'));
  w.EndObject();
  size_t cap = w.capacity();
  ASSERT_GE(cap, 100000u);
  w.Clear();
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.capacity(), cap);
  for (int i = 0; i < 3; ++i) {
    w.BeginObject();
    w.KeyInt("i", i);
    w.EndObject();
    w.Newline();
  }
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.str(), "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n");
  EXPECT_EQ(w.capacity(), cap);
}

TEST(JsonWriter, KeysAreEscapedToo) {
  JsonWriter w;
  w.BeginObject();
  w.KeyString("we\"ird\n", "v");
  w.EndObject();
  EXPECT_EQ(w.str(), "{\"we\\\"ird\\n\":\"v\"}");
}

}  // namespace
}  // namespace vigil
