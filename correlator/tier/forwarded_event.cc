#include "correlator/tier/forwarded_event.h"

namespace vigil::correlator {
namespace {

constexpr std::string_view kOriginKey = "{\"vigil_origin\":\"";
constexpr std::string_view kProvinceKey = ",\"vigil_province\":\"";
constexpr std::string_view kSourceKey = "{\"vigil_source\":\"";
constexpr std::string_view kSourceProvinceKey = ",\"vigil_source_province\":\"";

// Index just past the closing quote of the JSON string whose contents start at `from`, or npos.
size_t StringEnd(std::string_view s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

ForwardClasses ForwardClasses::Default() {
  return ForwardClasses().Add(EventClass::kAlert).Add(EventClass::kCorrelation);
}

std::string ForwardClasses::ToString() const {
  std::string out;
  for (size_t i = 0; i < kEventClassCount; ++i) {
    const auto c = static_cast<EventClass>(i);
    if (!Has(c)) continue;
    if (!out.empty()) out.push_back(',');
    out.append(EventClassName(c));
  }
  return out;
}

Result<ForwardClasses> ParseForwardClasses(const std::vector<std::string>& names) {
  ForwardClasses out;
  for (const std::string& given : names) {
    std::string name = given;
    if (name == "correlated" || name == "correlations")
      name = "correlation";
    else if (name == "anomalies")
      name = "anomaly";
    else if (name.size() > 1 && name.back() == 's' && name != "dns" && name != "tls" && name != "stats")
      name.pop_back();
    EventClass c;
    if (!ParseEventClass(name, &c)) {
      std::string valid;
      for (size_t i = 0; i < kEventClassCount; ++i) {
        if (!valid.empty()) valid += ", ";
        valid += EventClassName(static_cast<EventClass>(i));
      }
      return Error(ErrorCode::kInvalidArgument,
                   "forward-events: unknown event class '" + given + "' (valid: " + valid + ")");
    }
    out.Add(c);
  }
  return out;
}

bool RestampForUpstream(std::string_view stored, std::string* out) {
  if (stored.substr(0, kOriginKey.size()) != kOriginKey) return false;
  const size_t origin_end = StringEnd(stored, kOriginKey.size());
  if (origin_end == std::string_view::npos) return false;
  size_t rest = origin_end;
  size_t province_at = std::string_view::npos;
  if (stored.substr(origin_end, kProvinceKey.size()) == kProvinceKey) {
    province_at = origin_end + kProvinceKey.size();
    rest = StringEnd(stored, province_at);
    if (rest == std::string_view::npos) return false;
  }
  out->clear();
  out->reserve(stored.size() + 16);
  out->append(kSourceKey);
  out->append(stored.substr(kOriginKey.size(), origin_end - kOriginKey.size()));
  if (province_at != std::string_view::npos) {
    out->append(kSourceProvinceKey);
    out->append(stored.substr(province_at, rest - province_at));
  }
  out->append(stored.substr(rest));
  return true;
}

}  // namespace vigil::correlator
