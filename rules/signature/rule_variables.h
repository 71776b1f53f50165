// RuleVariables: the address and port groups ($HOME_NET, $HTTP_PORTS...) that rule headers and
// threshold.config refer to. The caller fills it (from its YAML config, a test, the CLI); this
// library never reads configuration files for it.
//
//   RuleVariables vars = RuleVariables::SuricataDefaults();
//   vars.SetAddress("HOME_NET", "[10.0.0.0/8]");
//   const std::string* v = vars.FindAddress("HOME_NET");
//
// Names are stored without the '$'. A value is itself an expression and may refer to other
// variables ("!$HOME_NET"); the expression parsers resolve them with a depth limit, so a cycle
// ($A = $B, $B = $A) is an error, not a hang.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vigil::rules {

class RuleVariables {
 public:
  // Suricata's default suricata.yaml address-groups and port-groups.
  static RuleVariables SuricataDefaults();

  void SetAddress(std::string name, std::string value) { addresses_[std::move(name)] = std::move(value); }
  void SetPort(std::string name, std::string value) { ports_[std::move(name)] = std::move(value); }

  const std::string* FindAddress(std::string_view name) const {
    auto it = addresses_.find(name);
    return it == addresses_.end() ? nullptr : &it->second;
  }
  const std::string* FindPort(std::string_view name) const {
    auto it = ports_.find(name);
    return it == ports_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, std::string, std::less<>>& addresses() const { return addresses_; }
  const std::map<std::string, std::string, std::less<>>& ports() const { return ports_; }

 private:
  std::map<std::string, std::string, std::less<>> addresses_;
  std::map<std::string, std::string, std::less<>> ports_;
};

}  // namespace vigil::rules
