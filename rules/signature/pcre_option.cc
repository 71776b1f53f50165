#include "rules/signature/pcre_option.h"

#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<PcreMatch> ParsePcre(std::string_view value) {
  PcreMatch p;
  std::string_view v = Trim(value);
  if (!v.empty() && v[0] == '!') {
    p.negated = true;
    v = Trim(v.substr(1));
  }
  std::string_view inner;
  std::string_view after;
  if (!v.empty() && v[0] == '/') {
    // Unquoted (Suricata accepts it): /regex/flags[,capture]. Flags end at the first ','.
    size_t last = v.rfind('/');
    size_t comma = v.find(',', last);
    inner = v.substr(0, comma);
    if (comma != std::string_view::npos) after = v.substr(comma);
  } else {
    if (v.empty() || v[0] != '"') return Error(ErrorCode::kParse, "pcre must be \"/regex/flags\" (quoted or not)");
    // The closing quote is the last unescaped '"'; a capture spec may follow it after a comma.
    size_t close = std::string_view::npos;
    for (size_t i = 1; i < v.size(); ++i) {
      if (v[i] == '\\') {
        ++i;
        continue;
      }
      if (v[i] == '"') close = i;
    }
    if (close == std::string_view::npos) return Error(ErrorCode::kParse, "pcre is missing its closing quote");
    inner = v.substr(1, close - 1);
    after = Trim(v.substr(close + 1));
  }
  if (!after.empty()) {
    if (after[0] != ',') return Error(ErrorCode::kParse, "unexpected text after the pcre's closing quote");
    p.capture = std::string(Trim(after.substr(1)));
    if (p.capture.empty()) return Error(ErrorCode::kParse, "empty pcre capture spec after ','");
  }
  if (inner.empty() || inner[0] != '/') return Error(ErrorCode::kParse, "pcre must start with '/'");
  size_t last = inner.rfind('/');
  if (last == 0) return Error(ErrorCode::kParse, "pcre is missing its closing '/'");
  p.regex = std::string(inner.substr(1, last - 1));
  if (p.regex.empty()) return Error(ErrorCode::kParse, "empty pcre regex");
  std::string_view flags = inner.substr(last + 1);
  p.flags = std::string(flags);
  for (char f : flags) {
    bool* slot = nullptr;
    switch (f) {
      case 'i': slot = &p.caseless; break;
      case 's': slot = &p.dotall; break;
      case 'm': slot = &p.multiline; break;
      case 'x': slot = &p.extended; break;
      case 'A': slot = &p.anchored; break;
      case 'E': slot = &p.dollar_endonly; break;
      case 'G': slot = &p.ungreedy; break;
      case 'R': slot = &p.relative; break;
      case 'B': slot = &p.rawbytes; break;
      case 'O': slot = &p.override_limit; break;
      default: break;
    }
    if (slot != nullptr) {
      if (*slot) return Error(ErrorCode::kParse, std::string("pcre flag '") + f + "' repeated");
      *slot = true;
      continue;
    }
    const BufferInfo* b = FindBufferByPcreFlag(f);
    if (b == nullptr) return Error(ErrorCode::kParse, std::string("unknown pcre flag '") + f + "'");
    if (p.buffer) {
      return Error(ErrorCode::kParse, std::string("pcre flag '") + f +
                                          "' selects a second buffer (only one of U I P Q H D M C K S Y V W Z)");
    }
    p.buffer = b->id;
  }
  return p;
}

}  // namespace vigil::rules
