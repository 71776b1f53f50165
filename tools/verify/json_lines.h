// ReadJsonLines: parses a newline-delimited JSON file (eve.json) with simdjson's DOM parser and
// hands each record to a callback. Blank lines are skipped; a line that is not valid JSON is
// counted and the first one is described (line number and simdjson's reason), the rest still
// being read, so a truncated last line after a crash does not hide the records before it.
//
//   auto r = ReadJsonLines("out/eve.json", [&](simdjson::dom::element e) { ev.Add(e); });
//   if (!r) ...;                    // the file could not be read
//   if (r->malformed) ...;          // r->first_error: "eve.json line 7: TAPE_ERROR ..."
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <functional>
#include <string>

#include "core/result.h"

namespace vigil::verify {

struct JsonLinesStats {
  size_t records = 0;
  size_t malformed = 0;
  std::string first_error;
};

Result<JsonLinesStats> ReadJsonLines(const std::string& path,
                                     const std::function<void(simdjson::dom::element)>& on_record);

}  // namespace vigil::verify
