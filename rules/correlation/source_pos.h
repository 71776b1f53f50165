// SourcePos: where something was written in a rule file, for error messages that an analyst can
// jump to: "rules/local.yml:12:7: unknown field modifier 'contain'".
#pragma once

#include <string>

namespace vigil {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based

  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace vigil
