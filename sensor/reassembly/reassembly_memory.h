// ReassemblyMemory: one worker's pool of fixed-size buffers for stream bytes that cannot be
// delivered yet (out of order) or are kept to check retransmissions against.
//
// One per worker thread, shared by all of that worker's TcpSessions through their
// StreamContext; never shared between threads. The pool grows in slabs up to the memcap and never
// shrinks, so a worker in steady state allocates nothing: freed chunks go to a free list and are
// reused. Alloc() returns nullptr at the memcap; the caller drops the bytes and counts the drop.
// It must outlive every session that uses it.
//
//   ReassemblyMemory mem(cfg);
//   Chunk* c = mem.Alloc(ChunkUse::kOutOfOrder);   // nullptr at the memcap
//   ...
//   mem.Free(c);
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sensor/reassembly/reassembly_config.h"

namespace vigil::sensor {

// One pool buffer holding stream bytes [offset, offset + len) at data + start.
struct Chunk {
  uint64_t offset = 0;  // stream offset of the first valid byte
  uint32_t start = 0;   // index of the first valid byte in data
  uint32_t len = 0;     // valid bytes
  Chunk* next = nullptr;
  uint8_t* data = nullptr;  // chunk_size bytes owned by the pool

  uint64_t end() const { return offset + len; }
  const uint8_t* bytes() const { return data + start; }
  uint8_t* bytes() { return data + start; }
};

enum class ChunkUse : uint8_t {
  kOutOfOrder,  // bytes that cannot be delivered yet: may use the whole memcap
  kRetain,      // delivered bytes kept for overlap checks: only while the pool is under 3/4
                // full, so that they never starve out-of-order data
};

class ReassemblyMemory {
 public:
  explicit ReassemblyMemory(const ReassemblyConfig& config);
  ReassemblyMemory(uint64_t memcap, uint32_t chunk_size);
  ReassemblyMemory(const ReassemblyMemory&) = delete;
  ReassemblyMemory& operator=(const ReassemblyMemory&) = delete;

  Chunk* Alloc(ChunkUse use);
  void Free(Chunk* c);

  uint32_t chunk_size() const { return chunk_size_; }
  uint64_t memcap() const { return max_chunks_ * chunk_size_; }
  uint64_t used_bytes() const { return in_use_ * chunk_size_; }
  uint64_t reserved_bytes() const { return total_chunks_ * chunk_size_; }
  uint64_t chunks_in_use() const { return in_use_; }

 private:
  static constexpr uint32_t kSlabChunks = 64;
  bool Grow();

  struct Slab {
    std::unique_ptr<Chunk[]> chunks;
    std::unique_ptr<uint8_t[]> bytes;
  };
  uint32_t chunk_size_;
  uint64_t max_chunks_;
  uint64_t total_chunks_ = 0;
  uint64_t in_use_ = 0;
  Chunk* free_ = nullptr;
  std::vector<Slab> slabs_;
};

}  // namespace vigil::sensor
