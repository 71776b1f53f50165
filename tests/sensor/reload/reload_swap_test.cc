// The pieces a worker uses at a reload: Published<T> (publish, load, retire, collect) and
// DetectStateRemap (per-flow detection state carried to a new engine by name).
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "sensor/inspect/inspect_context.h"
#include "sensor/reload/detect_state_remap.h"
#include "sensor/reload/published.h"
#include "tests/sensor/reload/reload_test_util.h"

namespace vigil::sensor {
namespace {

TEST(PublishedTest, PublishChangesGenerationAndLoadGivesTheNewObject) {
  Published<int> slot(std::make_shared<const int>(1));
  uint64_t gen = 0;
  EXPECT_EQ(*slot.Load(&gen), 1);
  EXPECT_EQ(gen, 1u);
  EXPECT_EQ(slot.generation(), 1u);
  EXPECT_EQ(slot.Publish(std::make_shared<const int>(2)), 2u);
  EXPECT_EQ(slot.generation(), 2u);
  EXPECT_EQ(*slot.Load(&gen), 2);
  EXPECT_EQ(gen, 2u);
}

TEST(PublishedTest, OldObjectLivesWhileAReaderHoldsItAndIsFreedByCollect) {
  auto first = std::make_shared<const int>(1);
  std::weak_ptr<const int> weak = first;
  Published<int> slot(std::move(first));
  std::shared_ptr<const int> reader = slot.Load();  // a worker holds generation 1
  slot.Publish(std::make_shared<const int>(2));
  EXPECT_EQ(slot.Collect(), 1u);  // still held by the reader
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(*reader, 1);          // and still usable
  slot.Retire(std::move(reader));  // the worker moves on: nothing is freed on its thread
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(slot.Collect(), 0u);
  EXPECT_TRUE(weak.expired());
}

TEST(PublishedTest, SeveralReadersRetiringTheSameObjectFreeItOnce) {
  auto first = std::make_shared<const int>(7);
  std::weak_ptr<const int> weak = first;
  Published<int> slot(std::move(first));
  auto a = slot.Load();
  auto b = slot.Load();
  slot.Publish(std::make_shared<const int>(8));
  slot.Retire(std::move(a));
  EXPECT_EQ(slot.Collect(), 1u);  // b still holds it
  slot.Retire(std::move(b));
  EXPECT_EQ(slot.retired(), 1u);  // one entry, not two
  EXPECT_EQ(slot.Collect(), 0u);
  EXPECT_TRUE(weak.expired());
}

TEST(PublishedTest, ReadersSeeEveryPublishedValueInOrderUnderConcurrency) {
  Published<int> slot(std::make_shared<const int>(0));
  constexpr int kPublishes = 2000;
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  std::atomic<int> errors{0};
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      uint64_t seen = 0;
      std::shared_ptr<const int> mine = slot.Load(&seen);
      int last = *mine;
      while (!done.load()) {
        if (slot.generation() != seen) {
          auto next = slot.Load(&seen);
          if (*next < last) errors.fetch_add(1);  // never back in time
          last = *next;
          slot.Retire(std::move(mine));
          mine = std::move(next);
        }
      }
      slot.Retire(std::move(mine));
    });
  }
  for (int i = 1; i <= kPublishes; ++i) {
    slot.Publish(std::make_shared<const int>(i));
    if (i % 100 == 0) slot.Collect();
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(*slot.Load(), kPublishes);
  // The readers retired the live value too: it stays while it is live...
  EXPECT_LE(slot.Collect(), 1u);
  std::weak_ptr<const int> last = slot.Load();
  slot.Publish(std::make_shared<const int>(-1));
  // ...and every retired value is freed once nobody holds it.
  EXPECT_EQ(slot.Collect(), 0u);
  EXPECT_TRUE(last.expired());
}

std::shared_ptr<const InspectContext> Load(const std::string& rules) {
  RuleSources src;
  src.replace = true;
  src.texts.push_back({"test", rules});
  auto ctx = LoadInspectContext(reload_test::MakeConfig({}), src);
  EXPECT_TRUE(ctx.ok()) << (ctx.ok() ? "" : ctx.error().message);
  EXPECT_TRUE(ctx.ok() && (*ctx)->engine != nullptr);
  return ctx.ok() ? *ctx : nullptr;
}

TEST(DetectStateRemapTest, FlowbitsAndFlowintsFollowTheirNamesRulesTheirSids) {
  auto a = Load(
      "alert tcp any any -> any any (content:\"A\"; flowbits:set,auth; flowint:count,+,1; sid:1;)\n"
      "alert tcp any any -> any any (content:\"B\"; flowbits:set,gone; sid:2;)\n"
      "alert tcp any any -> any any (content:\"C\"; flowbits:isset,auth; sid:3;)\n");
  auto b = Load(
      "alert tcp any any -> any any (content:\"X\"; flowbits:set,zzz; flowbits:set,aaa; "
      "flowint:other,=,5; sid:9;)\n"
      "alert tcp any any -> any any (content:\"A\"; flowbits:set,auth; flowint:count,+,1; sid:1;)\n"
      "alert tcp any any -> any any (content:\"C\"; flowbits:isset,auth; sid:3;)\n");
  ASSERT_TRUE(a && b);
  const int64_t auth_a = a->engine->FlowbitId("auth");
  const int64_t auth_b = b->engine->FlowbitId("auth");
  const int64_t gone_a = a->engine->FlowbitId("gone");
  ASSERT_GE(auth_a, 0);
  ASSERT_GE(auth_b, 0);
  ASSERT_GE(gone_a, 0);
  ASSERT_NE(auth_a, auth_b) << "the test needs the ids to differ between the engines";

  FlowDetectState s;
  s.Set(static_cast<uint32_t>(auth_a), true);
  s.Set(static_cast<uint32_t>(gone_a), true);
  uint32_t count_a = 0;
  for (uint32_t i = 0; i < a->engine->flowint_names().size(); ++i) {
    if (a->engine->flowint_names()[i] == "count") count_a = i;
  }
  s.SetInt(count_a, 41);
  s.Rate(0);  // a by_flow threshold entry: dropped
  s.pass = true;
  // Transaction alerts remembered for the rules with sid 3 (kept) and sid 2 (gone).
  auto index_of = [](const InspectContext& c, uint32_t sid) {
    for (uint32_t i = 0; i < c.engine->rules().size(); ++i) {
      if (c.engine->rules()[i].rule->meta.sid == sid) return static_cast<int64_t>(i);
    }
    return int64_t{-1};
  };
  std::vector<std::pair<uint64_t, uint32_t>> tx = {
      {5, static_cast<uint32_t>(index_of(*a, 3))}, {5, static_cast<uint32_t>(index_of(*a, 2))}};

  DetectStateRemap remap(a->engine.get(), b->engine.get());
  remap.Apply(s, tx);

  EXPECT_TRUE(s.IsSet(static_cast<uint32_t>(auth_b)));
  for (uint32_t id = 0; id < b->engine->flowbit_count(); ++id) {
    EXPECT_EQ(s.IsSet(id), id == static_cast<uint32_t>(auth_b)) << "flowbit " << id;
  }
  uint32_t count_b = 0;
  for (uint32_t i = 0; i < b->engine->flowint_names().size(); ++i) {
    if (b->engine->flowint_names()[i] == "count") count_b = i;
  }
  EXPECT_TRUE(s.IntIsSet(count_b));
  EXPECT_EQ(s.Int(count_b), 41u);
  EXPECT_TRUE(s.rates.empty());
  EXPECT_TRUE(s.pass);
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].first, 5u);
  EXPECT_EQ(static_cast<int64_t>(tx[0].second), index_of(*b, 3));
}

TEST(DetectStateRemapTest, ToNoRulesDropsEverythingFromNoRulesKeepsNothing) {
  auto a = Load("alert tcp any any -> any any (content:\"A\"; flowbits:set,auth; sid:1;)\n");
  ASSERT_TRUE(a);
  FlowDetectState s;
  s.Set(0, true);
  std::vector<std::pair<uint64_t, uint32_t>> tx = {{1, 0}};
  DetectStateRemap(a->engine.get(), nullptr).Apply(s, tx);
  EXPECT_FALSE(s.IsSet(0));
  EXPECT_TRUE(tx.empty());
  s.Set(3, true);  // state of a flow that saw no rules has no meaning for the new engine
  tx = {{1, 2}};
  DetectStateRemap(nullptr, a->engine.get()).Apply(s, tx);
  EXPECT_FALSE(s.IsSet(3));
  EXPECT_TRUE(tx.empty());
}

}  // namespace
}  // namespace vigil::sensor
