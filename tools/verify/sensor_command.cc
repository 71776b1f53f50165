#include "tools/verify/sensor_command.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "tools/verify/yaml_value.h"

namespace vigil::verify {

namespace fs = std::filesystem;

std::vector<std::string> SensorCommand::Argv() const {
  std::vector<std::string> argv = {sensor, "-r", pcap.string(), "-l", log_dir.string()};
  for (const auto& r : rule_files) {
    argv.push_back("-S");
    argv.push_back(r.string());
  }
  if (checksum_none) {
    argv.push_back("-k");
    argv.push_back("none");
  }
  for (const auto& s : sets) {
    argv.push_back("--set");
    argv.push_back(s);
  }
  argv.push_back("--runmode");
  argv.push_back("single");
  return argv;
}

std::string SensorCommand::ToString() const {
  std::string out;
  for (const std::string& a : Argv()) {
    if (!out.empty()) out += ' ';
    if (a.find_first_of(" \t'\"$[]!*?;&|<>()\\") == std::string::npos && !a.empty()) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

bool IsContractConfigKey(const std::string& key) {
  static const std::set<std::string> kKeys = {"classification-file", "threshold-file", "reference-config-file",
                                              "stream.midstream",    "stream.inline",  "checksum-validation",
                                              // HTTP body limits and decompression layers
                                              "app-layer.protocols.http.libhtp.default-config.request-body-limit",
                                              "app-layer.protocols.http.libhtp.default-config.response-body-limit",
                                              "app-layer.protocols.http.libhtp.default-config."
                                              "response-body-decompress-layer-limit",
                                              // exception policies (and the IPS mode they depend on)
                                              "simulate-ips", "exception-policy", "stream.midstream-policy",
                                              "stream.memcap-policy", "stream.reassembly.memcap-policy",
                                              "flow.memcap-policy", "defrag.memcap-policy",
                                              "app-layer.error-policy"};
  if (kKeys.count(key) != 0) return true;
  for (const char* prefix : {"vars.address-groups.", "vars.port-groups."}) {
    const std::string p = prefix;
    if (key.size() > p.size() && key.compare(0, p.size(), p) == 0) return true;
  }
  return false;
}

namespace {

std::string Expand(std::string s, const fs::path& test_dir, const fs::path& output_dir) {
  for (const auto& [var, value] : {std::pair<std::string, std::string>{"${TEST_DIR}", test_dir.string()},
                                   {"$TEST_DIR", test_dir.string()},
                                   {"${OUTPUT_DIR}", output_dir.string()},
                                   {"$OUTPUT_DIR", output_dir.string()}}) {
    for (size_t pos = s.find(var); pos != std::string::npos; pos = s.find(var, pos + value.size())) {
      s.replace(pos, var.size(), value);
    }
  }
  return s;
}

// yes/no/true/false/on/off/1/0 → "true"/"false"; anything else (auto) → "".
std::string NormalizeBool(const std::string& v) {
  const ExpectedValue b = ResolvePlainScalar(v);
  if (b.kind() == ExpectedValue::Kind::kBool) return b.as_bool() ? "true" : "false";
  if (v == "1") return "true";
  if (v == "0") return "false";
  return "";
}

std::string AbsoluteFrom(const fs::path& base, const std::string& p) {
  const fs::path path(p);
  return (path.is_absolute() ? path : (base / path)).lexically_normal().string();
}

// A YAML value as the sensor's --set takes it: scalars as is, sequences as "[a, b]".
std::string FlowText(const YAML::Node& n) {
  if (n.IsSequence()) {
    std::string s = "[";
    bool first = true;
    for (const auto& item : n) {
      s += (first ? "" : ", ") + FlowText(item);
      first = false;
    }
    return s + "]";
  }
  return YamlScalarText(n);
}

class Translator {
 public:
  Translator(const fs::path& test_dir, const fs::path& output_dir, TestConfigTranslation* out)
      : test_dir_(test_dir), output_dir_(output_dir), out_(out) {}

  // One KEY=VALUE from --set or the suricata.yaml; `origin` names it in notes.
  void Set(const std::string& key, const std::string& raw_value, const std::string& origin) {
    std::string value = Expand(raw_value, test_dir_, output_dir_);
    if (key == "pcap-file.checksum-checks") {
      const std::string b = NormalizeBool(value);
      if (b == "false") {
        out_->checksum_none = true;
        return;
      }
    }
    if (!IsContractConfigKey(key)) {
      out_->notes.push_back("ignored " + origin + " " + key + "=" + value);
      return;
    }
    if (key == "stream.midstream" || key == "stream.inline" || key == "checksum-validation") {
      const std::string b = NormalizeBool(value);
      if (b.empty()) {
        out_->notes.push_back("ignored " + origin + " " + key + "=" + value + " (not a boolean)");
        return;
      }
      value = key == "checksum-validation" ? (b == "true" ? "yes" : "no") : b;
    }
    if (key == "classification-file" || key == "threshold-file" || key == "reference-config-file") {
      value = AbsoluteFrom(test_dir_, value);
      if (key == "threshold-file") threshold_set_ = true;
    }
    static const std::string kAddr = "vars.address-groups.";
    static const std::string kPort = "vars.port-groups.";
    if (key.rfind(kAddr, 0) == 0) out_->address_vars.emplace_back(key.substr(kAddr.size()), value);
    if (key.rfind(kPort, 0) == 0) out_->port_vars.emplace_back(key.substr(kPort.size()), value);
    out_->sets.push_back(key + "=" + value);
  }

  void Args(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      const bool has_next = i + 1 < args.size();
      if (a == "-k" && has_next) {
        const std::string& mode = args[++i];
        if (mode == "none") {
          out_->checksum_none = true;
        } else if (mode != "all") {
          out_->notes.push_back("ignored arg -k " + mode);
        }
      } else if ((a == "--set" && has_next) || a.rfind("--set=", 0) == 0) {
        const std::string kv = a == "--set" ? args[++i] : a.substr(6);
        const size_t eq = kv.find('=');
        if (eq == std::string::npos) {
          out_->notes.push_back("ignored arg --set " + kv + " (no '=')");
        } else {
          Set(kv.substr(0, eq), kv.substr(eq + 1), "arg --set");
        }
      } else if (a == "--simulate-ips") {
        // Inserted first so an explicit stream.inline from the test still wins.
        out_->sets.insert(out_->sets.begin(), "stream.inline=true");
        out_->sets.insert(out_->sets.begin(), "simulate-ips=true");
        out_->notes.push_back("--simulate-ips run as simulate-ips=true stream.inline=true");
      } else if (a == "--runmode" && has_next) {
        ++i;  // always single
      } else if (a.rfind("--runmode=", 0) == 0) {
        // always single
      } else {
        out_->notes.push_back("ignored arg " + a);
      }
    }
  }

  void SuricataYaml(const fs::path& path) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(path.string());
    } catch (const YAML::Exception& e) {
      out_->notes.push_back(std::string("suricata.yaml unreadable, not applied: ") + e.what());
      return;
    }
    if (!doc.IsMap()) return;
    static const std::set<std::string> kHarmless = {"outputs", "logging", "stats", "default-log-dir", "unix-command"};
    try {
      for (const auto& kv : doc) {
        const std::string key = YamlScalarText(kv.first);
        if (key == "vars") {
          for (const char* group : {"address-groups", "port-groups"}) {
            const YAML::Node g = kv.second[group];
            if (!g || !g.IsMap()) continue;
            for (const auto& var : g) {
              Set(std::string("vars.") + group + "." + YamlScalarText(var.first), FlowText(var.second),
                  "suricata.yaml");
            }
          }
        } else if (key == "stream" && kv.second.IsMap()) {
          for (const auto& s : kv.second) {
            const std::string sub = YamlScalarText(s.first);
            if (sub == "midstream" || sub == "inline" || sub == "midstream-policy" || sub == "memcap-policy") {
              Set("stream." + sub, YamlScalarText(s.second), "suricata.yaml");
            } else if (sub == "reassembly" && s.second.IsMap() && s.second["memcap-policy"]) {
              Set("stream.reassembly.memcap-policy", YamlScalarText(s.second["memcap-policy"]), "suricata.yaml");
            } else {
              out_->notes.push_back("ignored suricata.yaml stream." + sub);
            }
          }
        } else if (key == "classification-file" || key == "threshold-file" || key == "reference-config-file" ||
                   key == "exception-policy") {
          Set(key, YamlScalarText(kv.second), "suricata.yaml");
        } else if ((key == "flow" || key == "defrag" || key == "app-layer") && kv.second.IsMap()) {
          const char* sub = key == "app-layer" ? "error-policy" : "memcap-policy";
          if (kv.second[sub]) {
            Set(key + "." + sub, YamlScalarText(kv.second[sub]), "suricata.yaml");
          } else {
            out_->notes.push_back("ignored suricata.yaml " + key);
          }
        } else if (kHarmless.count(key) == 0) {
          out_->notes.push_back("ignored suricata.yaml " + key);
        }
      }
    } catch (const YAML::Exception& e) {
      out_->notes.push_back(std::string("suricata.yaml partly applied: ") + e.what());
    }
  }

  void DefaultThreshold() {
    const fs::path t = test_dir_ / "threshold.config";
    std::error_code ec;
    if (!threshold_set_ && fs::exists(t, ec)) out_->sets.push_back("threshold-file=" + t.lexically_normal().string());
  }

 private:
  fs::path test_dir_;
  fs::path output_dir_;
  TestConfigTranslation* out_;
  bool threshold_set_ = false;
};

}  // namespace

TestConfigTranslation TranslateTestConfig(const std::vector<std::string>& args, const fs::path& test_dir,
                                          const fs::path& output_dir) {
  TestConfigTranslation out;
  Translator t(test_dir, output_dir, &out);
  std::error_code ec;
  if (fs::exists(test_dir / "suricata.yaml", ec)) t.SuricataYaml(test_dir / "suricata.yaml");
  t.Args(args);
  t.DefaultThreshold();
  return out;
}

}  // namespace vigil::verify
