// `vigil status [--socket PATH]... [--json] [--all] [--timeout MS]`
//   asks running daemons (vigil-sensor, vigil-correlator) for their live state on their control
//   socket (core/control/): program, version, uptime, the user it runs as, the live rule set and
//   every counter of its periodic stats. Without --socket it asks every control socket found in
//   /run/vigil (as root) or the working directory (vigil-*.sock). --json prints the daemon's reply
//   as is (one document per line). Exit 0 when every daemon asked answered, 1 otherwise (not
//   running, no permission), 2 on usage errors.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/control/control_client.h"
#include "core/control/control_path.h"
#include "tools/vigil/commands.h"

namespace vigil::cli {
namespace {

struct StatusArgs {
  std::vector<std::string> sockets;
  bool json = false;
  bool all = false;
  int timeout_ms = 2000;
};

// 3725.2 -> "1h02m05s"
std::string Uptime(double seconds) {
  auto s = static_cast<uint64_t>(seconds);
  const uint64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
  s %= 60;
  if (d > 0) return fmt::format("{}d{:02}h{:02}m", d, h, m);
  if (h > 0) return fmt::format("{}h{:02}m{:02}s", h, m, s);
  if (m > 0) return fmt::format("{}m{:02}s", m, s);
  return fmt::format("{}s", s);
}

std::string Text(simdjson::dom::element e) {
  std::string_view sv;
  if (e.get(sv) == simdjson::SUCCESS) return std::string(sv);
  return simdjson::minify(e);
}

// The readable form of one status document; false when the reply is not one.
bool PrintReadable(const std::string& path, const std::string& reply, bool all) {
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  if (parser.parse(reply).get(doc) != simdjson::SUCCESS) {
    std::fprintf(stderr, "vigil status: %s: the reply is not JSON: %.200s\n", path.c_str(), reply.c_str());
    return false;
  }
  std::string_view error;
  if (doc["error"].get(error) == simdjson::SUCCESS) {
    std::fprintf(stderr, "vigil status: %s: the daemon refused the request: %.*s\n", path.c_str(),
                 static_cast<int>(error.size()), error.data());
    return false;
  }
  std::string_view program = "?", instance, version = "?";
  int64_t pid = 0;
  uint64_t uid = 0;
  double uptime = 0;
  // Missing fields keep their defaults (an older daemon may not send them all).
  const bool complete = doc["program"].get(program) == simdjson::SUCCESS &&
                        doc["version"].get(version) == simdjson::SUCCESS &&
                        doc["pid"].get(pid) == simdjson::SUCCESS && doc["uid"].get(uid) == simdjson::SUCCESS &&
                        doc["uptime_seconds"].get(uptime) == simdjson::SUCCESS;
  if (doc["instance"].get(instance) != simdjson::SUCCESS) instance = {};
  if (!complete) fmt::print(stderr, "vigil status: {}: some fields are missing from the reply\n", path);
  fmt::print("{}{}{}: up {}, version {}, pid {}, uid {}\n", program, instance.empty() ? "" : " ", instance,
             Uptime(uptime), version, pid, uid);
  fmt::print("  socket  {}\n", path);
  static const char* kScalars[] = {"program", "instance", "version", "pid", "uid", "gid", "started_unix",
                                   "uptime_seconds", "counters"};
  for (auto field : doc) {
    bool scalar = false;
    for (const char* k : kScalars) scalar = scalar || field.key == k;
    if (!scalar) fmt::print("  {}  {}\n", field.key, Text(field.value));
  }
  simdjson::dom::object counters;
  if (doc["counters"].get(counters) != simdjson::SUCCESS) return true;
  // Grouped by component (the name's first part), in the daemon's order; zeros hidden unless --all.
  std::string group;
  size_t hidden = 0;
  for (auto c : counters) {
    uint64_t v = 0;
    if (c.value.get(v) != simdjson::SUCCESS) continue;
    if (v == 0 && !all) {
      ++hidden;
      continue;
    }
    const std::string_view name = c.key;
    const std::string_view head = name.substr(0, name.find('.'));
    if (head != group) {
      group = std::string(head);
      fmt::print("  {}\n", group);
    }
    fmt::print("    {:<44} {:>16}\n", name, v);
  }
  if (hidden > 0) fmt::print("  ({} counters at zero not shown; --all shows them)\n", hidden);
  return true;
}

int Run(StatusArgs a) {
  const bool searched = a.sockets.empty();
  if (searched) a.sockets = control::FindControlSockets();
  if (a.sockets.empty()) {
    std::fprintf(stderr,
                 "vigil status: no Vigil daemon found: no control socket in %s%s (is a daemon running? "
                 "give --socket PATH, or see control.socket in its config)\n",
                 control::DefaultControlDir().c_str(),
                 control::DefaultControlDir() == "." ? "" : " or the working directory");
    return 1;
  }
  int rc = 0;
  bool first = true;
  for (const std::string& path : a.sockets) {
    auto reply = control::QueryControl(path, "status", a.timeout_ms);
    if (!reply) {
      const bool gone = reply.error().code == ErrorCode::kUnavailable;
      std::fprintf(stderr, "vigil status: %s%s\n", reply.error().message.c_str(),
                   gone ? " (is the daemon running?)" : "");
      rc = 1;
      continue;
    }
    if (a.json) {
      fmt::print("{}\n", *reply);
      continue;
    }
    if (!first) fmt::print("\n");
    first = false;
    if (!PrintReadable(path, *reply, a.all)) rc = 1;
  }
  std::fflush(stdout);
  return rc;
}

}  // namespace

void AddStatusCommand(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("status", "show the live counters of running daemons (control socket)");
  auto args = std::make_shared<StatusArgs>();
  cmd->add_option("--socket", args->sockets,
                  "control socket of the daemon (repeatable; default: every one in /run/vigil as root, "
                  "./vigil-*.sock otherwise)")
      ->expected(1)
      ->take_all();
  cmd->add_flag("--json", args->json, "print each daemon's JSON document as is (one per line)");
  cmd->add_flag("--all", args->all, "also show the counters that are zero");
  cmd->add_option("--timeout", args->timeout_ms, "milliseconds to wait for each daemon (default 2000)")
      ->check(CLI::Range(1, 600000));
  cmd->footer(
      "Examples:\n"
      "  vigil status\n"
      "  vigil status --socket /run/vigil/vigil-sensor-eth1.sock --json | jq '.counters'\n");
  cmd->callback([args, &result] { result.exit_code = Run(*args); });
}

}  // namespace vigil::cli
