// Helpers for the detection tests: build an engine from rule text, make packets, inspect.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/signature/rule_loader.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/detect_thread.h"

namespace vigil::sensor::testing {

inline std::unique_ptr<DetectEngine> BuildEngine(const std::string& text, DetectConfig cfg = {},
                                                 const rules::ThresholdConfig* th = nullptr,
                                                 const rules::ClassificationConfig* cls = nullptr) {
  // RuleLoader keeps a reference to the variables: they must outlive it.
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  loader.LoadString(text, "test.rules", &set);
  for (const auto& d : set.diagnostics) ADD_FAILURE() << d.ToString();
  auto e = DetectEngine::Build(std::move(set), cfg, cls, th);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().ToString());
  if (!e.ok()) return nullptr;
  return std::move(*e);
}

struct TestPacket {
  Packet pkt;
  std::vector<uint8_t> payload;
  uint8_t l4[20] = {};
};

inline std::unique_ptr<TestPacket> MakePacket(uint8_t proto, const char* src, uint16_t sport,
                                              const char* dst, uint16_t dport,
                                              const std::string& payload) {
  auto t = std::make_unique<TestPacket>();
  t->payload.assign(payload.begin(), payload.end());
  Packet& p = t->pkt;
  p.decoded = true;
  p.ip_version = 4;
  p.src = *IpAddress::Parse(src);
  p.dst = *IpAddress::Parse(dst);
  p.ip_proto = proto;
  p.sport = sport;
  p.dport = dport;
  p.ttl = 64;
  p.l4 = t->l4;
  p.l4_len = sizeof(t->l4);
  p.payload = t->payload.data();
  p.payload_len = static_cast<uint32_t>(t->payload.size());
  p.ts = Timestamp::FromSeconds(1000);
  return t;
}

// Inspects `payload` as a UDP packet's pkt_data and returns the sids that alerted.
inline std::vector<uint32_t> Sids(const AlertQueue& q) {
  std::vector<uint32_t> out;
  for (const Alert& a : q.alerts()) out.push_back(a.sid);
  return out;
}

struct Harness {
  explicit Harness(const std::string& rule_text, DetectConfig cfg = {},
                   const rules::ThresholdConfig* th = nullptr)
      : engine(BuildEngine(rule_text, cfg, th)), thread(std::make_unique<DetectThread>(*engine)) {}
  std::unique_ptr<DetectEngine> engine;
  std::unique_ptr<DetectThread> thread;
  AlertQueue q;
  FlowDetectState flow;

  std::vector<uint32_t> Run(const Packet& p, bool to_server = true, bool established = true,
                            BufferSet* extra = nullptr, bool use_flow = true) {
    BufferSet local;
    BufferSet& b = extra ? *extra : local;
    if (!b.Has(BufferId::kPacket)) b.Set(BufferId::kPacket, p.payload_span());
    InspectInput in;
    in.packet = &p;
    in.buffers = &b;
    in.flow = use_flow ? &flow : nullptr;
    in.to_server = to_server;
    in.established = established;
    thread->Inspect(in, &q);
    return Sids(q);
  }
  // One UDP packet with `payload`; true when sid 1 alerted.
  bool Udp(const std::string& payload) {
    auto p = MakePacket(17, "10.0.0.1", 1234, "10.0.0.2", 53, payload);
    auto s = Run(p->pkt);
    return std::find(s.begin(), s.end(), 1u) != s.end();
  }
};

// A TCP segment 1.1.1.1:1234 -> 2.2.2.2:80 (to server, established) on `h`'s flow whose stream
// the sensor already inspects; pkt_data is its payload. Not movable: `in` points into it.
struct StreamInspectedSegment {
  StreamInspectedSegment(Harness& h, const std::string& payload)
      : seg(MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, payload)) {
    buffers.Set(BufferId::kPacket, seg->pkt.payload_span());
    in = InspectInput{.packet = &seg->pkt, .buffers = &buffers, .flow = &h.flow,
                      .to_server = true, .established = true, .tcp_stream_inspected = true};
  }
  StreamInspectedSegment(const StreamInspectedSegment&) = delete;
  StreamInspectedSegment& operator=(const StreamInspectedSegment&) = delete;

  std::unique_ptr<TestPacket> seg;
  BufferSet buffers;
  InspectInput in;
};

// True when the single rule (options only; header `alert udp any any -> any any`) matches.
inline bool Match(const std::string& options, const std::string& payload) {
  Harness h("alert udp any any -> any any (" + options + " sid:1;)");
  if (!h.engine) return false;
  return h.Udp(payload);
}

}  // namespace vigil::sensor::testing
