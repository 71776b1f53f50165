#include "rules/signature/rule_loader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

// The sid, if the text has a parseable "sid:N", for diagnostics of rules that failed to parse.
uint32_t GuessSid(std::string_view text) {
  size_t p = 0;
  while ((p = text.find("sid", p)) != std::string_view::npos) {
    bool word_start = p == 0 || !(std::isalnum(static_cast<unsigned char>(text[p - 1])) || text[p - 1] == '_');
    size_t q = p + 3;
    while (q < text.size() && IsSpace(text[q])) ++q;
    if (word_start && q < text.size() && text[q] == ':') {
      ++q;
      while (q < text.size() && IsSpace(text[q])) ++q;
      uint64_t v = 0;
      size_t digits = 0;
      while (q < text.size() && text[q] >= '0' && text[q] <= '9' && digits < 10) {
        v = v * 10 + static_cast<uint64_t>(text[q] - '0');
        ++q;
        ++digits;
      }
      if (digits > 0 && v <= 0xffffffffu) return static_cast<uint32_t>(v);
    }
    p += 3;
  }
  return 0;
}

const char* KindName(DiagnosticKind k) {
  switch (k) {
    case DiagnosticKind::kError: return "error";
    case DiagnosticKind::kSkipped: return "skipped";
    case DiagnosticKind::kWarning: return "warning";
  }
  return "?";
}

}  // namespace

std::string LoadDiagnostic::ToString() const {
  std::string s = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + KindName(kind) + ": ";
  if (sid != 0) s += "[sid " + std::to_string(sid) + "] ";
  return s + message;
}

std::vector<std::pair<std::string, size_t>> LoadSummary::TopSkipReasons(size_t n) const {
  std::vector<std::pair<std::string, size_t>> v(skipped_by_reason.begin(), skipped_by_reason.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

std::string LoadSummary::ToString() const {
  std::string s = "rules: " + std::to_string(rules_seen) + " seen, " + std::to_string(loaded) + " loaded, " +
                  std::to_string(skipped) + " skipped, " + std::to_string(errors) + " errors, " +
                  std::to_string(warnings) + " warnings (" + std::to_string(duplicate_sids) + " duplicate sids)\n";
  if (rules_seen > 0) {
    char pct[32];
    std::snprintf(pct, sizeof(pct), "%.2f", 100.0 * static_cast<double>(loaded) / static_cast<double>(rules_seen));
    s += "loaded fraction: " + std::string(pct) + "%\n";
  }
  for (const auto& [reason, count] : TopSkipReasons(skipped_by_reason.size())) {
    s += "  skipped " + std::to_string(count) + ": " + reason + "\n";
  }
  std::vector<std::pair<std::string, size_t>> errs(errors_by_reason.begin(), errors_by_reason.end());
  std::sort(errs.begin(), errs.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [reason, count] : errs) s += "  error " + std::to_string(count) + ": " + reason + "\n";
  return s;
}

RuleLoader::RuleLoader(const RuleVariables& vars, RuleLoaderConfig config)
    : config_(config), parser_(vars, config.parser) {}

void RuleLoader::AddDiagnostic(RuleSet* out, LoadDiagnostic d) {
  if (out->diagnostics.size() < config_.max_diagnostics) out->diagnostics.push_back(std::move(d));
}

void RuleLoader::OnLine(const LogicalLine& line, const RuleFileReader& reader, size_t file_base, RuleSet* out) {
  LoadSummary& sum = out->summary;
  ++sum.rules_seen;
  RuleParseResult r = parser_.Parse(line.text);
  const size_t file_index = file_base + line.file_index;
  if (!r.ok()) {
    SourceLocation loc = line.Locate(r.error.offset);
    LoadDiagnostic d;
    d.file = reader.files()[line.file_index];
    d.line = loc.line;
    d.column = loc.column;
    d.sid = GuessSid(line.text);
    d.message = r.error.message;
    if (r.error.unsupported()) {
      d.kind = DiagnosticKind::kSkipped;
      ++sum.skipped;
      ++sum.skipped_by_reason[r.error.message];
    } else {
      d.kind = DiagnosticKind::kError;
      ++sum.errors;
      ++sum.errors_by_reason[r.error.message.substr(0, 120)];
    }
    AddDiagnostic(out, std::move(d));
    return;
  }
  Rule& rule = *r.rule;
  rule.file_index = static_cast<uint32_t>(file_index);
  rule.line = line.pieces.front().line;
  uint64_t key = (uint64_t{rule.meta.gid} << 32) | rule.meta.sid;
  if (!out->seen_sids.insert(key).second) {
    ++sum.warnings;
    ++sum.duplicate_sids;
    AddDiagnostic(out, {DiagnosticKind::kWarning, reader.files()[line.file_index], rule.line, 1, rule.meta.sid,
                        "duplicate sid " + std::to_string(rule.meta.sid) + " (gid " +
                            std::to_string(rule.meta.gid) + ")"});
  }
  ++sum.loaded;
  out->rules.push_back(std::move(rule));
}

Status RuleLoader::LoadFile(const std::string& path, RuleSet* out) {
  RuleFileReader reader(config_.reader);
  const size_t base = out->files.size();
  auto on_issue = [&](const ReaderIssue& i) {
    ++out->summary.errors;
    ++out->summary.errors_by_reason[i.message.substr(0, 120)];
    AddDiagnostic(out, {DiagnosticKind::kError, reader.files()[i.where.file_index], i.where.line,
                        i.where.column, 0, i.message});
  };
  Status st = reader.ReadFile(path, [&](const LogicalLine& l) { OnLine(l, reader, base, out); }, on_issue);
  out->files.insert(out->files.end(), reader.files().begin(), reader.files().end());
  return st;
}

void RuleLoader::LoadString(std::string_view text, std::string name, RuleSet* out) {
  RuleFileReader reader(config_.reader);
  const size_t base = out->files.size();
  auto on_issue = [&](const ReaderIssue& i) {
    ++out->summary.errors;
    ++out->summary.errors_by_reason[i.message.substr(0, 120)];
    AddDiagnostic(out, {DiagnosticKind::kError, reader.files()[i.where.file_index], i.where.line,
                        i.where.column, 0, i.message});
  };
  reader.ReadString(text, std::move(name), [&](const LogicalLine& l) { OnLine(l, reader, base, out); }, on_issue);
  out->files.insert(out->files.end(), reader.files().begin(), reader.files().end());
}

}  // namespace vigil::rules
