// StreamSink: where a TcpSession delivers reassembled stream bytes, gaps, ends and anomalies.
//
// The app-layer / detection stage implements it. For each direction the session guarantees:
// OnData and OnGap calls cover the stream in strictly increasing, contiguous offsets (offset 0 is
// the byte after the ISN, or the first byte picked up midstream); every byte is delivered at most
// once and never after OnEnd; OnEnd comes at most once per direction and last. The span passed to
// OnData is valid only during the call (it points into the packet or a pool buffer).
//
// Calls happen synchronously inside TcpSession::OnPacket / Flush; a sink must not call back into
// the same session from them.
//
//   struct Collector : StreamSink {
//     void OnData(StreamDirection d, std::span<const uint8_t> b, uint64_t off) override {...}
//     void OnGap(StreamDirection d, uint64_t off, uint64_t len) override {...}
//     void OnEnd(StreamDirection d, EndReason r) override {...}
//   };
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "sensor/reassembly/stream_event.h"

namespace vigil::sensor {

// Direction of a packet within its flow, as the flow table decided it (the flow's initiator is
// the client). Named apart from any flow-level type so the two headers can be included together.
enum class StreamDirection : uint8_t { kToServer = 0, kToClient = 1 };

inline constexpr StreamDirection Opposite(StreamDirection d) {
  return d == StreamDirection::kToServer ? StreamDirection::kToClient : StreamDirection::kToServer;
}

enum class EndReason : uint8_t {
  kFin,    // the sender's FIN was reached: every byte before it was delivered or gapped
  kRst,    // the session was reset; undelivered data was flushed with gaps first
  kFlush,  // TcpSession::Flush (flow timeout, eviction, end of an offline run)
  kDepth,  // the stream depth was reached; nothing more will be delivered
};

std::string_view EndReasonName(EndReason r);

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Bytes [offset, offset + bytes.size()) of the stream in direction dir.
  virtual void OnData(StreamDirection dir, std::span<const uint8_t> bytes, uint64_t offset) = 0;
  // Bytes [offset, offset + length) are missing and will never be delivered.
  virtual void OnGap(StreamDirection dir, uint64_t offset, uint64_t length) = 0;
  // No more data in this direction.
  virtual void OnEnd(StreamDirection dir, EndReason reason) = 0;
  // An anomaly seen while processing the current packet (already counted).
  virtual void OnEvent(StreamDirection dir, StreamEvent event) {
    (void)dir;
    (void)event;
  }
};

}  // namespace vigil::sensor
