// content: a literal byte pattern, and the modifiers that follow it and refine it.
//
//   content:"GET /"; nocase; depth:5;
//   content:!"|0d 0a|Host|3a|"; distance:0; within:40;
//   content:"evil"; fast_pattern; http_uri;          (buffer modifiers live in the rule parser)
//
// The pattern is decoded here: |hex| blocks (spaces allowed between digit pairs, an odd digit
// count or a non-hex character is an error) and the escapes \" \; \: \\ (any other escape is an
// error). Modifiers always attach to the most recent content in the rule; the rule parser finds
// it and calls ApplyContentModifier, which rejects the combinations Suricata rejects (absolute
// with relative positions on one content, depth/within shorter than the pattern, repeats).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/integer_match.h"

namespace vigil::rules {

enum class FastPatternMode : uint8_t {
  kAuto,     // no fast_pattern keyword: the engine chooses
  kChosen,   // fast_pattern;
  kOnly,     // fast_pattern:only; (the pattern alone decides; no separate content check)
  kPartial,  // fast_pattern:offset,length; (only that slice goes into the prefilter)
};

struct ContentMatch {
  std::string pattern;  // decoded bytes
  bool negated = false;
  bool nocase = false;
  bool rawbytes = false;  // accepted and ignored, as in Suricata (there is no raw payload)
  bool startswith = false;
  bool endswith = false;
  std::optional<IntOrVar> offset;    // absolute: start searching here
  std::optional<IntOrVar> depth;     // absolute: search at most this many bytes from offset
  std::optional<IntOrVar> distance;  // relative to the end of the previous match (may be < 0)
  std::optional<IntOrVar> within;    // relative: must end within this many bytes of it
  FastPatternMode fast_pattern = FastPatternMode::kAuto;
  uint16_t fast_pattern_offset = 0;  // kPartial only
  uint16_t fast_pattern_length = 0;  // kPartial only
  size_t source_offset = 0;          // where the content keyword starts in the rule text

  bool relative() const { return distance.has_value() || within.has_value(); }
};

// Parses the value of `content:` / `uricontent:`: optional '!', then a quoted pattern.
Result<ContentMatch> ParseContent(std::string_view value);
// Decodes a pattern without quotes (hex blocks and escapes); used by ParseContent.
Result<std::string> DecodeContentPattern(std::string_view body);

// True for the keywords ApplyContentModifier understands (lower case).
bool IsContentModifier(std::string_view keyword);
// Applies one modifier (`keyword` lower case; `value` empty when the keyword had none).
Status ApplyContentModifier(ContentMatch* c, std::string_view keyword, std::string_view value,
                            bool has_value);

}  // namespace vigil::rules
