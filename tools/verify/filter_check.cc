#include "tools/verify/filter_check.h"

#include "tools/verify/yaml_value.h"

namespace vigil::verify {

std::string FilterCheck::ToString() const {
  std::string s = "count " + std::to_string(count) + ", match";
  for (const MatchTerm& t : match) s += " " + t.ToString();
  return s;
}

int64_t FilterCheck::signature_id() const {
  for (const MatchTerm& t : match) {
    if (t.op() == MatchTerm::Op::kEquals && t.path().text() == "alert.signature_id" &&
        t.expected().kind() == ExpectedValue::Kind::kInt) {
      return t.expected().as_int();
    }
  }
  return 0;
}

namespace {

void AddRequires(const YAML::Node& node, Requirements* out) {
  if (!node || !node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = YamlScalarText(kv.first);
    if (kv.second.IsSequence()) {
      for (const auto& item : kv.second) out->Add(key, YamlScalarText(item));
    } else if (kv.second.IsMap()) {
      for (const auto& sub : kv.second) out->Add(key, YamlScalarText(sub.first));
    } else {
      out->Add(key, YamlScalarText(kv.second));
    }
  }
}

Result<FilterCheck> ParseFilter(const YAML::Node& f, size_t number) {
  const std::string where = "check " + std::to_string(number);
  if (!f.IsMap()) return Error(ErrorCode::kParse, where + ": filter is not a map");
  FilterCheck c;
  c.number = number;
  const YAML::Node count = f["count"];
  const ExpectedValue cv = ExpectedFromYaml(count);
  if (cv.kind() != ExpectedValue::Kind::kInt) {
    return Error(ErrorCode::kParse, where + ": filter has no integer count");
  }
  c.count = cv.as_int();
  const YAML::Node match = f["match"];
  if (match && !match.IsNull()) {
    if (!match.IsMap()) return Error(ErrorCode::kParse, where + ": match is not a map");
    for (const auto& kv : match) {
      const std::string key = YamlScalarText(kv.first);
      if (key == "has-key" || key == "not-has-key") {
        // One key path, or a list of them (each must hold).
        std::vector<std::string> paths;
        if (kv.second.IsSequence()) {
          for (const auto& item : kv.second) paths.push_back(YamlScalarText(item));
        } else {
          paths.push_back(YamlScalarText(kv.second));
        }
        for (const std::string& path : paths) {
          if (path.empty()) return Error(ErrorCode::kParse, where + ": " + key + " needs key paths");
          c.match.push_back(key == "has-key" ? MatchTerm::HasKey(path) : MatchTerm::NotHasKey(path));
        }
        if (paths.empty()) return Error(ErrorCode::kParse, where + ": " + key + " needs key paths");
        continue;
      }
      ExpectedValue v = ExpectedFromYaml(kv.second);
      if (key == "event_type" && v.kind() == ExpectedValue::Kind::kString && v.as_string() == "alert") {
        c.alert = true;
      }
      c.match.push_back(MatchTerm::Equals(key, std::move(v)));
    }
  }
  if (const YAML::Node fn = f["filename"]; fn && fn.IsScalar()) c.filename = fn.Scalar();
  AddRequires(f["requires"], &c.requirements);
  for (const char* key : {"min-version", "lt-version", "version"}) {
    if (const YAML::Node v = f[key]; v && v.IsScalar()) c.requirements.Add(key, v.Scalar());
  }
  if (const YAML::Node v = f["feature"]; v && v.IsScalar()) c.requirements.Add("features", v.Scalar());
  return c;
}

}  // namespace

Result<ParsedChecks> ParseChecks(const YAML::Node& checks) {
  ParsedChecks out;
  if (!checks || checks.IsNull()) return out;
  if (!checks.IsSequence()) return Error(ErrorCode::kParse, "checks is not a list");
  size_t number = 0;
  try {
    for (const auto& entry : checks) {
      ++number;
      if (!entry.IsMap()) return Error(ErrorCode::kParse, "check " + std::to_string(number) + " is not a map");
      for (const auto& kv : entry) {
        const std::string type = YamlScalarText(kv.first);
        if (type != "filter") {
          ++out.other_checks;
          continue;
        }
        VIGIL_TRY(FilterCheck c, ParseFilter(kv.second, number));
        out.filters.push_back(std::move(c));
      }
    }
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kParse, "check " + std::to_string(number) + ": " + e.what());
  }
  return out;
}

Result<ParsedChecks> LoadChecksFile(const std::string& path) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kParse, path + ": " + e.what());
  }
  if (!doc.IsMap() || !doc["checks"]) return Error(ErrorCode::kParse, path + ": no checks: list");
  auto parsed = ParseChecks(doc["checks"]);
  if (!parsed) return Error(ErrorCode::kParse, path + ": " + parsed.error().message);
  return parsed;
}

FilterEvaluator::FilterEvaluator(std::span<const FilterCheck* const> checks)
    : checks_(checks.begin(), checks.end()), states_(checks.size()) {
  for (size_t i = 0; i < checks_.size(); ++i) {
    states_[i].prefix.assign(checks_[i]->match.size() + 1, 0);
    states_[i].sample.assign(checks_[i]->match.size(), "");
  }
}

void FilterEvaluator::Add(simdjson::dom::element record) {
  for (size_t i = 0; i < checks_.size(); ++i) {
    const FilterCheck& c = *checks_[i];
    State& s = states_[i];
    ++s.prefix[0];
    bool all = true;
    for (size_t k = 0; k < c.match.size(); ++k) {
      const MatchOutcome m = c.match[k].Evaluate(record);
      if (m == MatchOutcome::kError && !s.error) {
        s.error = true;
        s.error_term = c.match[k].ToString() + " (value " + c.match[k].DescribeActual(record) + ")";
      }
      if (m != MatchOutcome::kMatch) {
        if (s.sample[k].empty()) s.sample[k] = c.match[k].DescribeActual(record);
        all = false;
        break;
      }
      ++s.prefix[k + 1];
    }
    if (all) ++s.count;
  }
}

std::vector<CheckOutcome> FilterEvaluator::Finish() const {
  std::vector<CheckOutcome> out(checks_.size());
  for (size_t i = 0; i < checks_.size(); ++i) {
    const FilterCheck& c = *checks_[i];
    const State& s = states_[i];
    CheckOutcome& o = out[i];
    o.got = s.count;
    const std::string head = "check " + std::to_string(c.number) + " (expected count " + std::to_string(c.count) +
                             " got " + std::to_string(s.count) + ", match";
    std::string match_text;
    for (const MatchTerm& t : c.match) match_text += " " + t.ToString();
    if (s.error) {
      o.reason = head + match_text + "): cannot evaluate " + s.error_term;
      o.group = "check cannot be evaluated on the record";
      continue;
    }
    if (s.count == c.count) {
      o.passed = true;
      continue;
    }
    o.reason = head + match_text + ")";
    if (s.count > c.count) {
      o.group = c.count == 0 ? (c.alert ? "unexpected alert (expected none)" : "unexpected record (expected none)")
                             : (c.alert ? "too many alerts" : "too many records");
      continue;
    }
    // Too few: the first term after which fewer records than expected remain is the blocker.
    size_t k = 0;
    while (k < c.match.size() && s.prefix[k + 1] >= c.count) ++k;
    if (k >= c.match.size()) {
      o.group = "too few records";
      continue;
    }
    const MatchTerm& t = c.match[k];
    const std::string key = t.op() == MatchTerm::Op::kEquals ? t.path().text() : t.ToString();
    if (s.prefix[k] == 0 || s.sample[k].empty()) {
      o.reason += ": no record at all before " + t.ToString();
    } else {
      o.reason += ": only " + std::to_string(s.prefix[k + 1]) + " of " + std::to_string(s.prefix[k]) +
                  " records " + (k == 0 ? "" : "matching the terms before it ") + "have " + t.ToString() +
                  " (first other value " + s.sample[k] + ")";
    }
    if (key == "event_type") {
      o.group = c.alert ? "no alerts at all" : "no records of the event type";
    } else if (key == "alert.signature_id") {
      o.group = s.prefix[k + 1] == 0 ? "alert did not fire" : "alert fired too few times";
    } else {
      o.group = (c.alert ? "alert field differs: " : "field differs: ") + key;
    }
  }
  return out;
}

}  // namespace vigil::verify
