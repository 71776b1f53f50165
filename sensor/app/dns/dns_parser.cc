#include "sensor/app/dns/dns_parser.h"

#include <algorithm>

namespace vigil::sensor {

DnsParser::DnsParser(const DnsConfig& cfg, const AppCounters* counters)
    : cfg_(cfg), counters_(counters) {
  anomalies_.set_capacity(cfg_.max_pending_anomalies);
}

void DnsParser::Reset() {
  while (!queue_.empty()) Recycle();
  for (TcpDir& d : tcp_) {
    d.len_have = 0;
    d.msg_len = 0;
    d.buf.clear();
    d.dead = false;
  }
  next_index_ = 0;
  anomalies_.Reset();
}

void DnsParser::Recycle() {
  std::unique_ptr<DnsMessage> m = std::move(queue_.front());
  queue_.pop_front();
  if (free_.size() < 4) free_.push_back(std::move(m));
}

void DnsParser::OnDatagram(Direction dir, std::span<const uint8_t> payload) {
  HandleMessage(dir, payload, false);
}

void DnsParser::HandleMessage(Direction dir, std::span<const uint8_t> bytes, bool tcp) {
  if (!scratch_) {
    if (!free_.empty()) {
      scratch_ = std::move(free_.back());
      free_.pop_back();
    } else {
      scratch_ = std::make_unique<DnsMessage>();
    }
  }
  DnsMessage& m = *scratch_;
  bool ok = ParseDnsMessage(bytes, cfg_, m);
  m.index = next_index_++;
  m.tcp = tcp;
  if (!ok) Count(counters_, AppCounter::kDnsMalformed);
  if (bytes.size() >= 12) {
    if (m.is_response()) {
      Count(counters_, AppCounter::kDnsAnswers);
      if (dir == Direction::kToServer) m.events |= 1u << static_cast<unsigned>(DnsEvent::kNotARequest);
    } else {
      Count(counters_, AppCounter::kDnsQueries);
      if (dir == Direction::kToClient) m.events |= 1u << static_cast<unsigned>(DnsEvent::kNotAResponse);
    }
  }
  for (unsigned e = 0; e < static_cast<unsigned>(DnsEvent::kCount); ++e) {
    if (!((m.events >> e) & 1u)) continue;
    auto ev = static_cast<DnsEvent>(e);
    if (counters_ != nullptr) {
      counters_->Add(ev);
      counters_->Add(AppCounter::kDnsAnomalies);
    }
    if (!anomalies_.Push(AppAnomaly{DnsEventName(ev), dir, m.index})) {
      Count(counters_, AppCounter::kAnomaliesDropped);
    }
  }
  // A message too short for a header carries nothing worth handing on.
  if (bytes.size() < 12) return;
  if (queue_.size() >= cfg_.max_queued_messages) {
    Count(counters_, AppCounter::kDnsQueueFull);
    return;
  }
  queue_.push_back(std::move(scratch_));
}

void DnsParser::OnData(Direction dir, std::span<const uint8_t> data) {
  TcpDir& t = tcp_[DirIndex(dir)];
  while (!data.empty() && !t.dead) {
    if (t.len_have < 2) {
      t.len_buf[t.len_have++] = data[0];
      data = data.subspan(1);
      if (t.len_have == 2) {
        t.msg_len = (size_t{t.len_buf[0]} << 8) | t.len_buf[1];
        t.buf.clear();
        if (t.msg_len == 0) t.len_have = 0;  // empty message: nothing to parse
      }
      continue;
    }
    size_t need = t.msg_len - t.buf.size();
    if (t.buf.empty() && data.size() >= need) {
      // Whole message in this chunk: parse in place.
      HandleMessage(dir, data.first(need), true);
      data = data.subspan(need);
      t.len_have = 0;
      continue;
    }
    size_t n = std::min(need, data.size());
    if (t.buf.capacity() < t.msg_len) t.buf.reserve(t.msg_len);
    t.buf.insert(t.buf.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(n));
    data = data.subspan(n);
    if (t.buf.size() == t.msg_len) {
      HandleMessage(dir, t.buf, true);
      t.buf.clear();
      t.len_have = 0;
    }
  }
}

void DnsParser::OnGap(Direction dir, uint64_t length) {
  TcpDir& t = tcp_[DirIndex(dir)];
  if (length == 0 || t.dead) return;
  // Without the lost bytes the next length prefix cannot be found.
  t.dead = true;
  t.buf.clear();
  Count(counters_, AppCounter::kDnsTcpGaps);
}

void DnsParser::OnEnd(Direction dir) {
  TcpDir& t = tcp_[DirIndex(dir)];
  t.dead = true;
  t.buf.clear();
}

}  // namespace vigil::sensor
