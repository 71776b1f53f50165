// sensor/output: EveFile (RAII, append/truncate, whole lines from many threads), EventWriter
// (identity stamping, batching, counters), TeeSink.
#include <gtest/gtest.h>

#include <thread>

#include "core/counters.h"
#include "sensor/output/eve_file.h"
#include "sensor/output/event_writer.h"
#include "sensor/output/memory_sink.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

// Counts how often the sink was called, to check batching.
class CountingSink final : public EventSink {
 public:
  Status WriteLines(std::string_view lines) override {
    ++calls;
    return inner.WriteLines(lines);
  }
  Status Flush() override { return Ok(); }
  std::string Describe() const override { return "counting"; }
  int calls = 0;
  MemorySink inner;
};

Event Anomaly(const AnomalyInfo& info) {
  Event ev;
  ev.type = EventType::kAnomaly;
  ev.envelope.timestamp = Timestamp::FromSeconds(1700000000);
  ev.anomaly = &info;
  return ev;
}

TEST(EventWriter, StampsIdentityBatchesAndCounts) {
  CounterRegistry reg;
  auto oc = RegisterOutputCounters(reg);
  ASSERT_TRUE(oc.ok());
  CounterBlock* block = reg.NewBlock("t");
  CountingSink sink;
  AnomalyInfo info{.type = "decode", .event = "decoder.ipv4.trunc_pkt"};
  {
    EventWriter w(sink, {.sensor_id = "s-1", .province = "north", .batch_bytes = 1024}, *oc,
                  block);
    for (int i = 0; i < 100; ++i) w.Write(Anomaly(info));
    EXPECT_LT(sink.calls, 100 / 3) << "lines must reach the sink in batches";
    EXPECT_TRUE(w.Flush().ok());
  }
  const auto lines = sink.inner.Lines();
  ASSERT_EQ(lines.size(), 100u);
  for (const auto& l : lines) {
    EXPECT_NE(l.find("\"sensor_id\":\"s-1\""), std::string::npos) << l;
    EXPECT_NE(l.find("\"province\":\"north\""), std::string::npos) << l;
  }
  EXPECT_EQ(reg.Total("output.events.anomaly"), 100u);
  EXPECT_EQ(reg.Total("output.batches"), static_cast<uint64_t>(sink.calls));
  // A malformed event (stats type without its payload) is dropped and counted.
  {
    EventWriter w(sink, {}, *oc, block);
    Event bad;
    bad.type = EventType::kStats;
    w.Write(bad);
    EXPECT_FALSE(w.last_error().message.empty());
  }
  EXPECT_EQ(reg.Total("output.format_errors"), 1u);
  EXPECT_EQ(sink.inner.size(), 100u);
}

TEST(EveFile, ManyThreadsWriteWholeLinesAndAppendOrTruncate) {
  TempDir dir;
  const std::string path = dir / "eve.json";
  CounterRegistry reg;
  auto oc = RegisterOutputCounters(reg);
  ASSERT_TRUE(oc.ok());
  std::vector<CounterBlock*> blocks;
  for (int t = 0; t < 4; ++t) blocks.push_back(reg.NewBlock("t" + std::to_string(t)));
  AnomalyInfo info{.type = "stream", .event = "stream.pkt_invalid_ack"};
  {
    auto eve = EveFile::Open(path, {.append = false});
    ASSERT_TRUE(eve.ok()) << eve.error().ToString();
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        EventWriter w(**eve, {.sensor_id = "s", .province = "p", .batch_bytes = 700}, *oc,
                      blocks[t]);
        for (int i = 0; i < 500; ++i) w.Write(Anomaly(info));
      });  // the writer's destructor flushes
    }
    for (auto& th : threads) th.join();
  }  // the file's destructor flushes and closes
  auto lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 2000u);
  ParsedEve eve = ParseEve(lines);
  EXPECT_EQ(eve.invalid, 0u) << "a line was torn";
  EXPECT_EQ(eve.types["anomaly"], 2000u);

  {  // append (the default) keeps what is there
    auto eve2 = EveFile::Open(path);
    ASSERT_TRUE(eve2.ok());
    ASSERT_TRUE((*eve2)->WriteLines("{\"x\":1}\n").ok());
  }
  EXPECT_EQ(ReadLines(path).size(), 2001u);
  {
    auto eve3 = EveFile::Open(path, {.append = false});
    ASSERT_TRUE(eve3.ok());
  }
  EXPECT_EQ(ReadLines(path).size(), 0u);

  auto missing = EveFile::Open((dir.path() / "no" / "such" / "eve.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos);
}

TEST(TeeSink, EveryBatchReachesEverySink) {
  MemorySink a, b;
  TeeSink tee({&a, &b});
  ASSERT_TRUE(tee.WriteLines("{\"a\":1}\n{\"b\":2}\n").ok());
  ASSERT_TRUE(tee.Flush().ok());
  EXPECT_EQ(a.Lines(), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(b.Lines(), a.Lines());
}

}  // namespace
}  // namespace vigil::sensor
