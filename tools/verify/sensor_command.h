// SensorCommand: the vigil-sensor command line of one offline run, under the fixed contract
//   vigil-sensor -r PCAP -l OUTDIR [-S RULEFILE]... [-k none] [--set KEY=VALUE]... --runmode single
// and TranslateTestConfig, which turns a suricata-verify test's own settings (its args and its
// suricata.yaml) into that contract. vigil-sensor rejects config keys it does not know, so only
// what maps is passed on:
//   vars.address-groups.NAME, vars.port-groups.NAME, classification-file, threshold-file,
//   reference-config-file, stream.midstream, stream.inline, checksum-validation;
// `-k none` stays `-k none`; `--simulate-ips` becomes stream.inline=true (Suricata's default
// `stream.inline: auto` is inline in IPS mode); `--runmode` is always single; a threshold.config
// in the test directory is loaded as run.py's callers do. Everything else is recorded in
// `notes` as "ignored arg X" / "suricata.yaml: ignored KEY" for the test's detail.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace vigil::verify {

struct SensorCommand {
  std::string sensor;  // path of the vigil-sensor binary
  std::filesystem::path pcap;
  std::filesystem::path log_dir;
  std::vector<std::filesystem::path> rule_files;
  bool checksum_none = false;
  std::vector<std::string> sets;  // "key=value", applied in order (later wins)

  std::vector<std::string> Argv() const;
  // The command as one shell-quoted line, for logs and --keep.
  std::string ToString() const;
};

struct TestConfigTranslation {
  bool checksum_none = false;
  std::vector<std::string> sets;
  std::vector<std::string> notes;
  // Rule variables the test defines (name without '$', value), for loading its rules here too.
  std::vector<std::pair<std::string, std::string>> address_vars;
  std::vector<std::pair<std::string, std::string>> port_vars;
};

// `args`: the test's whitespace-split args; `test_dir`: where its suricata.yaml and
// threshold.config may be; `output_dir`: what ${OUTPUT_DIR} expands to.
TestConfigTranslation TranslateTestConfig(const std::vector<std::string>& args,
                                          const std::filesystem::path& test_dir,
                                          const std::filesystem::path& output_dir);

// True for the config keys the sensor contract accepts with --set.
bool IsContractConfigKey(const std::string& key);

}  // namespace vigil::verify
