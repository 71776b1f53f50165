#include "sensor/reload/ruleset_info.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "sensor/app/tls/ja3.h"

namespace vigil::sensor {

namespace {

constexpr size_t kShortHash = 16;  // hex digits in the log line (the stats and status carry all)

}  // namespace

std::string RulesetInfo::Describe() const {
  return fmt::format("generation {} live: {} rules, version {}{}, sha256 {}, loaded {} in {:.2f} s",
                     generation, rules, version,
                     bundle_id.empty() ? std::string() : " (bundle " + bundle_id + ")",
                     hash.substr(0, kShortHash), loaded_at.ToEve(), load_seconds);
}

RulesetInfo MakeRulesetInfo(const InspectContext& ctx, std::string_view bundle_rules,
                            std::string version, std::string bundle_id, uint64_t generation) {
  // Every file's path and bytes, NUL-separated, then the bundle: one digest of what was loaded.
  std::string all;
  for (const std::string& path : ctx.rule_files) {
    all += path;
    all.push_back('\0');
    std::ifstream in(path, std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    all.push_back('\0');
  }
  all += bundle_rules;
  RulesetInfo info;
  info.generation = generation;
  info.hash = Sha256Hex(all);
  info.version = version.empty() ? "files" : std::move(version);
  info.bundle_id = std::move(bundle_id);
  info.loaded_at = WallClock().Now();
  info.rules = ctx.engine ? ctx.engine->rules().size() : 0;
  info.load_seconds = ctx.load_seconds;
  return info;
}

}  // namespace vigil::sensor
