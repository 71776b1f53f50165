// vigil-synth: writes a pcap of realistic, valid traffic (and optionally a ground-truth file).
// All the work happens in Synthesize() (synthesizer.h); this file maps flags to a SynthConfig.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/synth/synth_config.h"
#include "tools/synth/synthesizer.h"

namespace {

void PrintStats(const char* prefix, const vigil::synth::SynthStats& s) {
  const double mb = static_cast<double>(s.pcap_bytes) / 1e6;
  std::fprintf(stderr,
               "%s%llu flows, %llu attacks (%llu attack flows), %llu packets, %.1f MB, %.1f s capture time, "
               "%.2f s (%.0f MB/s)\n",
               prefix, static_cast<unsigned long long>(s.flows), static_cast<unsigned long long>(s.attacks),
               static_cast<unsigned long long>(s.attack_flows), static_cast<unsigned long long>(s.packets), mb,
               static_cast<double>(s.last_ns - s.first_ns) / 1e9, s.elapsed_s,
               s.elapsed_s > 0 ? mb / s.elapsed_s : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  vigil::synth::SynthConfig cfg;
  std::string size, mix, impair;
  bool quiet = false;

  CLI::App app{
      "vigil-synth: write a pcap of realistic, valid traffic (TCP with handshakes and teardown, HTTP/1.1, DNS, "
      "TLS 1.2/1.3, UDP noise), optionally with embedded attacks, network impairments and a JSON Lines "
      "ground-truth file. The same seed and options always give byte-identical output.\n\n"
      "Example:\n  vigil-synth --out bench.pcap --size 300MB --seed 7 --attacks 12 --truth bench.jsonl\n"};
  app.add_option("-o,--out", cfg.out_path, "Output pcap file")->required();
  app.add_option("--truth", cfg.truth_path, "Write the ground truth (one JSON object per flow) to this file");
  app.add_option("--size", size,
                 "Stop starting flows once the pcap reaches this size (100MB, 1.5GB, 64MiB; units are powers "
                 "of 10 unless KiB/MiB/GiB); flows in progress finish, so the file ends slightly larger");
  app.add_option("--flows", cfg.flows, "Number of ordinary flows to generate (attack flows come on top)");
  app.add_option("--seed", cfg.seed, "Random seed")->capture_default_str();
  app.add_option("--mix", mix, "Relative weights of flow kinds, e.g. http=60,dns=20,tls=15,udp=5 (the default); "
                              "kinds left out get 0");
  app.add_option("--concurrency", cfg.concurrency, "Flows in progress at once (their packets interleave)")
      ->capture_default_str();
  app.add_option("--ipv6", cfg.ipv6_fraction, "Fraction of flows over IPv6, 0..1")->capture_default_str();
  app.add_option("--vlan", cfg.vlan, "Tag every frame with this 802.1Q VLAN id (0 = untagged)")->capture_default_str();
  app.add_option("--mss", cfg.mss,
                 "TCP MSS for IPv4 (IPv6 uses MSS-20); segments carry MSS minus 12 bytes when TCP "
                 "timestamps are on. Small values give small packets")
      ->capture_default_str();
  app.add_option("--attacks", cfg.attacks,
                 "Embed this many attack instances, cycling through: sqli, bad_user_agent, testmyids, "
                 "malicious_dns, malicious_sni, portscan (see the truth file's \"attack\" field)")
      ->capture_default_str();
  app.add_option("--start-time", cfg.start_time_s, "Capture start time, epoch seconds")->capture_default_str();
  app.add_option("--impair", impair,
                 "Per-packet impairment probabilities: reorder=P,retransmit=P,overlap=P,fragment=P "
                 "(swap adjacent TCP segments; send a TCP segment twice; start a TCP segment inside the "
                 "previous one with identical bytes; split an IP packet into 2-3 IPv4/IPv6 fragments)");
  app.add_option("--clients", cfg.clients, "Number of distinct client hosts")->capture_default_str();
  app.add_option("--max-body", cfg.max_body_bytes, "Largest HTTP response body / TLS response, bytes")
      ->capture_default_str();
  app.add_option("--max-requests", cfg.max_requests_per_connection, "Most HTTP requests per keep-alive connection")
      ->capture_default_str();
  app.add_option("--scan-ports", cfg.scan_ports, "Ports probed by each port-scan attack")->capture_default_str();
  app.add_flag("-q,--quiet", quiet, "No progress or summary on stderr");
  CLI11_PARSE(app, argc, argv);

  if (!size.empty()) {
    auto bytes = vigil::synth::ParseByteSize(size);
    if (!bytes) {
      std::fprintf(stderr, "vigil-synth: %s\n", bytes.error().message.c_str());
      return 2;
    }
    cfg.target_bytes = *bytes;
  }
  if (!mix.empty()) {
    auto m = vigil::synth::ParseMix(mix);
    if (!m) {
      std::fprintf(stderr, "vigil-synth: %s\n", m.error().message.c_str());
      return 2;
    }
    cfg.mix = *m;
  }
  if (!impair.empty()) {
    auto imp = vigil::synth::ParseImpairments(impair);
    if (!imp) {
      std::fprintf(stderr, "vigil-synth: %s\n", imp.error().message.c_str());
      return 2;
    }
    cfg.impair = *imp;
  }
  if (auto st = vigil::synth::ValidateConfig(cfg); !st) {
    std::fprintf(stderr, "vigil-synth: %s\n", st.error().message.c_str());
    return 2;
  }
  vigil::synth::ProgressFn progress;
  if (!quiet) progress = [](const vigil::synth::SynthStats& s) { PrintStats("vigil-synth: progress: ", s); };
  auto stats = vigil::synth::Synthesize(cfg, progress);
  if (!stats) {
    std::fprintf(stderr, "vigil-synth: %s\n", stats.error().ToString().c_str());
    return 1;
  }
  if (!quiet) PrintStats("vigil-synth: wrote ", *stats);
  return 0;
}
