#include "rules/correlation/correlation_rule.h"

namespace vigil {
namespace {

struct TypeName {
  CorrelationType type;
  std::string_view name;
};
constexpr TypeName kTypes[] = {
    {CorrelationType::kEventCount, "event_count"},
    {CorrelationType::kValueCount, "value_count"},
    {CorrelationType::kTemporal, "temporal"},
    {CorrelationType::kTemporalOrdered, "temporal_ordered"},
    {CorrelationType::kValueSum, "value_sum"},
    {CorrelationType::kValueAvg, "value_avg"},
    {CorrelationType::kValuePercentile, "value_percentile"},
    {CorrelationType::kAbsence, "absence"},
    {CorrelationType::kPeriodicity, "periodicity"},
};

}  // namespace

std::string_view CorrelationTypeName(CorrelationType t) {
  for (const auto& e : kTypes) {
    if (e.type == t) return e.name;
  }
  return "unknown";
}

bool ParseCorrelationType(std::string_view s, CorrelationType* out) {
  for (const auto& e : kTypes) {
    if (e.name == s) {
      *out = e.type;
      return true;
    }
  }
  return false;
}

std::string_view Threshold::OpName(Op op) {
  static constexpr std::string_view kNames[] = {"gt", "gte", "lt", "lte", "eq", "neq"};
  return op < kOpCount ? kNames[op] : "?";
}

int LevelSeverity(std::string_view level) {
  if (level == "critical") return 1;
  if (level == "high") return 2;
  if (level == "medium") return 3;
  if (level == "low") return 4;
  return 5;
}

int LevelDefaultRisk(std::string_view level) {
  if (level == "critical") return 90;
  if (level == "high") return 70;
  if (level == "medium") return 50;
  if (level == "low") return 30;
  return 10;
}

}  // namespace vigil
