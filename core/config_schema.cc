#include "core/config_schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vigil {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// Quotes user text in an error, shortened so a stray megabyte does not end up in a log line.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out = "'";
  out.append(s.substr(0, kMax));
  if (s.size() > kMax) out.append("...");
  out.push_back('\'');
  return out;
}

Error Expected(std::string_view what, std::string_view got) {
  return Error(ErrorCode::kInvalidArgument,
               "expected " + std::string(what) + ", got " + Quote(got));
}

// Splits "1.5 gb" into the number "1.5" and the unit "gb". The number must be present.
bool SplitNumber(std::string_view s, std::string_view* num, std::string_view* unit) {
  size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
  if (i == 0) return false;
  *num = s.substr(0, i);
  *unit = Trim(s.substr(i));
  return true;
}

// number * mult as int64, rejecting overflow, negative and malformed numbers.
bool ScaleNumber(std::string_view num, int64_t mult, int64_t* out) {
  if (num.find('.') == std::string_view::npos) {
    uint64_t v = 0;
    auto r = std::from_chars(num.data(), num.data() + num.size(), v);
    if (r.ec != std::errc() || r.ptr != num.data() + num.size()) return false;
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / mult)) return false;
    *out = static_cast<int64_t>(v) * mult;
    return true;
  }
  // Decimal ("1.5gb"): parse digits by hand (from_chars for double is fine too, but this keeps
  // the accepted syntax to digits and one dot).
  size_t dot = num.find('.');
  if (num.find('.', dot + 1) != std::string_view::npos || dot + 1 == num.size()) return false;
  double v = 0;
  for (char c : num) {
    if (c == '.') continue;
    v = v * 10 + (c - '0');
  }
  v /= std::pow(10.0, static_cast<double>(num.size() - dot - 1));
  double scaled = std::floor(v * static_cast<double>(mult));
  if (!(scaled >= 0) || scaled >= 9.2e18) return false;
  *out = static_cast<int64_t>(scaled);
  return true;
}

std::string FormatSize(int64_t bytes) {
  constexpr int64_t kK = 1024, kM = kK * 1024, kG = kM * 1024;
  if (bytes != 0 && bytes % kG == 0) return std::to_string(bytes / kG) + "gb";
  if (bytes != 0 && bytes % kM == 0) return std::to_string(bytes / kM) + "mb";
  if (bytes != 0 && bytes % kK == 0) return std::to_string(bytes / kK) + "kb";
  return std::to_string(bytes);
}

std::string FormatDuration(int64_t ns) {
  constexpr int64_t kUs = 1000, kMs = kUs * 1000, kS = kMs * 1000;
  if (ns % kS == 0) return std::to_string(ns / kS) + "s";
  if (ns % kMs == 0) return std::to_string(ns / kMs) + "ms";
  if (ns % kUs == 0) return std::to_string(ns / kUs) + "us";
  return std::to_string(ns) + "ns";
}

bool ValidPath(std::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.') return false;
  char prev = 0;
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

}  // namespace

std::string_view ConfigTypeName(ConfigType t) {
  switch (t) {
    case ConfigType::kBool: return "bool";
    case ConfigType::kInt: return "int";
    case ConfigType::kString: return "string";
    case ConfigType::kChoice: return "choice";
    case ConfigType::kSize: return "size";
    case ConfigType::kDuration: return "duration";
    case ConfigType::kList: return "list";
    case ConfigType::kMap: return "map";
  }
  return "unknown";
}

Result<bool> ParseConfigBool(std::string_view text) {
  std::string s = Lower(Trim(text));
  if (s == "yes" || s == "true" || s == "on" || s == "1") return true;
  if (s == "no" || s == "false" || s == "off" || s == "0") return false;
  return Expected("a boolean (yes/no, true/false, on/off)", text);
}

Result<int64_t> ParseConfigInt(std::string_view text) {
  std::string_view s = Trim(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return Expected("an integer", text);
  }
  return v;
}

Result<int64_t> ParseConfigSize(std::string_view text) {
  std::string_view num, unit;
  if (!SplitNumber(Trim(text), &num, &unit)) return Expected("a size like '64mb'", text);
  std::string u = Lower(unit);
  int64_t mult;
  if (u.empty() || u == "b") {
    mult = 1;
  } else if (u == "k" || u == "kb" || u == "kib") {
    mult = int64_t{1} << 10;
  } else if (u == "m" || u == "mb" || u == "mib") {
    mult = int64_t{1} << 20;
  } else if (u == "g" || u == "gb" || u == "gib") {
    mult = int64_t{1} << 30;
  } else if (u == "t" || u == "tb" || u == "tib") {
    mult = int64_t{1} << 40;
  } else {
    return Expected("a size like '64mb'", text);
  }
  int64_t v;
  if (!ScaleNumber(num, mult, &v)) return Expected("a size like '64mb'", text);
  return v;
}

Result<int64_t> ParseConfigDuration(std::string_view text) {
  std::string_view num, unit;
  if (!SplitNumber(Trim(text), &num, &unit)) return Expected("a duration like '60s'", text);
  std::string u = Lower(unit);
  int64_t mult;
  if (u.empty() || u == "s" || u == "sec") {
    mult = 1'000'000'000;
  } else if (u == "ns") {
    mult = 1;
  } else if (u == "us") {
    mult = 1'000;
  } else if (u == "ms") {
    mult = 1'000'000;
  } else if (u == "m" || u == "min") {
    mult = int64_t{60} * 1'000'000'000;
  } else if (u == "h") {
    mult = int64_t{3600} * 1'000'000'000;
  } else if (u == "d") {
    mult = int64_t{86400} * 1'000'000'000;
  } else {
    return Expected("a duration like '60s'", text);
  }
  int64_t v;
  if (!ScaleNumber(num, mult, &v)) return Expected("a duration like '60s'", text);
  return v;
}

Result<ConfigValue> ParseConfigScalar(const ConfigKey& key, std::string_view text) {
  // "between A and B", or one-sided when the other bound is the type's limit.
  auto range_error = [&](std::string_view what, std::string lo, std::string hi) {
    const bool no_lo = key.min == std::numeric_limits<int64_t>::min() ||
                       (key.min == 0 && key.type != ConfigType::kInt);
    const bool no_hi = key.max == std::numeric_limits<int64_t>::max();
    std::string w(what);
    if (no_hi && !no_lo) return Expected(w + " of at least " + lo, text);
    if (no_lo && !no_hi) return Expected(w + " of at most " + hi, text);
    return Expected(w + " between " + lo + " and " + hi, text);
  };
  switch (key.type) {
    case ConfigType::kBool: {
      VIGIL_TRY(bool b, ParseConfigBool(text));
      return ConfigValue(b);
    }
    case ConfigType::kInt: {
      VIGIL_TRY(int64_t v, ParseConfigInt(text));
      if (v < key.min || v > key.max) {
        return range_error("an integer", std::to_string(key.min), std::to_string(key.max));
      }
      return ConfigValue(v);
    }
    case ConfigType::kSize: {
      VIGIL_TRY(int64_t v, ParseConfigSize(text));
      if (v < key.min || v > key.max) {
        return range_error("a size", FormatSize(key.min), FormatSize(key.max));
      }
      return ConfigValue(v);
    }
    case ConfigType::kDuration: {
      VIGIL_TRY(int64_t v, ParseConfigDuration(text));
      if (v < key.min || v > key.max) {
        return range_error("a duration", FormatDuration(key.min), FormatDuration(key.max));
      }
      return ConfigValue(v);
    }
    case ConfigType::kString:
      return ConfigValue(std::string(text));
    case ConfigType::kChoice: {
      for (const std::string& c : key.choices) {
        if (c == text) return ConfigValue(std::string(text));
      }
      std::string list;
      for (const std::string& c : key.choices) {
        if (!list.empty()) list += ", ";
        list += "'" + c + "'";
      }
      return Expected("one of " + list, text);
    }
    case ConfigType::kList:
    case ConfigType::kMap:
      break;
  }
  return Error(ErrorCode::kInternal, "ParseConfigScalar on a list or map key");
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t sub = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, sub});
      diag = up;
    }
  }
  return row[b.size()];
}

// ---- ConfigSchema ----

ConfigSchema& ConfigSchema::Add(ConfigKey key) {
  auto fail = [&](std::string why) -> ConfigSchema& {
    if (!error_) error_ = Error(ErrorCode::kInternal, "config schema: " + key.path + ": " + why);
    return *this;
  };
  if (!ValidPath(key.path)) return fail("invalid path (letters, digits, '-', '_', '.')");
  if (index_.count(key.path)) return fail("declared twice");
  if (prefixes_.count(key.path)) return fail("has keys declared below it");
  // No ancestor of this key may itself be a key.
  for (size_t dot = key.path.find('.'); dot != std::string::npos;
       dot = key.path.find('.', dot + 1)) {
    if (index_.count(key.path.substr(0, dot))) {
      return fail("lies below key '" + key.path.substr(0, dot) + "'");
    }
  }
  for (size_t dot = key.path.find('.'); dot != std::string::npos;
       dot = key.path.find('.', dot + 1)) {
    ++prefixes_[key.path.substr(0, dot)];
  }
  index_.emplace(key.path, keys_.size());
  keys_.push_back(std::move(key));
  return *this;
}

ConfigSchema& ConfigSchema::Bool(std::string path, bool def, std::string help) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kBool, .help = std::move(help),
              .default_value = def, .default_text = def ? "yes" : "no"};
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Int(std::string path, int64_t def, int64_t min, int64_t max,
                                std::string help) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kInt, .help = std::move(help),
              .default_value = def, .default_text = std::to_string(def), .min = min, .max = max};
  if (def < min || def > max) {
    if (!error_) error_ = Error(ErrorCode::kInternal, "config schema: " + k.path + ": default out of range");
    return *this;
  }
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::String(std::string path, std::string def, std::string help) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kString, .help = std::move(help),
              .default_value = def, .default_text = def};
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Choice(std::string path, std::string def,
                                   std::vector<std::string> choices, std::string help) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kChoice, .help = std::move(help),
              .default_value = def, .default_text = def, .choices = std::move(choices)};
  if (std::find(k.choices.begin(), k.choices.end(), def) == k.choices.end()) {
    if (!error_) error_ = Error(ErrorCode::kInternal, "config schema: " + k.path + ": default is not a choice");
    return *this;
  }
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Size(std::string path, std::string def, std::string help,
                                 int64_t min, int64_t max) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kSize, .help = std::move(help),
              .default_value = int64_t{0}, .default_text = def, .min = min, .max = max};
  auto v = ParseConfigScalar(k, def);
  if (!v) {
    if (!error_) error_ = Error(ErrorCode::kInternal, "config schema: " + k.path + ": default: " + v.error().message);
    return *this;
  }
  k.default_value = std::move(*v);
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Duration(std::string path, std::string def, std::string help,
                                     int64_t min_ns, int64_t max_ns) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kDuration, .help = std::move(help),
              .default_value = int64_t{0}, .default_text = def, .min = min_ns, .max = max_ns};
  auto v = ParseConfigScalar(k, def);
  if (!v) {
    if (!error_) error_ = Error(ErrorCode::kInternal, "config schema: " + k.path + ": default: " + v.error().message);
    return *this;
  }
  k.default_value = std::move(*v);
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::List(std::string path, ConfigList def, std::string help) {
  std::string text = "[";
  for (size_t i = 0; i < def.size(); ++i) text += (i ? ", " : "") + def[i];
  text += "]";
  ConfigKey k{.path = std::move(path), .type = ConfigType::kList, .help = std::move(help),
              .default_value = std::move(def), .default_text = std::move(text)};
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Map(std::string path, std::string help) {
  ConfigKey k{.path = std::move(path), .type = ConfigType::kMap, .help = std::move(help),
              .default_value = ConfigMap{}, .default_text = "{}"};
  return Add(std::move(k));
}

ConfigSchema& ConfigSchema::Merge(const ConfigSchema& other) {
  if (other.error_ && !error_) error_ = other.error_;
  for (const ConfigKey& k : other.keys_) Add(k);
  return *this;
}

Status ConfigSchema::status() const {
  if (error_) return *error_;
  return Ok();
}

const ConfigKey* ConfigSchema::Find(std::string_view path) const {
  auto it = index_.find(std::string(path));
  return it == index_.end() ? nullptr : &keys_[it->second];
}

bool ConfigSchema::IsPrefix(std::string_view path) const {
  return prefixes_.count(std::string(path)) != 0;
}

std::optional<std::string> ConfigSchema::Suggest(std::string_view path) const {
  size_t best = std::numeric_limits<size_t>::max();
  const std::string* best_path = nullptr;
  auto consider = [&](const std::string& candidate) {
    size_t d = EditDistance(path, candidate);
    if (d < best || (d == best && best_path && candidate < *best_path)) {
      best = d;
      best_path = &candidate;
    }
  };
  for (const ConfigKey& k : keys_) consider(k.path);
  for (const auto& [p, n] : prefixes_) consider(p);
  // A typo, not a different word: at most 2 edits, or a quarter of the name for long names.
  size_t limit = std::max<size_t>(2, path.size() / 4);
  if (best_path == nullptr || best == 0 || best > limit) return std::nullopt;
  return *best_path;
}

}  // namespace vigil
