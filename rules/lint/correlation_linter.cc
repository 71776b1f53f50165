#include "rules/lint/correlation_linter.h"

#include <charconv>

#include "rules/correlation/rule_set.h"

namespace vigil::rules::lint {
namespace {

// Reads "N:" at `pos` of `s`; advances past the ':'.
bool ReadNumber(const std::string& s, size_t* pos, uint32_t* out) {
  const char* b = s.data() + *pos;
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, *out);
  if (ec != std::errc() || p == b || p == e || *p != ':') return false;
  *pos = static_cast<size_t>(p - s.data()) + 1;
  return true;
}

}  // namespace

Finding CorrelationErrorFinding(const std::string& message, const std::vector<std::string>& files,
                                const std::string& fallback_file) {
  Finding f;
  f.code = Code::kCorrelationError;
  f.file = fallback_file;
  f.message = message;
  for (const std::string& file : files) {
    if (message.size() <= file.size() || message.compare(0, file.size(), file) != 0 || message[file.size()] != ':') {
      continue;
    }
    f.file = file;
    size_t pos = file.size() + 1;
    uint32_t line = 0, col = 0;
    if (ReadNumber(message, &pos, &line) && ReadNumber(message, &pos, &col)) {
      f.line = line;
      f.column = col;
    }
    while (pos < message.size() && message[pos] == ' ') ++pos;
    f.message = message.substr(pos);
    break;
  }
  // Group by the reason up to its first quote ("unknown rule reference '...'").
  f.topic = f.message.substr(0, f.message.find('\''));
  if (f.topic.size() > 80) f.topic.resize(80);
  return f;
}

void LintCorrelationFiles(const std::vector<std::string>& paths, LintResult* out) {
  if (paths.empty()) return;
  RuleSetBuilder builder;
  for (const std::string& p : paths) {
    ++out->stats.files;
    if (!builder.AddFile(p)) {
      Finding f;
      f.file = p;
      f.code = Code::kIoError;
      f.message = "cannot open rule file";
      f.topic = "cannot read file";
      out->findings.push_back(std::move(f));
    }
  }
  Result<RuleSet> rs = builder.Build();
  if (rs) {
    out->stats.correlation_rules += rs->detections().size() + rs->correlations().size();
    return;
  }
  // Build() reports every problem (parse and cross-reference), one per line.
  const std::string& all = rs.error().message;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string::npos) end = all.size();
    const std::string line = all.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.ends_with(": cannot open rule file")) continue;  // io-error already
    out->findings.push_back(CorrelationErrorFinding(line, paths, paths.front()));
  }
}

}  // namespace vigil::rules::lint
