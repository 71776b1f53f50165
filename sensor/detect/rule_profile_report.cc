#include "sensor/detect/rule_profile_report.h"

#include "core/json_writer.h"

namespace vigil::sensor {

std::string RuleProfileJsonLines(const DetectEngine& engine, std::span<const RuleProfile> profile) {
  std::string out;
  JsonWriter w;
  const auto& rules = engine.rules();
  for (size_t i = 0; i < profile.size() && i < rules.size(); ++i) {
    const RuleProfile& p = profile[i];
    if (p.prefilter_hits == 0 && p.checks == 0) continue;
    const rules::Rule& r = *rules[i].rule;
    w.Clear();
    w.BeginObject();
    w.KeyUint("gid", r.meta.gid);
    w.KeyUint("sid", r.meta.sid);
    w.KeyUint("rev", r.meta.rev);
    w.KeyString("msg", r.meta.msg);
    w.KeyUint("prefilter_hits", p.prefilter_hits);
    w.KeyUint("checks", p.checks);
    w.KeyUint("matches", p.matches);
    w.KeyUint("ns", p.ns);
    w.EndObject();
    if (!w.ok()) continue;
    out.append(w.view());
    out.push_back('\n');
  }
  return out;
}

}  // namespace vigil::sensor
