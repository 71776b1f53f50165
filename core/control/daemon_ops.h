// DaemonOps: the operations side every Vigil daemon shares, so that vigil-sensor and
// vigil-correlator behave alike: the control socket (`vigil status`), dropping root (--user) and
// the config keys for both. main() drives it in this order:
//
//   DeclareDaemonOpsConfig(schema);                           // control.socket, run-as.user/group
//   VIGIL_TRY(auto ops, DaemonOps::FromConfig(cfg, {.program = ...}));  // unknown user / not root: fail now
//   ... open the log, the capture / the database, bind the transport ...
//   ops->report().AddCounters(&pipeline.registry());          // what `vigil status` shows
//   auto control = ops->BindControl(log);                     // hold it until shutdown begins
//   ops->HandOver(spool_dir, created_now);                    // directories written after the drop
//   ops->DropAndServe(control.get(), log);                    // --user: irreversible; then answers
//   ... run ...
//   control.reset();   // first thing at shutdown: the report reads registries that die next
//
// An explicitly configured control socket that cannot be bound stops the daemon; the automatic
// one (control_path.h) only logs a warning, so two daemons on one host never prevent each other
// from starting.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/control/control_path.h"
#include "core/control/control_server.h"
#include "core/control/status_report.h"
#include "core/log.h"
#include "core/privileges.h"
#include "core/result.h"

namespace vigil::control {

struct DaemonOpsOptions {
  std::string program;       // "vigil-sensor"
  std::string instance;      // "eth1", "province": shown by `vigil status`
  std::string control;       // control.socket: "" automatic, "none", or a path
  std::string auto_name;     // file name of the automatic socket; empty: none by default
  std::string run_as;        // "USER[:GROUP]"; empty: keep the current user
};

// The daemons' operations flags, as parsed from the command line.
struct DaemonOpsFlags {
  std::string control_socket;  // --control-socket PATH
  bool no_control = false;     // --no-control
  std::string user;            // --user USER[:GROUP]
  std::string log_file;        // --log-file FILE
};
// The flags as --set overrides ("control.socket=...", "run-as.user=...", "<log_file_key>=...").
std::vector<std::string> DaemonOpsOverrides(const DaemonOpsFlags& flags, std::string_view log_file_key);

// control.socket, run-as.user and run-as.group (Suricata's names for the latter two).
void DeclareDaemonOpsConfig(ConfigSchema& schema);
// Reads those keys: fills control and run_as of `options`.
[[nodiscard]] Status ReadDaemonOpsConfig(const Config& config, DaemonOpsOptions& options);

class DaemonOps {
 public:
  // Resolves the --user target (unknown user or group, or not running as root: an error).
  [[nodiscard]] static Result<std::unique_ptr<DaemonOps>> Prepare(DaemonOpsOptions options);
  // ReadDaemonOpsConfig (control and run_as of `options` come from the config), then Prepare.
  [[nodiscard]] static Result<std::unique_ptr<DaemonOps>> FromConfig(const Config& config,
                                                                    DaemonOpsOptions options);

  StatusReport& report() { return report_; }
  const std::optional<RunAs>& run_as() const { return run_as_; }

  // Binds the control socket (answering starts in DropAndServe). Returns null when there is none
  // (disabled, or the automatic path could not be bound: logged as a warning).
  [[nodiscard]] Result<std::unique_ptr<ControlServer>> BindControl(Logger& log);
  // With --user: keeps `dir` writable for the target user (core/privileges.h). Else a no-op.
  [[nodiscard]] Status HandOver(const std::string& dir, bool created_now) const;
  // With --user: hands the control socket to the user and drops root for good. Then the control
  // socket (if any) starts answering, so `vigil status` never sees a daemon half started.
  [[nodiscard]] Status DropAndServe(ControlServer* control, Logger& log) const;

 private:
  explicit DaemonOps(DaemonOpsOptions options);

  const DaemonOpsOptions options_;
  std::optional<RunAs> run_as_;
  StatusReport report_;
};

}  // namespace vigil::control
