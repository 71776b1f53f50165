// IndicatorSet: the indicators of one or more bundles compiled for matching on the sensor's flow
// and protocol events — cheap enough to call on every flow (a handful of hash lookups).
//
//   IndicatorSet set;
//   set.Add(parse.indicators, /*bundle=*/0);
//   if (const IndicatorHit* h = set.MatchIp(flow.src)) alert(h->indicator, bundles[h->bundle]);
//   set.MatchDomain("www.Evil.example")   // suffix match on label boundaries, case-insensitive
//   set.MatchExact(IndicatorType::kJa3, ja3_hash)
//
// IP and CIDR indicators: one hash table per prefix length present, so a lookup costs one probe
// per distinct prefix length (typically 2–4). Domains: one probe per label suffix of the name
// whose label count some domain indicator has.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ip_address.h"
#include "rules/bundle/indicator.h"

namespace vigil::rules {

struct IndicatorHit {
  const Indicator* indicator = nullptr;
  uint32_t bundle = 0;  // the caller's bundle index given to Add()
};

class IndicatorSet {
 public:
  // Adds indicators (copied). A value already present keeps its first entry.
  void Add(const std::vector<Indicator>& indicators, uint32_t bundle);

  const IndicatorHit* MatchIp(const IpAddress& a) const;
  // Domain indicators: the name itself or any parent domain ("a.evil.example" hits
  // "evil.example"). Names are compared lowercased, trailing dot ignored.
  const IndicatorHit* MatchDomain(std::string_view name) const;
  // Exact value of a kSni, kUrl, kJa3, kMd5, kSha1 or kSha256 indicator (hashes lowercased).
  const IndicatorHit* MatchExact(IndicatorType type, std::string_view value) const;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using StringMap = std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>>;
  // An address with host bits cleared, as two 64-bit words (IPv4 in the high word's top bits).
  struct NetKey {
    uint64_t hi = 0, lo = 0;
    friend bool operator==(const NetKey&, const NetKey&) = default;
  };
  struct NetKeyHash {
    size_t operator()(const NetKey& k) const { return k.hi * 0x9E3779B97F4A7C15ull ^ k.lo; }
  };
  struct PrefixTable {
    uint8_t prefix = 0;
    uint8_t family = 4;
    std::unordered_map<NetKey, uint32_t, NetKeyHash> nets;  // masked address → entry
  };
  static NetKey Masked(const IpAddress& a, uint8_t prefix);

  uint32_t Store(const Indicator& ind, uint32_t bundle);

  std::vector<Indicator> storage_;
  std::vector<IndicatorHit> entries_;
  std::vector<PrefixTable> prefixes_;          // sorted longest prefix first
  StringMap domains_;
  // Bit n set: some domain indicator has n labels (n >= 63 share bit 63). A name's suffixes with
  // other label counts are not probed: most lists hold 2-4 label names, so a 5-label query
  // costs one or two probes instead of five.
  uint64_t domain_labels_ = 0;
  StringMap exact_[9];                         // by IndicatorType
};

}  // namespace vigil::rules
