// SpscRing<T>: a bounded lock-free queue for exactly one producer thread and one consumer thread.
//
// The reader -> worker handoff of the sensor: the reader pushes packet pointers, each worker
// pops its own ring; the same type carries used slots back (worker -> reader return rings).
// Capacity is a power of two (the constructor rounds up) so an index maps to a cell with a mask.
// Head and tail live on separate cache lines, and each side keeps a private copy of the other
// side's index, refreshed only when the ring looks full (producer) or empty (consumer): in steady
// state a push or pop touches no cache line the other thread writes.
//
//   SpscRing<PacketSlot*> ring(4096);
//   // producer thread                    // consumer thread
//   if (!ring.TryPush(slot)) ...          PacketSlot* batch[32];
//                                         size_t n = ring.PopBatch(batch);
//
// Indices are 64-bit and only grow, so they never wrap in practice (2^64 pushes). Element
// writes happen-before the matching reads through the release store / acquire load of the index.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>

namespace vigil::sensor {

// Fixed rather than std::hardware_destructive_interference_size, which GCC warns is not ABI
// stable. 64 bytes on x86-64 and most ARM cores; adjacent-line prefetch makes 128 safer still.
inline constexpr size_t kCacheLineSize = 64;

template <typename T>
class SpscRing {
  static_assert(std::is_nothrow_default_constructible_v<T> && std::is_nothrow_move_assignable_v<T>,
                "SpscRing cells are preallocated and moved in and out");

 public:
  // Capacity is min_capacity rounded up to a power of two (at least 2).
  explicit SpscRing(size_t min_capacity)
      : mask_(std::bit_ceil(min_capacity < 2 ? size_t{2} : min_capacity) - 1),
        cells_(std::make_unique<T[]>(mask_ + 1)) {}

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // ---- Producer side ----
  bool TryPush(T v) {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - cached_head_ > mask_) {
      cached_head_ = head_.load(std::memory_order_acquire);
      if (tail - cached_head_ > mask_) return false;  // full
    }
    cells_[tail & mask_] = std::move(v);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Pushes as many of `items` as fit, in order; returns how many. One index publish per batch.
  size_t PushBatch(std::span<const T> items) {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    size_t free = capacity() - (tail - cached_head_);
    if (free < items.size()) {
      cached_head_ = head_.load(std::memory_order_acquire);
      free = capacity() - (tail - cached_head_);
    }
    const size_t n = items.size() < free ? items.size() : free;
    for (size_t i = 0; i < n; ++i) cells_[(tail + i) & mask_] = items[i];
    if (n > 0) tail_.store(tail + n, std::memory_order_release);
    return n;
  }

  // ---- Consumer side ----
  bool TryPop(T& out) {
    const size_t head = head_.load(std::memory_order_relaxed);
    if (head == cached_tail_) {
      cached_tail_ = tail_.load(std::memory_order_acquire);
      if (head == cached_tail_) return false;  // empty
    }
    out = std::move(cells_[head & mask_]);
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Pops up to out.size() items in order; returns how many.
  size_t PopBatch(std::span<T> out) {
    const size_t head = head_.load(std::memory_order_relaxed);
    size_t avail = cached_tail_ - head;
    if (avail < out.size()) {
      cached_tail_ = tail_.load(std::memory_order_acquire);
      avail = cached_tail_ - head;
    }
    const size_t n = out.size() < avail ? out.size() : avail;
    for (size_t i = 0; i < n; ++i) out[i] = std::move(cells_[(head + i) & mask_]);
    if (n > 0) head_.store(head + n, std::memory_order_release);
    return n;
  }

  // ---- Either side (a snapshot; exact only when the other side is idle) ----
  size_t SizeApprox() const {
    const size_t head = head_.load(std::memory_order_acquire);
    const size_t tail = tail_.load(std::memory_order_acquire);
    return tail >= head ? tail - head : 0;
  }
  bool EmptyApprox() const { return SizeApprox() == 0; }

 private:
  // Consumer-owned line: its index and its copy of the producer's.
  alignas(kCacheLineSize) std::atomic<size_t> head_{0};
  size_t cached_tail_ = 0;
  // Producer-owned line.
  alignas(kCacheLineSize) std::atomic<size_t> tail_{0};
  size_t cached_head_ = 0;
  // Read-only after construction; its own line so neither side's writes invalidate it.
  alignas(kCacheLineSize) const size_t mask_;
  const std::unique_ptr<T[]> cells_;
};

}  // namespace vigil::sensor
