// RuleFileReader: turns rule files into logical rule lines, following includes.
//
// A rule file is read line by line: blank lines and lines whose first non-blank character is '#'
// are skipped (a commented-out rule is not a rule); a line ending in '\' continues on the next
// line (the backslash is removed, the lines are joined); `include <path>` (path optionally
// quoted, relative to the including file) reads another file in place. Includes are bounded by a
// depth limit, and a file that includes itself, directly or not, is an error at the include
// line rather than a loop. Every logical line keeps the physical line and column of each of its
// pieces, so an offset into the joined text maps back to file:line:column.
//
//   RuleFileReader reader(config);
//   reader.ReadFile("local.rules", [&](const LogicalLine& l) { ... }, [&](const ReaderIssue& i) { ... });
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::rules {

struct RuleFileReaderConfig {
  uint32_t max_include_depth = 8;     // the top file is depth 0
  size_t max_file_bytes = 256u << 20; // per file; larger files are an error
  bool allow_includes = true;         // false: `include` lines are errors (untrusted input)
};

struct SourceLocation {
  uint32_t file_index = 0;  // index into RuleFileReader::files()
  uint32_t line = 0;        // 1-based
  uint32_t column = 0;      // 1-based, in bytes
};

struct LogicalLine {
  struct Piece {
    size_t offset;  // where this physical line's text starts in `text`
    uint32_t line;  // its physical line number
  };
  std::string_view text;
  uint32_t file_index = 0;
  std::vector<Piece> pieces;  // at least one

  // Maps a byte offset in `text` to its physical line and column.
  SourceLocation Locate(size_t offset) const;
};

struct ReaderIssue {
  SourceLocation where;
  ErrorCode code = ErrorCode::kParse;
  std::string message;
};

class RuleFileReader {
 public:
  using LineFn = std::function<void(const LogicalLine&)>;
  using IssueFn = std::function<void(const ReaderIssue&)>;

  explicit RuleFileReader(RuleFileReaderConfig config = {}) : config_(config) {}

  // Reads `path` and everything it includes. Fails only when `path` itself cannot be read;
  // problems in included files are reported through `on_issue`.
  Status ReadFile(const std::string& path, const LineFn& on_line, const IssueFn& on_issue);
  // Reads rules from memory; `name` stands for the file in locations. Includes resolve against
  // the current directory.
  void ReadString(std::string_view text, std::string name, const LineFn& on_line, const IssueFn& on_issue);

  // Every file read so far (the top file first); indexes used by SourceLocation::file_index.
  const std::vector<std::string>& files() const { return files_; }

 private:
  void ReadText(std::string_view text, uint32_t file_index, const std::string& dir, uint32_t depth,
                const LineFn& on_line, const IssueFn& on_issue);
  void Include(std::string_view target, const std::string& dir, SourceLocation where, uint32_t depth,
               const LineFn& on_line, const IssueFn& on_issue);

  RuleFileReaderConfig config_;
  std::vector<std::string> files_;
  std::vector<std::string> stack_;  // canonical paths being read, for cycle detection
};

}  // namespace vigil::rules
