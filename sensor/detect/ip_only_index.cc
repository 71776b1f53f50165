#include "sensor/detect/ip_only_index.h"

#include <algorithm>
#include <map>

namespace vigil::sensor {
namespace {

uint64_t V4Coverage(const rules::AddressSet& s) {
  uint64_t n = 0;
  for (const auto& r : s.v4().ranges()) n += uint64_t{r.hi} - r.lo + 1;
  return n;
}

}  // namespace

const rules::AddressSet* IpOnlyIndex::ChooseSet(const rules::AddressSet* src,
                                                const rules::AddressSet* dst) {
  constexpr uint64_t kMaxCoverage = uint64_t{1} << 24;
  const rules::AddressSet* best = nullptr;
  uint64_t best_cov = kMaxCoverage + 1;
  for (const rules::AddressSet* s : {src, dst}) {
    if (!s || s->is_any()) continue;
    // A set with IPv6 ranges covering everything (e.g. !$HOME_NET) is not selective.
    if (!s->v6().empty() && s->v6().full()) continue;
    uint64_t cov = V4Coverage(*s);
    if (cov < best_cov) {
      best = s;
      best_cov = cov;
    }
  }
  return best_cov <= kMaxCoverage ? best : nullptr;
}

void IpOnlyIndex::Add(uint32_t rule, const rules::AddressSet& set) {
  for (const auto& r : set.v4().ranges()) {
    events_.push_back({r.lo, rule, true});
    events_.push_back({uint64_t{r.hi} + 1, rule, false});
  }
  if (!set.v6().empty()) v6_rules_.push_back(rule);
  ++rules_;
}

void IpOnlyIndex::Finish() {
  std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  std::map<uint32_t, uint32_t> active;  // rule → number of its ranges covering the sweep point
  size_t i = 0;
  while (i < events_.size()) {
    uint64_t at = events_[i].at;
    for (; i < events_.size() && events_[i].at == at; ++i) {
      if (events_[i].start) {
        ++active[events_[i].rule];
      } else if (--active[events_[i].rule] == 0) {
        active.erase(events_[i].rule);
      }
    }
    starts_.push_back(at);
    first_.push_back(static_cast<uint32_t>(ids_.size()));
    for (const auto& [rule, n] : active) ids_.push_back(rule);
  }
  first_.push_back(static_cast<uint32_t>(ids_.size()));
  events_.clear();
  events_.shrink_to_fit();
}

void IpOnlyIndex::LookupV4(uint32_t a, std::vector<uint32_t>* out) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), uint64_t{a});
  if (it == starts_.begin()) return;
  size_t k = static_cast<size_t>(it - starts_.begin()) - 1;
  out->insert(out->end(), ids_.begin() + first_[k], ids_.begin() + first_[k + 1]);
}

void IpOnlyIndex::Lookup(const IpAddress& src, const IpAddress& dst, std::vector<uint32_t>* out) const {
  if (rules_ == 0) return;
  if (src.is_v4() || dst.is_v4()) {
    auto v4 = [](const IpAddress& x) {
      return (uint32_t{x.bytes[0]} << 24) | (uint32_t{x.bytes[1]} << 16) | (uint32_t{x.bytes[2]} << 8) | x.bytes[3];
    };
    if (src.is_v4()) LookupV4(v4(src), out);
    if (dst.is_v4()) LookupV4(v4(dst), out);
  }
  if (src.is_v6() || dst.is_v6()) out->insert(out->end(), v6_rules_.begin(), v6_rules_.end());
}

}  // namespace vigil::sensor
