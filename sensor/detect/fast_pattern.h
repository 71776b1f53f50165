// FastPattern: the one literal per rule that goes into the Hyperscan prefilter of its buffer.
//
// Choice (as Suricata, simplified): the content marked `fast_pattern` (its offset,length slice
// for fast_pattern:o,l); otherwise the non-negated content with the best rarity score — the sum
// of per-byte weights, where bytes frequent in traffic (lower-case letters, digits, '/', '.',
// space, NUL) weigh less than rare ones — preferring contents of at least
// DetectConfig::min_preferred_fast_pattern bytes when the rule has one. Negated contents are
// never fast patterns: their absence is what matches. A rule with no usable content has none
// and is checked on every inspection of its group ("always check", counted in DetectStats).
// Contents in base64_data are never chosen: that buffer exists only while a rule is evaluated
// (base64_decode fills it), so no prefilter can scan it. Contents after transforms are chosen
// like others; the engine scans the transformed buffer (FastPattern::list says which).
//
//   auto fp = ChooseFastPattern(rule, cfg.min_preferred_fast_pattern);
//   if (fp) db_literals[fp->buffer].push_back({fp->bytes, fp->nocase, id});
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rules/signature/rule.h"

namespace vigil::sensor {

struct FastPattern {
  rules::BufferId buffer = rules::BufferId::kPacket;
  size_t list = 0;  // index into Rule::buffers (a buffer + transform chain) holding the content
  std::string bytes;
  bool nocase = false;
  bool explicit_choice = false;
  // The content's matches all end before this offset of the buffer (absolute offset + depth, or
  // startswith); -1 when unbounded (relative, no depth, byte_extract variables).
  int64_t bound = -1;
};

std::optional<FastPattern> ChooseFastPattern(const rules::Rule& rule, uint32_t min_preferred);
uint32_t RarityScore(std::string_view bytes, bool nocase);

// The literal the engine's prefilter uses for `fp`: the same, unless it is shorter than
// `min_preferred` (an explicit `fast_pattern:` on "PK" or "117") and the same list has a longer
// non-negated content, which then replaces it. Every non-negated content of a list must occur
// for the rule to match, so the candidate set stays a superset of the matching rules (alerts
// are unchanged) while short literals, the costliest for Hyperscan, leave the databases.
// In body buffers (file_data, http.request_body, http.response_body), which the prefilter
// scans byte by byte and at length, every choice (explicit or not) gives way to the list's
// non-negated content with a better PrefilterScore (RarityScore with caseless letters a little
// cheaper), unless that would trade a bounded literal for an unbounded one.
// `vigil rules check` reports ChooseFastPattern's (the rule's own) choice.
FastPattern PrefilterLiteral(const rules::Rule& rule, FastPattern fp, uint32_t min_preferred);

}  // namespace vigil::sensor
