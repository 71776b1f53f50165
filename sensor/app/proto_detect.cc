#include "sensor/app/proto_detect.h"

#include <algorithm>
#include <string_view>

#include "sensor/app/app_parser.h"
#include "sensor/app/dns/dns_message.h"
#include "sensor/app/mqtt/mqtt_message.h"

namespace vigil::sensor {
namespace {

// Request methods of HTTP/1.x and WebDAV that detection accepts.
constexpr std::string_view kMethods[] = {
    "GET",     "POST",   "HEAD",  "PUT",       "DELETE",   "OPTIONS", "CONNECT", "TRACE",
    "PATCH",   "PROPFIND", "PROPPATCH", "MKCOL", "COPY",   "MOVE",    "LOCK",    "UNLOCK",
    "SEARCH",  "REPORT", "CHECKOUT", "MERGE", "SUBSCRIBE", "NOTIFY", "UNSUBSCRIBE", "MKACTIVITY",
};

constexpr uint16_t kMqttPort = 1883;

std::string_view AsView(std::span<const uint8_t> b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

}  // namespace

ProtoDetector::ProtoDetector(const ProtoDetectConfig& cfg, const DnsConfig& dns_cfg,
                             const AppCounters* counters)
    : cfg_(cfg), dns_cfg_(dns_cfg), counters_(counters) {}

void ProtoDetector::Reset() {
  proto_ = AppProto::kUnknown;
  port_hint_ = 0;
  for (int i = 0; i < 2; ++i) {
    held_[i].clear();
    held_before_[i] = 0;
    status_[i] = DirStatus::kOpen;
  }
}

std::span<const uint8_t> ProtoDetector::Held(Direction dir) const {
  int i = DirIndex(dir);
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(held_[i].data()),
                                  held_before_[i]);
}

ProtoDetector::Probe ProtoDetector::ProbeHttp(Direction dir, std::span<const uint8_t> b) const {
  std::string_view s = AsView(b);
  if (dir == Direction::kToClient) {
    constexpr std::string_view kResp = "HTTP/1.";
    size_t n = std::min(s.size(), kResp.size());
    if (s.substr(0, n) != kResp.substr(0, n)) return Probe::kNoMatch;
    return n == kResp.size() ? Probe::kMatch : Probe::kNeedMore;
  }
  bool prefix = false;
  for (std::string_view m : kMethods) {
    if (s.size() > m.size()) {
      if (s.substr(0, m.size()) == m && (s[m.size()] == ' ' || s[m.size()] == '\t')) {
        return Probe::kMatch;
      }
    } else if (m.substr(0, s.size()) == s) {
      prefix = true;
    }
  }
  return prefix ? Probe::kNeedMore : Probe::kNoMatch;
}

ProtoDetector::Probe ProtoDetector::ProbeTls(Direction dir, std::span<const uint8_t> b) const {
  if (b.empty()) return Probe::kNeedMore;
  if (b[0] != 22) return Probe::kNoMatch;
  if (b.size() < 2) return Probe::kNeedMore;
  if (b[1] != 3) return Probe::kNoMatch;
  if (b.size() < 3) return Probe::kNeedMore;
  if (b[2] > 4) return Probe::kNoMatch;
  if (b.size() < 5) return Probe::kNeedMore;
  size_t len = (size_t{b[3]} << 8) | b[4];
  if (len < 4 || len > 16384 + 2048) return Probe::kNoMatch;
  if (b.size() < 6) return Probe::kNeedMore;
  uint8_t want = dir == Direction::kToClient ? 2 : 1;
  return b[5] == want ? Probe::kMatch : Probe::kNoMatch;
}

bool ProtoDetector::DnsMessageLooksReal(std::span<const uint8_t> msg) const {
  DnsMessage m;
  if (!ParseDnsMessage(msg, dns_cfg_, m)) return false;
  if (m.questions.empty() || m.qdcount > 4) return false;
  uint16_t klass = m.questions[0].klass & 0x7fff;  // mDNS uses the top bit
  return klass == 1 || klass == 3 || klass == 4 || klass == 254 || klass == 255;
}

ProtoDetector::Probe ProtoDetector::ProbeDnsTcp(Direction, std::span<const uint8_t> b) const {
  if (b.size() < 2) return Probe::kNeedMore;
  size_t len = (size_t{b[0]} << 8) | b[1];
  if (len < 12 + 5) return Probe::kNoMatch;  // header + the smallest question
  if (b.size() < 2 + 12) return Probe::kNeedMore;
  uint16_t qd = static_cast<uint16_t>((b[6] << 8) | b[7]);
  uint8_t opcode = (b[4] >> 3) & 0x0f;
  if (qd == 0 || qd > 4 || opcode == 3 || opcode > 6) return Probe::kNoMatch;
  if (b.size() >= 2 + len) {
    return DnsMessageLooksReal(b.subspan(2, len)) ? Probe::kMatch : Probe::kNoMatch;
  }
  if (2 + len > cfg_.max_detect_bytes) {
    // Longer than the window: the header alone is enough on the DNS port.
    return port_hint_ == 53 ? Probe::kMatch : Probe::kNoMatch;
  }
  return Probe::kNeedMore;
}

ProtoDetector::Probe ProtoDetector::ProbeMqtt(std::span<const uint8_t> b) const {
  MqttFixedHeader h;
  size_t hlen = 0;
  switch (ParseMqttFixedHeader(b, &h, &hlen)) {
    case MqttHeaderResult::kNeedMore: return Probe::kNeedMore;
    case MqttHeaderResult::kError: return Probe::kNoMatch;
    case MqttHeaderResult::kOk: break;
  }
  return h.type != kMqttUnassigned && h.qos <= 2 ? Probe::kMatch : Probe::kNoMatch;
}

AppProto ProtoDetector::Examine(Direction dir, std::span<const uint8_t> bytes,
                                bool* need_more) const {
  Probe http = cfg_.http ? ProbeHttp(dir, bytes) : Probe::kNoMatch;
  Probe tls = cfg_.tls ? ProbeTls(dir, bytes) : Probe::kNoMatch;
  Probe dns = cfg_.dns ? ProbeDnsTcp(dir, bytes) : Probe::kNoMatch;
  if (cfg_.mqtt && port_hint_ == kMqttPort) {
    // On the MQTT port the MQTT probe decides first (as Suricata's port-based probing parser).
    Probe mqtt = ProbeMqtt(bytes);
    if (mqtt == Probe::kMatch) return AppProto::kMqtt;
    if (mqtt == Probe::kNeedMore) {
      *need_more = true;
      return AppProto::kUnknown;
    }
  }
  // The port hint orders the candidates; content must still match.
  AppProto order[3] = {AppProto::kHttp, AppProto::kTls, AppProto::kDns};
  if (port_hint_ == 443 || port_hint_ == 8443 || port_hint_ == 993 || port_hint_ == 995) {
    order[0] = AppProto::kTls;
    order[1] = AppProto::kHttp;
  } else if (port_hint_ == 53) {
    order[0] = AppProto::kDns;
    order[2] = AppProto::kHttp;
  }
  for (AppProto p : order) {
    Probe r = p == AppProto::kHttp ? http : p == AppProto::kTls ? tls : dns;
    if (r == Probe::kMatch) return p;
  }
  *need_more = http == Probe::kNeedMore || tls == Probe::kNeedMore || dns == Probe::kNeedMore;
  return AppProto::kUnknown;
}

AppProto ProtoDetector::Decide(AppProto p) {
  proto_ = p;
  switch (p) {
    case AppProto::kHttp: Count(counters_, AppCounter::kDetectHttp); break;
    case AppProto::kTls: Count(counters_, AppCounter::kDetectTls); break;
    case AppProto::kDns: Count(counters_, AppCounter::kDetectDns); break;
    case AppProto::kMqtt: break;
    case AppProto::kFailed: Count(counters_, AppCounter::kDetectFailed); break;
    case AppProto::kUnknown: break;
  }
  return p;
}

AppProto ProtoDetector::FailDirection(int i) {
  status_[i] = DirStatus::kFailed;
  held_before_[i] = held_[i].size();
  DirStatus other = status_[1 - i];
  if (other != DirStatus::kOpen) return Decide(AppProto::kFailed);
  return proto_;
}

AppProto ProtoDetector::OnData(Direction dir, std::span<const uint8_t> bytes) {
  if (proto_ != AppProto::kUnknown || bytes.empty()) return proto_;
  int i = DirIndex(dir);
  if (status_[i] != DirStatus::kOpen) return proto_;
  std::string& held = held_[i];
  held_before_[i] = held.size();
  std::span<const uint8_t> view = bytes;
  if (!held.empty()) {
    // Earlier bytes are held: examine them together with this chunk (bounded window).
    size_t room = cfg_.max_detect_bytes > held.size() ? cfg_.max_detect_bytes - held.size() : 0;
    size_t n = std::min(room, bytes.size());
    held.append(reinterpret_cast<const char*>(bytes.data()), n);
    view = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(held.data()), held.size());
  } else if (view.size() > cfg_.max_detect_bytes) {
    view = view.first(cfg_.max_detect_bytes);
  }
  bool need_more = false;
  AppProto p = Examine(dir, view, &need_more);
  if (p != AppProto::kUnknown) {
    held.resize(held_before_[i]);  // Held() = bytes before this chunk
    return Decide(p);
  }
  if (held.empty()) held.append(reinterpret_cast<const char*>(view.data()), view.size());
  if (!need_more || held.size() >= cfg_.max_detect_bytes) return FailDirection(i);
  held_before_[i] = held.size();
  return proto_;
}

AppProto ProtoDetector::OnGap(Direction dir) {
  if (proto_ != AppProto::kUnknown) return proto_;
  int i = DirIndex(dir);
  if (status_[i] == DirStatus::kOpen) {
    Count(counters_, AppCounter::kDetectGap);
    return FailDirection(i);
  }
  return proto_;
}

AppProto ProtoDetector::OnEnd(Direction dir) {
  if (proto_ != AppProto::kUnknown) return proto_;
  int i = DirIndex(dir);
  if (status_[i] == DirStatus::kOpen) {
    status_[i] = held_[i].empty() ? DirStatus::kEnded : DirStatus::kFailed;
    held_before_[i] = held_[i].size();
  }
  if (status_[1 - i] == DirStatus::kOpen) return proto_;
  // Both directions over. A flow that carried no byte at all has no protocol to name.
  if (status_[0] == DirStatus::kEnded && status_[1] == DirStatus::kEnded) return proto_;
  return Decide(AppProto::kFailed);
}

AppProto ProtoDetector::OnDatagram(Direction, std::span<const uint8_t> payload) {
  if (proto_ != AppProto::kUnknown) return proto_;
  if (cfg_.dns && DnsMessageLooksReal(payload)) return Decide(AppProto::kDns);
  return Decide(AppProto::kFailed);
}

}  // namespace vigil::sensor
