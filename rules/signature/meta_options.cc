#include "rules/signature/meta_options.h"

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

bool IsClassChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

bool IsMetaKeyword(std::string_view k) {
  return k == "msg" || k == "sid" || k == "rev" || k == "gid" || k == "classtype" ||
         k == "priority" || k == "reference" || k == "metadata" || k == "target";
}

Status ApplyMetaOption(RuleMeta* m, std::string_view k, std::string_view value, bool has_value) {
  if (!has_value || Trim(value).empty()) return Bad("'" + std::string(k) + "' needs a value");
  if (k == "msg") {
    if (!m->msg.empty()) return Bad("msg given twice");
    VIGIL_TRY(m->msg, UnquoteString(value));
  } else if (k == "sid" || k == "rev" || k == "gid") {
    VIGIL_TRY(uint64_t n, ParseUnsigned(StripQuotes(value), 0xffffffffu));
    if (k == "sid") {
      if (m->sid != 0) return Bad("sid given twice");
      if (n == 0) return Bad("sid must be at least 1");
      m->sid = static_cast<uint32_t>(n);
    } else if (k == "rev") {
      m->rev = static_cast<uint32_t>(n);
    } else {
      m->gid = static_cast<uint32_t>(n);
    }
  } else if (k == "classtype") {
    if (!m->classtype.empty()) return Bad("classtype given twice");
    std::string_view c = Trim(value);
    for (char ch : c) {
      if (!IsClassChar(ch)) return Bad("invalid classtype '" + std::string(c) + "'");
    }
    m->classtype = std::string(c);
  } else if (k == "priority") {
    if (m->priority) return Bad("priority given twice");
    VIGIL_TRY(uint64_t n, ParseUnsigned(value, 255));
    if (n == 0) return Bad("priority must be 1..255");
    m->priority = static_cast<uint8_t>(n);
  } else if (k == "reference") {
    std::string_view v = Trim(value);
    size_t comma = v.find(',');
    if (comma == std::string_view::npos) return Bad("reference needs <system>,<id>");
    Reference r{std::string(Trim(v.substr(0, comma))), std::string(Trim(v.substr(comma + 1)))};
    if (r.system.empty() || r.id.empty()) return Bad("reference needs <system>,<id>");
    m->references.push_back(std::move(r));
  } else if (k == "metadata") {
    for (std::string_view item : SplitTrim(value, ',')) {
      if (item.empty()) continue;  // "a b, , c d" and trailing commas are common and harmless
      size_t sp = 0;
      while (sp < item.size() && !IsSpace(item[sp])) ++sp;
      m->metadata.emplace_back(std::string(item.substr(0, sp)), std::string(Trim(item.substr(sp))));
    }
  } else if (k == "target") {
    if (m->target != Target::kNone) return Bad("target given twice");
    std::string_view t = Trim(value);
    if (t == "src_ip") m->target = Target::kSrcIp;
    else if (t == "dest_ip") m->target = Target::kDestIp;
    else return Bad("target must be src_ip or dest_ip, not '" + std::string(t) + "'");
  } else {
    return Bad("'" + std::string(k) + "' is not a meta keyword");
  }
  return Ok();
}

}  // namespace vigil::rules
