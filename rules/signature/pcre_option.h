// pcre: a regular expression match, `pcre:[!]"/<regex>/<flags>"`.
//
// The regex text is kept exactly as written between the slashes (the option-level escapes such
// as `\;` are valid PCRE too), for PCRE2 or Hyperscan to compile later. Flags:
//   PCRE compile flags  i s m x A E G (G = ungreedy), plus O (override the match limit) and
//                       B (rawbytes, ignored as in Suricata)
//   R                   relative to the previous match in the same buffer
//   buffer flags        U I P Q H D M C K S Y V W Z select a buffer, as the legacy content
//                       modifiers do (U = http.uri, H = http.header, ... see sticky_buffer.cc)
// An unknown flag, two buffer flags, or R with a buffer flag's raw counterpart mismatch is an
// error. A trailing capture spec (`"/x(.*)/, flow:name"`) is kept in `capture`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/sticky_buffer.h"

namespace vigil::rules {

struct PcreMatch {
  std::string regex;  // between the slashes, verbatim
  std::string flags;  // as written, for messages and round trips
  bool negated = false;
  bool caseless = false;        // i
  bool dotall = false;          // s
  bool multiline = false;       // m
  bool extended = false;        // x
  bool anchored = false;        // A
  bool dollar_endonly = false;  // E
  bool ungreedy = false;        // G
  bool relative = false;        // R
  bool rawbytes = false;        // B
  bool override_limit = false;  // O
  std::optional<BufferId> buffer;  // set by a buffer flag
  std::string capture;             // "flow:name" / "pkt:name,..." after the regex, if any
  size_t source_offset = 0;
};

Result<PcreMatch> ParsePcre(std::string_view value);

}  // namespace vigil::rules
