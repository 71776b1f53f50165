// TestCase: one suricata-verify test directory read into what the runner needs: its pcap, its
// rules (files or inline text), its args, its requires and its filter checks.
//
//   auto tc = LoadTestCase("../shared/corpus/suricata-verify/tests/alert-testmyids",
//                          "alert-testmyids", SuricataVersion::Parse("9").value());
//   if (!tc) print("ERROR", tc.error().message);        // malformed or incomplete test.yaml
//
// Resolution follows suricata-verify's run.py: `pcap:` relative to the test directory, else the
// single *.pcap/*.pcapng; `rules:` (a path, or inline rule text), else the single *.rules
// (firewall.rules + td.rules both load; a min<version>.rules file only when the emulated version
// meets it); `args:` entries split on whitespace; a test whose name contains "ips" runs with
// --simulate-ips as run.py adds it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/verify/filter_check.h"
#include "tools/verify/requirements.h"

namespace vigil::verify {

struct TestCase {
  std::string name;
  std::filesystem::path dir;
  std::filesystem::path pcap;
  std::vector<std::filesystem::path> rule_files;
  std::string inline_rules;        // `rules:` given as rule text
  std::vector<std::string> args;   // whitespace-split `args:`, ${...} not yet expanded
  Requirements requirements;
  ParsedChecks checks;
  std::vector<std::string> notes;  // what was noticed but not applied
};

Result<TestCase> LoadTestCase(const std::filesystem::path& dir, std::string name, const SuricataVersion& version);

}  // namespace vigil::verify
