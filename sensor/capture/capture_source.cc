#include "sensor/capture/capture_source.h"

#include <cstring>

namespace vigil::sensor {

const char* ReadStatusName(ReadStatus s) {
  switch (s) {
    case ReadStatus::kPacket: return "packet";
    case ReadStatus::kTimeout: return "timeout";
    case ReadStatus::kFileError: return "file error";
    case ReadStatus::kSlotTooSmall: return "slot too small";
    case ReadStatus::kEnd: return "end";
  }
  return "unknown";
}

Result<ReadStatus> CaptureSource::Next(PacketSlot& slot) {
  if (!has_pending_) {
    VIGIL_TRY(ReadStatus st, Read(pending_));
    if (st != ReadStatus::kPacket) return st;
    has_pending_ = true;
  }
  // The frame stays pending (libpcap's buffer untouched: we do not read again) until a slot
  // large enough arrives, so a too-small slot costs a retry, never the packet.
  std::span<uint8_t> buf = slot.buffer();
  if (pending_.caplen > buf.size()) return ReadStatus::kSlotTooSmall;
  has_pending_ = false;
  if (pending_.caplen > 0) std::memcpy(buf.data(), pending_.data, pending_.caplen);
  Packet& p = slot.packet;
  p = Packet{};  // the decoder's fields from the slot's previous trip must not leak through
  p.data = buf.data();
  p.caplen = pending_.caplen;
  p.wirelen = pending_.wirelen;
  p.datalink = pending_.datalink;
  p.ts = pending_.ts;
  p.pcap_cnt = pending_.pcap_cnt;
  return ReadStatus::kPacket;
}

}  // namespace vigil::sensor
