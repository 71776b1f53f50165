#include "tools/verify/json_match.h"

#include <cstdlib>

namespace vigil::verify {

using simdjson::dom::element;
using simdjson::dom::element_type;

KeyPath KeyPath::Parse(std::string_view text) {
  KeyPath p;
  p.text_ = std::string(text);
  size_t start = 0;
  while (start <= text.size()) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    std::string_view part = text.substr(start, dot - start);
    start = dot + 1;
    if (part == "__len") {
      p.tail_ = Tail::kLen;
      break;
    }
    if (part == "__contains" || part == "__find" || part == "__startswith" || part == "__endswith") {
      // run.py stops the walk here and decides by the key's ending, not by this part.
      break;
    }
    Part out;
    // "name[N]": one trailing index, as run.py's ^(.*)\[(\d+)\]$.
    const size_t open = part.rfind('[');
    if (open != std::string_view::npos && part.size() > open + 2 && part.back() == ']') {
      std::string_view digits = part.substr(open + 1, part.size() - open - 2);
      bool all_digits = !digits.empty();
      for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
      if (all_digits && digits.size() < 10) {
        out.index = static_cast<size_t>(std::strtoul(std::string(digits).c_str(), nullptr, 10));
        part = part.substr(0, open);
      }
    }
    out.key = std::string(part);
    p.parts_.push_back(std::move(out));
  }
  auto ends_with = [&](std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
  };
  if (p.tail_ != Tail::kLen) {
    if (ends_with("__contains")) p.tail_ = Tail::kContains;
    else if (ends_with("__find")) p.tail_ = Tail::kFind;
    else if (ends_with("__startswith")) p.tail_ = Tail::kStartsWith;
    else if (ends_with("__endswith")) p.tail_ = Tail::kEndsWith;
  }
  return p;
}

std::optional<element> KeyPath::Lookup(element root) const {
  element cur = root;
  for (const Part& part : parts_) {
    simdjson::dom::object obj;
    if (cur.get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
    if (obj.at_key(part.key).get(cur) != simdjson::SUCCESS) return std::nullopt;
    if (part.index) {
      simdjson::dom::array arr;
      if (cur.get_array().get(arr) != simdjson::SUCCESS) return std::nullopt;
      if (*part.index >= arr.size()) return std::nullopt;
      if (arr.at(*part.index).get(cur) != simdjson::SUCCESS) return std::nullopt;
    }
  }
  return cur;
}

namespace {

// Bool, int and double JSON values as Python numbers (bool is an int).
bool JsonNumber(element e, double* d, int64_t* i, bool* is_int) {
  switch (e.type()) {
    case element_type::BOOL:
      *i = e.get_bool().value_unsafe() ? 1 : 0;
      *d = static_cast<double>(*i);
      *is_int = true;
      return true;
    case element_type::INT64:
      *i = e.get_int64().value_unsafe();
      *d = static_cast<double>(*i);
      *is_int = true;
      return true;
    case element_type::UINT64: {
      const uint64_t u = e.get_uint64().value_unsafe();
      *d = static_cast<double>(u);
      *is_int = false;  // beyond int64: compared as a double
      *i = 0;
      return true;
    }
    case element_type::DOUBLE:
      *d = e.get_double().value_unsafe();
      *is_int = false;
      *i = 0;
      return true;
    default:
      return false;
  }
}

size_t Utf8CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

bool JsonEquals(element actual, const ExpectedValue& expected) {
  using Kind = ExpectedValue::Kind;
  switch (expected.kind()) {
    case Kind::kNull:
      return actual.type() == element_type::NULL_VALUE;
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kDouble: {
      double d = 0;
      int64_t i = 0;
      bool is_int = false;
      if (!JsonNumber(actual, &d, &i, &is_int)) return false;
      if (is_int && expected.kind() != Kind::kDouble) return i == expected.as_int();
      return d == expected.as_double();
    }
    case Kind::kString: {
      std::string_view s;
      if (actual.get_string().get(s) != simdjson::SUCCESS) return false;
      return s == expected.as_string();
    }
    case Kind::kList: {
      simdjson::dom::array arr;
      if (actual.get_array().get(arr) != simdjson::SUCCESS) return false;
      if (arr.size() != expected.items().size()) return false;
      size_t k = 0;
      for (element item : arr) {
        if (!JsonEquals(item, expected.items()[k++])) return false;
      }
      return true;
    }
    case Kind::kMap: {
      simdjson::dom::object obj;
      if (actual.get_object().get(obj) != simdjson::SUCCESS) return false;
      if (obj.size() != expected.entries().size()) return false;
      for (const auto& [key, value] : expected.entries()) {
        element child;
        if (obj.at_key(key).get(child) != simdjson::SUCCESS) return false;
        if (!JsonEquals(child, value)) return false;
      }
      return true;
    }
  }
  return false;
}

int64_t JsonLength(element value) {
  switch (value.type()) {
    case element_type::STRING:
      return static_cast<int64_t>(Utf8CodePoints(value.get_string().value_unsafe()));
    case element_type::ARRAY: {
      simdjson::dom::array arr;
      return value.get_array().get(arr) == simdjson::SUCCESS ? static_cast<int64_t>(arr.size()) : -1;
    }
    case element_type::OBJECT: {
      simdjson::dom::object obj;
      return value.get_object().get(obj) == simdjson::SUCCESS ? static_cast<int64_t>(obj.size()) : -1;
    }
    default:
      return -1;
  }
}

std::string JsonToShortString(element value) {
  std::string s = simdjson::minify(value);
  constexpr size_t kMax = 80;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

MatchTerm MatchTerm::Equals(std::string_view key, ExpectedValue expected) {
  MatchTerm t;
  t.op_ = Op::kEquals;
  t.path_ = KeyPath::Parse(key);
  t.expected_ = std::move(expected);
  return t;
}

MatchTerm MatchTerm::HasKey(std::string_view path) {
  MatchTerm t;
  t.op_ = Op::kHasKey;
  t.path_ = KeyPath::Parse(path);
  return t;
}

MatchTerm MatchTerm::NotHasKey(std::string_view path) {
  MatchTerm t;
  t.op_ = Op::kNotHasKey;
  t.path_ = KeyPath::Parse(path);
  return t;
}

namespace {

// `expected in actual` for __contains: substring, list membership or object key.
MatchOutcome Contains(element actual, const ExpectedValue& expected) {
  switch (actual.type()) {
    case element_type::STRING: {
      if (expected.kind() != ExpectedValue::Kind::kString) return MatchOutcome::kError;
      const bool found = actual.get_string().value_unsafe().find(expected.as_string()) != std::string_view::npos;
      return found ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
    }
    case element_type::ARRAY: {
      simdjson::dom::array arr;
      if (actual.get_array().get(arr) != simdjson::SUCCESS) return MatchOutcome::kError;
      for (element item : arr) {
        if (JsonEquals(item, expected)) return MatchOutcome::kMatch;
      }
      return MatchOutcome::kNoMatch;
    }
    case element_type::OBJECT: {
      if (expected.kind() != ExpectedValue::Kind::kString) return MatchOutcome::kNoMatch;
      simdjson::dom::object obj;
      element child;
      if (actual.get_object().get(obj) != simdjson::SUCCESS) return MatchOutcome::kError;
      const bool found = obj.at_key(expected.as_string()).get(child) == simdjson::SUCCESS;
      return found ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
    }
    default:
      return MatchOutcome::kError;
  }
}

MatchOutcome StringTest(element actual, const ExpectedValue& expected, KeyPath::Tail tail) {
  std::string_view s;
  if (actual.get_string().get(s) != simdjson::SUCCESS) return MatchOutcome::kError;
  if (expected.kind() != ExpectedValue::Kind::kString) return MatchOutcome::kError;
  const std::string& e = expected.as_string();
  bool ok = false;
  if (tail == KeyPath::Tail::kFind) ok = s.find(e) != std::string_view::npos;
  if (tail == KeyPath::Tail::kStartsWith) ok = s.substr(0, e.size()) == e;
  if (tail == KeyPath::Tail::kEndsWith) ok = s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
  return ok ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
}

}  // namespace

MatchOutcome MatchTerm::Evaluate(element record) const {
  const auto found = path_.Lookup(record);
  switch (op_) {
    case Op::kHasKey:
      return found && found->type() != element_type::NULL_VALUE ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
    case Op::kNotHasKey:
      return found && found->type() != element_type::NULL_VALUE ? MatchOutcome::kNoMatch : MatchOutcome::kMatch;
    case Op::kEquals:
      break;
  }
  switch (path_.tail()) {
    case KeyPath::Tail::kLen: {
      // len() of a missing value is -1 in run.py only past the walk; a missing key is None.
      if (!found) {
        return expected_.kind() == ExpectedValue::Kind::kNull ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
      }
      const int64_t n = JsonLength(*found);
      return expected_.is_number() && expected_.kind() != ExpectedValue::Kind::kDouble && expected_.as_int() == n
                 ? MatchOutcome::kMatch
                 : (expected_.kind() == ExpectedValue::Kind::kDouble && expected_.as_double() == static_cast<double>(n)
                        ? MatchOutcome::kMatch
                        : MatchOutcome::kNoMatch);
    }
    case KeyPath::Tail::kContains:
      if (!found) return MatchOutcome::kError;
      return Contains(*found, expected_);
    case KeyPath::Tail::kFind:
    case KeyPath::Tail::kStartsWith:
    case KeyPath::Tail::kEndsWith:
      if (!found) return MatchOutcome::kError;
      return StringTest(*found, expected_, path_.tail());
    case KeyPath::Tail::kValue:
      break;
  }
  if (!found) {
    // find_value() returned None: equal only to a null expectation.
    return expected_.kind() == ExpectedValue::Kind::kNull ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
  }
  return JsonEquals(*found, expected_) ? MatchOutcome::kMatch : MatchOutcome::kNoMatch;
}

std::string MatchTerm::ToString() const {
  switch (op_) {
    case Op::kHasKey:
      return "has-key " + path_.text();
    case Op::kNotHasKey:
      return "not-has-key " + path_.text();
    case Op::kEquals:
      break;
  }
  return path_.text() + "=" + expected_.ToString();
}

std::string MatchTerm::DescribeActual(element record) const {
  const auto found = path_.Lookup(record);
  if (!found) return "missing";
  if (path_.tail() == KeyPath::Tail::kLen) return std::to_string(JsonLength(*found));
  return JsonToShortString(*found);
}

}  // namespace vigil::verify
