#include "rules/bundle/indicator_set.h"

#include <algorithm>
#include <array>

namespace vigil::rules {
namespace {

uint64_t LoadBe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// The bit of IndicatorSet::domain_labels_ for a name's label count.
uint64_t LabelBit(std::string_view name) {
  const size_t labels = static_cast<size_t>(std::count(name.begin(), name.end(), '.')) + 1;
  return uint64_t{1} << std::min<size_t>(labels, 63);
}

// The top `bits` bits set (0..64).
uint64_t TopMask(int bits) {
  if (bits <= 0) return 0;
  if (bits >= 64) return ~uint64_t{0};
  return ~uint64_t{0} << (64 - bits);
}

}  // namespace

IndicatorSet::NetKey IndicatorSet::Masked(const IpAddress& a, uint8_t prefix) {
  // IpAddress keeps IPv4 in the first 4 bytes and zeros after, so both families read alike.
  NetKey k{LoadBe64(a.data()), LoadBe64(a.data() + 8)};
  k.hi &= TopMask(prefix);
  k.lo &= TopMask(prefix - 64);
  return k;
}

uint32_t IndicatorSet::Store(const Indicator& ind, uint32_t bundle) {
  storage_.push_back(ind);
  entries_.push_back({nullptr, bundle});
  return static_cast<uint32_t>(entries_.size() - 1);
}

void IndicatorSet::Add(const std::vector<Indicator>& indicators, uint32_t bundle) {
  // Pointers into storage_ are fixed up at the end: storage_ may reallocate while adding.
  storage_.reserve(storage_.size() + indicators.size());
  for (const Indicator& ind : indicators) {
    switch (ind.type) {
      case IndicatorType::kIp:
      case IndicatorType::kCidr: {
        auto it = std::find_if(prefixes_.begin(), prefixes_.end(), [&](const PrefixTable& t) {
          return t.prefix == ind.prefix && t.family == ind.address.family;
        });
        if (it == prefixes_.end()) {
          prefixes_.push_back({ind.prefix, ind.address.family, {}});
          it = prefixes_.end() - 1;
        }
        const NetKey key = Masked(ind.address, ind.prefix);
        if (it->nets.count(key) == 0) it->nets.emplace(key, Store(ind, bundle));
        break;
      }
      case IndicatorType::kDomain:
        if (domains_.find(ind.value) == domains_.end()) {
          domains_.emplace(ind.value, Store(ind, bundle));
          domain_labels_ |= LabelBit(ind.value);
        }
        break;
      default: {
        StringMap& m = exact_[static_cast<size_t>(ind.type)];
        if (m.find(ind.value) == m.end()) m.emplace(ind.value, Store(ind, bundle));
        break;
      }
    }
  }
  std::sort(prefixes_.begin(), prefixes_.end(),
            [](const PrefixTable& a, const PrefixTable& b) { return a.prefix > b.prefix; });
  for (size_t i = 0; i < entries_.size(); ++i) entries_[i].indicator = &storage_[i];
}

const IndicatorHit* IndicatorSet::MatchIp(const IpAddress& a) const {
  for (const PrefixTable& t : prefixes_) {
    if (t.family != a.family) continue;
    auto it = t.nets.find(Masked(a, t.prefix));
    if (it != t.nets.end()) return &entries_[it->second];
  }
  return nullptr;
}

const IndicatorHit* IndicatorSet::MatchDomain(std::string_view name) const {
  if (domains_.empty()) return nullptr;
  std::array<char, 256> buf;
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > buf.size()) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view lower(buf.data(), name.size());
  size_t labels = static_cast<size_t>(std::count(lower.begin(), lower.end(), '.')) + 1;
  while (true) {
    if (domain_labels_ & (uint64_t{1} << std::min<size_t>(labels, 63))) {
      if (auto it = domains_.find(lower); it != domains_.end()) return &entries_[it->second];
    }
    const size_t dot = lower.find('.');
    if (dot == std::string_view::npos) return nullptr;
    lower.remove_prefix(dot + 1);
    --labels;
  }
}

const IndicatorHit* IndicatorSet::MatchExact(IndicatorType type, std::string_view value) const {
  const StringMap& m = exact_[static_cast<size_t>(type)];
  if (m.empty()) return nullptr;
  std::array<char, 256> buf;
  if (type != IndicatorType::kUrl && value.size() <= buf.size()) {
    for (size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    value = std::string_view(buf.data(), value.size());
  }
  auto it = m.find(value);
  return it == m.end() ? nullptr : &entries_[it->second];
}

}  // namespace vigil::rules
