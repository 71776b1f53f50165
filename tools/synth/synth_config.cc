#include "tools/synth/synth_config.h"

#include <charconv>
#include <cctype>
#include <string>

namespace vigil::synth {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Result<double> ParseProbability(std::string_view key, std::string_view v) {
  double p = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
  if (ec != std::errc() || ptr != v.data() + v.size() || !(p >= 0.0 && p <= 1.0)) {
    return Error(ErrorCode::kInvalidArgument,
                 "impairment '" + std::string(key) + "' needs a probability in [0,1], got '" +
                     std::string(v) + "'");
  }
  return p;
}

// Calls fn(key, value) for each "key=value" in a comma-separated list.
template <typename Fn>
Status ForEachPair(std::string_view text, std::string_view what, Fn&& fn) {
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(what) + ": expected key=value, got '" + std::string(item) + "'");
    }
    VIGIL_CHECK_OK(fn(Lower(Trim(item.substr(0, eq))), Trim(item.substr(eq + 1))));
  }
  return Ok();
}

}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text) {
  std::string_view s = Trim(text);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + i, value);
  if (i == 0 || ec != std::errc() || ptr != s.data() + i || value < 0) {
    return Error(ErrorCode::kInvalidArgument, "size '" + std::string(text) + "' is not a number with an optional unit (100MB, 2GiB)");
  }
  const std::string unit = Lower(Trim(s.substr(i)));
  double mult = 0;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kb") mult = 1e3;
  else if (unit == "m" || unit == "mb") mult = 1e6;
  else if (unit == "g" || unit == "gb") mult = 1e9;
  else if (unit == "kib") mult = 1024.0;
  else if (unit == "mib") mult = 1024.0 * 1024;
  else if (unit == "gib") mult = 1024.0 * 1024 * 1024;
  if (mult == 0) {
    return Error(ErrorCode::kInvalidArgument, "size '" + std::string(text) + "': unknown unit '" + unit + "' (use B, KB, MB, GB, KiB, MiB, GiB)");
  }
  const double bytes = value * mult;
  if (bytes > 1e15) return Error(ErrorCode::kInvalidArgument, "size '" + std::string(text) + "' is too large");
  return static_cast<uint64_t>(bytes);
}

Result<TrafficMix> ParseMix(std::string_view text) {
  TrafficMix mix{0, 0, 0, 0};
  auto st = ForEachPair(text, "mix", [&](const std::string& key, std::string_view v) -> Status {
    uint32_t w = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), w);
    if (ec != std::errc() || ptr != v.data() + v.size() || w > 1'000'000) {
      return Error(ErrorCode::kInvalidArgument, "mix: weight of '" + key + "' must be an integer 0..1000000, got '" + std::string(v) + "'");
    }
    if (key == "http") mix.http = w;
    else if (key == "dns") mix.dns = w;
    else if (key == "tls") mix.tls = w;
    else if (key == "udp") mix.udp = w;
    else return Error(ErrorCode::kInvalidArgument, "mix: unknown kind '" + key + "' (http, dns, tls, udp)");
    return Ok();
  });
  if (!st) return std::move(st).error();
  return mix;
}

Result<Impairments> ParseImpairments(std::string_view text) {
  Impairments imp;
  auto st = ForEachPair(text, "impair", [&](const std::string& key, std::string_view v) -> Status {
    VIGIL_TRY(double p, ParseProbability(key, v));
    if (key == "reorder") imp.reorder = p;
    else if (key == "retransmit") imp.retransmit = p;
    else if (key == "overlap") imp.overlap = p;
    else if (key == "fragment") imp.fragment = p;
    else return Error(ErrorCode::kInvalidArgument, "impair: unknown kind '" + key + "' (reorder, retransmit, overlap, fragment)");
    return Ok();
  });
  if (!st) return std::move(st).error();
  return imp;
}

Status ValidateConfig(const SynthConfig& c) {
  auto bad = [](std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); };
  if (c.out_path.empty()) return bad("out: an output pcap path is required");
  if (c.target_bytes == 0 && c.flows == 0 && c.attacks == 0) {
    return bad("give a size (--size) or a flow count (--flows) to say when to stop");
  }
  const uint64_t weights = uint64_t{c.mix.http} + c.mix.dns + c.mix.tls + c.mix.udp;
  if (weights == 0 && (c.flows > 0 || c.target_bytes > 0)) return bad("mix: all weights are 0");
  if (c.concurrency < 1 || c.concurrency > 100'000) return bad("concurrency must be in 1..100000");
  if (!(c.ipv6_fraction >= 0 && c.ipv6_fraction <= 1)) return bad("ipv6 fraction must be in [0,1]");
  if (c.vlan > 4094) return bad("vlan id must be in 0..4094 (0 = untagged)");
  if (c.mss < 88 || c.mss > 9000) return bad("mss must be in 88..9000");
  for (double p : {c.impair.reorder, c.impair.retransmit, c.impair.overlap, c.impair.fragment}) {
    if (!(p >= 0 && p <= 1)) return bad("impairment probabilities must be in [0,1]");
  }
  if (c.clients < 1 || c.clients > 1'000'000) return bad("clients must be in 1..1000000");
  if (c.max_body_bytes < 64 || c.max_body_bytes > (64u << 20)) return bad("max_body_bytes must be in 64..64MiB");
  if (c.max_requests_per_connection < 1 || c.max_requests_per_connection > 1000) return bad("max_requests_per_connection must be in 1..1000");
  if (c.max_app_records < 1 || c.max_app_records > 10'000) return bad("max_app_records must be in 1..10000");
  // One flow's frames live in one arena addressed by 32-bit offsets (flow_packets.h).
  constexpr uint64_t kMaxFlowBytes = 2ull << 30;
  if (uint64_t{c.max_body_bytes} * c.max_requests_per_connection > kMaxFlowBytes ||
      uint64_t{c.max_body_bytes} * c.max_app_records > kMaxFlowBytes) {
    return bad("max_body_bytes times max_requests_per_connection (or max_app_records) must stay under 2 GiB per flow");
  }
  if (c.scan_ports < 1 || c.scan_ports > 60'000) return bad("scan_ports must be in 1..60000");
  if (c.start_time_s < 0 || c.start_time_s > 4'000'000'000LL) return bad("start time must be in 0..4000000000 (epoch seconds)");
  return Ok();
}

}  // namespace vigil::synth
