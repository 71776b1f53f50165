// PatternText: content bytes written back in Suricata's content notation, for messages:
// printable ASCII as is, everything else (and '"', ';', '|', '\') as a |hex| block.
//
//   PatternText("GET\r\n")   // "GET|0d 0a|"
#pragma once

#include <string>
#include <string_view>

namespace vigil::rules::lint {

// At most `max_bytes` of the pattern are written; a longer one ends in "...".
std::string PatternText(std::string_view bytes, size_t max_bytes = 40);

}  // namespace vigil::rules::lint
