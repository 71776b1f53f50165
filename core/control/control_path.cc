#include "core/control/control_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace vigil::control {

std::string DefaultControlDir() { return ::geteuid() == 0 ? "/run/vigil" : "."; }

std::string SafeSocketName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

ControlSocketPlan PlanControlSocket(std::string_view setting, std::string_view auto_name) {
  if (setting == "none") return {};
  if (!setting.empty()) return {std::string(setting), false};
  if (auto_name.empty()) return {};
  return {DefaultControlDir() + "/" + SafeSocketName(auto_name) + ".sock", true};
}

Status PrepareControlDir(const ControlSocketPlan& plan) {
  if (!plan.automatic || plan.path.empty()) return Ok();
  const std::string dir = std::filesystem::path(plan.path).parent_path().string();
  if (dir.empty() || dir == ".") return Ok();
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, std::strerror(errno)));
  }
  return Ok();
}

std::vector<std::string> FindControlSockets() {
  std::vector<std::string> out;
  auto scan = [&out](const std::string& dir, std::string_view prefix) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (!name.starts_with(prefix) || !name.ends_with(".sock")) continue;
      if (!e.is_socket(ec)) continue;
      out.push_back(dir == "." ? name : e.path().string());
    }
  };
  const std::string dir = DefaultControlDir();
  scan(dir, dir == "." ? "vigil-" : "");
  if (dir != ".") scan(".", "vigil-");
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vigil::control
