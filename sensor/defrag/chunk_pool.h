// ChunkPool: the defragmenter's only store of memory, a memcap-bounded pool of fixed-size chunks
// that link into chains.
//
// Trackers, fragment records and fragment bytes all live in chunks, so one number (the memcap)
// bounds everything the defragmenter holds, and a fragment flood can exhaust the pool but never
// the process. The backing arrays are reserved once for the whole memcap (address space only: the
// OS commits a page when a chunk on it is first used), so the pool never reallocates and handling
// a fragment never calls the allocator once the pool has warmed up.
//
//   ChunkPool pool(32 << 20);
//   uint32_t head = pool.AllocChain(ChunkPool::ChunksFor(skip, len));  // kNone: pool exhausted
//   pool.Write(head, skip, data, len);
//   pool.FreeChain(head);
//
// A chain is addressed by the index of its first chunk. "skip" reserves bytes at the start of the
// first chunk for a small record header (placed there with As<T>()); the byte helpers address the
// payload as one logical array that starts after them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <type_traits>
#include <vector>

namespace vigil::sensor {

class ChunkPool {
 public:
  static constexpr uint32_t kChunkSize = 256;
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  // What one chunk costs against the memcap: its bytes and its link.
  static constexpr size_t kBytesPerChunk = kChunkSize + sizeof(uint32_t);

  explicit ChunkPool(size_t memcap);
  ChunkPool(const ChunkPool&) = delete;
  ChunkPool& operator=(const ChunkPool&) = delete;

  uint32_t capacity() const { return capacity_; }
  uint32_t in_use() const { return in_use_; }
  uint32_t available() const { return capacity_ - in_use_; }
  size_t memuse() const { return static_cast<size_t>(in_use_) * kBytesPerChunk; }

  // Chunks needed for `len` payload bytes after `skip` header bytes (at least one).
  static uint32_t ChunksFor(size_t skip, size_t len) {
    size_t n = (skip + len + kChunkSize - 1) / kChunkSize;
    return n == 0 ? 1 : static_cast<uint32_t>(n);
  }

  // A chain of n >= 1 linked chunks, or kNone (nothing taken) when fewer than n are available.
  uint32_t AllocChain(uint32_t n);
  // Returns every chunk of the chain to the pool.
  void FreeChain(uint32_t head);

  uint32_t next(uint32_t chunk) const { return next_[chunk]; }

  // The record of type T at the start of a chunk. T must fit and be trivially copyable;
  // Construct<T>() begins its lifetime when the chunk is (re)used for a T.
  template <typename T>
  T& Construct(uint32_t chunk) {
    static_assert(sizeof(T) <= kChunkSize && std::is_trivially_copyable_v<T>);
    return *new (chunks_[chunk].bytes) T{};
  }
  template <typename T>
  T& As(uint32_t chunk) {
    return *std::launder(reinterpret_cast<T*>(chunks_[chunk].bytes));
  }
  template <typename T>
  const T& As(uint32_t chunk) const {
    return *std::launder(reinterpret_cast<const T*>(chunks_[chunk].bytes));
  }

  // Payload helpers over a chain; the payload starts `skip` bytes into the first chunk. Callers
  // keep [from, from + len) inside what the chain was sized for.
  void Write(uint32_t head, size_t skip, const uint8_t* src, size_t len);
  void Read(uint32_t head, size_t skip, size_t from, uint8_t* dst, size_t len) const;
  bool Equal(uint32_t head, size_t skip, size_t from, const uint8_t* other, size_t len) const;

 private:
  struct alignas(8) Chunk {
    unsigned char bytes[kChunkSize];
  };
  // Calls f(chunk_bytes, n) for each contiguous piece of [from, from + len) in order; f returns
  // false to stop early.
  template <typename F>
  bool Visit(uint32_t head, size_t skip, size_t from, size_t len, F&& f) const;

  uint32_t capacity_ = 0;
  uint32_t in_use_ = 0;
  uint32_t free_head_ = kNone;
  std::vector<Chunk> chunks_;     // reserved for capacity_, grown (never reallocated) on demand
  std::vector<uint32_t> next_;    // chain links, parallel to chunks_
};

}  // namespace vigil::sensor
