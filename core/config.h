// Config: a program's validated configuration, loaded from YAML and --set overrides against a
// ConfigSchema (core/config_schema.h). Immutable once loaded; components read it at setup and
// keep their own typed config structs. Reload builds a new Config and swaps a pointer.
//
//   ConfigSchema schema; FlowConfig::Declare(schema); ...
//   auto cfg = Config::LoadFile("sensor.yaml", schema, cli.set_args);
//   if (!cfg) { log.Error("config", "{}", cfg.error().message); return 1; }
//   VIGIL_TRY(int64_t memcap, cfg->GetSize("flow.memcap"));
//
// Every problem is an error naming where it is and what was expected:
//   sensor.yaml:12:5: flow.memcap: expected a size like '64mb', got 'lots'
//   sensor.yaml:3:1: flw: unknown key; did you mean 'flow'?
//   sensor.yaml:7:10: YAML syntax error: illegal map value
//   --set flow.memcap: expected a size like '64mb', got 'lots'
// Lines and columns are 1-based. Unknown keys are errors, never silently ignored: a misspelt
// limit that falls back to its default is how sensors end up dropping traffic unnoticed.
//
// yaml-cpp reports problems by throwing; loading catches them here and returns an Error, so no
// exception leaves this file. Loading is not on any hot path.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_schema.h"
#include "core/result.h"

namespace vigil {

struct ConfigLoadLimits {
  // Larger inputs are refused before parsing (a config file is a few kilobytes).
  size_t max_bytes = 16 * 1024 * 1024;
  // Entries in one list or map value.
  size_t max_items = 100'000;
};

class Config {
 public:
  // overrides are "key=value" strings from --set, applied after the file in order.
  static Result<Config> LoadFile(const std::string& path, const ConfigSchema& schema,
                                 std::span<const std::string> overrides = {},
                                 const ConfigLoadLimits& limits = {});
  // name is used in error messages in place of a file name.
  static Result<Config> LoadString(std::string_view text, std::string_view name,
                                   const ConfigSchema& schema,
                                   std::span<const std::string> overrides = {},
                                   const ConfigLoadLimits& limits = {});

  // Typed getters. Defaults apply to keys the file did not set. Asking for an undeclared key or
  // with the wrong type is a programming error and returns kInternal.
  Result<bool> GetBool(std::string_view path) const;
  Result<int64_t> GetInt(std::string_view path) const;
  Result<std::string> GetString(std::string_view path) const;  // string and choice keys
  Result<int64_t> GetSize(std::string_view path) const;          // bytes
  Result<int64_t> GetDurationNanos(std::string_view path) const;
  Result<ConfigList> GetList(std::string_view path) const;
  Result<ConfigMap> GetMap(std::string_view path) const;

  // Whether the file or an override set this key (false: the default applies).
  bool IsSet(std::string_view path) const;

  // Every key with its effective value and where it came from, one per line, in declaration
  // order, for `-T` / `--dump-config`:
  //   flow.memcap = 256mb  # sensor.yaml:12:5
  //   flow.hash-size = 65536  # default
  //   vars.address-groups.HOME_NET = [10.0.0.0/8]  # --set
  std::string Dump() const;

 private:
  struct Entry {
    size_t key_index = 0;  // into schema_.keys()
    ConfigValue value;
    std::string text;    // value as written (for Dump)
    std::string origin;  // "default", "file:line:col", "--set"
    std::vector<std::string> map_origins;  // per map entry
  };
  friend class ConfigLoader;

  Result<const Entry*> Lookup(std::string_view path, ConfigType a, ConfigType b) const;

  ConfigSchema schema_;  // a copy, so Config does not depend on the caller's schema lifetime
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace vigil
