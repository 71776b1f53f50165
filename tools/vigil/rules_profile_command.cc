// `vigil rules profile --pcap P --rules R [--rules R2]... [--top N] [--json] [-k none]
//                      [--set K=V]... [--sensor PATH] [--timeout S] [--keep]`
//   runs vigil-sensor offline over the capture with rule profiling on (detect.profiling: the
//   time spent verifying each rule; detect.profiling-file: the per-rule counters), then prints
//   the rules sorted by that time, most expensive first, with their counters: prefilter hits
//   (the fast pattern matched), checks (full verifications), matches, total and mean time per
//   check. --json prints one JSON object per rule instead of the table. Exit 2 when the sensor
//   cannot run or wrote no profile. The sensor run is tools/vigil/offline_sensor_run.
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/json_writer.h"
#include "tools/vigil/commands.h"
#include "tools/vigil/offline_sensor_run.h"

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;

struct RulesProfileArgs {
  OfflineRunOptions run;
  size_t top = 20;
  bool json = false;
};

struct ProfileRow {
  uint64_t gid = 0, sid = 0, rev = 0;
  std::string msg;
  uint64_t prefilter_hits = 0, checks = 0, matches = 0, ns = 0;
};

// Reads the JSON lines the sensor appended (one per rule per worker) and sums them by rule.
bool ReadProfile(const fs::path& path, std::vector<ProfileRow>* rows, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path.string()).get(text) != simdjson::SUCCESS) {
    *error = "the sensor wrote no rule profile (" + path.string() + ")";
    return false;
  }
  std::map<std::pair<uint64_t, uint64_t>, ProfileRow> by_rule;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(text).get(docs) != simdjson::SUCCESS) {
    *error = "cannot parse " + path.string();
    return false;
  }
  for (auto doc : docs) {
    simdjson::dom::element e;
    if (doc.get(e) != simdjson::SUCCESS) {
      *error = "malformed line in " + path.string();
      return false;
    }
    ProfileRow r;
    std::string_view msg;
    if (e["gid"].get(r.gid) || e["sid"].get(r.sid) || e["rev"].get(r.rev) || e["msg"].get(msg) ||
        e["prefilter_hits"].get(r.prefilter_hits) || e["checks"].get(r.checks) ||
        e["matches"].get(r.matches) || e["ns"].get(r.ns)) {
      *error = "a line of " + path.string() + " lacks a field";
      return false;
    }
    ProfileRow& sum = by_rule[{r.gid, r.sid}];
    if (sum.sid == 0) {
      sum.gid = r.gid;
      sum.sid = r.sid;
      sum.rev = r.rev;
      sum.msg = std::string(msg);
    }
    sum.prefilter_hits += r.prefilter_hits;
    sum.checks += r.checks;
    sum.matches += r.matches;
    sum.ns += r.ns;
  }
  for (auto& [key, row] : by_rule) rows->push_back(std::move(row));
  // Most expensive first; equal time (e.g. both 0): more checks first, then by sid.
  std::sort(rows->begin(), rows->end(), [](const ProfileRow& a, const ProfileRow& b) {
    if (a.ns != b.ns) return a.ns > b.ns;
    if (a.checks != b.checks) return a.checks > b.checks;
    return a.sid < b.sid;
  });
  return true;
}

void PrintTable(const std::vector<ProfileRow>& rows, size_t top, uint64_t total_ns) {
  std::printf("%4s %10s %5s %12s %10s %8s %12s %10s %6s  %s\n", "rank", "sid", "rev", "prefilter",
              "checks", "matches", "time_ms", "ns/check", "share", "msg");
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    const ProfileRow& r = rows[i];
    const double share = total_ns ? 100.0 * static_cast<double>(r.ns) / static_cast<double>(total_ns) : 0;
    std::printf("%4zu %10llu %5llu %12llu %10llu %8llu %12.3f %10llu %5.1f%%  %s\n", i + 1,
                static_cast<unsigned long long>(r.sid), static_cast<unsigned long long>(r.rev),
                static_cast<unsigned long long>(r.prefilter_hits),
                static_cast<unsigned long long>(r.checks), static_cast<unsigned long long>(r.matches),
                static_cast<double>(r.ns) / 1e6,
                static_cast<unsigned long long>(r.checks ? r.ns / r.checks : 0), share,
                r.msg.c_str());
  }
  std::printf("%zu rule(s) touched, %.3f ms verifying in total\n", rows.size(),
              static_cast<double>(total_ns) / 1e6);
}

void PrintJson(const std::vector<ProfileRow>& rows, size_t top) {
  JsonWriter w;
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    const ProfileRow& r = rows[i];
    w.Clear();
    w.BeginObject();
    w.KeyUint("rank", i + 1);
    w.KeyUint("gid", r.gid);
    w.KeyUint("sid", r.sid);
    w.KeyUint("rev", r.rev);
    w.KeyString("msg", r.msg);
    w.KeyUint("prefilter_hits", r.prefilter_hits);
    w.KeyUint("checks", r.checks);
    w.KeyUint("matches", r.matches);
    w.KeyUint("ns", r.ns);
    w.KeyUint("ns_per_check", r.checks ? r.ns / r.checks : 0);
    w.EndObject();
    if (w.ok()) std::printf("%.*s\n", static_cast<int>(w.view().size()), w.view().data());
  }
}

int RunRulesProfile(const RulesProfileArgs& a) {
  OfflineSensorRun sensor_run("vigil rules profile");
  OfflineRunOptions options = a.run;
  // Profiling on; the per-rule counters go next to the sensor's eve.json.
  options.sets.push_back("detect.profiling=yes");
  options.sets.push_back("detect.profiling-file={log_dir}/rule-profile.jsonl");
  if (int rc = sensor_run.Run(options); rc != 0) return rc;
  std::vector<ProfileRow> rows;
  std::string error;
  if (!ReadProfile(sensor_run.log_dir() / "rule-profile.jsonl", &rows, &error)) {
    std::fprintf(stderr, "vigil rules profile: %s\n", error.c_str());
    return 2;
  }
  uint64_t total_ns = 0;
  for (const ProfileRow& r : rows) total_ns += r.ns;
  if (a.json) PrintJson(rows, a.top);
  else PrintTable(rows, a.top, total_ns);
  if (a.run.keep) std::printf("output kept in %s\n", sensor_run.work_dir().c_str());
  return 0;
}

}  // namespace

void AddRulesProfileCommand(CLI::App& app, CommandResult& result) {
  CLI::App* rules = FindOrAddRulesGroup(app);
  auto args = std::make_shared<RulesProfileArgs>();
  CLI::App* cmd = rules->add_subcommand(
      "profile", "run rules over a capture offline and list them by the time spent verifying them");
  cmd->add_option("--pcap", args->run.pcap, "capture file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--rules", args->run.rules, "rules file (repeatable)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--top", args->top, "rules to list (default 20)")->check(CLI::Range(1, 1000000));
  cmd->add_flag("--json", args->json, "one JSON object per rule instead of the table");
  cmd->add_option("-k", args->run.checksum, "checksum validation: all (default) or none")
      ->check(CLI::IsMember({"all", "none"}));
  cmd->add_option("--set", args->run.sets, "sensor config override KEY=VALUE (repeatable)");
  cmd->add_option("--sensor", args->run.sensor, "vigil-sensor binary (default: next to vigil)");
  cmd->add_option("--timeout", args->run.timeout_s, "seconds the sensor may run")->check(CLI::Range(1.0, 86400.0));
  cmd->add_flag("--keep", args->run.keep, "keep the sensor's output and the profile");
  cmd->callback([args, &result] { result.exit_code = RunRulesProfile(*args); });
}

}  // namespace vigil::cli
