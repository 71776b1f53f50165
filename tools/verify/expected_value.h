// ExpectedValue: a value written in a suricata-verify test.yaml (`count: 1`, `pcap_cnt: 5`,
// `alert.signature: "GPL ATTACK"`, `vlan: [1, 2]`), typed the way Python's yaml.safe_load types
// it, because suricata-verify compares it to the eve.json value with Python's `==`:
//   - 1 == 1.0 and True == 1 (bool is an int in Python); "1" != 1;
//   - null equals a missing key as well as a JSON null (find_value returns None for both);
//   - lists compare element-wise, maps by their key set and each value.
// The comparison itself lives in json_match.h; this file only holds the value and its text.
//
//   ExpectedValue v = ExpectedValue::Int(5);
//   v.ToString();   // "5"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::verify {

class ExpectedValue {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kList, kMap };

  ExpectedValue() = default;
  static ExpectedValue Null() { return ExpectedValue(); }
  static ExpectedValue Bool(bool b);
  static ExpectedValue Int(int64_t i);
  static ExpectedValue Double(double d);
  static ExpectedValue String(std::string s);
  static ExpectedValue List(std::vector<ExpectedValue> items);
  static ExpectedValue Map(std::vector<std::pair<std::string, ExpectedValue>> entries);

  Kind kind() const { return kind_; }
  bool is_number() const { return kind_ == Kind::kBool || kind_ == Kind::kInt || kind_ == Kind::kDouble; }
  bool as_bool() const { return int_ != 0; }
  int64_t as_int() const { return int_; }
  // Any number (bool, int, double) as a double, for Python's cross-type numeric equality.
  double as_double() const { return kind_ == Kind::kDouble ? double_ : static_cast<double>(int_); }
  const std::string& as_string() const { return string_; }
  const std::vector<ExpectedValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, ExpectedValue>>& entries() const { return entries_; }

  // Compact YAML-flow-like text for messages: 5, true, "abc", [1, 2], {a: 1}.
  std::string ToString() const;

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<ExpectedValue> items_;
  std::vector<std::pair<std::string, ExpectedValue>> entries_;
};

// Types a plain (unquoted) YAML scalar as PyYAML's safe_load (YAML 1.1 resolvers) does:
// null (~, null, empty), bool (true/false/yes/no/on/off in their three casings), int (decimal,
// 0x hex, 0o/leading-0 octal, 0b binary, '_' separators), float (a '.' is required, .inf, .nan),
// anything else a string.
ExpectedValue ResolvePlainScalar(std::string_view text);

}  // namespace vigil::verify
