// PayloadInspector: evaluates one buffer's payload keyword list (content, pcre, byte_test,
// byte_jump, byte_extract, isdataat, bsize, base64_decode) with Suricata's semantics.
//
// base64_decode decodes (RFC 2045: characters outside the alphabet are skipped) `bytes` bytes
// from `offset` (after the previous match when relative) into InspectScratch::base64, and fails
// when nothing decodes; it does not move the previous match. The rule's base64_data list is
// then matched against those bytes (DetectThread).
//
// Keywords are evaluated in rule order; each successful match moves the "previous match end"
// that relative keywords (distance/within, pcre R, relative byte_*/isdataat) measure from.
// When a later keyword fails and the keyword after a content/pcre is relative to it, the
// content/pcre is searched again from one byte after its last match (Suricata's content
// inspection recursion), so `content:"a"; content:"b"; within:1;` finds "ab" in "a-ab". The
// total number of steps per evaluation is bounded (inspection_recursion_limit).
//
//   CompiledList list = ...;   // built by DetectEngine from a rule's BufferMatches
//   InspectScratch s(...);
//   bool ok = MatchList(list, buffer, s);
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "rules/signature/rule.h"
#include "sensor/detect/dataset_match.h"
#include "sensor/detect/pcre_program.h"

namespace vigil::sensor {

inline constexpr size_t kMaxByteExtractVars = 16;
// base64_decode output cap per evaluation (Suricata decodes at most 64 KiB as well).
inline constexpr size_t kMaxBase64Decoded = 65535;

// A rule's match list for one buffer, prepared at load.
struct CompiledList {
  rules::BufferId buffer = rules::BufferId::kPacket;
  uint32_t chain = 0;  // 0: the buffer as is; k: the engine's transform chain k - 1
  const rules::BufferMatches* src = nullptr;
  std::vector<const PcreProgram*> pcre;  // per match index; null unless it is a pcre
  std::vector<uint8_t> relative_next;    // per match index: the next keyword is relative
  // Per match index: byte_extract variable slot of each IntOrVar operand (resolved at load),
  // -1 when a number. Slots index InspectScratch::vars.
  struct VarSlots { int8_t a = -1, b = -1, c = -1, d = -1, nbytes = -1, store = -1; };
  std::vector<VarSlots> vars;
  std::vector<Dataset*> sets;  // per match index: the set of a `dataset` keyword, else null
  bool has_dataset = false;    // some entry of `sets` is not null
};

// Per-thread scratch for one rule evaluation.
struct InspectScratch {
  explicit InspectScratch(PcreScratch* p) : pcre(p), base64(kMaxBase64Decoded) {}
  PcreScratch* pcre;
  // base64_decode's output, which the rule's base64_data list inspects; allocated once.
  // base64_len 0: nothing decoded in this rule evaluation (base64_data then matches nothing).
  std::vector<uint8_t> base64;
  size_t base64_len = 0;
  std::array<int64_t, kMaxByteExtractVars> vars{};
  uint32_t recursion_limit = 3000;
  // Stream inspection: the last content/pcre match must end past this offset (0: no constraint),
  // and every content/pcre backtracks to find such a match.
  int64_t min_end = 0;
  uint32_t steps = 0;
  bool recursion_hit = false;
  uint64_t pcre_limit_hits = 0;
  uint64_t recursion_limit_hits = 0;
  // `dataset` matches with a JSON context in this rule evaluation (cleared per rule).
  DatasetHits datasets;
};

// True when every keyword of `list` matches `buf`. byte_extract variables persist in
// scratch.vars across the lists of one rule (as in Suricata, a variable extracted in one buffer
// may be used in a later one).
bool MatchList(const CompiledList& list, std::span<const uint8_t> buf, InspectScratch& scratch);

// Exposed for tests: find `pat` in buf[start, end); returns the position or -1.
int64_t FindPattern(std::span<const uint8_t> buf, size_t start, size_t end, std::string_view pat,
                    bool nocase);

}  // namespace vigil::sensor
