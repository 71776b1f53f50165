#include "sensor/app/mqtt/mqtt_parser.h"

#include <algorithm>

namespace vigil::sensor {
namespace {

// Suricata's pseudo message id of the CONNECT transaction waiting for its CONNACK (real ids are
// 16-bit, so it cannot collide).
constexpr uint32_t kConnectPktId = 0xffffffffu;

}  // namespace

MqttParser::MqttParser(const MqttConfig& cfg, const AppCounters* counters)
    : cfg_(cfg), counters_(counters) {
  anomalies_.set_capacity(cfg.max_pending_anomalies);
}

void MqttParser::Reset() {
  for (DirState& d : dirs_) {
    d.buf.clear();
    d.skip = 0;
    d.dead = false;
  }
  txs_.clear();
  next_id_ = 0;
  protocol_version_ = 0;
  connected_ = false;
  stats_ = MqttStats{};
  anomalies_.Reset();
}

void MqttParser::Raise(MqttTransaction& t, MqttEvent e, Direction dir) {
  t.events |= 1u << static_cast<unsigned>(e);
  t.updated = true;
  if (!anomalies_.Push(AppAnomaly{MqttEventName(e), dir, t.id})) {
    Count(counters_, AppCounter::kAnomaliesDropped);
  }
}

MqttTransaction& MqttParser::NewTx(Direction dir, MqttMessage&& m) {
  // Too many open transactions: the oldest incomplete one is closed (Suricata's max-tx).
  if (txs_.size() >= cfg_.max_tx) {
    for (MqttTransaction& old : txs_) {
      if (old.complete) continue;
      old.complete = true;
      old.has_pkt_id = false;
      Raise(old, MqttEvent::kTooManyTransactions, dir);
      break;
    }
  }
  MqttTransaction& t = txs_.emplace_back();
  t.id = next_id_++;
  t.to_server = dir != Direction::kToClient;
  t.protocol_version = protocol_version_;
  t.msgs.push_back(std::move(m));
  ++stats_.transactions;
  return t;
}

MqttTransaction* MqttParser::OpenTxFor(uint32_t pkt_id) {
  for (MqttTransaction& t : txs_) {
    if (!t.complete && t.has_pkt_id && t.pkt_id == pkt_id) return &t;
  }
  return nullptr;
}

void MqttParser::Handle(Direction dir, MqttMessage&& m) {
  ++stats_.messages;
  const uint8_t type = m.hdr.type;
  const uint8_t qos = m.hdr.qos;
  if (m.truncated) {
    ++stats_.truncated;
    NewTx(dir, std::move(m)).complete = true;
    return;
  }
  // Joins the open transaction waiting for `id`, completing it when `completes`; else a
  // transaction of its own with `missing`.
  auto ack = [&](uint32_t id, bool completes, MqttEvent missing) {
    if (MqttTransaction* t = OpenTxFor(id)) {
      t->msgs.push_back(std::move(m));
      t->updated = true;
      t->protocol_version = protocol_version_;
      if (completes) {
        t->complete = true;
        t->has_pkt_id = false;
      }
      return t;
    }
    MqttTransaction& t = NewTx(dir, std::move(m));
    t.complete = true;
    Raise(t, missing, dir);
    if (!connected_) Raise(t, MqttEvent::kUnintroducedMessage, dir);
    return &t;
  };
  switch (type) {
    case kMqttConnect: {
      protocol_version_ = m.protocol_version;
      MqttTransaction& t = NewTx(dir, std::move(m));
      t.protocol_version = protocol_version_;
      t.has_pkt_id = true;
      t.pkt_id = kConnectPktId;
      if (connected_) Raise(t, MqttEvent::kDoubleConnect, dir);
      return;
    }
    case kMqttPublish: case kMqttSubscribe: case kMqttUnsubscribe: {
      const std::optional<uint16_t> id = m.message_id;
      MqttTransaction& t = NewTx(dir, std::move(m));
      if (qos == 0) {
        t.complete = true;
      } else if (qos <= 2) {
        if (id) {
          t.has_pkt_id = true;
          t.pkt_id = *id;
        } else {
          Raise(t, MqttEvent::kMissingMsgId, dir);
        }
      } else {
        Raise(t, MqttEvent::kInvalidQosLevel, dir);
      }
      if (!connected_) Raise(t, MqttEvent::kUnintroducedMessage, dir);
      return;
    }
    case kMqttConnack: {
      if (MqttTransaction* t = OpenTxFor(kConnectPktId)) {
        t->msgs.push_back(std::move(m));
        t->updated = true;
        t->complete = true;
        t->has_pkt_id = false;
        connected_ = true;
        return;
      }
      MqttTransaction& t = NewTx(dir, std::move(m));
      t.complete = true;
      Raise(t, MqttEvent::kMissingConnect, dir);
      return;
    }
    case kMqttPubrec: case kMqttPubrel:
      ack(m.message_id.value_or(0), false, MqttEvent::kMissingPublish);
      return;
    case kMqttPuback: case kMqttPubcomp:
      ack(m.message_id.value_or(0), true, MqttEvent::kMissingPublish);
      return;
    case kMqttSuback:
      ack(m.message_id.value_or(0), true, MqttEvent::kMissingSubscribe);
      return;
    case kMqttUnsuback:
      ack(m.message_id.value_or(0), true, MqttEvent::kMissingUnsubscribe);
      return;
    case kMqttUnassigned: {
      MqttTransaction& t = NewTx(dir, std::move(m));
      t.complete = true;
      Raise(t, MqttEvent::kUnassignedMsgType, dir);
      return;
    }
    default: {  // AUTH, DISCONNECT, PINGREQ, PINGRESP
      MqttTransaction& t = NewTx(dir, std::move(m));
      t.complete = true;
      if (!connected_) Raise(t, MqttEvent::kUnintroducedMessage, dir);
      return;
    }
  }
}

size_t MqttParser::Consume(Direction dir, std::span<const uint8_t> in) {
  DirState& d = dirs_[DirIndex(dir)];
  size_t used = 0;
  while (used < in.size() && !d.dead) {
    std::span<const uint8_t> cur = in.subspan(used);
    MqttFixedHeader h;
    size_t hlen = 0;
    const MqttHeaderResult hr = ParseMqttFixedHeader(cur, &h, &hlen);
    if (hr == MqttHeaderResult::kNeedMore) break;
    MqttMessage m;
    if (hr == MqttHeaderResult::kOk && h.remaining_length > cfg_.max_msg_length) {
      // Too large: keep the header only and skip the rest unbuffered.
      m.hdr = h;
      m.truncated = true;
      const uint64_t total = hlen + uint64_t{h.remaining_length};
      const size_t here = static_cast<size_t>(std::min<uint64_t>(total, cur.size()));
      d.skip = total - here;
      used += here;
      Handle(dir, std::move(m));
      continue;
    }
    if (hr == MqttHeaderResult::kOk && cur.size() < hlen + h.remaining_length) break;
    if (hr == MqttHeaderResult::kError ||
        !ParseMqttBody(h, cur.subspan(hlen, h.remaining_length), protocol_version_, m)) {
      // Suricata raises the event on a transaction of its own, and the parser error ends
      // app-layer parsing of the flow (both directions).
      ++stats_.malformed;
      for (DirState& other : dirs_) {
        other.dead = true;
        other.buf.clear();
        other.skip = 0;
      }
      MqttTransaction& t = txs_.emplace_back();
      t.id = next_id_++;
      t.to_server = dir != Direction::kToClient;
      t.complete = true;
      t.protocol_version = protocol_version_;
      ++stats_.transactions;
      Raise(t, MqttEvent::kMalformedTraffic, dir);
      return in.size();
    }
    used += hlen + h.remaining_length;
    Handle(dir, std::move(m));
  }
  return used;
}

void MqttParser::OnData(Direction dir, std::span<const uint8_t> bytes) {
  DirState& d = dirs_[DirIndex(dir)];
  while (!bytes.empty() && !d.dead) {
    if (d.skip > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(d.skip, bytes.size()));
      d.skip -= n;
      bytes = bytes.subspan(n);
      continue;
    }
    if (d.buf.empty()) {
      // Parse in place; keep only an unfinished tail.
      const size_t used = Consume(dir, bytes);
      if (d.dead) return;
      bytes = bytes.subspan(used);
      if (d.skip > 0) continue;
      d.buf.assign(bytes.begin(), bytes.end());
      return;
    }
    // A message split across chunks: append what it needs (bounded by max_msg_length + 5).
    d.buf.insert(d.buf.end(), bytes.begin(), bytes.end());
    bytes = {};
    const size_t used = Consume(dir, d.buf);
    if (d.dead) return;
    if (d.skip > 0) {
      // A truncated message began in the buffer: what follows its header is skipped. The
      // buffer's bytes past `used` belong to that message too (Consume counted them).
      d.buf.clear();
      return;
    }
    d.buf.erase(d.buf.begin(), d.buf.begin() + static_cast<ptrdiff_t>(used));
  }
}

void MqttParser::OnGap(Direction dir, uint64_t length) {
  (void)length;
  DirState& d = dirs_[DirIndex(dir)];
  // Message boundaries are lost with the bytes.
  d.dead = true;
  d.buf.clear();
  d.skip = 0;
}

void MqttParser::OnEnd(Direction dir) {
  DirState& d = dirs_[DirIndex(dir)];
  d.buf.clear();
  d.skip = 0;
}

}  // namespace vigil::sensor
