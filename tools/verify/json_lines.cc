#include "tools/verify/json_lines.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::verify {

Result<JsonLinesStats> ReadJsonLines(const std::string& path,
                                     const std::function<void(simdjson::dom::element)>& on_record) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = std::move(buf).str();
  JsonLinesStats stats;
  simdjson::dom::parser parser;
  size_t line_no = 0;
  size_t pos = 0;
  const std::string name = std::filesystem::path(path).filename().string();
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++line_no;
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    simdjson::dom::element doc;
    const auto err = parser.parse(line.data(), line.size(), true).get(doc);
    if (err != simdjson::SUCCESS) {
      if (stats.malformed++ == 0) {
        stats.first_error = name + " line " + std::to_string(line_no) + ": " + simdjson::error_message(err);
      }
      continue;
    }
    ++stats.records;
    on_record(doc);
  }
  return stats;
}

}  // namespace vigil::verify
