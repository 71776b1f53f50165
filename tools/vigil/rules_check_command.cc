// `vigil rules check [--json] [--var NAME=VALUE]... [-c sensor.yaml] [--classification FILE]
//                    [--threshold FILE] [--level info|warning|error] [--summary] FILES...`
//   parses and validates signature rule files (Suricata syntax) and correlation rule files
//   (YAML), chosen by extension or content; directories are searched for *.rules, *.yml, *.yaml.
//   Prints errors and warnings as file:line:col, then a summary grouped by code; --json prints a
//   machine-readable report instead. Exit 0: no errors; 1: at least one error (a rule or file the
//   sensor/correlator would reject); 2: bad arguments or configuration.
//   The analysis lives in rules/lint; this file wires in the sensor's own fast pattern choice and
//   its configuration (variables, classification and threshold files, min-preferred-fast-pattern).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "rules/lint/correlation_linter.h"
#include "rules/lint/lint_report.h"
#include "rules/lint/rule_file_kind.h"
#include "rules/lint/signature_linter.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/rule_variables.h"
#include "rules/signature/threshold_config.h"
#include "sensor/detect/fast_pattern.h"
#include "sensor/detect/ip_only_index.h"
#include "sensor/detect/pcre_program.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/pipeline/sensor_config.h"
#include "tools/vigil/commands.h"

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;
namespace lint = rules::lint;

struct RulesCheckArgs {
  std::vector<std::string> files;
  std::vector<std::string> vars;
  std::string config;
  std::string classification;
  std::string threshold;
  std::string level;  // default: warning for text, info for --json
  bool json = false;
  bool summary_only = false;
};

// What the check needs from a sensor configuration (or the defaults without one).
struct CheckSettings {
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  uint32_t min_preferred_fast_pattern = 4;
  std::string classification_file;
  std::string threshold_file;
  std::vector<std::string> rule_files;  // the config's rule-files, resolved
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "vigil rules check: %s\n", message.c_str());
  return 2;
}

Result<CheckSettings> LoadSettings(const RulesCheckArgs& a) {
  CheckSettings s;
  if (!a.config.empty()) {
    VIGIL_TRY(Config cfg, Config::LoadFile(a.config, sensor::SensorConfigSchema()));
    VIGIL_TRY(sensor::SensorConfig sc, sensor::BuildSensorConfig(cfg));
    s.vars = sensor::MakeRuleVariables(sc);
    const sensor::DetectionSettings& d = sc.detection;
    s.min_preferred_fast_pattern = d.min_preferred_fast_pattern;
    s.classification_file = d.classification_file;
    s.threshold_file = d.threshold_file;
    for (const std::string& f : d.rule_files) {
      s.rule_files.push_back(d.default_rule_path.empty() || fs::path(f).is_absolute()
                                 ? f
                                 : (fs::path(d.default_rule_path) / f).string());
    }
  }
  for (const std::string& kv : a.vars) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error(ErrorCode::kInvalidArgument, "--var " + kv + ": expected NAME=VALUE");
    }
    const size_t skip = kv[0] == '$' ? 1 : 0;  // "$HOME_NET=..." works too
    std::string name = kv.substr(skip, eq - skip);
    std::string value = kv.substr(eq + 1);
    // A port group if one of that name exists or the name says so (HTTP_PORTS); else addresses.
    const bool port = s.vars.FindPort(name) != nullptr ||
                      (s.vars.FindAddress(name) == nullptr && name.find("PORT") != std::string::npos);
    if (port) s.vars.SetPort(std::move(name), std::move(value));
    else s.vars.SetAddress(std::move(name), std::move(value));
  }
  if (!a.classification.empty()) s.classification_file = a.classification;
  if (!a.threshold.empty()) s.threshold_file = a.threshold;
  return s;
}

// Files named on the command line, directories expanded (sorted) to their rule files.
std::vector<std::string> ExpandPaths(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      out.push_back(a);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(a, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (it->is_regular_file(ec) && (ext == ".rules" || ext == ".yml" || ext == ".yaml")) {
        found.push_back(it->path().string());
      }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::string Head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

// The sensor's prefilter decision for one rule: its fast pattern, else the address index for
// header-only rules, else always-check (sensor/detect: ChooseFastPattern, IpOnlyIndex).
lint::PrefilterProbe EngineProbe(uint32_t min_preferred) {
  return [min_preferred](const rules::Rule& r) {
    lint::PrefilterChoice c;
    if (auto fp = sensor::ChooseFastPattern(r, min_preferred)) {
      c.kind = lint::PrefilterChoice::Kind::kFastPattern;
      c.buffer = fp->buffer;
      c.bytes = std::move(fp->bytes);
      c.nocase = fp->nocase;
      c.explicit_choice = fp->explicit_choice;
    } else if (r.buffers.empty() && sensor::IpOnlyIndex::ChooseSet(r.header.src.get(), r.header.dst.get())) {
      c.kind = lint::PrefilterChoice::Kind::kAddressIndexed;
    }
    return c;
  };
}

int RunRulesCheck(const RulesCheckArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  lint::ReportOptions report;
  const std::string level = !a.level.empty() ? a.level : a.json ? "info" : "warning";
  if (!lint::ParseSeverity(level, &report.list_level)) {
    return Fail("--level must be info, warning or error, not '" + level + "'");
  }
  report.list = !a.summary_only;
  auto settings = LoadSettings(a);
  if (!settings) return Fail(settings.error().message);
  std::vector<std::string> paths = ExpandPaths(a.files.empty() ? settings->rule_files : a.files);
  if (paths.empty()) return Fail("no rule files: name FILES, or -c a sensor config with rule-files");

  lint::LintResult result;
  std::optional<rules::ClassificationConfig> classes;
  if (!settings->classification_file.empty()) {
    auto loaded = rules::ClassificationConfig::LoadFile(settings->classification_file);
    if (loaded) classes = std::move(*loaded);
    else result.findings.push_back({settings->classification_file, 0, 0, lint::Code::kConfigError, 0, 0,
                                    loaded.error().message, "classification file"});
  }
  lint::SignatureLintConfig cfg;
  cfg.probe = EngineProbe(settings->min_preferred_fast_pattern);
  cfg.buffer_side = [](rules::BufferId b) { return static_cast<lint::TxSide>(sensor::BufferSide(b)); };
  cfg.pcre_compile = [](const rules::PcreMatch& p) {
    auto prog = sensor::PcreProgram::Compile(p);
    return prog ? std::string() : prog.error().message;
  };
  cfg.classifications = classes ? &*classes : nullptr;
  lint::SignatureLinter signatures(settings->vars, cfg);
  std::vector<std::string> correlation_files;
  for (const std::string& p : paths) {
    if (lint::ClassifyRuleFile(p, Head(p)) == lint::RuleFileKind::kCorrelation) correlation_files.push_back(p);
    else signatures.LintFile(p, &result);
  }
  lint::LintCorrelationFiles(correlation_files, &result);
  if (!settings->threshold_file.empty()) {
    auto th = rules::ThresholdConfig::LoadFile(settings->threshold_file, settings->vars);
    if (th) signatures.CheckThresholds(*th, settings->threshold_file, &result);
    else result.findings.push_back({settings->threshold_file, 0, 0, lint::Code::kConfigError, 0, 0,
                                    th.error().message, "threshold file"});
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string text = a.json ? lint::FormatJsonReport(result, report) : lint::FormatTextReport(result, report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return result.has_errors() ? 1 : 0;
}

}  // namespace

CLI::App* FindOrAddRulesGroup(CLI::App& app) {
  auto found = app.get_subcommands([](CLI::App* s) { return s->get_name() == "rules"; });
  if (!found.empty()) return found.front();
  CLI::App* group = app.add_subcommand("rules", "signature and correlation rules: check, test, profile");
  group->require_subcommand(1);
  return group;
}

void AddRulesCheckCommand(CLI::App& app, CommandResult& result) {
  CLI::App* rules_group = FindOrAddRulesGroup(app);
  auto args = std::make_shared<RulesCheckArgs>();
  CLI::App* cmd = rules_group->add_subcommand(
      "check", "parse and validate signature and correlation rule files; warn about slow or dead rules");
  cmd->footer(
      "Parses and validates signature rules (Suricata syntax; .rules) and correlation rules (YAML; .yml):\n"
      "errors as file:line:col, warnings for rules without a usable fast pattern, very short fast\n"
      "patterns, duplicate sids, rules that can never match (dsize/bsize/urilen/isdataat/endswith/flow\n"
      "contradictions), unknown classtypes and keywords Vigil skips; info for legacy syntax.\n"
      "A summary groups the findings by code. Exit 0: no errors, 1: errors, 2: bad arguments.");
  cmd->add_option("files", args->files, "rule files or directories (default: the rule-files of -c)");
  cmd->add_flag("--json", args->json, "print a JSON report (findings and summary) instead of text");
  cmd->add_option("--var", args->vars,
                  "define an address or port variable, NAME=VALUE (e.g. HOME_NET=[10.0.0.0/8]); port "
                  "groups are names Suricata defines as ports or containing PORT")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);  // one NAME=VALUE per --var: FILES may follow
  cmd->add_option("-c,--config", args->config,
                  "a vigil-sensor config: its vars, classification-file, threshold-file, "
                  "min-preferred-fast-pattern and (without FILES) rule-files")
      ->check(CLI::ExistingFile);
  cmd->add_option("--classification", args->classification, "classification.config (default: Suricata's)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threshold", args->threshold, "threshold.config to cross-check against the rules")
      ->check(CLI::ExistingFile);
  cmd->add_option("--level", args->level, "list findings at or above: info, warning or error (default: warning; info with --json)");
  cmd->add_flag("--summary", args->summary_only, "print only the summary (no per-finding list)");
  cmd->callback([args, &result] { result.exit_code = RunRulesCheck(*args); });
}

}  // namespace vigil::cli
