// PacketSlot: one preallocated packet buffer that carries a frame from the reader to a worker.
//
// libpcap reuses its buffer on the next read, and the packet crosses to another thread, so the
// reader copies each frame into a slot. A slot owns nothing: its `storage` lives in the
// PacketPool's arena (slot_bytes each); a frame larger than that borrows an overflow buffer
// (`large`, snaplen bytes) from the pool for the slot's trip. After CaptureSource::Next() the
// slot's `packet` raw fields are set and packet.data points into buffer().
//
// A slot is touched by one thread at a time: the reader fills it, the ring hands it over (the
// ring's release/acquire orders the bytes), the worker reads it and returns it to the pool.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

#include "sensor/decode/packet.h"

namespace vigil::sensor {

struct PacketSlot {
  static constexpr uint32_t kNoLarge = std::numeric_limits<uint32_t>::max();

  Packet packet;
  std::span<uint8_t> storage;       // the slot's own bytes
  std::span<uint8_t> large;         // borrowed overflow buffer, or empty
  uint32_t index = 0;               // position in the owning pool
  uint32_t large_index = kNoLarge;  // which overflow buffer is borrowed

  // Where the frame bytes go: the overflow buffer when one is attached.
  std::span<uint8_t> buffer() const { return large.empty() ? storage : large; }
  uint32_t capacity() const { return static_cast<uint32_t>(buffer().size()); }
};

}  // namespace vigil::sensor
