#include "sensor/reassembly/reassembly_memory.h"

#include <algorithm>

namespace vigil::sensor {

ReassemblyMemory::ReassemblyMemory(const ReassemblyConfig& config)
    : ReassemblyMemory(config.memcap, config.chunk_size) {}

ReassemblyMemory::ReassemblyMemory(uint64_t memcap, uint32_t chunk_size)
    : chunk_size_(std::max<uint32_t>(chunk_size, 1)), max_chunks_(memcap / chunk_size_) {}

bool ReassemblyMemory::Grow() {
  uint64_t n = std::min<uint64_t>(kSlabChunks, max_chunks_ - total_chunks_);
  if (n == 0) return false;
  Slab s;
  s.chunks = std::make_unique<Chunk[]>(n);
  s.bytes = std::make_unique_for_overwrite<uint8_t[]>(n * chunk_size_);
  for (uint64_t i = 0; i < n; ++i) {
    Chunk& c = s.chunks[i];
    c.data = s.bytes.get() + i * chunk_size_;
    c.next = free_;
    free_ = &c;
  }
  total_chunks_ += n;
  slabs_.push_back(std::move(s));
  return true;
}

Chunk* ReassemblyMemory::Alloc(ChunkUse use) {
  if (use == ChunkUse::kRetain && in_use_ * 4 >= max_chunks_ * 3) return nullptr;
  if (free_ == nullptr && !Grow()) return nullptr;
  Chunk* c = free_;
  free_ = c->next;
  c->next = nullptr;
  c->offset = 0;
  c->start = 0;
  c->len = 0;
  ++in_use_;
  return c;
}

void ReassemblyMemory::Free(Chunk* c) {
  c->next = free_;
  free_ = c;
  --in_use_;
}

}  // namespace vigil::sensor
