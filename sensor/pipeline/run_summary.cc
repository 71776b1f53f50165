#include "sensor/pipeline/run_summary.h"

#include <fmt/format.h>

namespace vigil::sensor {

RunSummary RunSummary::FromRegistry(const CounterRegistry& registry) {
  RunSummary s;
  for (const CounterValue& v : registry.Snapshot()) s.counters.emplace_back(v.name, v.value);
  return s;
}

uint64_t RunSummary::Counter(std::string_view name) const {
  for (const auto& [n, v] : counters) {
    if (n == name) return v;
  }
  return 0;
}

uint64_t RunSummary::Sum(std::string_view prefix) const {
  uint64_t total = 0;
  for (const auto& [n, v] : counters) {
    if (std::string_view(n).starts_with(prefix)) total += v;
  }
  return total;
}

namespace {

bool IsAnomalyName(std::string_view n) {
  // Counters named after anomalies: decoder.event.*, defrag.ipv{4,6}.<anomaly>, stream.*.
  if (n.starts_with("decoder.event.") || n.starts_with("stream.")) return true;
  if (n.starts_with("defrag.ipv4.") || n.starts_with("defrag.ipv6.")) {
    return !n.ends_with(".fragments") && !n.ends_with(".reassembled");
  }
  return false;
}

}  // namespace

std::string RunSummary::Format() const {
  auto c = [&](std::string_view n) { return Counter(n); };
  const double secs = wall_seconds > 0 ? wall_seconds : 1e-9;
  const uint64_t pkts = c("capture.packets");
  const uint64_t bytes = c("capture.bytes");
  std::string out;
  auto line = [&](std::string s) {
    out += s;
    out += '\n';
  };
  line(fmt::format("vigil-sensor: {} run, {} worker{}, {:.2f} s{}", runmode, workers,
                   workers == 1 ? "" : "s", wall_seconds, stopped ? " (stopped)" : ""));
  line(fmt::format("  packets     {:>12}  ({:.0f} pkt/s)", pkts, pkts / secs));
  line(fmt::format("  bytes       {:>12}  ({:.3f} Gbit/s)", bytes, bytes * 8.0 / secs / 1e9));
  line(fmt::format("  drops       kernel {} (if {}), queue full {}, no buffer {}",
                   c("capture.kernel_drops"), c("capture.kernel_ifdrops"),
                   c("capture.queue_full_drops"), c("capture.pool_exhausted_drops")));
  line(fmt::format("  decoded     ipv4 {}, ipv6 {}, tcp {}, udp {}, icmp {}, non-ip {}, invalid {}",
                   c("decoder.ipv4"), c("decoder.ipv6"), c("decoder.tcp"), c("decoder.udp"),
                   c("decoder.icmpv4") + c("decoder.icmpv6"), c("pipeline.non_ip"),
                   c("decoder.invalid")));
  line(fmt::format("  checksums   bad {} (not inspected: {})", c("decoder.checksum_bad"),
                   c("pipeline.checksum_skipped")));
  line(fmt::format("  fragments   {} taken, {} datagrams reassembled, {} timed out",
                   c("pipeline.fragments"), c("pipeline.reassembled"), c("defrag.timeouts")));
  line(fmt::format("  flows       created {}, timed out {}, tcp closed {}, evicted {}, forced {}, "
                   "at shutdown {}",
                   c("flow.created"), c("flow.ended.timeout"), c("flow.ended.tcp_closed"),
                   c("flow.evicted.emergency"), c("flow.ended.forced"), c("flow.ended.shutdown")));
  line(fmt::format("  tcp         sessions {}, midstream {}, not reassembled {}, gaps {} ({} bytes), "
                   "delivered {} bytes",
                   c("tcp.sessions"), c("tcp.midstream_pickups"), c("tcp.not_reassembled"),
                   c("tcp.reassembly_gap"), c("tcp.reassembly_gap_bytes"),
                   c("tcp.delivered_bytes")));
  line(fmt::format("  memcap hits flow {}, stream {} (+{} session, {} untracked), defrag {}",
                   c("flow.memcap_hits"), c("tcp.memcap_drops"), c("tcp.session_memcap_drops"),
                   c("pipeline.stream_memcap_untracked"), c("defrag.memcap_drops")));
  line(fmt::format("  events      flow {}, anomaly {}, stats {}, alert {}; write errors {}",
                   c("output.events.flow"), c("output.events.anomaly"), c("output.events.stats"),
                   c("output.events.alert"), c("output.write_errors")));
  uint64_t anomalies = 0;
  std::string names;
  for (const auto& [n, v] : counters) {
    if (v == 0 || !IsAnomalyName(n)) continue;
    anomalies += v;
    // As the anomaly events name them: decoder.event.ipv4.trunc_pkt -> decoder.ipv4.trunc_pkt.
    std::string shown = n.starts_with("decoder.event.") ? "decoder." + n.substr(14) : n;
    names += fmt::format("    {:<48} {:>10}\n", shown, v);
  }
  line(fmt::format("  anomalies   {}", anomalies));
  out += names;
  for (const std::string& e : file_errors) line("  file error  " + e);
  return out;
}

}  // namespace vigil::sensor
