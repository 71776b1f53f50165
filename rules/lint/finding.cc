#include "rules/lint/finding.h"

#include <array>

namespace vigil::rules::lint {
namespace {

constexpr std::array<CodeInfo, static_cast<size_t>(Code::kCount)> kCodes{{
    {Code::kIoError, "io-error", Severity::kError, "file cannot be read"},
    {Code::kParseError, "parse-error", Severity::kError, "signature rule does not parse: not loaded"},
    {Code::kUnknownVariable, "unknown-variable", Severity::kError,
     "address/port variable not defined (--var NAME=VALUE or -c sensor.yaml): not loaded"},
    {Code::kCorrelationError, "correlation-error", Severity::kError, "correlation rule (YAML) is invalid"},
    {Code::kConfigError, "config-error", Severity::kError, "classification/threshold config problem"},
    {Code::kPcreError, "pcre-error", Severity::kError, "pcre does not compile (PCRE2): the sensor skips the rule"},
    {Code::kUnsupported, "unsupported", Severity::kWarning, "valid Suricata, but Vigil skips the rule"},
    {Code::kDuplicateSid, "duplicate-sid", Severity::kWarning, "same gid:sid defined twice"},
    {Code::kNoFastPattern, "no-fast-pattern", Severity::kWarning,
     "no prefilter literal: the rule is checked on every packet of its group"},
    {Code::kShortFastPattern, "short-fast-pattern", Severity::kWarning,
     "1-2 byte prefilter literal: matches often, costly"},
    {Code::kDsizeConflict, "dsize-conflict", Severity::kWarning, "can never match: dsize vs contents"},
    {Code::kBsizeConflict, "bsize-conflict", Severity::kWarning, "can never match: bsize vs contents"},
    {Code::kUrilenConflict, "urilen-conflict", Severity::kWarning, "can never match: urilen vs http.uri contents"},
    {Code::kIsdataatConflict, "isdataat-conflict", Severity::kWarning, "can never match: isdataat vs contents/sizes"},
    {Code::kAfterEndswith, "after-endswith", Severity::kWarning,
     "can never match: a relative match after an endswith content"},
    {Code::kFlowConflict, "flow-conflict", Severity::kWarning,
     "can never match: flow direction vs buffers of the other direction"},
    {Code::kUnknownClasstype, "unknown-classtype", Severity::kWarning,
     "classtype not in the classification config (no category/severity)"},
    {Code::kThresholdUnknownSid, "threshold-unknown-sid", Severity::kWarning,
     "threshold.config entry for a rule that is not loaded"},
    {Code::kLegacySyntax, "legacy-syntax", Severity::kInfo,
     "deprecated spelling (uricontent, http_* modifiers, pcre buffer flags)"},
}};

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "?";
}

bool ParseSeverity(std::string_view name, Severity* out) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (name == SeverityName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

const CodeInfo& GetCodeInfo(Code c) {
  const size_t i = static_cast<size_t>(c);
  return i < kCodes.size() ? kCodes[i] : kCodes[static_cast<size_t>(Code::kParseError)];
}

std::span<const CodeInfo> AllCodes() { return kCodes; }

std::string Finding::ToString() const {
  std::string s = file;
  if (line != 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  s += ": ";
  s += SeverityName(severity());
  s += ' ';
  s += GetCodeInfo(code).name;
  if (sid != 0) s += " [" + std::to_string(gid) + ":" + std::to_string(sid) + "]";
  s += ' ';
  return s + message;
}

}  // namespace vigil::rules::lint
