// DnsParser: the per-flow DNS parser, for UDP datagrams and DNS over TCP streams.
//
// UDP: each datagram is one message (OnDatagram). TCP: each direction is a sequence of
// messages with a 2-byte length prefix (RFC 1035 4.2.2), split anywhere across chunks (OnData);
// a message wholly inside one chunk is parsed in place, one split across chunks is assembled in
// a per-direction buffer (at most 65535 bytes by construction). A gap loses the framing, so the
// direction is abandoned (counted). Parsed messages wait in a bounded queue until the consumer
// drains them; each query (QR=0) and response (QR=1) is counted, and direction mismatches raise
// dns.not_a_request / dns.not_a_response.
//
//   DnsParser dns(cfg.dns, &counters);
//   dns.OnDatagram(Direction::kToServer, udp_payload);
//   dns.Drain([&](const DnsMessage& m) { ... FillDnsQuery(m, 0, info) ... });
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "sensor/app/app_counters.h"
#include "sensor/app/app_parser.h"
#include "sensor/app/dns/dns_config.h"
#include "sensor/app/dns/dns_message.h"

namespace vigil::sensor {

class DnsParser final : public AppParser {
 public:
  // `cfg` and `counters` must outlive the parser; counters may be null.
  DnsParser(const DnsConfig& cfg, const AppCounters* counters);

  // One UDP payload = one message.
  void OnDatagram(Direction dir, std::span<const uint8_t> payload);

  // DNS over TCP.
  void OnData(Direction dir, std::span<const uint8_t> bytes) override;
  void OnGap(Direction dir, uint64_t length) override;
  void OnEnd(Direction dir) override;
  void Reset() override;
  AppProto proto() const override { return AppProto::kDns; }

  size_t message_count() const { return queue_.size(); }
  const DnsMessage& message(size_t i) const { return *queue_[i]; }

  // Hands each queued message to fn(const DnsMessage&), oldest first, and recycles it.
  template <typename F>
  size_t Drain(F&& fn) {
    size_t n = 0;
    while (!queue_.empty()) {
      fn(static_cast<const DnsMessage&>(*queue_.front()));
      Recycle();
      ++n;
    }
    return n;
  }

 private:
  struct TcpDir {
    uint8_t len_buf[2] = {0, 0};
    size_t len_have = 0;       // bytes of the length prefix seen
    size_t msg_len = 0;        // length of the message being assembled
    std::vector<uint8_t> buf;  // partial message
    bool dead = false;         // framing lost (gap) or ended
  };

  void HandleMessage(Direction dir, std::span<const uint8_t> msg, bool tcp);
  void Recycle();

  const DnsConfig& cfg_;
  const AppCounters* counters_;
  TcpDir tcp_[2];
  std::deque<std::unique_ptr<DnsMessage>> queue_;
  std::vector<std::unique_ptr<DnsMessage>> free_;
  std::unique_ptr<DnsMessage> scratch_;  // target of the next parse
  uint64_t next_index_ = 0;
};

}  // namespace vigil::sensor
