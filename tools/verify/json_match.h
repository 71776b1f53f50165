// JSON matching with suricata-verify's semantics: a dotted key path (`alert.signature_id`,
// `dns.answers[0].rrname`, `packet.__len`, `ftp.reply.__contains`) looked up in one eve.json
// record, and a match term (`key: expected`, `has-key: path`, `not-has-key: path`) decided on it.
//
//   auto path = KeyPath::Parse("dns.answers[0].rrname");
//   MatchTerm term = MatchTerm::Equals("alert.signature_id", ExpectedValue::Int(1));
//   MatchOutcome m = term.Evaluate(record);   // kMatch, kNoMatch or kError
//
// Lookup follows find_value() in suricata-verify's run.py: each '.'-separated part is a key,
// optionally followed by one [N] index; a missing key, a non-object or an out-of-range index
// gives "missing" (Python None). `__len` ends the path with the length of what was reached
// (code points of a string, items of a list or object, -1 otherwise); `__contains`, `__find`,
// `__startswith`, `__endswith` end it and test the reached value against the expected one.
// kError stands for the cases where run.py raises (e.g. `__find` on a list): the check fails.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/verify/expected_value.h"

namespace vigil::verify {

class KeyPath {
 public:
  enum class Tail { kValue, kLen, kContains, kFind, kStartsWith, kEndsWith };
  struct Part {
    std::string key;
    std::optional<size_t> index;
  };

  static KeyPath Parse(std::string_view text);

  // The element reached, or nullopt when a part is missing. With Tail::kLen the caller uses
  // Length() instead.
  std::optional<simdjson::dom::element> Lookup(simdjson::dom::element root) const;

  Tail tail() const { return tail_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<Part> parts_;
  Tail tail_ = Tail::kValue;
};

// Python's `actual == expected` for a JSON value and a test.yaml value.
bool JsonEquals(simdjson::dom::element actual, const ExpectedValue& expected);
// len() of a JSON value as run.py takes it: code points, items, keys; -1 for scalars.
int64_t JsonLength(simdjson::dom::element value);
// Short text of a JSON value for messages (strings quoted, long values cut).
std::string JsonToShortString(simdjson::dom::element value);

enum class MatchOutcome { kMatch, kNoMatch, kError };

class MatchTerm {
 public:
  enum class Op { kEquals, kHasKey, kNotHasKey };

  static MatchTerm Equals(std::string_view key, ExpectedValue expected);
  static MatchTerm HasKey(std::string_view path);
  static MatchTerm NotHasKey(std::string_view path);

  MatchOutcome Evaluate(simdjson::dom::element record) const;

  // "alert.signature_id=1", "has-key alert.engine".
  std::string ToString() const;
  // What the record holds at this term's path ("7", "missing").
  std::string DescribeActual(simdjson::dom::element record) const;

  Op op() const { return op_; }
  const KeyPath& path() const { return path_; }
  const ExpectedValue& expected() const { return expected_; }

 private:
  Op op_ = Op::kEquals;
  KeyPath path_;
  ExpectedValue expected_;
};

}  // namespace vigil::verify
