#include "tools/synth/flow_factory.h"

#include <string_view>

#include "tools/synth/catalog.h"
#include "tools/synth/dns_message.h"
#include "tools/synth/http_content.h"
#include "tools/synth/tcp_conversation.h"
#include "tools/synth/tls_records.h"

namespace vigil::synth {
namespace {

constexpr int64_t kMicro = 1'000;
constexpr int64_t kMilli = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;

std::string RandomLabel(Rng& rng, size_t len) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(len, 'a');
  for (char& c : s) c = kChars[rng.Below(sizeof kChars - 1)];
  return s;
}

// Ports a scanner tries first (nmap's most common), before random ones.
constexpr uint16_t kScanFirstPorts[] = {80,  23,  443, 21,   22,   25,   3389, 110,  445, 139,
                                        143, 53,  135, 3306, 8080, 1723, 111,  995,  993, 5900};
constexpr uint16_t kScanOpenPorts[] = {22, 80, 443, 3389};

}  // namespace

const char* AttackName(AttackKind kind) {
  switch (kind) {
    case AttackKind::kSqlInjection: return "sqli";
    case AttackKind::kBadUserAgent: return "bad_user_agent";
    case AttackKind::kTestMyIds: return "testmyids";
    case AttackKind::kMaliciousDns: return "malicious_dns";
    case AttackKind::kMaliciousSni: return "malicious_sni";
    case AttackKind::kPortScan: return "portscan";
  }
  return "unknown";
}

FlowFactory::FlowFactory(const SynthConfig& cfg, AddressPlan& plan)
    : cfg_(cfg), plan_(plan), builder_({cfg.vlan, cfg.pad_min_frame}) {}

FlowFactory::Client FlowFactory::PickClient(Rng& rng) {
  Client c;
  c.index = static_cast<uint32_t>(rng.Below(plan_.client_count()));
  c.v6 = rng.Chance(cfg_.ipv6_fraction);
  c.host = plan_.Client(c.index, c.v6);
  return c;
}

FlowTruth FlowFactory::NewTruth(const char* app) const {
  FlowTruth t;
  t.app = app;
  t.vlan = cfg_.vlan;
  return t;
}

int FlowFactory::FragmentCount(Rng& rng) const {
  return rng.Chance(cfg_.impair.fragment) ? 2 + static_cast<int>(rng.Below(2)) : 1;
}

Status FlowFactory::Ordinary(FlowKind kind, Rng& rng, int64_t start_ns, FlowPackets& out,
                             std::vector<FlowTruth>& truths) {
  switch (kind) {
    case FlowKind::kHttp: {
      FlowTruth t = NewTruth("http");
      VIGIL_CHECK_OK(Http(rng, start_ns, out, t, nullptr));
      truths.push_back(std::move(t));
      break;
    }
    case FlowKind::kDns: {
      FlowTruth t = NewTruth("dns");
      Dns(rng, start_ns, out, t, nullptr);
      truths.push_back(std::move(t));
      break;
    }
    case FlowKind::kTls: {
      FlowTruth t = NewTruth("tls");
      Tls(rng, start_ns, out, t, nullptr);
      truths.push_back(std::move(t));
      break;
    }
    case FlowKind::kUdp: {
      FlowTruth t = NewTruth("udp");
      UdpNoise(rng, start_ns, out, t);
      truths.push_back(std::move(t));
      break;
    }
  }
  return Ok();
}

Status FlowFactory::Attack(AttackKind kind, uint32_t attack_id, Rng& rng, int64_t start_ns,
                           FlowPackets& out, std::vector<FlowTruth>& truths) {
  const size_t first = truths.size();
  switch (kind) {
    case AttackKind::kSqlInjection:
    case AttackKind::kBadUserAgent:
    case AttackKind::kTestMyIds: {
      HttpPlant plant;
      if (kind == AttackKind::kSqlInjection) {
        plant.uri = std::string(rng.Pick(catalog::SqlInjectionUris()));
      } else if (kind == AttackKind::kBadUserAgent) {
        plant.user_agent = std::string(rng.Pick(catalog::BadUserAgents()));
      } else {
        plant.host = std::string(catalog::kTestMyIdsHost);
        plant.uri = std::string(catalog::kTestMyIdsUri);
        plant.user_agent = "curl/7.88.1";
        plant.response_body = std::string(catalog::kTestMyIdsBody);
      }
      FlowTruth t = NewTruth("http");
      VIGIL_CHECK_OK(Http(rng, start_ns, out, t, &plant));
      truths.push_back(std::move(t));
      break;
    }
    case AttackKind::kMaliciousDns: {
      const std::string name(rng.Pick(catalog::MaliciousDomains()));
      FlowTruth t = NewTruth("dns");
      Dns(rng, start_ns, out, t, &name);
      truths.push_back(std::move(t));
      break;
    }
    case AttackKind::kMaliciousSni: {
      const std::string sni(rng.Pick(catalog::MaliciousSnis()));
      FlowTruth t = NewTruth("tls");
      Tls(rng, start_ns, out, t, &sni);
      truths.push_back(std::move(t));
      break;
    }
    case AttackKind::kPortScan:
      PortScan(rng, attack_id, start_ns, out, truths);
      break;
  }
  for (size_t i = first; i < truths.size(); ++i) {
    truths[i].attack = AttackName(kind);
    truths[i].attack_id = attack_id;
  }
  return Ok();
}

Status FlowFactory::Http(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth,
                         const HttpPlant* plant) {
  const Client c = PickClient(rng);
  const std::string host = plant && !plant->host.empty() ? plant->host : std::string(rng.Pick(catalog::WebHosts()));
  const TcpEndpoints ends{c.host, plan_.Server(host, c.v6), plan_.NextPort(c.index),
                          static_cast<uint16_t>(plant || rng.Chance(0.85) ? 80 : 8080)};
  const TcpProfile profile = TcpProfile::Random(rng, Mss(c.v6));
  TcpConversation tcp(builder_, cfg_.impair, out, truth, rng, ends, profile, start_ns);
  tcp.Connect();
  tcp.ClientTurn();
  const uint32_t requests = static_cast<uint32_t>(plant ? 1 + rng.Below(2) : rng.Range(1, cfg_.max_requests_per_connection));
  bool keep_alive = true;
  for (uint32_t i = 0; i < requests; ++i) {
    HttpRequestSpec req = RandomHttpRequest(rng, host);
    const bool planted = plant != nullptr && i == 0;
    if (planted && !plant->uri.empty()) {
      req.method = "GET";
      req.body_len = 0;
      req.uri = plant->uri;
    }
    if (planted && !plant->user_agent.empty()) {
      req.user_agent = plant->user_agent;
      req.accept_gzip = false;
      req.cookie = false;
    }
    const bool last = i + 1 == requests;
    req.keep_alive = !last || rng.Chance(0.6);
    keep_alive = req.keep_alive;
    WriteHttpRequest(rng, req, msg_);
    tcp.Send(Direction::kToServer, msg_);
    tcp.ServerTurn();
    HttpResponseSpec resp = RandomHttpResponse(rng, req, cfg_.max_body_bytes);
    if (planted && !plant->response_body.empty()) {
      resp.status = 200;
      resp.fixed_body = plant->response_body;
      resp.content_type = "text/plain";
      resp.gzip = false;
      resp.chunked = false;
    }
    VIGIL_CHECK_OK(WriteHttpResponse(rng, resp, tcp.now() / kSecond, gzip_, body_, gz_, msg_));
    tcp.Send(Direction::kToClient, msg_);
    truth.http.push_back({req.method, req.host, req.uri, resp.status});
    if (!last) {
      tcp.ClientTurn();
      tcp.Wait(static_cast<int64_t>(rng.LogRange(kMilli, 300 * kMilli)));
    }
  }
  if (!keep_alive) {
    tcp.ClientTurn();
    tcp.Close(Direction::kToClient);  // "Connection: close": the server closes
  } else {
    tcp.Wait(static_cast<int64_t>(rng.LogRange(kMilli, 2 * kSecond)));
    if (rng.Chance(0.12)) {
      tcp.Abort(Direction::kToServer);  // browsers reset idle connections
    } else {
      tcp.Close(Direction::kToServer);
    }
  }
  tcp.Finish();
  truth.app = "http";
  return Ok();
}

void FlowFactory::Tls(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth,
                      const std::string* sni_override) {
  const Client c = PickClient(rng);
  const std::string sni = sni_override ? *sni_override : std::string(rng.Pick(catalog::TlsHosts()));
  const TcpEndpoints ends{c.host, plan_.Server(sni, c.v6), plan_.NextPort(c.index), 443};
  const TcpProfile profile = TcpProfile::Random(rng, Mss(c.v6));
  TcpConversation tcp(builder_, cfg_.impair, out, truth, rng, ends, profile, start_ns);
  const TlsSessionSpec s = RandomTlsSession(rng, sni);
  tcp.Connect();
  tcp.ClientTurn();
  WriteClientHello(rng, s, msg_);
  tcp.Send(Direction::kToServer, msg_);
  tcp.ServerTurn();
  WriteServerFirstFlight(rng, s, tcp.now() / kSecond, msg_);
  tcp.Send(Direction::kToClient, msg_);
  tcp.ClientTurn();
  WriteClientFinish(rng, s, msg_);
  tcp.Send(Direction::kToServer, msg_);
  if (!s.tls13) {
    tcp.ServerTurn();
    WriteServerFinish(rng, s, msg_);
    tcp.Send(Direction::kToClient, msg_);
    tcp.ClientTurn();
  }
  const uint32_t exchanges = static_cast<uint32_t>(rng.Range(1, cfg_.max_app_records));
  for (uint32_t i = 0; i < exchanges; ++i) {
    WriteApplicationData(rng, rng.LogRange(60, 1500), msg_);
    tcp.Send(Direction::kToServer, msg_);
    tcp.ServerTurn();
    WriteApplicationData(rng, rng.LogRange(100, cfg_.max_body_bytes), msg_);
    tcp.Send(Direction::kToClient, msg_);
    tcp.ClientTurn();
    if (i + 1 < exchanges) tcp.Wait(static_cast<int64_t>(rng.LogRange(kMilli, 500 * kMilli)));
  }
  if (rng.Chance(0.1)) {
    tcp.Abort(Direction::kToServer);
  } else {
    WriteCloseNotify(rng, s, msg_);
    tcp.Send(Direction::kToServer, msg_);
    tcp.Close(Direction::kToServer);
  }
  tcp.Finish();
  truth.app = "tls";
  truth.sni = sni;
}

void FlowFactory::Dns(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth,
                      const std::string* name_override) {
  const Client c = PickClient(rng);
  const Host resolver = plan_.Resolver(c.v6);
  const uint16_t sport = plan_.NextPort(c.index);
  constexpr uint16_t kDnsPort = 53;
  truth.proto = "udp";
  truth.client_ip = c.host.ip;
  truth.client_port = sport;
  truth.server_ip = resolver.ip;
  truth.server_port = kDnsPort;

  std::string name;
  bool nxdomain = false;
  if (name_override) {
    name = *name_override;
  } else {
    const uint64_t roll = rng.Below(100);
    if (roll < 45) {
      name = std::string(rng.Pick(catalog::WebHosts()));
    } else if (roll < 70) {
      name = std::string(rng.Pick(catalog::TlsHosts()));
    } else if (roll < 90) {
      name = std::string(rng.Pick(catalog::DnsOnlyNames()));
    } else {
      // Typos and stale internal names: NXDOMAIN.
      nxdomain = true;
      name = rng.Chance(0.5) ? "wwww." + std::string(rng.Pick(catalog::WebHosts()))
                             : RandomLabel(rng, rng.Range(5, 12)) + ".corp.example";
    }
  }
  uint16_t qtype = kDnsTypeA;
  const uint64_t t_roll = rng.Below(100);
  if (name_override) qtype = kDnsTypeA;
  else if (t_roll < 55) qtype = kDnsTypeA;
  else if (t_roll < 85) qtype = kDnsTypeAaaa;
  else if (t_roll < 93) qtype = kDnsTypeMx;
  else qtype = kDnsTypeTxt;
  // Stub resolvers ask for A and AAAA together from one socket.
  const int queries = qtype == kDnsTypeA && rng.Chance(0.35) ? 2 : 1;
  const bool edns = rng.Chance(0.5);
  const int64_t resolver_rtt = static_cast<int64_t>(rng.LogRange(200 * kMicro, 60 * kMilli));

  const IpRoute up{c.host.mac, resolver.mac, c.host.ip, resolver.ip, 64};
  const IpRoute down{resolver.mac, c.host.mac, resolver.ip, c.host.ip, 63};
  uint32_t ip_id = static_cast<uint32_t>(rng.Next());
  int64_t t = start_ns;
  for (int i = 0; i < queries; ++i) {
    DnsQuestion q{static_cast<uint16_t>(rng.Next()), name, i == 0 ? qtype : kDnsTypeAaaa, edns};
    WriteDnsQuery(q, msg_);
    FrameCount fc = builder_.Udp(out, t, up, {ip_id++, false, 0}, sport, kDnsPort, msg_, FragmentCount(rng));
    truth.Count(Direction::kToServer, fc, t);
    const int64_t answer_at = t + resolver_rtt + static_cast<int64_t>(rng.Below(200 * kMicro));
    WriteDnsResponse(rng, q, nxdomain, plan_, msg_);
    fc = builder_.Udp(out, answer_at, down, {static_cast<uint32_t>(rng.Next()), false, 0}, kDnsPort, sport, msg_,
                      FragmentCount(rng));
    truth.Count(Direction::kToClient, fc, answer_at);
    truth.dns_queries.push_back(name);
    t += static_cast<int64_t>(rng.Range(5 * kMicro, 80 * kMicro));
  }
  truth.app = "dns";
}

void FlowFactory::UdpNoise(Rng& rng, int64_t start_ns, FlowPackets& out, FlowTruth& truth) {
  const Client c = PickClient(rng);
  const Host peer = plan_.RandomPublic(rng, c.v6);
  const uint16_t sport = plan_.NextPort(c.index);
  const uint16_t dport = static_cast<uint16_t>(rng.Range(20000, 60999));
  truth.proto = "udp";
  truth.client_ip = c.host.ip;
  truth.client_port = sport;
  truth.server_ip = peer.ip;
  truth.server_port = dport;
  const IpRoute up{c.host.mac, peer.mac, c.host.ip, peer.ip, 64};
  const IpRoute down{peer.mac, c.host.mac, peer.ip, c.host.ip, static_cast<uint8_t>(rng.Range(40, 60))};
  const uint32_t packets = static_cast<uint32_t>(rng.Range(1, 8));
  uint32_t id_up = static_cast<uint32_t>(rng.Next());
  uint32_t id_down = static_cast<uint32_t>(rng.Next());
  int64_t t = start_ns;
  for (uint32_t i = 0; i < packets; ++i) {
    const bool to_server = i == 0 || rng.Chance(0.7);
    msg_.resize(rng.Range(16, 1200));
    rng.Fill(msg_.data(), msg_.size());
    const FrameCount fc = to_server
        ? builder_.Udp(out, t, up, {id_up++, false, 0}, sport, dport, msg_, FragmentCount(rng))
        : builder_.Udp(out, t, down, {id_down++, false, 0}, dport, sport, msg_, FragmentCount(rng));
    truth.Count(to_server ? Direction::kToServer : Direction::kToClient, fc, t);
    t += static_cast<int64_t>(rng.LogRange(100 * kMicro, 200 * kMilli));
  }
  truth.app = "udp";
}

void FlowFactory::PortScan(Rng& rng, uint32_t attack_id, int64_t start_ns, FlowPackets& out,
                           std::vector<FlowTruth>& truths) {
  const Client target = PickClient(rng);
  const Host scanner = plan_.Scanner(attack_id, target.v6);
  const uint16_t sport = static_cast<uint16_t>(33000 + attack_id % 30000);
  const IpRoute probe{scanner.mac, target.host.mac, scanner.ip, target.host.ip,
                      static_cast<uint8_t>(rng.Range(40, 58))};
  const IpRoute reply{target.host.mac, scanner.mac, target.host.ip, scanner.ip, 64};
  const int64_t rtt = static_cast<int64_t>(rng.Range(20 * kMilli, 120 * kMilli));
  std::vector<bool> used(65536, false);
  std::vector<uint16_t> ports;
  for (uint16_t p : kScanFirstPorts) {
    if (ports.size() >= cfg_.scan_ports) break;
    ports.push_back(p);
    used[p] = true;
  }
  while (ports.size() < cfg_.scan_ports) {
    const auto p = static_cast<uint16_t>(rng.Range(1, 65535));
    if (used[p]) continue;
    used[p] = true;
    ports.push_back(p);
  }
  TcpOptionList mss_only;  // nmap's SYN probe: MSS 1460 only
  mss_only.bytes = {2, 4, 0x05, 0xb4};
  mss_only.len = 4;
  const uint32_t scan_seq = static_cast<uint32_t>(rng.Next());
  uint32_t ip_id = static_cast<uint32_t>(rng.Next());
  int64_t t = start_ns;
  for (uint16_t port : ports) {
    FlowTruth truth = NewTruth("none");
    truth.proto = "tcp";
    truth.client_ip = scanner.ip;
    truth.client_port = sport;
    truth.server_ip = target.host.ip;
    truth.server_port = port;
    Sha256 empty;
    truth.c2s_stream.sha256 = empty.FinishHex();
    truth.s2c_stream.sha256 = truth.c2s_stream.sha256;

    TcpSegment syn{sport, port, scan_seq, 0, kTcpSyn, 1024, mss_only};
    FrameCount fc = builder_.Tcp(out, t, probe, {ip_id++, false, 0}, syn, {});
    truth.Count(Direction::kToServer, fc, t);
    const int64_t answer = t + static_cast<int64_t>(rng.Range(30 * kMicro, 200 * kMicro));
    bool open = false;
    for (uint16_t o : kScanOpenPorts) open = open || o == port;
    if (open) {
      const uint32_t isn = static_cast<uint32_t>(rng.Next());
      TcpSegment synack{port, sport, isn, scan_seq + 1, kTcpSyn | kTcpAck, 64240,
                        TcpOptionList::Syn(TcpStack::kLinux, 1460, 7, false, 0, 0)};
      fc = builder_.Tcp(out, answer, reply, {static_cast<uint32_t>(rng.Next()), true, 0}, synack, {});
      truth.Count(Direction::kToClient, fc, answer);
      // The scanner's kernel never opened this connection and resets it.
      TcpSegment rst{sport, port, scan_seq + 1, 0, kTcpRst, 0, {}};
      fc = builder_.Tcp(out, answer + rtt, probe, {ip_id++, false, 0}, rst, {});
      truth.Count(Direction::kToServer, fc, answer + rtt);
    } else {
      TcpSegment rst{port, sport, 0, scan_seq + 1, kTcpRst | kTcpAck, 0, {}};
      fc = builder_.Tcp(out, answer, reply, {static_cast<uint32_t>(rng.Next()), true, 0}, rst, {});
      truth.Count(Direction::kToClient, fc, answer);
    }
    truths.push_back(std::move(truth));
    t += static_cast<int64_t>(rng.Range(50 * kMicro, 1 * kMilli));
  }
}

}  // namespace vigil::synth
