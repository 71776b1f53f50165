// PacketIngest: what the reading thread does to every frame before a worker sees it — decode,
// and hand IP fragments to the defragmenter. Runs on the single thread in runmode single, and on
// the reader thread in runmode workers (so a reassembled datagram can be dispatched by its own
// flow hash to the worker that owns its flow; fragments themselves never reach a worker).
//
//   std::span<const uint8_t> dg;
//   switch (ingest.Process(pkt, &dg)) {
//     case IngestOutcome::kDeliver: worker.Handle(pkt); break;
//     case IngestOutcome::kConsumed: break;              // a fragment, held or dropped
//     case IngestOutcome::kReassembled:                   // pkt completed a datagram
//       ingest.DecodeReassembled(pkt, dg, out);           // dg copied where it must live first
//       worker.Handle(out); break;
//   }
//
// A fragment's decode anomalies and the defragmenter's anomalies are reported here; the fragment
// itself then goes to a worker only to be inspected without a flow (Worker::Handle), as Suricata
// inspects fragments (decode-event, ip-only rules). A fragment with a bad checksum is counted and
// not reassembled.
#pragma once

#include <span>

#include "core/counters.h"
#include "sensor/decode/decoder.h"
#include "sensor/defrag/defragmenter.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/sensor_config.h"

namespace vigil::sensor {

enum class IngestOutcome : uint8_t {
  kDeliver,      // a decoded packet (or an undecodable frame) for a worker
  kConsumed,     // an IP fragment: held, dropped or skipped; nothing to deliver
  kReassembled,  // the fragment completed a datagram: see Process's `datagram`
};

class PacketIngest {
 public:
  // `config`, `ids` and `anomalies` must outlive the ingest; `block` is the thread's.
  PacketIngest(const SensorConfig& config, const PipelineCounters& ids, CounterBlock* block,
               AnomalyReporter& anomalies);

  // Decodes p (its capture fields set). On kReassembled, `datagram` views the whole IP packet in
  // the defragmenter's buffer, valid until the next Process() or Sweep().
  IngestOutcome Process(Packet& p, std::span<const uint8_t>* datagram);

  // Fills `out` as the packet carried by `bytes` (a reassembled datagram, wherever it now lives)
  // and decodes it as raw IP: time, pcap_cnt and wire length (tshark's convention: the frame
  // that completed the datagram), VLANs and tunnel come from `last_fragment`.
  void DecodeReassembled(const Packet& last_fragment, std::span<const uint8_t> bytes,
                         Packet& out);

  // Drops datagrams idle past the defrag timeout at `now` (idle live links).
  void Sweep(Timestamp now) { defrag_.Sweep(now); }

 private:
  const PipelineCounters& ids_;
  CounterBlock* block_;
  AnomalyReporter& anomalies_;
  Decoder decoder_;
  Defragmenter defrag_;
};

}  // namespace vigil::sensor
