#include "tools/verify/rule_problems.h"

#include "rules/signature/rule_loader.h"
#include "rules/signature/rule_variables.h"

namespace vigil::verify {

std::string RuleProblem::Kind() const { return std::string(skipped ? "skipped: " : "error: ") + reason; }

std::string RuleProblem::ToString() const {
  return where + ": " + (skipped ? "skipped: " : "error: ") + (sid != 0 ? "[sid " + std::to_string(sid) + "] " : "") +
         reason;
}

RuleInspection InspectRules(const std::vector<std::filesystem::path>& files,
                                          const std::string& inline_rules,
                                          const std::vector<std::pair<std::string, std::string>>& address_vars,
                                          const std::vector<std::pair<std::string, std::string>>& port_vars) {
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  for (const auto& [name, value] : address_vars) vars.SetAddress(name, value);
  for (const auto& [name, value] : port_vars) vars.SetPort(name, value);
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  RuleInspection result;
  std::vector<RuleProblem>& out = result.problems;
  for (const auto& f : files) {
    if (auto st = loader.LoadFile(f.string(), &set); !st) {
      out.push_back({0, false, f.filename().string(), st.error().message});
    }
  }
  if (!inline_rules.empty()) loader.LoadString(inline_rules, "test.yaml rules", &set);
  for (const rules::LoadDiagnostic& d : set.diagnostics) {
    if (d.kind == rules::DiagnosticKind::kWarning) continue;
    RuleProblem p;
    p.sid = d.sid;
    p.skipped = d.kind == rules::DiagnosticKind::kSkipped;
    p.where = std::filesystem::path(d.file).filename().string() + ":" + std::to_string(d.line) + ":" +
              std::to_string(d.column);
    p.reason = d.message;
    out.push_back(std::move(p));
  }
  for (const rules::Rule& r : set.rules) result.protocol_by_sid.emplace(r.meta.sid, r.header.protocol);
  return result;
}

}  // namespace vigil::verify
