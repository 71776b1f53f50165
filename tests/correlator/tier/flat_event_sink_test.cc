// FlatEventSink: the view the pipeline builds from the writer's validation pass equals
// FlatEvent::Parse of the stored event (stamp first, dotted paths, arrays skipped, duplicate
// keys, escapes, numbers, the depth limit), so correlation sees the same event either way.
#include "correlator/tier/flat_event_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.h"
#include "tests/correlator/tier/event_stream.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

class FlatEventSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::vigil::testing::OpenTestDb(dir_.Sub("db"));
    ASSERT_TRUE(db_);
    auto w = EventStoreWriter::Create(*db_, EventStoreOptions{});
    ASSERT_TRUE(w.ok()) << w.error().message;
    w_ = std::move(*w);
    w_->SetFieldSink(&sink_);
    w_->SetObserver([this](const StoredEvent& e, storage::WriteBatch&) {
      ++stored_;
      EXPECT_TRUE(e.fields_sent);
      FlatEvent parsed;
      const Status s = parsed.Parse(e.json, 0, parser_);
      if (e.fields_too_deep) {
        ++too_deep_;
        EXPECT_FALSE(s.ok()) << e.json;
        return Ok();
      }
      EXPECT_TRUE(s.ok()) << e.json;
      EXPECT_TRUE(parsed == view_) << e.json;
      return Ok();
    });
  }

  void Add(std::string_view origin, std::string_view province, const std::string& payload) {
    transport::ReceivedBatch b;
    b.origin = origin;
    b.province = province;
    b.seq = ++seq_;
    b.payload = payload;
    storage::WriteBatch wb;
    ASSERT_TRUE(w_->AddBatch(b, wb).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<EventStoreWriter> w_;
  FlatEvent view_;
  FlatEventSink sink_{view_};
  simdjson::dom::parser parser_;
  uint64_t seq_ = 0;
  int stored_ = 0;
  int too_deep_ = 0;
};

std::string Nested(int depth, const std::string& inner) {
  std::string s = inner;
  for (int i = 0; i < depth; ++i) s = "{\"n\":" + s + "}";
  return s;
}

TEST_F(FlatEventSinkTest, SameViewAsParsingTheStoredEvent) {
  const std::string head = R"({"timestamp":")" + Timestamp{1'700'000'000LL * 1'000'000'000}.ToEve() +
                           R"(","event_type":"flow")";
  const std::vector<std::string> lines = {
      head + "}",
      head + R"(,"a":1,"a":"x","event_type":"dns","timestamp":5})",
      head + R"(,"x":{"y":[{"z":1},[2]],"w":{"v":true,"n":null,"e":{}},"arr":[]},"after":-0.0})",
      head + R"(,"":{"a":1,"vigil_origin":"spoof"},"b":{"":2},"c":{"":{"":3}}})",
      head + R"(,"k\"q":"v\\\u00e9\n","u\u0041":"\ud83d\ude00"})",
      head + R"(,"big":18446744073709551615,"neg":-9223372036854775808,"f":1.5e3,"g":0.1,"h":1e-7})",
      head + R"(,"d":)" + Nested(31, "1") + "}",   // the deepest value at depth 32: usable
      head + R"(,"d":)" + Nested(32, "1") + "}",   // depth 33: the view is unusable
      head + R"(,"d":)" + Nested(32, "[]") + "}",  // an array at depth 33 too
      head + R"(,"a":[)" + Nested(40, "1") + "]}",  // deep inside an array: not flattened
      R"({"event_type":"alert","alert":{"signature_id":7},"timestamp":")" +
          Timestamp{1'700'000'001LL * 1'000'000'000}.ToEve() + R"(","province":"claimed"})",
  };
  std::string payload;
  for (const auto& l : lines) payload += l + "\n";
  Add("sensor-1", "", payload);
  Add("sensor-\"2\"", "province-a", payload);
  EXPECT_EQ(stored_, 2 * static_cast<int>(lines.size()));
  EXPECT_EQ(too_deep_, 4);
}

TEST_F(FlatEventSinkTest, InvalidLinesBetweenValidOnesLeaveNoTrace) {
  const std::string ts = Timestamp{1'700'000'000LL * 1'000'000'000}.ToEve();
  const std::string payload = R"({"timestamp":")" + ts + R"(","event_type":"flow","a":1,"b":[})" "\n" +
                              R"({"timestamp":")" + ts + R"(","a":2})" "\n" +
                              R"({"timestamp":")" + ts + R"(","event_type":"dns","c":3})" "\n";
  Add("s", "", payload);
  EXPECT_EQ(stored_, 1);
}

TEST_F(FlatEventSinkTest, SyntheticStream) {
  for (const auto& b : testing::MakeEventStream(3, 500, 11)) Add("sensor-" + std::to_string(b.seq), "p", b.payload);
  EXPECT_EQ(stored_, 1500);
  EXPECT_EQ(too_deep_, 0);
}

// Random objects: nested objects and arrays, duplicate and empty keys, dots and escapes in
// keys, every scalar kind, depths around the view's limit.
class RandomJson {
 public:
  explicit RandomJson(uint64_t seed) : x_(seed * 0x9e3779b97f4a7c15ULL + 1) {}
  std::string Event(const std::string& head) {
    std::string s = head;
    const int n = static_cast<int>(Next() % 8);
    for (int i = 0; i < n; ++i) {
      s += ',';
      Member(s, 1);
    }
    return s + "}";
  }

 private:
  uint64_t Next() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }
  void Key(std::string& s) {
    static const char* kKeys[] = {"a", "b", "", "a.b", "src_ip", "k\\\"x", "\\u0041", "timestamp", "event_type", "n"};
    s += '"';
    s += kKeys[Next() % std::size(kKeys)];
    s += "\":";
  }
  void Member(std::string& s, int depth) {
    Key(s);
    Value(s, depth);
  }
  void Value(std::string& s, int depth) {
    // Deep chains now and then, to cross the view's depth limit (32).
    const uint64_t r = Next() % (depth < 40 ? 12 : 8);
    switch (r) {
      case 0: s += std::to_string(static_cast<int64_t>(Next())); break;
      case 1: s += std::to_string(Next()); break;
      case 2: s += "-1.25e-3"; break;
      case 3: s += Next() % 2 ? "true" : "false"; break;
      case 4: s += "null"; break;
      case 5: s += "\"v\\n\\u00e9\""; break;
      case 6: s += "\"10.0.0." + std::to_string(Next() % 4) + "\""; break;
      case 7: s += "[]"; break;
      case 8:
      case 9: {
        s += '{';
        const int n = static_cast<int>(Next() % 3) + (r == 9 ? 1 : 0);
        for (int i = 0; i < n; ++i) {
          if (i > 0) s += ',';
          Member(s, depth + 1);
        }
        s += '}';
        break;
      }
      case 10: {
        s += '[';
        Value(s, depth + 1);
        s += ']';
        break;
      }
      default: {
        const int chain = 25 + static_cast<int>(Next() % 12);
        for (int i = 0; i < chain; ++i) s += "{\"n\":";
        s += "1";
        for (int i = 0; i < chain; ++i) s += '}';
        break;
      }
    }
  }
  uint64_t x_;
};

TEST_F(FlatEventSinkTest, RandomObjects) {
  const std::string head = R"({"timestamp":")" + Timestamp{1'700'000'000LL * 1'000'000'000}.ToEve() +
                           R"(","event_type":"flow")";
  RandomJson gen(3);
  for (int b = 0; b < 20; ++b) {
    std::string payload;
    for (int i = 0; i < 200; ++i) payload += gen.Event(head) + "\n";
    Add("sensor", b % 2 ? "p" : "", payload);
  }
  EXPECT_EQ(stored_, 4000);  // every line is valid; the observer compared each view
  EXPECT_GT(too_deep_, 0);
}

}  // namespace
}  // namespace vigil::correlator
