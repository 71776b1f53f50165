// ProtoDetector: decides a flow's application protocol from the first bytes of each direction.
//
// Detection is by content; the server port is only a hint (it breaks ties and lets a DNS-over-TCP
// message longer than the detection window be accepted on its header alone). Per direction:
//   HTTP  to_server: a known method followed by a space; to_client: "HTTP/1."
//   TLS   a handshake record (type 22, version 3.0..3.4, plausible length) holding a ClientHello
//         (to_server) or ServerHello (to_client)
//   DNS   TCP: a 2-byte length then a message that parses (one to four questions of a known
//         class); UDP (OnDatagram): the same test on the datagram
//   MQTT  only with server port 1883 (Suricata probes MQTT on its port only): a fixed header
//         that decodes, of an assigned type with QoS 0..2
// A direction that matches nothing, or shows max_detect_bytes without a decision, has failed; the
// flow is "failed" when both directions failed, or one failed and the other ended. A gap before
// the decision fails the direction (counted: app.detect.gap).
//
// Bytes seen before the deciding chunk are held (at most max_detect_bytes per direction); on a
// decision the pipeline replays them to the new parser before the deciding chunk:
//
//   AppProto p = det.OnData(dir, chunk);
//   if (p == AppProto::kUnknown) return;            // the detector kept what it needs
//   parser = MakeParser(p);                          // nothing for kFailed
//   parser->OnData(Direction::kToServer, det.Held(Direction::kToServer));
//   parser->OnData(Direction::kToClient, det.Held(Direction::kToClient));
//   parser->OnData(dir, chunk);
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/event.h"
#include "sensor/app/app_counters.h"
#include "sensor/app/app_proto.h"
#include "sensor/app/dns/dns_config.h"

namespace vigil::sensor {

struct ProtoDetectConfig {
  // Bytes examined per direction before giving up (and the most held for replay).
  size_t max_detect_bytes = 512;
  bool http = true;
  bool tls = true;
  bool dns = true;
  bool mqtt = true;

  [[nodiscard]] Status Validate() const {
    if (max_detect_bytes < 16 || max_detect_bytes > 65536) {
      return Error(ErrorCode::kInvalidArgument, "app.detect.max_detect_bytes must be in 16..65536");
    }
    return Ok();
  }
};

class ProtoDetector {
 public:
  // The configs and counters must outlive the detector; counters may be null.
  ProtoDetector(const ProtoDetectConfig& cfg, const DnsConfig& dns_cfg,
                const AppCounters* counters);

  // The flow's server port (0: none). Set before the first bytes.
  void set_port_hint(uint16_t server_port) { port_hint_ = server_port; }

  // TCP. Returns the flow's protocol once decided (the same value on every later call).
  AppProto OnData(Direction dir, std::span<const uint8_t> bytes);
  AppProto OnGap(Direction dir);
  AppProto OnEnd(Direction dir);
  // UDP: the first datagram decides (kDns or kFailed).
  AppProto OnDatagram(Direction dir, std::span<const uint8_t> payload);

  AppProto proto() const { return proto_; }
  // Bytes of direction dir seen before the deciding call (empty once Reset()).
  std::span<const uint8_t> Held(Direction dir) const;
  void Reset();

 private:
  enum class Probe : uint8_t { kNeedMore, kMatch, kNoMatch };
  enum class DirStatus : uint8_t { kOpen, kFailed, kEnded };

  // Examines the contiguous first bytes of a direction.
  AppProto Examine(Direction dir, std::span<const uint8_t> bytes, bool* need_more) const;
  Probe ProbeHttp(Direction dir, std::span<const uint8_t> b) const;
  Probe ProbeTls(Direction dir, std::span<const uint8_t> b) const;
  Probe ProbeDnsTcp(Direction dir, std::span<const uint8_t> b) const;
  Probe ProbeMqtt(std::span<const uint8_t> b) const;
  bool DnsMessageLooksReal(std::span<const uint8_t> msg) const;
  AppProto Decide(AppProto p);
  AppProto FailDirection(int i);

  const ProtoDetectConfig& cfg_;
  const DnsConfig& dns_cfg_;
  const AppCounters* counters_;
  uint16_t port_hint_ = 0;
  AppProto proto_ = AppProto::kUnknown;
  std::string held_[2];       // bytes before the deciding chunk
  size_t held_before_[2] = {0, 0};  // length of held_ that precedes the current chunk
  DirStatus status_[2] = {DirStatus::kOpen, DirStatus::kOpen};
};

}  // namespace vigil::sensor
