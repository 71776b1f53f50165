#include "sensor/reload/detect_state_remap.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::sensor {

namespace {

std::vector<int64_t> MapNames(const std::vector<std::string>& from,
                              const std::vector<std::string>& to) {
  std::unordered_map<std::string_view, int64_t> index;
  index.reserve(to.size());
  for (size_t i = 0; i < to.size(); ++i) index.emplace(to[i], static_cast<int64_t>(i));
  std::vector<int64_t> out(from.size(), DetectStateRemap::kDropped);
  for (size_t i = 0; i < from.size(); ++i) {
    if (auto it = index.find(from[i]); it != index.end()) out[i] = it->second;
  }
  return out;
}

uint64_t RuleKey(const EngineRule& r) {
  return (static_cast<uint64_t>(r.rule->meta.gid) << 32) | r.rule->meta.sid;
}

}  // namespace

DetectStateRemap::DetectStateRemap(const DetectEngine* from, const DetectEngine* to) {
  if (from == nullptr) return;
  if (to == nullptr) {
    flowbits_.assign(from->flowbit_count(), kDropped);
    flowints_.assign(from->flowint_count(), kDropped);
    rules_.assign(from->rules().size(), kDropped);
    return;
  }
  flowbits_ = MapNames(from->flowbit_names(), to->flowbit_names());
  flowints_ = MapNames(from->flowint_names(), to->flowint_names());
  std::unordered_map<uint64_t, int64_t> by_sid;
  by_sid.reserve(to->rules().size());
  for (size_t i = 0; i < to->rules().size(); ++i) {
    by_sid.emplace(RuleKey(to->rules()[i]), static_cast<int64_t>(i));
  }
  rules_.assign(from->rules().size(), kDropped);
  for (size_t i = 0; i < from->rules().size(); ++i) {
    if (auto it = by_sid.find(RuleKey(from->rules()[i])); it != by_sid.end()) {
      rules_[i] = it->second;
    }
  }
}

void DetectStateRemap::Apply(FlowDetectState& state,
                             std::vector<std::pair<uint64_t, uint32_t>>& tx_alerted) {
  set_bits_.clear();
  for (size_t w = 0; w < state.bits.size(); ++w) {
    for (uint64_t word = state.bits[w]; word != 0; word &= word - 1) {
      const auto old_id = static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word)));
      if (const int64_t id = flowbit(old_id); id != kDropped) {
        set_bits_.push_back(static_cast<uint32_t>(id));
      }
    }
  }
  state.bits.clear();
  for (uint32_t id : set_bits_) state.Set(id, true);

  std::vector<std::pair<uint32_t, uint32_t>> ints;
  for (uint32_t old_id = 0; old_id < state.ints_set.size(); ++old_id) {
    if (!state.ints_set[old_id]) continue;
    if (const int64_t id = flowint(old_id); id != kDropped) {
      ints.emplace_back(static_cast<uint32_t>(id), state.ints[old_id]);
    }
  }
  state.ints.clear();
  state.ints_set.clear();
  for (const auto& [id, value] : ints) state.SetInt(id, value);

  state.rates.clear();

  size_t out = 0;
  for (const auto& [tx, old_index] : tx_alerted) {
    if (const int64_t idx = rule(old_index); idx != kDropped) {
      tx_alerted[out++] = {tx, static_cast<uint32_t>(idx)};
    }
  }
  tx_alerted.resize(out);
}

}  // namespace vigil::sensor
