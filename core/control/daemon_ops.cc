#include "core/control/daemon_ops.h"

#include <unistd.h>

#include <utility>

#include <fmt/format.h>

namespace vigil::control {

void DeclareDaemonOpsConfig(ConfigSchema& schema) {
  schema
      .String("control.socket", "",
              "control socket for `vigil status` (unix socket path); empty: automatic "
              "(/run/vigil/<name>.sock as root, ./<name>.sock otherwise); none: no socket")
      .String("run-as.user", "", "drop root to this user once the capture/sockets/database are open (--user)")
      .String("run-as.group", "", "group for run-as.user (default: the user's primary group)");
}

std::vector<std::string> DaemonOpsOverrides(const DaemonOpsFlags& flags, std::string_view log_file_key) {
  std::vector<std::string> sets;
  if (!flags.control_socket.empty()) sets.push_back("control.socket=" + flags.control_socket);
  if (flags.no_control) sets.push_back("control.socket=none");
  if (!flags.user.empty()) {
    const size_t colon = flags.user.find(':');
    sets.push_back("run-as.user=" + flags.user.substr(0, colon));
    if (colon != std::string::npos) sets.push_back("run-as.group=" + flags.user.substr(colon + 1));
  }
  if (!flags.log_file.empty()) sets.push_back(std::string(log_file_key) + "=" + flags.log_file);
  return sets;
}

Status ReadDaemonOpsConfig(const Config& config, DaemonOpsOptions& options) {
  VIGIL_TRY(options.control, config.GetString("control.socket"));
  VIGIL_TRY(std::string user, config.GetString("run-as.user"));
  VIGIL_TRY(std::string group, config.GetString("run-as.group"));
  if (user.empty() && !group.empty()) {
    return Error(ErrorCode::kInvalidArgument, "run-as.group is set without run-as.user");
  }
  options.run_as = group.empty() ? user : user + ":" + group;
  return Ok();
}

DaemonOps::DaemonOps(DaemonOpsOptions options)
    : options_(std::move(options)), report_(options_.program, options_.instance) {}

Result<std::unique_ptr<DaemonOps>> DaemonOps::Prepare(DaemonOpsOptions options) {
  std::unique_ptr<DaemonOps> ops(new DaemonOps(std::move(options)));
  if (!ops->options_.run_as.empty()) {
    VIGIL_TRY(RunAs who, ResolveRunAs(ops->options_.run_as));
    if (auto st = CheckCanDrop(who); !st) return std::move(st).error();
    ops->run_as_ = std::move(who);
  }
  return ops;
}

Result<std::unique_ptr<DaemonOps>> DaemonOps::FromConfig(const Config& config, DaemonOpsOptions options) {
  if (auto st = ReadDaemonOpsConfig(config, options); !st) {
    return Error(st.error().code, "config: " + st.error().message);
  }
  return Prepare(std::move(options));
}

Result<std::unique_ptr<ControlServer>> DaemonOps::BindControl(Logger& log) {
  const ControlSocketPlan plan = PlanControlSocket(options_.control, options_.auto_name);
  if (plan.path.empty()) return std::unique_ptr<ControlServer>();
  auto fail = [&](const Error& e) -> Result<std::unique_ptr<ControlServer>> {
    if (!plan.automatic) return Error(e.code, "control socket: " + e.message);
    log.Warning("control", "{}; running without a control socket (set control.socket)", e.message);
    return std::unique_ptr<ControlServer>();
  };
  if (auto st = PrepareControlDir(plan); !st) return fail(st.error());
  auto server = ControlServer::Bind({.path = plan.path}, report_, &log);
  if (!server) return fail(server.error());
  log.Notice("control", "answering `vigil status --socket {}`", plan.path);
  return std::move(*server);
}

Status DaemonOps::HandOver(const std::string& dir, bool created_now) const {
  if (!run_as_) return Ok();
  return HandOverDirectory(dir, *run_as_, created_now);
}

Status DaemonOps::DropAndServe(ControlServer* control, Logger& log) const {
  if (run_as_) {
    if (control != nullptr) {
      if (auto st = control->Chown(run_as_->uid, run_as_->gid); !st) {
        log.Warning("control", "{} (the socket stays root's)", st.error().message);
      }
    }
    if (auto st = DropPrivileges(*run_as_); !st) return st;
    log.Notice("privileges", "running as {}:{} (uid {}, gid {})", run_as_->user, run_as_->group, run_as_->uid,
               run_as_->gid);
  }
  if (control != nullptr) control->Serve();
  return Ok();
}

}  // namespace vigil::control
