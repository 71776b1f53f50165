#include "core/config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace vigil {
namespace {

std::string Describe(const ConfigKey& k) {
  switch (k.type) {
    case ConfigType::kBool: return "a boolean (yes/no, true/false, on/off)";
    case ConfigType::kInt: return "an integer";
    case ConfigType::kString: return "a string";
    case ConfigType::kChoice: {
      std::string s = "one of ";
      for (size_t i = 0; i < k.choices.size(); ++i) s += (i ? ", '" : "'") + k.choices[i] + "'";
      return s;
    }
    case ConfigType::kSize: return "a size like '64mb'";
    case ConfigType::kDuration: return "a duration like '60s'";
    case ConfigType::kList: return "a list of values";
    case ConfigType::kMap: return "a mapping of names to values";
  }
  return "a value";
}

std::string NodeKind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "an empty value";
    default: return "'" + n.Scalar().substr(0, 64) + "'";
  }
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

// Walks the YAML tree against the schema and fills a Config. Holds the state of one load.
class ConfigLoader {
 public:
  ConfigLoader(std::string_view name, const ConfigSchema& schema, const ConfigLoadLimits& limits)
      : name_(name), schema_(schema), limits_(limits) {}

  Result<Config> Load(std::string_view text, std::span<const std::string> overrides) {
    VIGIL_CHECK_OK(schema_.status());
    if (text.size() > limits_.max_bytes) {
      return Error(ErrorCode::kLimit, name_ + ": larger than " + std::to_string(limits_.max_bytes) +
                                          " bytes");
    }
    cfg_.schema_ = schema_;
    const auto& keys = cfg_.schema_.keys();
    for (size_t i = 0; i < keys.size(); ++i) {
      Config::Entry e;
      e.key_index = i;
      e.value = keys[i].default_value;
      e.text = keys[i].default_text;
      e.origin = "default";
      cfg_.entries_.emplace(keys[i].path, std::move(e));
    }
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& ex) {
      return Error(ErrorCode::kParse, Where(ex.mark) + "YAML syntax error: " + ex.msg);
    } catch (const std::exception& ex) {
      return Error(ErrorCode::kParse, name_ + ": cannot parse YAML: " + ex.what());
    }
    try {
      if (root.IsMap()) {
        VIGIL_CHECK_OK(WalkMap(root, ""));
      } else if (!root.IsNull()) {
        return Error(ErrorCode::kInvalidArgument,
                     Where(root.Mark()) + "expected a mapping of settings at the top level, got " +
                         NodeKind(root));
      }
      for (const std::string& o : overrides) VIGIL_CHECK_OK(ApplyOverride(o));
    } catch (const YAML::Exception& ex) {
      return Error(ErrorCode::kParse, Where(ex.mark) + "YAML error: " + ex.msg);
    } catch (const std::exception& ex) {
      return Error(ErrorCode::kInternal, name_ + ": " + ex.what());
    }
    return std::move(cfg_);
  }

 private:
  std::string Where(const YAML::Mark& m) const {
    if (m.is_null() || m.line < 0) return name_ + ": ";
    return name_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
  }

  Error At(const YAML::Mark& m, std::string_view path, std::string msg) const {
    return Error(ErrorCode::kInvalidArgument, Where(m) + std::string(path) + ": " + msg);
  }

  std::string UnknownKey(std::string_view path) const {
    std::string msg = "unknown key";
    if (auto s = schema_.Suggest(path)) msg += "; did you mean '" + *s + "'?";
    return msg;
  }

  Status WalkMap(const YAML::Node& map, const std::string& prefix) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: it-> returns a proxy that dies at the end of the statement.
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      if (!k.IsScalar()) {
        return At(k.Mark(), prefix.empty() ? "(top level)" : prefix,
                  "keys must be plain names, got " + NodeKind(k));
      }
      const std::string path = prefix.empty() ? k.Scalar() : prefix + "." + k.Scalar();
      if (!seen_.insert(path).second) return At(k.Mark(), path, "set twice");
      if (const ConfigKey* key = schema_.Find(path)) {
        VIGIL_CHECK_OK(SetFromNode(*key, v, Where(k.Mark())));
      } else if (schema_.IsPrefix(path)) {
        if (v.IsMap()) {
          VIGIL_CHECK_OK(WalkMap(v, path));
        } else if (!v.IsNull()) {  // an empty section ("flow:") is fine
          return At(v.Mark(), path, "expected a mapping of settings, got " + NodeKind(v));
        }
      } else {
        return At(k.Mark(), path, UnknownKey(path));
      }
    }
    return Ok();
  }

  Config::Entry& EntryFor(const ConfigKey& key) { return cfg_.entries_.find(key.path)->second; }

  Status SetFromNode(const ConfigKey& key, const YAML::Node& v, const std::string& where) {
    Config::Entry& e = EntryFor(key);
    const std::string origin = where.substr(0, where.size() - 2);  // drop ": "
    if (key.type == ConfigType::kList) {
      ConfigList list;
      if (v.IsSequence()) {
        if (v.size() > limits_.max_items) return At(v.Mark(), key.path, "too many items");
        for (const YAML::Node& item : v) {
          if (!item.IsScalar()) {
            return At(item.Mark(), key.path, "expected a list of plain values, got " + NodeKind(item));
          }
          list.push_back(item.Scalar());
        }
      } else if (v.IsScalar()) {
        list.push_back(v.Scalar());  // a single value is a list of one
      } else if (!v.IsNull()) {
        return At(v.Mark(), key.path, "expected " + Describe(key) + ", got " + NodeKind(v));
      }
      e.text = ListText(list);
      e.value = std::move(list);
    } else if (key.type == ConfigType::kMap) {
      ConfigMap map;
      std::vector<std::string> origins;
      if (v.IsMap()) {
        if (v.size() > limits_.max_items) return At(v.Mark(), key.path, "too many items");
        std::set<std::string> names;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!it->first.IsScalar() || !it->second.IsScalar()) {
            return At(it->first.Mark(), key.path,
                      "expected " + Describe(key) + " (plain names and values)");
          }
          if (!names.insert(it->first.Scalar()).second) {
            return At(it->first.Mark(), key.path + "." + it->first.Scalar(), "set twice");
          }
          map.emplace_back(it->first.Scalar(), it->second.Scalar());
          std::string w = Where(it->first.Mark());
          origins.push_back(w.substr(0, w.size() - 2));
        }
      } else if (!v.IsNull()) {
        return At(v.Mark(), key.path, "expected " + Describe(key) + ", got " + NodeKind(v));
      }
      e.value = std::move(map);
      e.map_origins = std::move(origins);
    } else {
      if (!v.IsScalar() && !v.IsNull()) {
        return At(v.Mark(), key.path, "expected " + Describe(key) + ", got " + NodeKind(v));
      }
      const std::string text = v.IsNull() ? std::string() : v.Scalar();
      auto parsed = ParseConfigScalar(key, text);
      if (!parsed) return At(v.Mark(), key.path, parsed.error().message);
      e.value = std::move(*parsed);
      e.text = text;
    }
    e.origin = origin;
    return Ok();
  }

  static std::string ListText(const ConfigList& list) {
    std::string s = "[";
    for (size_t i = 0; i < list.size(); ++i) s += (i ? ", " : "") + list[i];
    return s + "]";
  }

  Status ApplyOverride(const std::string& o) {
    size_t eq = o.find('=');
    std::string path = Trimmed(std::string_view(o).substr(0, eq));
    if (eq == std::string::npos || path.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "--set '" + o.substr(0, 64) + "': expected key=value");
    }
    const std::string value = o.substr(eq + 1);
    auto fail = [&](const std::string& p, std::string msg) {
      return Error(ErrorCode::kInvalidArgument, "--set " + p + ": " + msg);
    };
    if (const ConfigKey* key = schema_.Find(path)) {
      Config::Entry& e = EntryFor(*key);
      if (key->type == ConfigType::kMap) {
        return fail(path, "set one entry at a time: --set " + path + ".NAME=value");
      }
      if (key->type == ConfigType::kList) {
        ConfigList list;
        const std::string trimmed = Trimmed(value);
        std::string_view v = trimmed;
        if (!v.empty() && v.front() == '[') {
          YAML::Node n;
          try {
            n = YAML::Load(std::string(v));
          } catch (const YAML::Exception& ex) {
            return fail(path, "expected a list like '[a, b]' or 'a,b': " + ex.msg);
          }
          if (!n.IsSequence()) return fail(path, "expected a list like '[a, b]' or 'a,b'");
          for (const YAML::Node& item : n) {
            if (!item.IsScalar()) return fail(path, "expected a list of plain values");
            list.push_back(item.Scalar());
          }
        } else if (!v.empty()) {
          size_t start = 0;
          while (true) {
            size_t comma = v.find(',', start);
            list.push_back(Trimmed(v.substr(start, comma - start)));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
          }
        }
        if (list.size() > limits_.max_items) return fail(path, "too many items");
        e.text = ListText(list);
        e.value = std::move(list);
      } else {
        auto parsed = ParseConfigScalar(*key, value);
        if (!parsed) return fail(path, parsed.error().message);
        e.value = std::move(*parsed);
        e.text = value;
      }
      e.origin = "--set";
      return Ok();
    }
    // An entry of a free map: "vars.address-groups.HOME_NET=[10.0.0.0/8]".
    for (size_t dot = path.rfind('.'); dot != std::string::npos && dot > 0;
         dot = path.rfind('.', dot - 1)) {
      const ConfigKey* key = schema_.Find(std::string_view(path).substr(0, dot));
      if (key == nullptr) continue;
      if (key->type != ConfigType::kMap) break;  // below a scalar key: unknown
      Config::Entry& e = EntryFor(*key);
      auto& map = std::get<ConfigMap>(e.value);
      std::string name = path.substr(dot + 1);
      bool replaced = false;
      for (size_t i = 0; i < map.size(); ++i) {
        if (map[i].first == name) {
          map[i].second = value;
          e.map_origins[i] = "--set";
          replaced = true;
        }
      }
      if (!replaced) {
        if (map.size() >= limits_.max_items) return fail(path, "too many items");
        map.emplace_back(name, value);
        e.map_origins.push_back("--set");
      }
      return Ok();
    }
    return fail(path, UnknownKey(path));
  }

  std::string name_;
  const ConfigSchema& schema_;
  ConfigLoadLimits limits_;
  Config cfg_;
  std::set<std::string> seen_;
};

Result<Config> Config::LoadString(std::string_view text, std::string_view name,
                                  const ConfigSchema& schema,
                                  std::span<const std::string> overrides,
                                  const ConfigLoadLimits& limits) {
  ConfigLoader loader(name, schema, limits);
  return loader.Load(text, overrides);
}

Result<Config> Config::LoadFile(const std::string& path, const ConfigSchema& schema,
                                std::span<const std::string> overrides,
                                const ConfigLoadLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, path + ": cannot open config file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > limits.max_bytes) {
      return Error(ErrorCode::kLimit,
                   path + ": larger than " + std::to_string(limits.max_bytes) + " bytes");
    }
  }
  if (in.bad()) return Error(ErrorCode::kIo, path + ": read failed");
  return LoadString(text, path, schema, overrides, limits);
}

Result<const Config::Entry*> Config::Lookup(std::string_view path, ConfigType a,
                                            ConfigType b) const {
  auto it = entries_.find(path);
  if (it == entries_.end()) {
    return Error(ErrorCode::kInternal, "config: '" + std::string(path) + "' is not a declared key");
  }
  const ConfigKey& k = schema_.keys()[it->second.key_index];
  if (k.type != a && k.type != b) {
    return Error(ErrorCode::kInternal, "config: '" + std::string(path) + "' is a " +
                                           std::string(ConfigTypeName(k.type)) + ", read as a " +
                                           std::string(ConfigTypeName(a)));
  }
  return &it->second;
}

Result<bool> Config::GetBool(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kBool, ConfigType::kBool));
  return std::get<bool>(e->value);
}

Result<int64_t> Config::GetInt(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kInt, ConfigType::kInt));
  return std::get<int64_t>(e->value);
}

Result<std::string> Config::GetString(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kString, ConfigType::kChoice));
  return std::get<std::string>(e->value);
}

Result<int64_t> Config::GetSize(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kSize, ConfigType::kSize));
  return std::get<int64_t>(e->value);
}

Result<int64_t> Config::GetDurationNanos(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kDuration, ConfigType::kDuration));
  return std::get<int64_t>(e->value);
}

Result<ConfigList> Config::GetList(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kList, ConfigType::kList));
  return std::get<ConfigList>(e->value);
}

Result<ConfigMap> Config::GetMap(std::string_view path) const {
  VIGIL_TRY(const Entry* e, Lookup(path, ConfigType::kMap, ConfigType::kMap));
  return std::get<ConfigMap>(e->value);
}

bool Config::IsSet(std::string_view path) const {
  auto it = entries_.find(path);
  if (it == entries_.end()) return false;
  if (const auto* m = std::get_if<ConfigMap>(&it->second.value)) return !m->empty();
  return it->second.origin != "default";
}

std::string Config::Dump() const {
  std::string out;
  for (const ConfigKey& k : schema_.keys()) {
    const Entry& e = entries_.find(k.path)->second;
    if (k.type == ConfigType::kMap) {
      const auto& map = std::get<ConfigMap>(e.value);
      if (map.empty()) out += k.path + " = {}  # default\n";
      for (size_t i = 0; i < map.size(); ++i) {
        out += k.path + "." + map[i].first + " = " + map[i].second + "  # " + e.map_origins[i] +
               "\n";
      }
      continue;
    }
    out += k.path + " = " + e.text + "  # " + e.origin + "\n";
  }
  return out;
}

}  // namespace vigil
