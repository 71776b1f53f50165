// Finding: one thing `vigil rules check` has to say about a rule file — where (file:line:col),
// how bad (info / warning / error), what kind (a stable code such as `short-fast-pattern`), which
// rule (gid:sid when known) and a sentence for the analyst. `topic` is the message without the
// specifics of this rule ("unsupported keyword 'xbits'", "dsize vs content"), the key the
// summary groups by.
//
//   Finding f{"et.rules", 12, 40, Code::kShortFastPattern, 1, 2001234, "...", "2-byte pattern"};
//   f.severity();            // Severity::kWarning (from the code table)
//   f.ToString();            // "et.rules:12:40: warning short-fast-pattern [1:2001234] ..."
//
// The code table (CodeInfo) is the one list of codes, each with its severity and a one-line
// meaning; the report prints it in the summary and the README documents it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vigil::rules::lint {

enum class Severity : uint8_t { kInfo, kWarning, kError };
std::string_view SeverityName(Severity s);
// "info" / "warning" / "error" → Severity; false for anything else.
bool ParseSeverity(std::string_view name, Severity* out);

enum class Code : uint8_t {
  // errors: the rule (or file) does not load
  kIoError,            // a file cannot be read
  kParseError,         // syntax or semantic error in a signature rule
  kUnknownVariable,    // $VAR not defined (the sensor rejects the rule)
  kCorrelationError,   // correlation rule (YAML) error
  kConfigError,        // classification.config / threshold.config problem
  kPcreError,          // a pcre PCRE2 cannot compile: the sensor skips the rule
  // warnings
  kUnsupported,        // valid Suricata, skipped by Vigil
  kDuplicateSid,       // (gid, sid) defined twice
  kNoFastPattern,      // checked on every packet/transaction of its group
  kShortFastPattern,   // 1–2 byte prefilter literal: many false candidates
  kDsizeConflict,      // can never match: dsize vs contents
  kBsizeConflict,      // can never match: bsize vs contents
  kUrilenConflict,     // can never match: urilen vs http.uri contents
  kIsdataatConflict,   // can never match: isdataat vs contents / sizes
  kAfterEndswith,      // can never match: a relative match after an endswith content
  kFlowConflict,       // can never match: flow direction vs buffers of the other direction
  kUnknownClasstype,   // classtype not in the classification config
  kThresholdUnknownSid,// threshold.config entry for a rule that is not loaded
  // info
  kLegacySyntax,       // deprecated spelling (uricontent, http_uri modifier, pcre buffer flags)
  kCount
};

struct CodeInfo {
  Code code;
  std::string_view name;     // stable, kebab-case: what --json and the summary print
  Severity severity;
  std::string_view meaning;  // one line for the summary
};

const CodeInfo& GetCodeInfo(Code c);
std::span<const CodeInfo> AllCodes();

struct Finding {
  std::string file;
  uint32_t line = 0;    // 1-based; 0 when the finding is about a whole file
  uint32_t column = 0;  // 1-based, in bytes
  Code code = Code::kParseError;
  uint32_t gid = 0;     // 0 when unknown (correlation rules, file problems)
  uint32_t sid = 0;
  std::string message;
  std::string topic;    // grouping key for the summary; empty: the code alone

  Severity severity() const { return GetCodeInfo(code).severity; }
  // "file:line:col: severity code [gid:sid] message"
  std::string ToString() const;
};

}  // namespace vigil::rules::lint
