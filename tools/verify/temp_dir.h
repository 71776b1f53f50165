// MakeTempDir: a fresh private directory below $TMPDIR (or /tmp) named <prefix>-XXXXXX, for the
// work directories of vigil-verify and `vigil rules test`.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::verify {

[[nodiscard]] Result<std::string> MakeTempDir(std::string_view prefix);

}  // namespace vigil::verify
