#include "rules/correlation/rule_set.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace vigil {
namespace {

struct RuleRef {
  bool is_correlation;
  uint32_t index;
  SourcePos pos;
};

uint64_t Mix(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= 0xff;
  return h * 1099511628211ULL;
}

}  // namespace

std::span<const uint32_t> RuleSet::DetectionsFor(std::string_view event_type) const {
  for (const auto& [type, list] : by_type_) {
    if (type == event_type) return list;
  }
  return any_type_;
}

bool RuleSetBuilder::AddFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors_.emplace_back(ErrorCode::kNotFound, path + ": cannot open rule file");
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  AddText(path, ss.str());
  return true;
}

void RuleSetBuilder::AddText(std::string_view name, std::string_view text) {
  ParseRuleText(name, text, config_, parsed_, errors_);
}

Result<RuleSet> RuleSetBuilder::Build() {
  RuleSet rs;
  rs.detections_ = std::move(parsed_.detections);
  rs.correlations_ = std::move(parsed_.correlations);
  parsed_ = {};
  auto report = [&](const SourcePos& pos, const std::string& msg) {
    if (errors_.size() < config_.max_errors) errors_.emplace_back(ErrorCode::kInvalidArgument, pos.ToString() + ": " + msg);
  };

  // Names and ids share one namespace: a reference may use either.
  std::map<std::string, RuleRef> names;
  auto declare = [&](const std::string& key, RuleRef ref) {
    if (key.empty()) return;
    auto [it, inserted] = names.emplace(key, ref);
    if (!inserted) {
      report(ref.pos, "duplicate rule name or id '" + key + "' (first defined at " + it->second.pos.ToString() + ")");
    }
  };
  for (uint32_t i = 0; i < rs.detections_.size(); ++i) {
    const DetectionRule& d = rs.detections_[i];
    declare(d.id, {false, i, d.pos});
    if (d.name != d.id) declare(d.name, {false, i, d.pos});
  }
  for (uint32_t i = 0; i < rs.correlations_.size(); ++i) {
    const CorrelationRule& c = rs.correlations_[i];
    declare(c.id, {true, i, c.pos});
    if (c.name != c.id) declare(c.name, {true, i, c.pos});
  }

  rs.detection_consumers_.resize(rs.detections_.size());
  rs.correlation_consumers_.resize(rs.correlations_.size());
  rs.detection_generates_.assign(rs.detections_.size(), 0);

  for (uint32_t ci = 0; ci < rs.correlations_.size(); ++ci) {
    CorrelationRule& c = rs.correlations_[ci];
    bool ok = true;
    for (size_t k = 0; k < c.rule_refs.size(); ++k) {
      auto it = names.find(c.rule_refs[k]);
      if (it == names.end()) {
        report(c.rule_ref_pos[k], "unknown rule reference '" + c.rule_refs[k] +
                                      "': no detection or correlation rule has this name or id");
        ok = false;
        continue;
      }
      CorrelationRule::Source src;
      src.is_correlation = it->second.is_correlation;
      src.index = it->second.index;
      c.sources.push_back(std::move(src));
    }
    if (!ok) continue;
    // Aliases may name a referenced rule by what `rules` says, or by its name or id.
    auto alias_field = [&](const std::string& alias, size_t k, std::string* field) {
      const auto& m = c.aliases.at(alias);
      const CorrelationRule::Source& s = c.sources[k];
      const std::string& name = s.is_correlation ? rs.correlations_[s.index].name : rs.detections_[s.index].name;
      const std::string& id = s.is_correlation ? rs.correlations_[s.index].id : rs.detections_[s.index].id;
      const std::string* keys[] = {&c.rule_refs[k], &name, &id};
      for (const std::string* key : keys) {
        auto f = m.find(*key);
        if (f != m.end()) {
          *field = f->second;
          return true;
        }
      }
      return false;
    };
    for (const auto& [alias, m] : c.aliases) {
      for (const auto& [rule, field] : m) {
        (void)field;
        bool known = false;
        for (size_t k = 0; k < c.rule_refs.size(); ++k) {
          const auto& s = c.sources[k];
          const std::string& name = s.is_correlation ? rs.correlations_[s.index].name : rs.detections_[s.index].name;
          const std::string& id = s.is_correlation ? rs.correlations_[s.index].id : rs.detections_[s.index].id;
          known |= (rule == c.rule_refs[k] || rule == name || rule == id);
        }
        if (!known) {
          report(c.pos, "alias '" + alias + "' names rule '" + rule + "', which this correlation does not reference");
          ok = false;
        }
      }
    }
    for (size_t k = 0; k < c.sources.size() && ok; ++k) {
      auto& src = c.sources[k];
      for (const std::string& g : c.group_by) {
        std::string field = g;
        if (c.aliases.count(g) && !alias_field(g, k, &field)) {
          report(c.rule_ref_pos[k], "alias '" + g + "' gives no field for rule '" + c.rule_refs[k] + "'");
          ok = false;
          break;
        }
        src.group_paths.emplace_back(field);
      }
      if (!c.field.empty()) {
        std::string field = c.field;
        if (c.aliases.count(c.field) && !alias_field(c.field, k, &field)) {
          report(c.rule_ref_pos[k], "alias '" + c.field + "' gives no field for rule '" + c.rule_refs[k] + "'");
          ok = false;
        }
        src.value_path = FieldPath(field);
      }
    }
    if (!ok) continue;
    for (uint32_t k = 0; k < c.sources.size(); ++k) {
      const auto& s = c.sources[k];
      if (s.is_correlation) {
        if (s.index == ci) {
          report(c.rule_ref_pos[k], "correlation '" + c.Label() + "' references itself");
          continue;
        }
        rs.correlation_consumers_[s.index].push_back({ci, k});
      } else {
        rs.detection_consumers_[s.index].push_back({ci, k});
        if (c.generate) rs.detection_generates_[s.index] = 1;
      }
    }
  }

  // Cycles in chaining: depth-first search with colours; report the path.
  std::vector<uint8_t> colour(rs.correlations_.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<uint32_t> stack;
  bool cycle = false;
  auto visit = [&](auto&& self, uint32_t ci) -> void {
    if (cycle) return;
    colour[ci] = 1;
    stack.push_back(ci);
    for (const auto& s : rs.correlations_[ci].sources) {
      if (!s.is_correlation || s.index == ci) continue;
      if (colour[s.index] == 1) {
        std::string path;
        auto from = std::find(stack.begin(), stack.end(), s.index);
        for (auto it = from; it != stack.end(); ++it) path += "'" + rs.correlations_[*it].Label() + "' -> ";
        path += "'" + rs.correlations_[s.index].Label() + "'";
        report(rs.correlations_[s.index].pos, "cycle in correlation chaining: " + path);
        cycle = true;
        return;
      }
      if (colour[s.index] == 0) self(self, s.index);
    }
    stack.pop_back();
    colour[ci] = 2;
    rs.topo_.push_back(ci);  // after everything it consumes
  };
  for (uint32_t ci = 0; ci < rs.correlations_.size() && !cycle; ++ci) {
    if (colour[ci] == 0) visit(visit, ci);
  }

  if (!errors_.empty()) {
    std::string msg;
    for (const Error& e : errors_) msg += (msg.empty() ? "" : "\n") + e.message;
    errors_.clear();
    return Error(ErrorCode::kInvalidArgument, msg);
  }

  // Index detection rules by event type; skip rules nobody consumes.
  for (uint32_t d = 0; d < rs.detections_.size(); ++d) {
    if (rs.detection_consumers_[d].empty() && !rs.detection_generates_[d]) continue;
    const std::string& type = rs.detections_[d].event_type;
    if (type.empty()) {
      rs.any_type_.push_back(d);
      for (auto& [t, list] : rs.by_type_) list.push_back(d);
      continue;
    }
    auto it = std::find_if(rs.by_type_.begin(), rs.by_type_.end(), [&](const auto& e) { return e.first == type; });
    if (it == rs.by_type_.end()) {
      rs.by_type_.emplace_back(type, rs.any_type_);
      it = rs.by_type_.end() - 1;
    }
    it->second.push_back(d);
  }

  uint64_t h = 1469598103934665603ULL;
  for (const auto& d : rs.detections_) h = Mix(Mix(h, d.Label()), d.event_type);
  for (const auto& c : rs.correlations_) {
    h = Mix(Mix(h, c.Label()), CorrelationTypeName(c.type));
    h = Mix(h, std::to_string(c.timespan_ns));
    for (const auto& g : c.group_by) h = Mix(h, g);
    for (const auto& r : c.rule_refs) h = Mix(h, r);
  }
  rs.fingerprint_ = h;
  return rs;
}

}  // namespace vigil
