#include "sensor/capture/packet_pool.h"

#include <array>
#include <cassert>

namespace vigil::sensor {

namespace {
constexpr uint32_t kMaxWorkers = 1024;
constexpr size_t kReclaimBatch = 64;
}  // namespace

PacketPool::PacketPool(const CaptureConfig& config, uint32_t workers)
    : slot_count_(config.pool_slots),
      slot_bytes_(config.slot_bytes),
      slot_stride_((config.slot_bytes + kCacheLineSize - 1) / kCacheLineSize * kCacheLineSize),
      large_count_(config.large_slots),
      large_bytes_(config.snaplen) {
  // make_unique_for_overwrite: no zeroing, so untouched pages stay unmapped until first use.
  arena_ = std::make_unique_for_overwrite<uint8_t[]>(size_t{slot_count_} * slot_stride_);
  if (large_count_ > 0) {
    large_arena_ = std::make_unique_for_overwrite<uint8_t[]>(size_t{large_count_} * large_bytes_);
  }
  slots_ = std::make_unique<PacketSlot[]>(slot_count_);
  free_.reserve(slot_count_);
  for (uint32_t i = slot_count_; i-- > 0;) {
    PacketSlot& s = slots_[i];
    s.index = i;
    s.storage = {arena_.get() + size_t{i} * slot_stride_, slot_bytes_};
    free_.push_back(&s);  // reversed so that slot 0 is handed out first
  }
  free_large_.reserve(large_count_);
  for (uint32_t i = large_count_; i-- > 0;) free_large_.push_back(i);
  returns_.reserve(workers);
  for (uint32_t w = 0; w < workers; ++w) {
    returns_.push_back(std::make_unique<SpscRing<PacketSlot*>>(slot_count_));
  }
}

Result<std::unique_ptr<PacketPool>> PacketPool::Create(const CaptureConfig& config,
                                                       uint32_t workers) {
  VIGIL_CHECK_OK(config.ValidateHandoff());
  if (workers == 0 || workers > kMaxWorkers) {
    return Error(ErrorCode::kInvalidArgument,
                 "packet pool: workers must be in [1, " + std::to_string(kMaxWorkers) + "]");
  }
  return std::unique_ptr<PacketPool>(new PacketPool(config, workers));
}

PacketSlot* PacketPool::Acquire() {
  if (free_.empty() && Reclaim() == 0) return nullptr;
  PacketSlot* s = free_.back();
  free_.pop_back();
  return s;
}

bool PacketPool::AttachLarge(PacketSlot& slot) {
  if (!slot.large.empty()) return true;
  if (free_large_.empty()) {
    Reclaim();
    if (free_large_.empty()) return false;
  }
  const uint32_t i = free_large_.back();
  free_large_.pop_back();
  slot.large_index = i;
  slot.large = {large_arena_.get() + size_t{i} * large_bytes_, large_bytes_};
  return true;
}

void PacketPool::PutBack(PacketSlot* slot) {
  if (slot->large_index != PacketSlot::kNoLarge) {
    free_large_.push_back(slot->large_index);
    slot->large_index = PacketSlot::kNoLarge;
    slot->large = {};
  }
  free_.push_back(slot);
}

void PacketPool::Recycle(PacketSlot* slot) { PutBack(slot); }

size_t PacketPool::Reclaim() {
  std::array<PacketSlot*, kReclaimBatch> batch;
  size_t total = 0;
  for (auto& ring : returns_) {
    size_t n;
    while ((n = ring->PopBatch(batch)) > 0) {
      for (size_t i = 0; i < n; ++i) PutBack(batch[i]);
      total += n;
    }
  }
  return total;
}

void PacketPool::Release(uint32_t worker, PacketSlot* slot) {
  // Cannot fail: the ring holds pool_slots entries and at most that many slots exist.
  [[maybe_unused]] const bool ok = returns_[worker]->TryPush(slot);
  assert(ok);
}

}  // namespace vigil::sensor
