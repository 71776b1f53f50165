// IntelStore: the sensor's live indicator set — the indicators of every accepted bundle
// compiled into one immutable rules::IndicatorSet (an IntelSnapshot) and swapped atomically when
// a bundle arrives. Workers read it through their own IntelView: one acquire load of a
// generation number per lookup, no lock, no reference-count traffic; only after a swap does a
// worker take the new snapshot (under a mutex, once). The old snapshot is freed when the last
// worker has moved on.
//
//   IntelStore store;                                   // owns the intel.* counter registry
//   store.Apply("national-intel", 42, "2026-11-23T21:00:00Z", parse.indicators);  // any thread
//   IntelView view(store);                              // one per worker
//   if (const IntelSnapshot* s = view.Get(); s && !s->set.empty()) s->set.MatchIp(addr);
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/counters.h"
#include "rules/bundle/indicator.h"
#include "rules/bundle/indicator_set.h"

namespace vigil::sensor {

// One bundle whose indicators are in a snapshot (IndicatorHit::bundle indexes these).
struct IntelBundleInfo {
  std::string name;
  uint64_t version = 0;
  std::string created;
  size_t indicators = 0;
};

struct IntelSnapshot {
  rules::IndicatorSet set;
  std::vector<IntelBundleInfo> bundles;
  uint64_t generation = 0;
};

class IntelStore {
 public:
  IntelStore();
  IntelStore(const IntelStore&) = delete;
  IntelStore& operator=(const IntelStore&) = delete;

  // Replaces (or adds) the indicators of bundle `name` and publishes a new snapshot built from
  // every bundle held. Thread-safe (writers serialise); the packet path is not blocked.
  void Apply(const std::string& name, uint64_t version, const std::string& created,
             std::vector<rules::Indicator> indicators);

  // The current snapshot (null before the first Apply). Takes a mutex: not for the packet path.
  std::shared_ptr<const IntelSnapshot> Current() const;
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // intel.* counters: matches per worker (IntelMatcher) and bundle outcomes (IntelUpdater).
  // Tables are registered before the first NewBlock (CounterRegistry's rule): the store
  // registers the match counters at construction, IntelUpdater::Create its own next.
  CounterRegistry& registry() { return registry_; }
  const CounterRegistry& registry() const { return registry_; }
  CounterGroup match_counters() const { return matches_; }

 private:
  struct Held {
    uint64_t version = 0;
    std::string created;
    std::vector<rules::Indicator> indicators;
  };

  CounterRegistry registry_;
  CounterGroup matches_;
  std::mutex write_mu_;                  // serialises Apply (building can take a while)
  std::map<std::string, Held> bundles_;  // guarded by write_mu_
  mutable std::mutex mu_;                // guards current_
  std::shared_ptr<const IntelSnapshot> current_;
  std::atomic<uint64_t> generation_{0};
};

// A worker's handle on the store: Get() is the packet-path read.
class IntelView {
 public:
  explicit IntelView(const IntelStore& store) : store_(store) {}
  const IntelSnapshot* Get() {
    if (store_.generation() != seen_) Refresh();
    return snap_.get();
  }

 private:
  void Refresh();

  const IntelStore& store_;
  std::shared_ptr<const IntelSnapshot> snap_;
  uint64_t seen_ = 0;
};

// Counter indices of IntelStore::match_counters().
enum IntelMatchCounter : uint32_t { kIntelLookups, kIntelMatches };

}  // namespace vigil::sensor
