// Fuzzes the correlation rule front end: YAML parsing, field modifiers, conditions, timespans
// and cross-rule resolution. Any input must give a rule set or an error, never a crash, hang
// or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/correlation/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::RuleParserConfig config;
  config.max_values_per_document = 2'000;
  vigil::RuleSetBuilder b(config);
  b.AddText("fuzz.yml", std::string_view(reinterpret_cast<const char*>(data), size));
  auto rs = b.Build();
  if (rs.ok()) {
    // Exercise the index too.
    (void)rs->DetectionsFor("flow");
    (void)rs->fingerprint();
  }
  return 0;
}
