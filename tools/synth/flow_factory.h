// FlowFactory: generates one complete flow (or, for a port scan, a burst of probe flows) of a
// given kind into a FlowPackets, plus its ground-truth records. Ordinary kinds: HTTP/1.1 with
// keep-alive, DNS over UDP, TLS 1.2/1.3, UDP noise. Attack kinds reuse the same generators
// with an indicator planted (SQL injection URI, known-bad User-Agent, the "uid=0(root)"
// response, a malicious domain in DNS or in the TLS SNI) or build SYN probes (port scan).
//
//   FlowFactory f(cfg, plan);
//   Rng rng = master.Fork();
//   VIGIL_CHECK_OK(f.Ordinary(FlowKind::kHttp, rng, start_ns, packets, truths));
//   packets.SortByTime();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/synth/address_plan.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/flow_truth.h"
#include "tools/synth/gzip_encoder.h"
#include "tools/synth/packet_builder.h"
#include "tools/synth/rng.h"
#include "tools/synth/synth_config.h"

namespace vigil::synth {

enum class FlowKind { kHttp, kDns, kTls, kUdp };

enum class AttackKind {
  kSqlInjection,   // HTTP GET with SQL injection in the URI
  kBadUserAgent,   // HTTP request from a scanner's User-Agent (sqlmap, Nikto...)
  kTestMyIds,      // GET testmynids.org/uid/index.html answered with "uid=0(root) ..."
  kMaliciousDns,   // DNS query for a malicious-looking domain
  kMaliciousSni,   // TLS ClientHello with a malicious-looking SNI
  kPortScan,       // SYNs from one source to many ports of one host
};
inline constexpr int kAttackKinds = 6;
const char* AttackName(AttackKind kind);  // "sqli", "bad_user_agent", "testmyids", ...

class FlowFactory {
 public:
  FlowFactory(const SynthConfig& cfg, AddressPlan& plan);

  // Each appends to `out` (not cleared) and pushes one truth record per 5-tuple onto `truths`.
  Status Ordinary(FlowKind kind, Rng& rng, int64_t start_ns, FlowPackets& out,
                  std::vector<FlowTruth>& truths);
  Status Attack(AttackKind kind, uint32_t attack_id, Rng& rng, int64_t start_ns,
                FlowPackets& out, std::vector<FlowTruth>& truths);

 private:
  struct HttpPlant {  // what an HTTP attack plants into the first request
    std::string uri;
    std::string user_agent;
    std::string host;
    std::string response_body;
  };
  struct Client {
    uint32_t index;
    bool v6;
    Host host;
  };

  Client PickClient(Rng& rng);
  uint16_t Mss(bool v6) const { return static_cast<uint16_t>(v6 ? cfg_.mss - 20 : cfg_.mss); }
  FlowTruth NewTruth(const char* app) const;

  Status Http(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth, const HttpPlant* plant);
  void Dns(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth, const std::string* name);
  void Tls(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth, const std::string* sni);
  void UdpNoise(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth);
  void PortScan(Rng& rng, uint32_t attack_id, int64_t start_ns, FlowPackets& out,
                std::vector<FlowTruth>& truths);
  int FragmentCount(Rng& rng) const;

  const SynthConfig& cfg_;
  AddressPlan& plan_;
  PacketBuilder builder_;
  GzipEncoder gzip_;
  // Reused buffers: steady state allocates nothing per flow for payload bytes.
  std::vector<uint8_t> msg_;
  std::vector<uint8_t> body_;
  std::vector<uint8_t> gz_;
};

}  // namespace vigil::synth
