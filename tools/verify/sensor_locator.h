// FindSensor: the vigil-sensor binary a tool runs by default — the one in the same directory as
// the running program (every program of a build lands in <build>/bin), found through
// /proc/self/exe. An explicit path (--sensor) is checked to be an executable file.
//
//   auto sensor = FindSensor(flag_value);   // "" → next to this program
#pragma once

#include <string>

#include "core/result.h"

namespace vigil::verify {

Result<std::string> FindSensor(const std::string& explicit_path);

}  // namespace vigil::verify
