// FieldMatcher: one "field|modifier...: value(s)" line of a Sigma detection selection, compiled.
//
//   dns.rrname|endswith: [".onion", ".bit"]     -> any value matches (list = OR)
//   http.url|contains|all: ["/wp-", "admin"]    -> every value matches (|all)
//   src_ip|cidr: 10.0.0.0/8                     -> address in the network
//   flow.bytes_toserver|gte: 1000000            -> numeric comparison
//   alert.signature|re|i: '^ET (SCAN|EXPLOIT)'  -> PCRE2 regex (|i caseless, |m, |s)
//   tls.sni|exists: true                        -> the field is present
//   dest_port: null                             -> missing or null
//
// Strings compare case-insensitively (ASCII) unless |cased is given, as Sigma specifies; `*`
// and `?` in a plain, |contains, |startswith or |endswith value are wildcards (`\*`, `\?` and
// `\\` escape them). A number in a rule matches a number field of the same value or a string
// field holding its text ("443"); a string in a rule matches a number field by the number's text.
//
// Built from already-parsed values (RawValue) so it knows nothing of YAML; the rule parser adds
// the file:line:col to the error messages returned here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"
#include "rules/correlation/event_view.h"
#include "rules/correlation/regex.h"

namespace vigil {

// A scalar from the rule file.
struct RawValue {
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double num = 0;
  std::string text;  // kString; for kNumber the text as written

  static RawValue Null() { return {}; }
  static RawValue Bool(bool b) { return {Kind::kBool, b, 0, b ? "true" : "false"}; }
  static RawValue Number(double d, std::string text) { return {Kind::kNumber, false, d, std::move(text)}; }
  static RawValue String(std::string s) { return {Kind::kString, false, 0, std::move(s)}; }
};

enum class MatchOp : uint8_t {
  kEquals, kContains, kStartsWith, kEndsWith, kGlob, kRegex, kCidr,
  kGt, kGte, kLt, kLte, kExists, kNull, kBool,
};

class FieldMatcher {
 public:
  // key is the selection key ("field|mod|mod"); values has at least one element.
  static Result<FieldMatcher> Create(std::string_view key, const std::vector<RawValue>& values);

  bool Match(const EventView& ev, MatchScratch& scratch) const { return MatchValue(ev.Get(path_), scratch); }
  // Match on the value already looked up at path() (callers that share one lookup).
  bool MatchValue(const FieldValue& f, MatchScratch& scratch) const;
  // Whether any value is a regex (whose evaluation counts errors in the scratch).
  bool uses_regex() const;

  const FieldPath& path() const { return path_; }
  bool all() const { return all_; }
  size_t value_count() const { return values_.size(); }

  // Sigma's wildcard match: `*` any run, `?` one byte, backslash escapes `*`, `?` and `\`.
  // With fold, subject bytes are lowercased (ASCII) before comparing with the (already lowered)
  // pattern.
  static bool GlobMatch(std::string_view pattern, std::string_view subject, bool fold);

 private:
  struct Value {
    MatchOp op = MatchOp::kEquals;
    std::string text;      // lowercased unless cased_; unescaped unless kGlob
    bool has_num = false;  // the value is (or reads as) a number
    double num = 0;
    bool flag = false;     // kExists: expected presence; kBool: the value
    Regex regex;
    IpAddress net;
    uint8_t prefix = 0;
  };

  bool MatchOne(const Value& v, const FieldValue& f, MatchScratch& scratch) const;
  // |cidr: every value is a network (MatchOne's kCidr for the whole list, one parse).
  bool MatchNetworks(const FieldValue& f) const;

  FieldPath path_;
  std::vector<Value> values_;
  bool all_ = false;
  bool cased_ = false;
};

}  // namespace vigil
