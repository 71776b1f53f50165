// FeedFuzzFrames: the input format shared by the fuzz targets that drive a whole worker
// (pipeline_fuzz, inspect_fuzz): a sequence of [len:2 BE][time step:1][frame:len] records; each
// frame is decoded and defragmented (PacketIngest) and handled by the Worker, which is finished
// at the end. Frames are copied so ASan sees reads past a frame's end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/time.h"
#include "sensor/decode/packet.h"
#include "sensor/pipeline/packet_ingest.h"
#include "sensor/pipeline/worker.h"

namespace vigil::sensor {

inline void FeedFuzzFrames(const uint8_t* data, size_t size, int datalink, int64_t step_ns,
                           PacketIngest& ingest, Worker& worker) {
  size_t pos = 0;
  int64_t now = Timestamp::FromSeconds(1700000000).ns;
  uint64_t cnt = 0;
  Packet p, reassembled;
  std::vector<uint8_t> frame;
  while (pos + 3 <= size) {
    const size_t len = static_cast<size_t>(data[pos] << 8 | data[pos + 1]);
    now += static_cast<int64_t>(data[pos + 2]) * step_ns;
    pos += 3;
    const size_t n = len < size - pos ? len : size - pos;
    frame.assign(data + pos, data + pos + n);
    pos += n;
    p.data = frame.data();
    p.caplen = p.wirelen = static_cast<uint32_t>(n);
    p.datalink = datalink;
    p.ts = Timestamp{now};
    p.pcap_cnt = ++cnt;
    std::span<const uint8_t> dg;
    switch (ingest.Process(p, &dg)) {
      case IngestOutcome::kDeliver: worker.Handle(p); break;
      case IngestOutcome::kReassembled:
        ingest.DecodeReassembled(p, dg, reassembled);
        worker.Handle(reassembled);
        break;
      case IngestOutcome::kConsumed: break;
    }
  }
  worker.Finish(Timestamp{now});
}

}  // namespace vigil::sensor
