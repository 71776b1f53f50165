// InspectInput: what the pipeline hands the detection engine for one inspection.
//
// An inspection is one of:
//   kPacket — a packet: pkt_data is its payload; header-only rules, dsize rules, no_stream rules
//             and app-layer buffer rules run here (app buffers of transactions this packet
//             updated go in the same BufferSet);
//   kStream — a chunk of reassembled TCP data in one direction: pkt_data is the StreamWindow's
//             view (tail of the previous chunk + the new bytes); only rules with pkt_data
//             content that are not no_stream run here.
// For TCP flows the pipeline reassembles (`tcp_stream_inspected`), rules on pkt_data are kept
// out of kPacket inspections unless no_stream, so a match is reported once.
//
//   BufferSet bufs;
//   bufs.Set(BufferId::kPacket, {pkt.payload, pkt.payload_len});
//   bufs.Set(BufferId::kHttpUri, tx.uri);
//   InspectInput in{.packet = &pkt, .buffers = &bufs, .flow = &flow.detect, .to_server = true};
//   thread.Inspect(in, &alerts);
//
// BufferSet and FlowDetectState hold no heap memory on the hot path except the flowbit words,
// allocated once per flow the first time a flowbit is set, and the TxScanMemo vectors, grown by
// a slot's first staged transactions and reused (cleared, capacity kept) afterwards.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "rules/signature/mqtt_option.h"
#include "rules/signature/sticky_buffer.h"
#include "sensor/decode/packet.h"
#include "sensor/detect/rate_state.h"
#include "sensor/detect/stream_carry.h"

namespace vigil::sensor {

using rules::BufferId;

// The buffers available to one inspection, indexed by BufferId. Spans point into the caller's
// memory and must stay valid for the call.
class BufferSet {
 public:
  static constexpr size_t kSize = static_cast<size_t>(BufferId::kCount);
  void Set(BufferId id, std::span<const uint8_t> data) {
    size_t i = static_cast<size_t>(id);
    spans_[i] = data;
    if (!present_[i]) {
      present_[i] = true;
      ids_[count_++] = id;
    }
  }
  void Set(BufferId id, std::string_view s) {
    Set(id, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  }
  // A multi-buffer (Suricata's multi-instance buffers: tls.subjectaltname, tls.alpn...): one
  // value per item; a rule's keyword list on it matches when it matches one item. Get() gives
  // the first item. `items` must stay valid for the call; empty: the buffer is absent.
  void SetMulti(BufferId id, std::span<const std::span<const uint8_t>> items) {
    if (items.empty()) return;
    Set(id, items[0]);
    multi_[static_cast<size_t>(id)] = items;
  }
  const std::span<const uint8_t>* Get(BufferId id) const {
    size_t i = static_cast<size_t>(id);
    return present_[i] ? &spans_[i] : nullptr;
  }
  // The items of a multi-buffer with more than one item; empty otherwise (use Get()).
  std::span<const std::span<const uint8_t>> Items(BufferId id) const {
    size_t i = static_cast<size_t>(id);
    return present_[i] && multi_[i].size() > 1 ? multi_[i] : std::span<const std::span<const uint8_t>>();
  }
  bool Has(BufferId id) const { return present_[static_cast<size_t>(id)]; }
  std::span<const BufferId> ids() const { return {ids_.data(), count_}; }
  void Clear() {
    for (size_t k = 0; k < count_; ++k) {
      present_[static_cast<size_t>(ids_[k])] = false;
      multi_[static_cast<size_t>(ids_[k])] = {};
    }
    count_ = 0;
  }

 private:
  std::array<std::span<const uint8_t>, kSize> spans_{};
  std::array<bool, kSize> present_{};
  std::array<std::span<const std::span<const uint8_t>>, kSize> multi_{};
  std::array<BufferId, kSize> ids_{};
  size_t count_ = 0;
};

// Prefilter hits of one app-layer transaction's buffers in one direction, kept between the
// stages at which the pipeline inspects it (HTTP: request headers, then the body; response
// headers, then the body). A later stage offering a buffer with the same bytes (same span and
// bytes hash) takes that buffer's hits from here instead of scanning it again: one Hyperscan
// scan per (transaction, direction, buffer). Filled and read by DetectThread when
// InspectInput::tx_scan_key is set; valid only for the same engine and rule groups. Bodies,
// pkt_data, multi-buffers and buffers taken from the packet are never kept (scanned each time).
struct TxScanMemo {
  struct Entry {
    BufferId buffer;
    const uint8_t* data;
    size_t size;
    size_t hash;  // of the bytes: a buffer rebuilt in place with other bytes is scanned again
  };
  uint64_t key = 0;                  // InspectInput::tx_scan_key it belongs to; 0: empty
  const void* engine = nullptr;      // the DetectEngine whose databases found the hits
  uint32_t groups[3] = {0, 0, 0};    // the rule groups those scans used
  std::vector<Entry> scanned;        // buffers scanned for this transaction and direction
  std::vector<std::pair<BufferId, uint32_t>> hits;  // (buffer, rule index) found in them
  void Clear() {
    key = 0;
    engine = nullptr;
    scanned.clear();
    hits.clear();
  }
};

// Detection state the pipeline keeps per flow (both directions): flowbits, flowints, by_flow
// threshold counts and the pass flag. Flowbit and flowint names are interned to ids at load (DetectEngine::
// flowbit_count(), flowint_count()).
struct FlowDetectState {
  std::vector<uint64_t> bits;  // sized on the first set
  // flowint values by id; ints_set marks which are set. Sized on the first change.
  std::vector<uint32_t> ints;
  std::vector<uint8_t> ints_set;
  // Threshold / detection_filter state of rules tracked by_flow: (threshold id, state).
  std::vector<std::pair<uint32_t, RateState>> rates;
  bool pass = false;           // a pass rule matched with flow scope: no more alerts on this flow
  TxScanMemo scan_memo[2];     // [0] to_server, [1] to_client (InspectInput::tx_scan_key)

  bool IntIsSet(uint32_t id) const { return id < ints_set.size() && ints_set[id]; }
  uint32_t Int(uint32_t id) const { return IntIsSet(id) ? ints[id] : 0; }
  RateState& Rate(uint32_t id) {
    for (auto& [k, st] : rates)
      if (k == id) return st;
    rates.emplace_back(id, RateState{});
    return rates.back().second;
  }
  void SetInt(uint32_t id, uint32_t v) {
    if (id >= ints.size()) {
      ints.resize(id + 1, 0);
      ints_set.resize(id + 1, 0);
    }
    ints[id] = v;
    ints_set[id] = 1;
  }

  bool IsSet(uint32_t id) const {
    size_t w = id / 64;
    return w < bits.size() && ((bits[w] >> (id % 64)) & 1u);
  }
  void Set(uint32_t id, bool on) {
    size_t w = id / 64;
    if (w >= bits.size()) {
      if (!on) return;
      bits.resize(w + 1, 0);
    }
    if (on) bits[w] |= uint64_t{1} << (id % 64);
    else bits[w] &= ~(uint64_t{1} << (id % 64));
  }
};

enum class InspectKind : uint8_t { kPacket, kStream };

struct InspectInput {
  // The packet being processed (for kStream: the packet whose data advanced the stream). Gives
  // addresses, ports, protocol, header fields, timestamp and pcap_cnt.
  const Packet* packet = nullptr;
  const BufferSet* buffers = nullptr;
  FlowDetectState* flow = nullptr;  // null: no flow (flowbits never set, flow:established fails)
  InspectKind kind = InspectKind::kPacket;
  bool to_server = true;             // direction of this packet within its flow
  bool established = false;          // TCP handshake completed / UDP seen both ways
  bool tcp_stream_inspected = false; // the pipeline inspects this TCP flow's stream (kStream calls)
  std::string_view app_proto;        // detected app-layer protocol ("http", "tls", "dns"...), or ""
  // App-layer events (Suricata's app-layer-event names, "dns.z_flag_set") raised on the
  // transaction being inspected, plus the parser's events raised by this packet's data. Points
  // into the caller's memory; empty when none.
  std::span<const std::string_view> app_events;
  // The DNS message being inspected: its header opcode (dns.opcode); -1 when none.
  int16_t dns_opcode = -1;
  // The MQTT transaction being inspected (mqtt.type, mqtt.flags, ... rules); null otherwise,
  // and then those rules do not match.
  const rules::MqttTxFacts* mqtt = nullptr;
  // kStream: bytes at the start of pkt_data already inspected in the previous chunk
  // (StreamView::new_offset). A stream match must end past them, so it is reported once.
  uint32_t stream_new_offset = 0;
  // kStream: the direction's carried candidates and the absolute stream offset of pkt_data[0]
  // (StreamWindow::carry(), StreamView::base). With a carry, the untransformed pkt_data
  // databases scan only the new bytes plus the longest literal's overlap and earlier scans'
  // candidates are added from the carry; null: the whole window is scanned.
  StreamCarry* stream_carry = nullptr;
  uint64_t stream_base = 0;
  // kPacket on a stream-inspected TCP flow: DetectThread::stream_scan_id() of the stream
  // inspection whose new bytes were exactly this packet's payload (the only chunk its
  // processing delivered), else 0. The packet-only rules' candidates then come from that scan
  // instead of scanning the payload again.
  uint64_t stream_scan_id = 0;
  // Non-zero: the app-layer transaction this inspection belongs to (unique within the flow),
  // inspected in stages. Buffers scanned at an earlier stage of it in the same direction, with
  // the same bytes, are not scanned again: their prefilter hits come from the flow's
  // TxScanMemo. The pipeline clears the memos when the flow's slot is reused or rules reload.
  uint64_t tx_scan_key = 0;
  // TCP stream sizes for `stream_size` (bytes sent so far by the client and by the server, as
  // Suricata's next_seq - isn); -1 when the pipeline does not track them, and then stream_size
  // rules do not match.
  int64_t client_stream_bytes = -1;
  int64_t server_stream_bytes = -1;
};

}  // namespace vigil::sensor
