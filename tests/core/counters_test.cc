#include "core/counters.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace vigil {
namespace {

constexpr CounterDef kDecode[] = {{"decoder.pkts", "packets decoded"},
                                  {"decoder.invalid", "packets that failed to decode"}};
constexpr CounterDef kFlow[] = {{"flow.created", "flows created"}};

TEST(CountersTest, SumsAcrossThreads) {
  CounterRegistry reg;
  auto dec = reg.Register(kDecode);
  auto flow = reg.Register(kFlow);
  ASSERT_TRUE(dec && flow);
  EXPECT_EQ((*flow)[0], 2u);

  constexpr int kThreads = 4;
  constexpr int kIters = 100000;
  std::vector<CounterBlock*> blocks;
  for (int t = 0; t < kThreads; ++t) blocks.push_back(reg.NewBlock("w" + std::to_string(t)));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIters; ++i) blocks[t]->Add((*dec)[0]);
      blocks[t]->Add((*dec)[1], static_cast<uint64_t>(t));
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(reg.Total("decoder.pkts"), uint64_t{kThreads} * kIters);
  EXPECT_EQ(reg.Total("decoder.invalid"), 0u + 1 + 2 + 3);
  EXPECT_EQ(reg.Total("flow.created"), 0u);
  EXPECT_EQ(reg.Total("no.such.counter"), 0u);

  auto snap = reg.Snapshot();
  ASSERT_EQ(snap.size(), 3u);
  EXPECT_EQ(snap[0].name, "decoder.pkts");
  EXPECT_EQ(snap[0].help, "packets decoded");
  EXPECT_EQ(snap[0].value, uint64_t{kThreads} * kIters);

  auto one = reg.Snapshot(*blocks[3]);
  EXPECT_EQ(one[1].value, 3u);
}

TEST(CountersTest, RejectsDuplicateNames) {
  CounterRegistry reg;
  ASSERT_TRUE(reg.Register(kDecode));
  auto again = reg.Register(kDecode);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("decoder.pkts"), std::string::npos);
}

TEST(CountersTest, RejectsRegistrationAfterBlocksExist) {
  CounterRegistry reg;
  ASSERT_TRUE(reg.Register(kDecode));
  reg.NewBlock("w0");
  EXPECT_FALSE(reg.Register(kFlow));
}

TEST(CountersTest, SetOverwritesGauge) {
  CounterRegistry reg;
  auto g = reg.Register(kFlow);
  ASSERT_TRUE(g);
  CounterBlock* b = reg.NewBlock("w0");
  b->Set((*g)[0], 10);
  b->Set((*g)[0], 7);
  EXPECT_EQ(reg.Total((*g)[0]), 7u);
}

}  // namespace
}  // namespace vigil
