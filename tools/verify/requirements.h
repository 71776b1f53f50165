// Requirements: the `requires:` of a suricata-verify test or check, decided against the Suricata
// version the runner emulates (default 9.0.0; the corpus holds the tests that run on 9).
//
//   Requirements r;  r.Add("min-version", "8.0.4");  r.Add("features", "HAVE_LUA");
//   if (auto why = r.Unsatisfied(SuricataVersion::Parse("9"))) skip(*why);
//
// Version keys (min-version, lt-version, gt-version, version) are compared as run.py compares
// them (missing minor/patch read as 0; `version: 8` means any 8.x.y). Every other key (features,
// env, files, script, config, os, arch, pcap...) is NOT checked: a test that requires something
// the suite's selection left out still runs, and the key is recorded in unchecked().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::verify {

struct SuricataVersion {
  int major = 0;
  std::optional<int> minor;
  std::optional<int> patch;

  // "8", "8.0", "7.0.12", "9.0.0-dev"; nullopt when it does not start with a number.
  static std::optional<SuricataVersion> Parse(std::string_view text);
  std::string ToString() const;
};

class Requirements {
 public:
  // One `key: value` of a requires block (lists are given item by item).
  void Add(std::string key, std::string value);

  // The first version requirement `running` does not meet, as "requires min-version 10".
  std::optional<std::string> Unsatisfied(const SuricataVersion& running) const;

  const std::vector<std::string>& unchecked() const { return unchecked_; }
  bool empty() const { return versions_.empty() && unchecked_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> versions_;
  std::vector<std::string> unchecked_;
};

}  // namespace vigil::verify
