#include "core/counters.h"

namespace vigil {

CounterBlock::CounterBlock(std::string thread_name, size_t size)
    : thread_name_(std::move(thread_name)),
      size_(size),
      values_(std::make_unique<std::atomic<uint64_t>[]>(size)) {
  for (size_t i = 0; i < size; ++i) values_[i].store(0, std::memory_order_relaxed);
}

Result<CounterGroup> CounterRegistry::Register(std::span<const CounterDef> defs) {
  std::lock_guard lock(mu_);
  if (frozen_) {
    return Error(ErrorCode::kInternal,
                 "counters registered after the first per-thread block was created");
  }
  for (const auto& d : defs) {
    for (const auto& existing : defs_) {
      if (existing.name == d.name) {
        return Error(ErrorCode::kInvalidArgument,
                     "counter '" + std::string(d.name) + "' registered twice");
      }
    }
  }
  CounterGroup group(static_cast<CounterId>(defs_.size()), static_cast<uint32_t>(defs.size()));
  defs_.insert(defs_.end(), defs.begin(), defs.end());
  return group;
}

CounterBlock* CounterRegistry::NewBlock(std::string thread_name) {
  std::lock_guard lock(mu_);
  frozen_ = true;
  blocks_.push_back(std::make_unique<CounterBlock>(std::move(thread_name), defs_.size()));
  return blocks_.back().get();
}

std::vector<CounterValue> CounterRegistry::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<CounterValue> out;
  out.reserve(defs_.size());
  for (size_t i = 0; i < defs_.size(); ++i) {
    uint64_t sum = 0;
    for (const auto& b : blocks_) sum += b->Get(static_cast<CounterId>(i));
    out.push_back({defs_[i].name, defs_[i].help, sum});
  }
  return out;
}

std::vector<CounterValue> CounterRegistry::Snapshot(const CounterBlock& block) const {
  std::lock_guard lock(mu_);
  std::vector<CounterValue> out;
  out.reserve(defs_.size());
  for (size_t i = 0; i < defs_.size() && i < block.size(); ++i) {
    out.push_back({defs_[i].name, defs_[i].help, block.Get(static_cast<CounterId>(i))});
  }
  return out;
}

uint64_t CounterRegistry::Total(CounterId id) const {
  std::lock_guard lock(mu_);
  uint64_t sum = 0;
  if (id >= defs_.size()) return 0;
  for (const auto& b : blocks_) sum += b->Get(id);
  return sum;
}

uint64_t CounterRegistry::Total(std::string_view name) const {
  CounterId id = 0;
  {
    std::lock_guard lock(mu_);
    for (; id < defs_.size(); ++id) {
      if (defs_[id].name == name) break;
    }
    if (id == defs_.size()) return 0;
  }
  return Total(id);
}

}  // namespace vigil
