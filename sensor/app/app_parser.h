// AppParser: the interface every per-flow application-layer parser offers to the pipeline.
//
// TCP reassembly delivers, per flow direction, in-order byte chunks, gaps and one end of stream;
// the pipeline forwards them unchanged. A chunk may be split anywhere (even one byte at a time):
// every parser gives the same result whatever the split. A parser object is per flow, holds all
// state between calls, and is reusable: Reset() returns it to the state of a new flow while
// keeping its buffers' capacity, so a flow table can recycle parser objects.
//
//   HttpParser p(ctx);                       // ctx: config + the worker's counters
//   p.OnData(Direction::kToServer, chunk);   // any split
//   p.OnGap(Direction::kToClient, 1448);     // bytes lost
//   p.OnEnd(Direction::kToServer);
//   ... drain results (protocol specific) and p.anomalies() ...
//   p.Reset();                               // flow slot reused
#pragma once

#include <cstdint>
#include <span>

#include "core/event.h"
#include "sensor/app/app_anomaly.h"
#include "sensor/app/app_proto.h"

namespace vigil::sensor {

class AppParser {
 public:
  virtual ~AppParser() = default;
  // Bytes of the stream in direction dir (kToServer or kToClient), in order.
  virtual void OnData(Direction dir, std::span<const uint8_t> bytes) = 0;
  // `length` bytes of the stream in direction dir are missing and will never come.
  virtual void OnGap(Direction dir, uint64_t length) = 0;
  // No more data in direction dir.
  virtual void OnEnd(Direction dir) = 0;
  // Back to the state of a new flow (buffers keep their capacity).
  virtual void Reset() = 0;
  virtual AppProto proto() const = 0;

  // Anomalies recorded since the last Clear(); the pipeline drains them after each call.
  AnomalyLog& anomalies() { return anomalies_; }
  const AnomalyLog& anomalies() const { return anomalies_; }

 protected:
  AnomalyLog anomalies_;
};

// 0 for kToServer, 1 for kToClient (kNone counts as to-server).
inline constexpr int DirIndex(Direction d) { return d == Direction::kToClient ? 1 : 0; }

}  // namespace vigil::sensor
