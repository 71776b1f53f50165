// libFuzzer target for the signature rule front end: the input is a rule file (rules,
// comments, continuation lines, include lines). Includes are disabled, so the fuzzer never
// touches the filesystem. Each loaded rule is walked so that every part of the AST is read;
// the first line is also compiled as an address and a port expression.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/signature/address_set.h"
#include "rules/signature/port_set.h"
#include "rules/signature/rule_loader.h"

namespace {

size_t Walk(const vigil::rules::Rule& r) {
  size_t n = r.meta.msg.size() + r.header.protocol.size();
  for (const auto& b : r.buffers) {
    n += b.transforms.size();
    b.ForEachContent([&n](const vigil::rules::ContentMatch& c) { n += c.pattern.size(); });
  }
  vigil::IpAddress a = vigil::IpAddress::V4(0x0a000001);
  n += r.header.src->Match(a) ? 1 : 0;
  n += r.header.dst_ports->Match(80) ? 1 : 0;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::rules;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const RuleVariables vars = RuleVariables::SuricataDefaults();
  RuleLoaderConfig cfg;
  cfg.reader.allow_includes = false;
  cfg.max_diagnostics = 64;
  RuleLoader loader(vars, cfg);
  RuleSet set;
  loader.LoadString(text, "fuzz", &set);
  size_t sink = 0;
  for (const Rule& r : set.rules) sink += Walk(r);
  for (const LoadDiagnostic& d : set.diagnostics) sink += d.ToString().size();
  std::string_view first = text.substr(0, text.find('\n'));
  if (auto a = AddressSet::Parse(first, vars); a.ok()) sink += a->v4().ranges().size();
  if (auto p = PortSet::Parse(first, vars); p.ok()) sink += p->ranges().ranges().size();
  if (set.summary.loaded + set.summary.skipped + set.summary.errors < set.summary.rules_seen) __builtin_trap();
  return sink == 0xdeadbeef ? 1 : 0;
}
