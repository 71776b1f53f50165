// ConfigSchema: the keys a component accepts in the YAML configuration, with their types,
// defaults, limits and help text. Each component declares its part; the program merges them and
// Config (core/config.h) validates the file and --set overrides against the result.
//
//   ConfigSchema s;
//   s.Size("flow.memcap", "128mb", "memory for the flow table; new flows are dropped above it")
//    .Duration("flow.timeouts.tcp.established", "600s", "idle time before a TCP flow expires")
//    .Int("flow.hash-size", 65536, 1024, 1 << 24, "buckets in the flow hash")
//    .Choice("runmode", "workers", {"workers", "single"}, "threading model")
//    .Map("vars.address-groups", "named address lists: HOME_NET, EXTERNAL_NET, ...");
//   if (!s.status()) ...   // a declaration mistake (duplicate key, bad default) is a bug
//
// Paths are dotted YAML paths; names may contain dashes as in Suricata ("hash-size").
// Value syntax (shared by the file and --set):
//   bool      yes/no, true/false, on/off, 1/0 (any case)
//   int       decimal integer, optional sign, checked against [min, max]
//   size      integer or decimal number with an optional unit: b, k/kb/kib, m/mb/mib, g/gb/gib,
//             t/tb/tib (any case, optional space). Units are binary (1kb = 1024 bytes) as in
//             Suricata. Stored as bytes.
//   duration  number with an optional unit: ns, us, ms, s, m/min, h, d; plain numbers are
//             seconds. Stored as nanoseconds.
//   choice    one of a fixed list of strings
//   list      YAML sequence of scalars (or, with --set, "a,b,c" / "[a, b]")
//   map       YAML mapping of user-chosen names to scalars (vars.address-groups)
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"

namespace vigil {

enum class ConfigType : uint8_t { kBool, kInt, kString, kChoice, kSize, kDuration, kList, kMap };
std::string_view ConfigTypeName(ConfigType t);

using ConfigList = std::vector<std::string>;
using ConfigMap = std::vector<std::pair<std::string, std::string>>;  // in file order
// bool; int64 for int, size (bytes) and duration (ns); string for string and choice.
using ConfigValue = std::variant<bool, int64_t, std::string, ConfigList, ConfigMap>;

struct ConfigKey {
  std::string path;
  ConfigType type = ConfigType::kString;
  std::string help;
  ConfigValue default_value;
  std::string default_text;  // the default as written in the declaration, for Dump()
  int64_t min = std::numeric_limits<int64_t>::min();  // int, size, duration
  int64_t max = std::numeric_limits<int64_t>::max();
  std::vector<std::string> choices;  // choice
};

class ConfigSchema {
 public:
  ConfigSchema& Bool(std::string path, bool def, std::string help);
  ConfigSchema& Int(std::string path, int64_t def, int64_t min, int64_t max, std::string help);
  ConfigSchema& String(std::string path, std::string def, std::string help);
  ConfigSchema& Choice(std::string path, std::string def, std::vector<std::string> choices,
                       std::string help);
  // Defaults are written as in a config file ("64mb", "30s") so help and Dump() read naturally.
  ConfigSchema& Size(std::string path, std::string def, std::string help, int64_t min = 0,
                     int64_t max = std::numeric_limits<int64_t>::max());
  ConfigSchema& Duration(std::string path, std::string def, std::string help, int64_t min_ns = 0,
                         int64_t max_ns = std::numeric_limits<int64_t>::max());
  ConfigSchema& List(std::string path, ConfigList def, std::string help);
  ConfigSchema& Map(std::string path, std::string help);

  // Adds every key of another component's schema.
  ConfigSchema& Merge(const ConfigSchema& other);

  // The first declaration error (duplicate path, a key nested under another key, an invalid
  // default), or Ok. Config refuses to load against a schema whose status is not Ok.
  Status status() const;

  const ConfigKey* Find(std::string_view path) const;
  // True if some key lies strictly below path ("flow" for "flow.memcap").
  bool IsPrefix(std::string_view path) const;
  const std::vector<ConfigKey>& keys() const { return keys_; }

  // The key closest to path by edit distance, if close enough to be a plausible typo.
  std::optional<std::string> Suggest(std::string_view path) const;

 private:
  ConfigSchema& Add(ConfigKey key);

  std::vector<ConfigKey> keys_;
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, size_t> prefixes_;  // "a", "a.b" for key "a.b.c" -> count
  std::optional<vigil::Error> error_;
};

// Parsers for the scalar syntaxes above. Errors say what was expected ("a size like '64mb'")
// and quote what was given, without location; Config adds file:line:col and the key.
Result<bool> ParseConfigBool(std::string_view text);
Result<int64_t> ParseConfigInt(std::string_view text);
Result<int64_t> ParseConfigSize(std::string_view text);
Result<int64_t> ParseConfigDuration(std::string_view text);

// Parses a scalar for key (bool, int, string, choice, size, duration) with range and choice
// checks. Lists and maps are assembled by Config from YAML nodes.
Result<ConfigValue> ParseConfigScalar(const ConfigKey& key, std::string_view text);

// Levenshtein distance, used for "did you mean" hints.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace vigil
