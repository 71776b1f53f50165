#include "tools/verify/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace vigil::verify {

Result<std::string> MakeTempDir(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" +
                    std::string(prefix) + "-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return Error(ErrorCode::kIo, "cannot create a temporary directory " + dir + ": " +
                                     std::strerror(errno));
  }
  return dir;
}

}  // namespace vigil::verify
