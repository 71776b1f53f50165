// Conversion of a yaml-cpp node into an ExpectedValue, typed as PyYAML's safe_load types it:
// quoted scalars are strings, plain scalars go through ResolvePlainScalar (YAML 1.1), explicit
// !!str / !!int / !!float / !!bool tags are honoured, sequences and maps recurse.
#pragma once

#include <yaml-cpp/yaml.h>

#include "tools/verify/expected_value.h"

namespace vigil::verify {

// Depth-limited (a hostile file cannot recurse without bound); past the limit: null.
ExpectedValue ExpectedFromYaml(const YAML::Node& node, int depth = 0);

// The scalar's text when the node is a scalar, else "".
std::string YamlScalarText(const YAML::Node& node);

}  // namespace vigil::verify
