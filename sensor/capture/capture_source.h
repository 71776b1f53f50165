// CaptureSource: where frames come from — pcap files (OfflineSource) or an interface
// (LiveSource). The reader thread owns a source and is the only thread that calls it, except
// Breakloop(), which any thread or a signal handler may call to stop a blocked read.
//
// Two ways to read:
//   * Read(Frame&): zero-copy; the frame points into libpcap's buffer and is valid only until the
//     next Read()/Next(). For single-threaded use (benchmarks, tools).
//   * Next(PacketSlot&): reads a frame and copies it into the slot, filling the Packet's raw
//     fields (data, caplen, wirelen, datalink, ts, pcap_cnt). If the frame is larger than the
//     slot it returns kSlotTooSmall and keeps the frame pending: attach a bigger buffer
//     (PacketPool::AttachLarge) and call Next() again; nothing is lost or truncated.
//
//   PacketSlot* slot = pool.Acquire();
//   auto st = source.Next(*slot);
//   if (st && *st == ReadStatus::kSlotTooSmall && pool.AttachLarge(*slot)) st = source.Next(*slot);
//
// Statuses (a failed Result is fatal for the source; the non-fatal ones are ReadStatus values):
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "core/time.h"
#include "sensor/capture/packet_slot.h"

namespace vigil::sensor {

enum class ReadStatus {
  kPacket,        // a frame was read
  kTimeout,       // live: no frame within the read timeout; call again (do housekeeping first)
  kFileError,     // offline: the current file failed (unreadable, truncated, corrupt);
                  // last_error() names it; the next call continues with the next file
  kSlotTooSmall,  // Next() only: the pending frame needs pending_caplen() bytes
  kEnd,           // all input read, or Breakloop() was called
};

const char* ReadStatusName(ReadStatus s);

// A frame as libpcap returned it (zero-copy view).
struct Frame {
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;
  uint32_t wirelen = 0;
  int datalink = 0;
  Timestamp ts;
  uint64_t pcap_cnt = 0;  // 1-based, in read order across all files of a run
};

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  CaptureSource() = default;
  CaptureSource(const CaptureSource&) = delete;
  CaptureSource& operator=(const CaptureSource&) = delete;

  // Zero-copy read of the next frame (see the header comment).
  [[nodiscard]] virtual Result<ReadStatus> Read(Frame& frame) = 0;

  // Reads the next frame (or the pending one) and copies it into `slot`.
  [[nodiscard]] Result<ReadStatus> Next(PacketSlot& slot);

  // Makes the current or next read return kEnd promptly. Thread- and async-signal-safe.
  virtual void Breakloop() = 0;

  // The last non-fatal error (kFileError); empty message when there was none.
  const Error& last_error() const { return last_error_; }
  // Bytes the pending frame needs after kSlotTooSmall; 0 when nothing is pending.
  uint32_t pending_caplen() const { return has_pending_ ? pending_.caplen : 0; }
  // "offline: 3 files" / "live: eth0", for logs.
  virtual std::string Describe() const = 0;

 protected:
  Error last_error_{ErrorCode::kIo, ""};

 private:
  Frame pending_;
  bool has_pending_ = false;
};

}  // namespace vigil::sensor
