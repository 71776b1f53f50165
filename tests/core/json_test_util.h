// Helpers shared by the core JSON tests: parse text back with simdjson and list object keys.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace vigil::testing {

// Parses json into doc using parser (which must outlive doc). Returns the simdjson error text
// or "" on success.
inline std::string Parse(simdjson::dom::parser& parser, std::string_view json,
                         simdjson::dom::element* doc) {
  auto err = parser.parse(json.data(), json.size()).get(*doc);
  return err ? simdjson::error_message(err) : "";
}

inline std::vector<std::string> Keys(simdjson::dom::element obj) {
  std::vector<std::string> keys;
  simdjson::dom::object o;
  if (obj.get(o)) return keys;
  for (auto field : o) keys.emplace_back(field.key);
  return keys;
}

}  // namespace vigil::testing
