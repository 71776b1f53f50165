#include "rules/signature/content_option.h"

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

// Suricata caps positional arguments at 65535 (they are 16-bit in its content data).
constexpr int64_t kMaxPosition = 65535;

}  // namespace

Result<std::string> DecodeContentPattern(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  bool in_hex = false;
  int pending = -1;  // first nibble of a hex pair, or -1
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_hex) {
      if (c == '|') {
        if (pending >= 0) return Bad("odd number of hex digits in |...| block");
        in_hex = false;
        continue;
      }
      if (c == ' ' || c == '\t') continue;  // Suricata ignores blanks anywhere in a hex block
      int v = HexValue(c);
      if (v < 0) return Bad(std::string("invalid character '") + c + "' in |...| hex block");
      if (pending < 0) {
        pending = v;
      } else {
        out.push_back(static_cast<char>((pending << 4) | v));
        pending = -1;
      }
      continue;
    }
    if (c == '|') {
      in_hex = true;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= body.size()) return Bad("pattern ends with a lone '\\'");
      char x = body[++i];
      if (x != '"' && x != ';' && x != ':' && x != '\\') {
        return Bad(std::string("invalid escape '\\") + x + "' (only \\\" \\; \\: \\\\ are allowed)");
      }
      out.push_back(x);
      continue;
    }
    if (c == '"') return Bad("unescaped '\"' inside the pattern");
    out.push_back(c);
  }
  if (in_hex) return Bad("unterminated |...| hex block");
  if (out.empty()) return Bad("empty content pattern");
  return out;
}

Result<ContentMatch> ParseContent(std::string_view value) {
  std::string_view v = Trim(value);
  ContentMatch c;
  if (!v.empty() && v[0] == '!') {
    c.negated = true;
    v = Trim(v.substr(1));
  }
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') {
    return Bad("content pattern must be in double quotes");
  }
  // A closing quote that is itself escaped (`"abc\"`) does not close the pattern.
  size_t bs = 0;
  for (size_t i = v.size() - 1; i > 0 && v[i - 1] == '\\'; --i) ++bs;
  if (bs % 2 == 1) return Bad("content pattern's closing quote is escaped");
  VIGIL_TRY(c.pattern, DecodeContentPattern(v.substr(1, v.size() - 2)));
  return c;
}

bool IsContentModifier(std::string_view k) {
  return k == "nocase" || k == "rawbytes" || k == "depth" || k == "offset" || k == "distance" ||
         k == "within" || k == "startswith" || k == "endswith" || k == "fast_pattern";
}

Status ApplyContentModifier(ContentMatch* c, std::string_view k, std::string_view value,
                            bool has_value) {
  const bool no_value_kw = k == "nocase" || k == "rawbytes" || k == "startswith" || k == "endswith";
  if (no_value_kw && has_value) return Bad("'" + std::string(k) + "' takes no value");
  if (!no_value_kw && k != "fast_pattern" && (!has_value || Trim(value).empty())) {
    return Bad("'" + std::string(k) + "' needs a value");
  }
  const int64_t len = static_cast<int64_t>(c->pattern.size());
  const bool absolute = c->depth || c->offset || c->startswith;
  if (k == "nocase") {
    if (c->nocase) return Bad("nocase repeated on the same content");
    c->nocase = true;
  } else if (k == "rawbytes") {
    c->rawbytes = true;
  } else if (k == "startswith") {
    if (c->startswith) return Bad("startswith repeated on the same content");
    if (c->depth || c->offset || c->relative()) {
      return Bad("startswith cannot be combined with depth, offset, distance or within");
    }
    c->startswith = true;
  } else if (k == "endswith") {
    if (c->endswith) return Bad("endswith repeated on the same content");
    c->endswith = true;
  } else if (k == "depth" || k == "offset") {
    const bool is_depth = k == "depth";
    std::optional<IntOrVar>& slot = is_depth ? c->depth : c->offset;
    if (slot) return Bad(std::string(k) + " repeated on the same content");
    if (c->relative()) {
      return Bad("can't mix " + std::string(k) + " (absolute) with distance/within (relative) on one content");
    }
    if (c->startswith) return Bad(std::string(k) + " cannot be combined with startswith");
    VIGIL_TRY(IntOrVar v, ParseIntOrVar(value, 0, kMaxPosition));
    if (is_depth && !v.is_var()) {
      if (v.value == 0) return Bad("depth must be at least 1");
      if (v.value < len) {
        return Bad("depth " + std::to_string(v.value) + " is smaller than the content length " +
                   std::to_string(len));
      }
    }
    slot = std::move(v);
  } else if (k == "distance" || k == "within") {
    const bool is_within = k == "within";
    std::optional<IntOrVar>& slot = is_within ? c->within : c->distance;
    if (slot) return Bad(std::string(k) + " repeated on the same content");
    if (absolute) {
      return Bad("can't mix " + std::string(k) + " (relative) with depth/offset/startswith (absolute) on one content");
    }
    VIGIL_TRY(IntOrVar v, ParseIntOrVar(value, is_within ? 0 : -kMaxPosition, kMaxPosition));
    if (is_within && !v.is_var()) {
      if (v.value == 0) return Bad("within must be at least 1");
      if (v.value < len) {
        return Bad("within " + std::to_string(v.value) + " is smaller than the content length " +
                   std::to_string(len));
      }
    }
    slot = std::move(v);
  } else if (k == "fast_pattern") {
    if (c->fast_pattern != FastPatternMode::kAuto) return Bad("fast_pattern repeated on the same content");
    std::string_view v = Trim(value);
    if (!has_value || v.empty()) {
      c->fast_pattern = FastPatternMode::kChosen;
    } else if (v == "only") {
      c->fast_pattern = FastPatternMode::kOnly;
    } else {
      auto parts = SplitTrim(v, ',');
      if (parts.size() != 2) return Bad("fast_pattern takes 'only' or 'offset,length', not '" + std::string(v) + "'");
      VIGIL_TRY(uint64_t off, ParseUnsigned(parts[0], 65535));
      VIGIL_TRY(uint64_t n, ParseUnsigned(parts[1], 65535));
      if (n == 0) return Bad("fast_pattern length must be at least 1");
      if (off + n > c->pattern.size()) {
        return Bad("fast_pattern " + std::to_string(off) + "," + std::to_string(n) +
                   " reaches past the end of the " + std::to_string(len) + "-byte content");
      }
      c->fast_pattern = FastPatternMode::kPartial;
      c->fast_pattern_offset = static_cast<uint16_t>(off);
      c->fast_pattern_length = static_cast<uint16_t>(n);
    }
  } else {
    return Bad("'" + std::string(k) + "' is not a content modifier");
  }
  return Ok();
}

}  // namespace vigil::rules
