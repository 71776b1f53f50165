#include "tools/verify/expected_value.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace vigil::verify {

ExpectedValue ExpectedValue::Bool(bool b) {
  ExpectedValue v;
  v.kind_ = Kind::kBool;
  v.int_ = b ? 1 : 0;
  return v;
}

ExpectedValue ExpectedValue::Int(int64_t i) {
  ExpectedValue v;
  v.kind_ = Kind::kInt;
  v.int_ = i;
  return v;
}

ExpectedValue ExpectedValue::Double(double d) {
  ExpectedValue v;
  v.kind_ = Kind::kDouble;
  v.double_ = d;
  return v;
}

ExpectedValue ExpectedValue::String(std::string s) {
  ExpectedValue v;
  v.kind_ = Kind::kString;
  v.string_ = std::move(s);
  return v;
}

ExpectedValue ExpectedValue::List(std::vector<ExpectedValue> items) {
  ExpectedValue v;
  v.kind_ = Kind::kList;
  v.items_ = std::move(items);
  return v;
}

ExpectedValue ExpectedValue::Map(std::vector<std::pair<std::string, ExpectedValue>> entries) {
  ExpectedValue v;
  v.kind_ = Kind::kMap;
  v.entries_ = std::move(entries);
  return v;
}

std::string ExpectedValue::ToString() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return int_ != 0 ? "true" : "false";
    case Kind::kInt:
      return std::to_string(int_);
    case Kind::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%g", double_);
      return buf;
    }
    case Kind::kString:
      return "\"" + string_ + "\"";
    case Kind::kList: {
      std::string s = "[";
      for (size_t i = 0; i < items_.size(); ++i) s += (i ? ", " : "") + items_[i].ToString();
      return s + "]";
    }
    case Kind::kMap: {
      std::string s = "{";
      for (size_t i = 0; i < entries_.size(); ++i) {
        s += (i ? ", " : "") + entries_[i].first + ": " + entries_[i].second.ToString();
      }
      return s + "}";
    }
  }
  return "?";
}

namespace {

bool OneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  for (std::string_view o : options) {
    if (s == o) return true;
  }
  return false;
}

// Digits of `base` with '_' separators allowed (at least one digit); -1 when not such a number.
bool ParseDigits(std::string_view s, int base, int64_t* out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  bool any = false;
  for (char c : s) {
    if (c == '_') continue;
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      return false;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    any = true;
  }
  if (!any || v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  *out = static_cast<int64_t>(v);
  return true;
}

bool ParseYamlInt(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int64_t v = 0;
  bool ok;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    ok = ParseDigits(s.substr(2), 16, &v);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    ok = ParseDigits(s.substr(2), 2, &v);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    ok = ParseDigits(s.substr(2), 8, &v);
  } else if (s.size() > 1 && s[0] == '0') {
    ok = ParseDigits(s.substr(1), 8, &v);
  } else {
    ok = std::isdigit(static_cast<unsigned char>(s[0])) != 0 && ParseDigits(s, 10, &v);
  }
  if (!ok) return false;
  *out = neg ? -v : v;
  return true;
}

// YAML 1.1 float: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?, plus .inf and .nan forms.
bool ParseYamlFloat(std::string_view s, double* out) {
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (OneOf(body, {".inf", ".Inf", ".INF"})) {
    *out = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  if (OneOf(s, {".nan", ".NaN", ".NAN"})) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  size_t i = 0;
  std::string clean;
  while (i < body.size() && (std::isdigit(static_cast<unsigned char>(body[i])) || body[i] == '_')) {
    if (body[i] != '_') clean += body[i];
    ++i;
  }
  if (i >= body.size() || body[i] != '.') return false;
  if (i > 0 && body[0] == '_') return false;
  clean += '.';
  ++i;
  size_t frac_start = i;
  while (i < body.size() && (std::isdigit(static_cast<unsigned char>(body[i])) || body[i] == '_')) {
    if (body[i] != '_') clean += body[i];
    ++i;
  }
  if (frac_start == 1 && i == frac_start) return false;  // "." alone
  if (i < body.size()) {
    if (body[i] != 'e' && body[i] != 'E') return false;
    ++i;
    if (i >= body.size() || (body[i] != '-' && body[i] != '+')) return false;
    clean += 'e';
    clean += body[i++];
    size_t exp_start = i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) clean += body[i++];
    if (i == exp_start || i != body.size()) return false;
  }
  if (clean == ".") return false;
  double d = std::strtod(clean.c_str(), nullptr);
  *out = neg ? -d : d;
  return true;
}

}  // namespace

ExpectedValue ResolvePlainScalar(std::string_view text) {
  if (OneOf(text, {"", "~", "null", "Null", "NULL"})) return ExpectedValue::Null();
  if (OneOf(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) {
    return ExpectedValue::Bool(true);
  }
  if (OneOf(text, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) {
    return ExpectedValue::Bool(false);
  }
  int64_t i = 0;
  if (ParseYamlInt(text, &i)) return ExpectedValue::Int(i);
  double d = 0;
  if (ParseYamlFloat(text, &d)) return ExpectedValue::Double(d);
  return ExpectedValue::String(std::string(text));
}

}  // namespace vigil::verify
