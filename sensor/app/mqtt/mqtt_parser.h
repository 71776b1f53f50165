// MqttParser: the per-flow MQTT parser: message framing over the reassembled TCP stream, the
// session (protocol version, connected) and Suricata's transaction model.
//
// Each direction is a sequence of messages split anywhere across chunks; bytes of an
// unfinished message are buffered (at most max_msg_length plus its header). A message whose
// remaining length is over max_msg_length is skipped unbuffered and kept as a truncated
// message. A message that does not decode raises mqtt.malformed_traffic (on a transaction of
// its own) and ends parsing of the flow (Suricata's parser error); a gap ends parsing of its
// direction (message boundaries are lost).
//
// Transactions (as Suricata's MQTT parser): CONNECT opens one that its CONNACK completes;
// PUBLISH with QoS 1/2, SUBSCRIBE and UNSUBSCRIBE (QoS > 0) wait for the acknowledgement with
// the same message id (PUBACK/PUBCOMP, SUBACK, UNSUBACK; PUBREC/PUBREL join it); every other
// message is a transaction of its own. Anomalies are bits of the transaction they concern and
// are also recorded in anomalies() for the EVE anomaly event.
//
//   MqttParser mqtt(cfg.mqtt, &counters);
//   mqtt.OnData(Direction::kToServer, bytes);
//   mqtt.ForEachUpdated([&](MqttTransaction& tx) { Inspect(tx); });
//   mqtt.DrainCompleted([&](const MqttTransaction& tx) { Log(tx); });
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/event.h"
#include "sensor/app/app_counters.h"
#include "sensor/app/app_parser.h"
#include "sensor/app/mqtt/mqtt_config.h"
#include "sensor/app/mqtt/mqtt_event.h"
#include "sensor/app/mqtt/mqtt_message.h"

namespace vigil::sensor {

struct MqttTransaction {
  uint64_t id = 0;                 // 0-based, in order of creation (EVE tx_id)
  std::vector<MqttMessage> msgs;   // in order seen; empty for a malformed-traffic transaction
  uint32_t events = 0;             // bit (1 << MqttEvent)
  bool complete = false;
  bool to_server = false;          // direction of the message that opened it
  bool updated = true;             // changed since the consumer last inspected it
  bool has_pkt_id = false;         // waiting for the acknowledgement of pkt_id
  uint32_t pkt_id = 0;
  uint8_t protocol_version = 0;    // the session's, when the transaction last changed

  bool Has(MqttEvent e) const { return (events >> static_cast<unsigned>(e)) & 1u; }
};

// Per-flow counts (tests, summaries).
struct MqttStats {
  uint64_t messages = 0;
  uint64_t truncated = 0;
  uint64_t malformed = 0;
  uint64_t transactions = 0;
};

class MqttParser final : public AppParser {
 public:
  // `cfg` and `counters` must outlive the parser; counters may be null.
  MqttParser(const MqttConfig& cfg, const AppCounters* counters);

  void OnData(Direction dir, std::span<const uint8_t> bytes) override;
  void OnGap(Direction dir, uint64_t length) override;
  void OnEnd(Direction dir) override;
  void Reset() override;
  AppProto proto() const override { return AppProto::kMqtt; }

  // Transactions not drained yet, oldest first.
  size_t tx_count() const { return txs_.size(); }
  const MqttTransaction& tx(size_t i) const { return txs_[i]; }
  // Calls f on every transaction changed since the last call, then marks it seen.
  template <typename F>
  void ForEachUpdated(F&& f) {
    for (MqttTransaction& t : txs_) {
      if (!t.updated) continue;
      t.updated = false;
      f(static_cast<const MqttTransaction&>(t));
    }
  }
  // Calls f on each complete (or, with all, every) transaction already seen by
  // ForEachUpdated, then forgets them. Returns how many.
  template <typename F>
  size_t DrainCompleted(F&& f, bool all = false) {
    auto done = [all](const MqttTransaction& t) { return all || (t.complete && !t.updated); };
    for (const MqttTransaction& t : txs_) {
      if (done(t)) f(t);
    }
    return std::erase_if(txs_, done);
  }
  uint8_t protocol_version() const { return protocol_version_; }
  bool connected() const { return connected_; }
  bool abandoned(Direction dir) const { return dirs_[DirIndex(dir)].dead; }
  const MqttStats& stats() const { return stats_; }

 private:
  struct DirState {
    std::vector<uint8_t> buf;  // bytes of an unfinished message
    uint64_t skip = 0;         // bytes of a truncated message still to skip
    bool dead = false;
  };

  // Consumes whole messages at the start of `in`; returns the bytes used.
  size_t Consume(Direction dir, std::span<const uint8_t> in);
  void Handle(Direction dir, MqttMessage&& m);
  MqttTransaction& NewTx(Direction dir, MqttMessage&& m);
  MqttTransaction* OpenTxFor(uint32_t pkt_id);
  void Raise(MqttTransaction& t, MqttEvent e, Direction dir);

  const MqttConfig& cfg_;
  const AppCounters* counters_;
  DirState dirs_[2];
  std::vector<MqttTransaction> txs_;
  uint64_t next_id_ = 0;
  uint8_t protocol_version_ = 0;
  bool connected_ = false;
  MqttStats stats_;
};

}  // namespace vigil::sensor
