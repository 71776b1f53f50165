#include "rules/signature/transform_option.h"

#include "rules/signature/content_option.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

struct TransformInfo {
  std::string_view name;
  TransformKind kind;
  bool takes_value;  // required for xor and pcrexform, optional for from_base64
};
constexpr TransformInfo kTransforms[] = {
    {"dotprefix", TransformKind::kDotPrefix, false},
    {"strip_whitespace", TransformKind::kStripWhitespace, false},
    {"compress_whitespace", TransformKind::kCompressWhitespace, false},
    {"to_lowercase", TransformKind::kToLowercase, false},
    {"to_uppercase", TransformKind::kToUppercase, false},
    {"to_md5", TransformKind::kToMd5, false},
    {"to_sha1", TransformKind::kToSha1, false},
    {"to_sha256", TransformKind::kToSha256, false},
    {"url_decode", TransformKind::kUrlDecode, false},
    {"header_lowercase", TransformKind::kHeaderLowercase, false},
    {"strip_pseudo_headers", TransformKind::kStripPseudoHeaders, false},
    {"from_base64", TransformKind::kFromBase64, true},
    {"xor", TransformKind::kXor, true},
    {"pcrexform", TransformKind::kPcreXform, true},
};

const TransformInfo* Find(std::string_view k) {
  for (const TransformInfo& t : kTransforms) {
    if (t.name == k) return &t;
  }
  return nullptr;
}

}  // namespace

bool IsTransformKeyword(std::string_view k) { return Find(k) != nullptr; }

std::string_view TransformName(TransformKind kind) {
  for (const TransformInfo& t : kTransforms) {
    if (t.kind == kind) return t.name;
  }
  return "?";
}

Result<Transform> ParseTransform(std::string_view k, std::string_view value, bool has_value) {
  const TransformInfo* info = Find(k);
  if (info == nullptr) return Error(ErrorCode::kParse, "'" + std::string(k) + "' is not a transform");
  Transform t{info->kind, {}};
  if (!info->takes_value) {
    if (has_value) return Error(ErrorCode::kParse, "'" + std::string(k) + "' takes no value");
    return t;
  }
  if (info->kind == TransformKind::kFromBase64) {
    t.argument = std::string(Trim(value));
    return t;
  }
  if (!has_value || Trim(value).empty()) return Error(ErrorCode::kParse, "'" + std::string(k) + "' needs a value");
  if (info->kind == TransformKind::kXor) {
    // The key is hex digits in quotes: xor:"0d0ac8ff"; Suricata 8's variable key
    // (xor:offset 4,extract 4 0;) is valid but not implemented: the rule is skipped.
    if (Trim(value).empty() || Trim(value)[0] != '"') {
      return Error(ErrorCode::kUnsupported, "unsupported xor with a variable key (offset/extract)");
    }
    std::string_view key = StripQuotes(value);
    if (key.empty() || key.size() % 2 != 0) return Error(ErrorCode::kParse, "xor key must be an even number of hex digits");
    VIGIL_TRY(t.argument, DecodeContentPattern("|" + std::string(key) + "|"));
    return t;
  }
  VIGIL_TRY(t.argument, UnquoteString(value));
  return t;
}

}  // namespace vigil::rules
