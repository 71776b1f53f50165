#include "rules/lint/rule_context.h"

namespace vigil::rules::lint {

Finding MakeFinding(Code code, const LogicalLine& line, std::string_view file, size_t offset, uint32_t gid,
                    uint32_t sid, std::string topic, std::string message) {
  const SourceLocation loc = line.Locate(offset);
  Finding f;
  f.file = std::string(file);
  f.line = loc.line;
  f.column = loc.column;
  f.code = code;
  f.gid = gid;
  f.sid = sid;
  f.message = std::move(message);
  f.topic = std::move(topic);
  return f;
}

void RuleContext::Report(Code code, size_t offset, std::string topic, std::string message) const {
  out_->push_back(MakeFinding(code, line_, file_, offset, rule_.meta.gid, rule_.meta.sid, std::move(topic),
                              std::move(message)));
}

const std::vector<RawOption>& RuleContext::options() const {
  if (!split_) {
    split_ = true;
    const size_t open = line_.text.find('(');
    RuleError err;
    if (open == std::string_view::npos || !SplitOptions(line_.text, open, &options_, &err)) options_.clear();
  }
  return options_;
}

size_t RuleContext::KeywordOffset(std::string_view keyword) const {
  for (const RawOption& o : options()) {
    if (EqualsIgnoreCase(o.key, keyword)) return o.key_offset;
  }
  return 0;
}

}  // namespace vigil::rules::lint
