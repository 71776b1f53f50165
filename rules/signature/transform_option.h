// Transforms: keywords that rewrite the current sticky buffer before its payload keywords run.
//
//   dns.query; dotprefix; content:".example.com"; endswith;
//   http.uri; url_decode; to_lowercase; content:"/admin";
//   http.header; xor:"0d0ac8ff"; content:"...";
//
// A transform must follow a sticky buffer keyword; the rule builder records transforms in order
// on the buffer's list (a transform after payload keywords starts a new list with the longer
// chain: rule_builder.h). sensor/detect/transform_chain.h applies them.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class TransformKind : uint8_t {
  kDotPrefix, kStripWhitespace, kCompressWhitespace, kToLowercase, kToUppercase, kToMd5,
  kToSha1, kToSha256, kUrlDecode, kHeaderLowercase, kStripPseudoHeaders, kFromBase64, kXor,
  kPcreXform,
};

struct Transform {
  TransformKind kind = TransformKind::kDotPrefix;
  std::string argument;  // xor: key bytes; pcrexform: the regex; from_base64: its options
  friend bool operator==(const Transform&, const Transform&) = default;
};

// True if `keyword` (lower case) names a transform.
bool IsTransformKeyword(std::string_view keyword);
Result<Transform> ParseTransform(std::string_view keyword, std::string_view value, bool has_value);
std::string_view TransformName(TransformKind kind);

}  // namespace vigil::rules
