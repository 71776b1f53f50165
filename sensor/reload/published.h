// Published<T>: one immutable object that a control thread replaces while reader threads (the
// sensor's workers) keep using the one they hold — read-copy-update with shared_ptr ownership.
//
// A reader checks generation() once per packet (one relaxed atomic load, no lock, no shared
// write) and only when it changed takes the new object with Load() (a short lock). The object
// it let go of goes to Retire(): retired objects are destroyed by Collect() on the control
// thread once no reader holds them, so a worker never pays for freeing a large rule engine.
//
//   Published<Ctx> slot(std::make_shared<const Ctx>(...));
//   // worker, per packet:
//   if (slot.generation() != seen) { auto next = slot.Load(&seen); slot.Retire(std::move(mine)); mine = next; }
//   // control thread:
//   slot.Publish(std::move(new_ctx));  ...  slot.Collect();
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <vector>

namespace vigil::sensor {

template <typename T>
class Published {
 public:
  explicit Published(std::shared_ptr<const T> first) : current_(std::move(first)) {}
  Published(const Published&) = delete;
  Published& operator=(const Published&) = delete;

  // Changes on every Publish(). Any thread; one relaxed load (a reader may see a new generation
  // a little late, never a torn one; Load() then synchronizes through the lock).
  uint64_t generation() const { return generation_.load(std::memory_order_relaxed); }

  // The live object and, in *gen, its generation. Any thread; takes the lock.
  std::shared_ptr<const T> Load(uint64_t* gen = nullptr) const {
    std::lock_guard lock(mu_);
    if (gen != nullptr) *gen = generation_.load(std::memory_order_relaxed);
    return current_;
  }

  // Makes `next` the live object; the previous one is retired. Returns the new generation.
  uint64_t Publish(std::shared_ptr<const T> next) {
    std::lock_guard lock(mu_);
    RetireLocked(std::move(current_));
    current_ = std::move(next);
    const uint64_t gen = generation_.load(std::memory_order_relaxed) + 1;
    generation_.store(gen, std::memory_order_release);
    return gen;
  }

  // A reader lets go of an object: it is kept until Collect() finds nobody else holding it.
  // Never destroys anything on the calling thread unless `old` is the live object's twin
  // already retired (then only a reference count drops).
  void Retire(std::shared_ptr<const T> old) {
    if (!old) return;
    std::lock_guard lock(mu_);
    RetireLocked(std::move(old));
  }

  // Destroys the retired objects no reader holds any more; returns how many are still held.
  // Call it from the control thread (destruction happens here, outside the lock).
  size_t Collect() {
    std::vector<std::shared_ptr<const T>> dead;
    size_t left = 0;
    {
      std::lock_guard lock(mu_);
      // use_count() == 1: only this list holds it, and nobody can take it back from here (it
      // is not current_), so the count cannot rise again.
      auto keep = std::partition(retired_.begin(), retired_.end(),
                                 [](const auto& p) { return p.use_count() > 1; });
      std::move(keep, retired_.end(), std::back_inserter(dead));
      retired_.erase(keep, retired_.end());
      left = retired_.size();
    }
    dead.clear();
    return left;
  }

  size_t retired() const {
    std::lock_guard lock(mu_);
    return retired_.size();
  }

 private:
  void RetireLocked(std::shared_ptr<const T> old) {
    if (!old) return;
    for (const auto& r : retired_) {
      if (r.get() == old.get()) return;  // already kept: dropping `old` only lowers the count
    }
    retired_.push_back(std::move(old));
  }

  mutable std::mutex mu_;
  std::shared_ptr<const T> current_;            // guarded by mu_
  std::vector<std::shared_ptr<const T>> retired_;  // guarded by mu_
  alignas(64) std::atomic<uint64_t> generation_{1};
};

}  // namespace vigil::sensor
