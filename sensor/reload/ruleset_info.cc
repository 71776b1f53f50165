#include "sensor/reload/ruleset_info.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "core/file_handle.h"
#include "core/sha256.h"

namespace vigil::sensor {

namespace {

constexpr size_t kShortHash = 16;  // hex digits in the log line (the stats and status carry all)
constexpr size_t kReadChunk = 1 << 20;

// Feeds the file's bytes to `h` in chunks (the rule files are never held whole a second time);
// an unreadable file adds nothing.
void HashFile(const std::string& path, std::vector<uint8_t>& chunk, Sha256& h) {
  UniqueFile f(std::fopen(path.c_str(), "rb"));
  if (!f) return;
  size_t n = 0;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), f.get())) > 0) h.Update({chunk.data(), n});
}

void HashText(std::string_view text, Sha256& h) {
  h.Update({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

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
  Sha256 h;
  std::vector<uint8_t> chunk(kReadChunk);
  for (const std::string& path : ctx.rule_files) {
    HashText(path, h);
    HashText(std::string_view("\0", 1), h);
    HashFile(path, chunk, h);
    HashText(std::string_view("\0", 1), h);
  }
  HashText(bundle_rules, h);
  RulesetInfo info;
  info.generation = generation;
  info.hash = h.FinishHex();
  info.version = version.empty() ? "files" : std::move(version);
  info.bundle_id = std::move(bundle_id);
  info.loaded_at = WallClock().Now();
  info.rules = ctx.engine ? ctx.engine->rules().size() : 0;
  info.load_seconds = ctx.load_seconds;
  return info;
}

}  // namespace vigil::sensor
