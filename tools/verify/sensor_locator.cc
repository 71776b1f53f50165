#include "tools/verify/sensor_locator.h"

#include <unistd.h>

#include <filesystem>

namespace vigil::verify {

Result<std::string> FindSensor(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path(explicit_path);
  if (explicit_path.empty()) {
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return Error(ErrorCode::kNotFound, "cannot find this program's directory; give --sensor PATH");
    path = self.parent_path() / "vigil-sensor";
  }
  path = fs::absolute(path, ec);
  if (!fs::is_regular_file(path, ec) || access(path.c_str(), X_OK) != 0) {
    return Error(ErrorCode::kNotFound, path.string() + ": no vigil-sensor there (build the vigil-sensor target, "
                                                       "or give --sensor PATH)");
  }
  return path.string();
}

}  // namespace vigil::verify
