// ClassificationConfig: the classtypes of classification.config, which give alerts a
// description and a default priority.
//
//   config classification: trojan-activity,A Network Trojan was detected,1
//
// Blank lines and '#' comments are skipped; every other line must be a `config classification:`
// entry with a name, a description (which may not contain ',') and a priority 1..255. A name
// given twice keeps the later entry, as Suricata does, and is reported as a warning.
//
//   auto cfg = ClassificationConfig::LoadFile("classification.config");
//   const Classification* c = cfg->Find("trojan-activity");
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::rules {

struct Classification {
  std::string name;
  std::string description;
  uint8_t priority = 0;
};

class ClassificationConfig {
 public:
  static Result<ClassificationConfig> LoadFile(const std::string& path);
  // `source_name` prefixes error messages ("<name>:<line>: ...").
  static Result<ClassificationConfig> Parse(std::string_view text, std::string_view source_name);

  const Classification* Find(std::string_view name) const {
    auto it = classes_.find(name);
    return it == classes_.end() ? nullptr : &it->second;
  }
  size_t size() const { return classes_.size(); }
  const std::vector<std::string>& warnings() const { return warnings_; }
  void Add(Classification c) { classes_[c.name] = std::move(c); }

 private:
  std::map<std::string, Classification, std::less<>> classes_;
  std::vector<std::string> warnings_;
};

// Reads a whole file; used by every loader in this folder. Files larger than `max_bytes` are an
// error (kLimit) rather than a memory spike.
Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes);

}  // namespace vigil::rules
