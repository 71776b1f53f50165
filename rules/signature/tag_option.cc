#include "rules/signature/tag_option.h"

#include <string>

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<TagOption> ParseTag(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  TagOption t;
  if (parts[0] == "session") t.scope = TagScope::kSession;
  else if (parts[0] == "host") t.scope = TagScope::kHost;
  else return Error(ErrorCode::kParse, "tag: scope must be session or host, not '" + std::string(parts[0]) + "'");
  if (parts.size() == 2 || parts.size() > 4) return Error(ErrorCode::kParse, "tag takes <scope>[,<count>,<metric>[,src|dst]]");
  if (parts.size() >= 3) {
    VIGIL_TRY(uint64_t n, ParseUnsigned(parts[1], 0xffffffffu));
    t.count = static_cast<uint32_t>(n);
    if (parts[2] == "packets") t.metric = TagMetric::kPackets;
    else if (parts[2] == "seconds") t.metric = TagMetric::kSeconds;
    else if (parts[2] == "bytes") t.metric = TagMetric::kBytes;
    else return Error(ErrorCode::kParse, "tag: metric must be packets, seconds or bytes");
  }
  if (parts.size() == 4) {
    if (t.scope != TagScope::kHost) return Error(ErrorCode::kParse, "tag: src/dst only applies to host tags");
    if (parts[3] == "src") t.direction = TagDirection::kSrc;
    else if (parts[3] == "dst") t.direction = TagDirection::kDst;
    else return Error(ErrorCode::kParse, "tag: direction must be src or dst");
  }
  if (t.scope == TagScope::kHost && t.direction == TagDirection::kNone) {
    return Error(ErrorCode::kParse, "tag:host needs src or dst");
  }
  return t;
}

}  // namespace vigil::rules
