// IntelStore under concurrent swaps: workers reading through their IntelView while bundles are
// applied always see a whole snapshot (the indicators of exactly the version its bundle info
// names), move on to newer ones, and never see an older one after a newer.
#include "sensor/intel/intel_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace vigil::sensor {
namespace {

std::vector<rules::Indicator> Version(uint64_t v) {
  // Version v lists domain vN.example and 200 filler addresses.
  std::string text = "domain v" + std::to_string(v) + ".example\n";
  for (int i = 0; i < 200; ++i) text += "ip 10.1." + std::to_string(i) + "." + std::to_string(v % 250) + "\n";
  return rules::ParseIndicators(text).indicators;
}

TEST(IntelStore, ReadersSeeWholeSnapshotsWhileBundlesAreSwapped) {
  IntelStore store;
  store.Apply("ioc", 1, "", Version(1));
  constexpr uint64_t kLast = 300;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> torn{0}, backwards{0}, reads{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([&] {
      IntelView view(store);
      uint64_t last_seen = 0;
      while (!done.load(std::memory_order_acquire)) {
        const IntelSnapshot* s = view.Get();
        const uint64_t v = s->bundles.at(0).version;
        const std::string name = "a.v" + std::to_string(v) + ".example";
        if (s->set.MatchDomain(name) == nullptr || s->set.size() != 201) ++torn;
        if (v < last_seen) ++backwards;
        last_seen = v;
        ++reads;
      }
    });
  }
  for (uint64_t v = 2; v <= kLast; ++v) store.Apply("ioc", v, "", Version(v));
  while (reads.load() < 1000) std::this_thread::yield();
  done.store(true, std::memory_order_release);
  for (auto& t : workers) t.join();
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_EQ(backwards.load(), 0u);
  EXPECT_EQ(store.generation(), kLast);
  IntelView late(store);
  EXPECT_EQ(late.Get()->bundles.at(0).version, kLast);  // a view made now starts at the newest
}

}  // namespace
}  // namespace vigil::sensor
