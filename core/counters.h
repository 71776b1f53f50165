// Named counters ("peg counts"): every drop, eviction, anomaly and retry in Vigil is one.
//
// A component declares its counters once, as a table of {name, help}, and registers the table
// with the process's CounterRegistry before worker threads start. Each thread then gets its own
// CounterBlock and bumps counters with no locks and no shared cache lines; readers (stats events,
// `vigil status`, the exit summary) sum the blocks on read.
//
//   static constexpr CounterDef kDefs[] = {{"decoder.pkts", "packets decoded"},
//                                          {"decoder.invalid", "packets that failed to decode"}};
//   CounterRegistry reg;
//   CounterGroup g = reg.Register(kDefs);          // during setup
//   CounterBlock* block = reg.NewBlock("worker-0"); // one per thread
//   block->Add(g[0]);                               // on the hot path
//   for (auto& [name, value] : reg.Snapshot()) ... // from any thread
//
// Counters only rise. A single thread writes a block; other threads read it with relaxed atomic
// loads, so a snapshot is a consistent-enough sum for monitoring, never a torn value.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil {

struct CounterDef {
  std::string_view name;  // dotted, lower_snake: "flow.evicted.memcap"
  std::string_view help;  // one line for operators: what it counts and why it matters
};

using CounterId = uint32_t;

// A contiguous range of counter ids handed out for one table of CounterDefs.
class CounterGroup {
 public:
  CounterGroup() = default;
  CounterGroup(CounterId base, uint32_t size) : base_(base), size_(size) {}
  CounterId operator[](uint32_t i) const { return base_ + i; }
  CounterId base() const { return base_; }
  uint32_t size() const { return size_; }

 private:
  CounterId base_ = 0;
  uint32_t size_ = 0;
};

// One thread's counters. Written by exactly one thread.
class CounterBlock {
 public:
  CounterBlock(std::string thread_name, size_t size);
  CounterBlock(const CounterBlock&) = delete;
  CounterBlock& operator=(const CounterBlock&) = delete;

  void Add(CounterId id, uint64_t n = 1) {
    auto& c = values_[id];
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  // For gauges that a thread owns (e.g. "flows.active"): sets the value outright.
  void Set(CounterId id, uint64_t v) { values_[id].store(v, std::memory_order_relaxed); }
  uint64_t Get(CounterId id) const { return values_[id].load(std::memory_order_relaxed); }
  size_t size() const { return size_; }
  const std::string& thread_name() const { return thread_name_; }

 private:
  std::string thread_name_;
  size_t size_;
  std::unique_ptr<std::atomic<uint64_t>[]> values_;
};

struct CounterValue {
  std::string_view name;
  std::string_view help;
  uint64_t value;
};

class CounterRegistry {
 public:
  CounterRegistry() = default;
  CounterRegistry(const CounterRegistry&) = delete;
  CounterRegistry& operator=(const CounterRegistry&) = delete;

  // Registers a table of counters. Must happen before the first NewBlock(); a later call fails.
  // Registering a name twice fails. The table's strings must outlive the registry (use literals).
  [[nodiscard]] Result<CounterGroup> Register(std::span<const CounterDef> defs);

  // A new per-thread block sized for every registered counter. The registry keeps ownership;
  // the pointer stays valid for the registry's lifetime.
  CounterBlock* NewBlock(std::string thread_name);

  // Sum over all blocks, in registration order.
  std::vector<CounterValue> Snapshot() const;
  // Per-thread values of one block, in registration order.
  std::vector<CounterValue> Snapshot(const CounterBlock& block) const;
  // Sum of one counter over all blocks; returns 0 for an unknown name.
  uint64_t Total(std::string_view name) const;
  uint64_t Total(CounterId id) const;

  size_t size() const { return defs_.size(); }
  const std::vector<CounterDef>& defs() const { return defs_; }

 private:
  mutable std::mutex mu_;  // guards blocks_ (setup and read paths only, never the hot path)
  std::vector<CounterDef> defs_;
  std::vector<std::unique_ptr<CounterBlock>> blocks_;
  bool frozen_ = false;
};

}  // namespace vigil
