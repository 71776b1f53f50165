// Where a daemon's control socket lives: the `control.socket` config key (and the daemons'
// --control-socket / --no-control flags) hold "" (automatic), "none" (no control socket) or a
// path. The automatic path is <run dir>/<name>.sock, where the run directory is /run/vigil when
// the daemon starts as root and the working directory otherwise:
//
//   vigil-sensor -i eth1         ->  /run/vigil/vigil-sensor-eth1.sock   (offline runs: none)
//   vigil-correlator (province)  ->  /run/vigil/vigil-correlator-province.sock
//
// `vigil status` without --socket looks for *.sock files in the same places.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::control {

struct ControlSocketPlan {
  std::string path;         // empty: no control socket
  bool automatic = false;   // the path was chosen by default (a failure to bind is a warning)
};

// /run/vigil as root, "." otherwise.
std::string DefaultControlDir();

// `name` with every byte outside [A-Za-z0-9._-] replaced by '_' ("eth1", "prov_07").
std::string SafeSocketName(std::string_view name);

// setting: the control.socket value. auto_name: the file name (without .sock) used when the
// setting is empty; an empty auto_name means "no socket by default" (offline sensor runs).
ControlSocketPlan PlanControlSocket(std::string_view setting, std::string_view auto_name);

// Makes the directory of the automatic path (/run/vigil, mode 0755) when it is missing.
[[nodiscard]] Status PrepareControlDir(const ControlSocketPlan& plan);

// The sockets `vigil status` tries when given no --socket: every *.sock in DefaultControlDir()
// and, when that is not the working directory, every vigil-*.sock in it. Sorted.
std::vector<std::string> FindControlSockets();

}  // namespace vigil::control
