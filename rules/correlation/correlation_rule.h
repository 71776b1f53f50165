// CorrelationRule: a compiled correlation rule (Sigma correlation spec v2.x plus Vigil's
// absence, periodicity and suppression).
//
//   title: Port scan
//   name: port_scan
//   level: medium
//   risk: 40
//   correlation:
//     type: value_count
//     rules: [tcp_flow]
//     group-by: [src_ip]
//     timespan: 1m
//     condition: {field: dest_port, gte: 50}
//     suppress: 10m
//
// The rule set (rule_set.h) resolves `rules` to detection or correlation rules and fills
// `sources`: for each referenced rule, the field paths that give the group key (after aliases)
// and the value field. Everything here is immutable once built and shared by engine threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rules/correlation/event_view.h"
#include "rules/correlation/source_pos.h"

namespace vigil {

enum class CorrelationType : uint8_t {
  kEventCount,       // number of events in the window
  kValueCount,       // number of distinct values of `field`
  kTemporal,         // every referenced rule seen in the window, any order
  kTemporalOrdered,  // every referenced rule seen in the window, in the listed order
  kValueSum,         // sum of the numeric `field`
  kValueAvg,         // mean of the numeric `field`
  kValuePercentile,  // the `percentile`-th percentile of the numeric `field`
  kAbsence,          // Vigil: rules[0] NOT followed by rules[1] within the timespan
  kPeriodicity,      // Vigil: events at regular intervals (beaconing)
};
std::string_view CorrelationTypeName(CorrelationType t);
bool ParseCorrelationType(std::string_view s, CorrelationType* out);

// gt/gte/lt/lte/eq/neq, ANDed. An empty threshold holds for every value.
struct Threshold {
  enum Op : uint8_t { kGt, kGte, kLt, kLte, kEq, kNeq, kOpCount };
  bool has[kOpCount] = {};
  double value[kOpCount] = {};

  bool empty() const {
    for (bool h : has) {
      if (h) return false;
    }
    return true;
  }
  bool Test(double x) const {
    if (has[kGt] && !(x > value[kGt])) return false;
    if (has[kGte] && !(x >= value[kGte])) return false;
    if (has[kLt] && !(x < value[kLt])) return false;
    if (has[kLte] && !(x <= value[kLte])) return false;
    if (has[kEq] && !(x == value[kEq])) return false;
    if (has[kNeq] && !(x != value[kNeq])) return false;
    return true;
  }
  static std::string_view OpName(Op op);
};

struct PeriodicitySpec {
  uint32_t min_events = 6;          // events (so min_events - 1 intervals) before judging
  double max_jitter = 0.1;          // stddev / mean of the intervals must not exceed this
  int64_t min_interval_ns = 1'000'000'000;  // mean interval at least this (1s: not a burst)
  int64_t max_interval_ns = 0;      // mean interval at most this; 0 = the timespan
};

// Sigma levels, and the numbers we derive from them.
int LevelSeverity(std::string_view level);   // critical 1, high 2, medium 3, low 4, informational 5
int LevelDefaultRisk(std::string_view level); // critical 90, high 70, medium 50, low 30, info 10

struct CorrelationRule {
  std::string id;
  std::string name;
  std::string title;
  std::string level = "medium";
  int risk = 50;  // 0..100; from `risk`, else from the level
  CorrelationType type = CorrelationType::kEventCount;

  std::vector<std::string> rule_refs;  // as written under `rules`
  std::vector<SourcePos> rule_ref_pos;
  std::vector<std::string> group_by;
  // alias -> (referenced rule name or id -> field)
  std::map<std::string, std::map<std::string, std::string>> aliases;
  int64_t timespan_ns = 0;
  Threshold condition;
  std::string field;        // value_* types
  double percentile = 50;   // value_percentile: 0..100
  bool generate = false;    // referenced detection rules also alert on their own
  int64_t suppress_ns = 0;  // after an alert for a group key, none for that key for this long
  PeriodicitySpec periodicity;
  SourcePos pos;

  // ---- Filled by RuleSet::Build ----
  struct Source {
    bool is_correlation = false;  // chaining: the referenced rule is a correlation rule
    uint32_t index = 0;           // into RuleSet::detections() or correlations()
    std::vector<FieldPath> group_paths;  // one per group_by entry, aliases applied
    FieldPath value_path;                // `field` (aliases applied); empty when unused
  };
  std::vector<Source> sources;

  const std::string& Label() const { return id.empty() ? name : id; }
  bool NeedsValue() const {
    return type == CorrelationType::kValueCount || type == CorrelationType::kValueSum ||
           type == CorrelationType::kValueAvg || type == CorrelationType::kValuePercentile;
  }
};

}  // namespace vigil
