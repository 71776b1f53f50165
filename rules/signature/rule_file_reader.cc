#include "rules/signature/rule_file_reader.h"

#include <algorithm>
#include <filesystem>

#include "rules/signature/classification_config.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace fs = std::filesystem;

SourceLocation LogicalLine::Locate(size_t offset) const {
  // Last piece starting at or before `offset`.
  auto it = std::upper_bound(pieces.begin(), pieces.end(), offset,
                             [](size_t off, const Piece& p) { return off < p.offset; });
  const Piece& p = it == pieces.begin() ? pieces.front() : *(it - 1);
  size_t col = offset >= p.offset ? offset - p.offset : 0;
  return {file_index, p.line, static_cast<uint32_t>(col + 1)};
}

static std::string Canonical(const std::string& path) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::path(path), ec);
  return ec ? path : c.string();
}

Status RuleFileReader::ReadFile(const std::string& path, const LineFn& on_line, const IssueFn& on_issue) {
  VIGIL_TRY(std::string text, ReadTextFile(path, config_.max_file_bytes));
  std::string canon = Canonical(path);
  files_.push_back(path);
  stack_.push_back(canon);
  ReadText(text, static_cast<uint32_t>(files_.size() - 1), fs::path(path).parent_path().string(), 0,
           on_line, on_issue);
  stack_.pop_back();
  return Ok();
}

void RuleFileReader::ReadString(std::string_view text, std::string name, const LineFn& on_line,
                                const IssueFn& on_issue) {
  files_.push_back(std::move(name));
  ReadText(text, static_cast<uint32_t>(files_.size() - 1), "", 0, on_line, on_issue);
}

void RuleFileReader::Include(std::string_view target, const std::string& dir, SourceLocation where,
                             uint32_t depth, const LineFn& on_line, const IssueFn& on_issue) {
  if (!config_.allow_includes) {
    on_issue({where, ErrorCode::kPermission, "include is disabled for this input"});
    return;
  }
  std::string_view t = StripQuotes(target);
  if (t.empty()) {
    on_issue({where, ErrorCode::kParse, "include needs a file name"});
    return;
  }
  fs::path p(std::string{t});
  if (p.is_relative() && !dir.empty()) p = fs::path(dir) / p;
  std::string path = p.lexically_normal().string();
  if (depth + 1 > config_.max_include_depth) {
    on_issue({where, ErrorCode::kLimit, "includes nest deeper than " + std::to_string(config_.max_include_depth) +
                                            " at '" + path + "'"});
    return;
  }
  std::string canon = Canonical(path);
  if (std::find(stack_.begin(), stack_.end(), canon) != stack_.end()) {
    std::string chain;
    for (const std::string& s : stack_) chain += fs::path(s).filename().string() + " -> ";
    on_issue({where, ErrorCode::kParse, "include cycle: " + chain + fs::path(canon).filename().string()});
    return;
  }
  auto text = ReadTextFile(path, config_.max_file_bytes);
  if (!text) {
    on_issue({where, text.error().code, "include failed: " + text.error().message});
    return;
  }
  files_.push_back(path);
  stack_.push_back(canon);
  ReadText(*text, static_cast<uint32_t>(files_.size() - 1), p.parent_path().string(), depth + 1,
           on_line, on_issue);
  stack_.pop_back();
}

void RuleFileReader::ReadText(std::string_view text, uint32_t file_index, const std::string& dir,
                              uint32_t depth, const LineFn& on_line, const IssueFn& on_issue) {
  std::string joined;  // the logical line being built when it spans continuation lines
  LogicalLine logical;
  logical.file_index = file_index;
  bool continuing = false;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    // A trailing backslash (possibly followed by blanks) continues the line.
    std::string_view body = line;
    size_t last = body.find_last_not_of(" \t");
    bool continues = last != std::string_view::npos && body[last] == '\\';
    if (continues) body = body.substr(0, last);

    if (!continuing) {
      std::string_view t = Trim(body);
      if (t.empty() || t[0] == '#') {
        if (continues && !t.empty() && t[0] == '#') {
          // A commented-out multi-line rule: its continuation lines are comment too.
          continuing = false;
          while (pos < text.size()) {
            size_t nl2 = text.find('\n', pos);
            size_t e2 = nl2 == std::string_view::npos ? text.size() : nl2;
            std::string_view l2 = text.substr(pos, e2 - pos);
            pos = nl2 == std::string_view::npos ? text.size() : nl2 + 1;
            ++line_no;
            if (!l2.empty() && l2.back() == '\r') l2.remove_suffix(1);
            size_t l2last = l2.find_last_not_of(" \t");
            if (l2last == std::string_view::npos || l2[l2last] != '\\') break;
          }
        }
        continue;
      }
      if ((t.starts_with("include ") || t.starts_with("include\t")) && !continues) {
        size_t col = static_cast<size_t>(t.data() - line.data()) + 1;
        Include(Trim(t.substr(8)), dir, {file_index, line_no, static_cast<uint32_t>(col)}, depth, on_line, on_issue);
        continue;
      }
      if (!continues) {
        logical.text = body;
        logical.pieces.assign(1, {0, line_no});
        on_line(logical);
        continue;
      }
      joined.assign(body);
      logical.pieces.assign(1, {0, line_no});
      continuing = true;
      continue;
    }
    logical.pieces.push_back({joined.size(), line_no});
    joined.append(body);
    if (!continues) {
      logical.text = joined;
      on_line(logical);
      continuing = false;
    }
  }
  if (continuing) {
    // The file ended inside a continued line: hand it over; the parser reports what is missing.
    logical.text = joined;
    on_line(logical);
  }
}

}  // namespace vigil::rules
