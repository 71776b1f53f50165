#include "rules/lint/legacy_syntax_checks.h"

#include <algorithm>
#include <string>
#include <vector>

#include "rules/signature/option_lexer.h"
#include "rules/signature/sticky_buffer.h"

namespace vigil::rules::lint {
namespace {

// The flags of a pcre value `"/regex/flags"` (or `!"..."`), empty if it has none.
std::string_view PcreFlags(std::string_view value) {
  std::string_view v = Trim(value);
  if (!v.empty() && v.front() == '!') v = Trim(v.substr(1));
  v = StripQuotes(v);
  const size_t last = v.rfind('/');
  if (last == std::string_view::npos || last == 0) return {};
  return v.substr(last + 1);
}

}  // namespace

void CheckLegacySyntax(const RuleContext& ctx) {
  // One finding per spelling per rule, at its first use: ten http_uri modifiers in one rule are
  // one thing to fix.
  std::vector<std::string> seen;
  auto report = [&](size_t offset, std::string topic, std::string message) {
    if (std::find(seen.begin(), seen.end(), topic) != seen.end()) return;
    seen.push_back(topic);
    ctx.Report(Code::kLegacySyntax, offset, std::move(topic), std::move(message));
  };
  std::string key;
  for (const RawOption& o : ctx.options()) {
    ToLower(o.key, &key);
    if (key == "uricontent") {
      report(o.key_offset, "uricontent", "uricontent is deprecated: write http.uri; content:...");
    } else if (const BufferInfo* m = FindBufferModifier(key)) {
      report(o.key_offset, "content modifier " + key,
             "content modifier '" + key + "' is legacy syntax: put sticky buffer '" + std::string(m->name) +
                 ";' before the content");
    } else if (const BufferInfo* b = FindStickyBuffer(key); b != nullptr && key != b->name) {
      report(o.key_offset, "old buffer name " + key,
             "'" + key + "' is the old name of sticky buffer '" + std::string(b->name) + "'");
    } else if (key == "pcre") {
      for (char f : PcreFlags(o.value)) {
        if (const BufferInfo* pb = FindBufferByPcreFlag(f)) {
          report(o.value_offset, std::string("pcre flag /") + f,
                 std::string("pcre flag /") + f + " selects buffer " + std::string(pb->name) +
                     ": put sticky buffer '" + std::string(pb->name) + ";' before the pcre instead");
        }
      }
    }
  }
}

}  // namespace vigil::rules::lint
