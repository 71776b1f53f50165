#include "tools/verify/test_case.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "tools/verify/yaml_value.h"

namespace vigil::verify {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> FilesWithSuffix(const fs::path& dir, std::initializer_list<std::string_view> suffixes) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const std::string name = e.path().filename().string();
    for (std::string_view s : suffixes) {
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
        out.push_back(e.path());
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> SplitWhitespace(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// `rules:` holds either a path or the rule text itself.
bool LooksLikeRuleText(const std::string& s) {
  if (s.find('\n') != std::string::npos) return true;
  for (const char* action : {"alert ", "drop ", "pass ", "reject ", "rejectsrc ", "rejectdst ", "rejectboth ",
                             "config ", "accept:", "#"}) {
    if (s.rfind(action, 0) == 0) return true;
  }
  return false;
}

Status ResolveRules(const YAML::Node& doc, const SuricataVersion& version, TestCase* tc) {
  if (const YAML::Node r = doc["rules"]; r && !r.IsNull()) {
    std::string text;
    if (r.IsSequence()) {
      for (const auto& line : r) text += YamlScalarText(line) + "\n";
    } else {
      text = YamlScalarText(r);
    }
    if (LooksLikeRuleText(text)) {
      tc->inline_rules = text;
      return Ok();
    }
    const fs::path p = (tc->dir / text).lexically_normal();
    if (!fs::exists(p)) return Error(ErrorCode::kNotFound, "rules file " + text + " does not exist");
    tc->rule_files.push_back(p);
    return Ok();
  }
  std::vector<fs::path> rules = FilesWithSuffix(tc->dir, {".rules"});
  if (rules.empty()) return Ok();
  if (rules.size() == 2 && rules[0].filename() == "firewall.rules" && rules[1].filename() == "td.rules") {
    tc->notes.push_back("firewall mode not supported: firewall.rules loaded as ordinary rules");
    tc->rule_files = rules;
    return Ok();
  }
  if (rules.size() > 1) return Error(ErrorCode::kParse, "more than one rules file and no rules: in test.yaml");
  const std::string base = rules[0].filename().string();
  if (base == "firewall.rules") {
    tc->notes.push_back("firewall mode not supported: firewall.rules loaded as ordinary rules");
  }
  // run.py: a rules file named min<version>.rules loads only on that version or later.
  if (base.size() > 9 && base.rfind("min", 0) == 0 && std::isdigit(static_cast<unsigned char>(base[3]))) {
    Requirements req;
    req.Add("min-version", base.substr(3, base.size() - 3 - 6));
    if (auto why = req.Unsatisfied(version)) {
      tc->notes.push_back(base + " not loaded: " + *why);
      return Ok();
    }
  }
  tc->rule_files.push_back(rules[0]);
  return Ok();
}

Status ResolvePcap(const YAML::Node& doc, TestCase* tc) {
  if (const YAML::Node p = doc["pcap"]; p && !p.IsNull()) {
    const ExpectedValue v = ExpectedFromYaml(p);
    if (v.kind() == ExpectedValue::Kind::kBool && !v.as_bool()) return Error(ErrorCode::kParse, "test has no pcap (pcap: false)");
    const std::string rel = YamlScalarText(p);
    const fs::path path = (tc->dir / rel).lexically_normal();
    if (!fs::exists(path)) return Error(ErrorCode::kNotFound, "pcap " + rel + " does not exist");
    tc->pcap = path;
    return Ok();
  }
  std::vector<fs::path> pcaps = FilesWithSuffix(tc->dir, {".pcap", ".pcapng"});
  if (pcaps.empty()) return Error(ErrorCode::kNotFound, "no pcap file in the test directory");
  if (pcaps.size() > 1) return Error(ErrorCode::kParse, "more than one pcap file and no pcap: in test.yaml");
  tc->pcap = pcaps[0];
  return Ok();
}

}  // namespace

Result<TestCase> LoadTestCase(const fs::path& dir, std::string name, const SuricataVersion& version) {
  TestCase tc;
  tc.name = std::move(name);
  tc.dir = dir;
  YAML::Node doc;
  try {
    doc = YAML::LoadFile((dir / "test.yaml").string());
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kParse, std::string("malformed test.yaml: ") + e.what());
  }
  if (!doc.IsMap()) return Error(ErrorCode::kParse, "malformed test.yaml: not a map");
  try {
    if (const YAML::Node req = doc["requires"]; req && req.IsMap()) {
      for (const auto& kv : req) {
        const std::string key = YamlScalarText(kv.first);
        if (kv.second.IsSequence()) {
          for (const auto& item : kv.second) tc.requirements.Add(key, YamlScalarText(item));
        } else if (kv.second.IsScalar()) {
          tc.requirements.Add(key, kv.second.Scalar());
        } else {
          tc.requirements.Add(key, "");
        }
      }
    }
    if (const YAML::Node args = doc["args"]; args && !args.IsNull()) {
      if (!args.IsSequence()) return Error(ErrorCode::kParse, "malformed test.yaml: args is not a list");
      for (const auto& a : args) {
        for (std::string& tok : SplitWhitespace(YamlScalarText(a))) tc.args.push_back(std::move(tok));
      }
    }
    // run.py adds --simulate-ips when the directory's own name contains "ips".
    if (dir.filename().string().find("ips") != std::string::npos &&
        std::find(tc.args.begin(), tc.args.end(), "--simulate-ips") == tc.args.end()) {
      tc.args.push_back("--simulate-ips");
    }
    for (const char* unsupported : {"command", "setup", "pre-check", "exit-code", "env", "skip"}) {
      if (doc[unsupported]) tc.notes.push_back(std::string("test.yaml ") + unsupported + ": not applied");
    }
    if (auto st = ResolvePcap(doc, &tc); !st) return st.error();
    if (auto st = ResolveRules(doc, version, &tc); !st) return st.error();
    auto checks = ParseChecks(doc["checks"]);
    if (!checks) return Error(ErrorCode::kParse, "malformed test.yaml: " + checks.error().message);
    tc.checks = std::move(*checks);
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kParse, std::string("malformed test.yaml: ") + e.what());
  }
  return tc;
}

}  // namespace vigil::verify
