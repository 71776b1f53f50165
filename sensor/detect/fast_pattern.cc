#include "sensor/detect/fast_pattern.h"

#include <algorithm>

namespace vigil::sensor {
namespace {

uint32_t ByteWeight(uint8_t c, bool nocase) {
  if (c == 0 || c == ' ' || c == '/' || c == '.' || c == '\r' || c == '\n' || c == 0xff) return 1;
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 2;
  if (c >= 'A' && c <= 'Z') return nocase ? 2 : 3;
  if (c > 0x20 && c < 0x7f) return 3;
  return 5;  // other binary bytes are rarer in mostly-text traffic
}

}  // namespace

uint32_t RarityScore(std::string_view bytes, bool nocase) {
  uint32_t s = 0;
  for (char ch : bytes) s += ByteWeight(static_cast<uint8_t>(ch), nocase);
  return s;
}

namespace {

bool Prefilterable(const rules::BufferMatches& b) { return b.buffer != rules::BufferId::kBase64Data; }

// The content marked fast_pattern in a list a prefilter can scan, with its list index.
const rules::ContentMatch* Explicit(const rules::Rule& rule, size_t* list) {
  for (size_t i = 0; i < rule.buffers.size(); ++i) {
    if (!Prefilterable(rule.buffers[i])) continue;
    for (const rules::PayloadMatch& m : rule.buffers[i].matches) {
      const auto* c = std::get_if<rules::ContentMatch>(&m);
      if (c != nullptr && c->fast_pattern != rules::FastPatternMode::kAuto) {
        *list = i;
        return c;
      }
    }
  }
  return nullptr;
}

// `first`: the content is the first keyword of its list, so distance/within count from the
// buffer start (the previous match end is 0 there).
int64_t Bound(const rules::ContentMatch& c, bool first) {
  if (c.startswith) return static_cast<int64_t>(c.pattern.size());
  if (c.relative()) {
    if (!first || !c.within || c.within->is_var() || (c.distance && c.distance->is_var())) return -1;
    const int64_t d = c.distance ? std::max<int64_t>(0, c.distance->value) : 0;
    return c.within->value < 0 ? -1 : d + c.within->value;
  }
  if (!c.depth || c.depth->is_var() || (c.offset && c.offset->is_var())) return -1;
  const int64_t off = c.offset ? std::max<int64_t>(0, c.offset->value) : 0;
  return c.depth->value < 0 ? -1 : off + c.depth->value;
}

bool IsFirst(const rules::BufferMatches& b, const rules::ContentMatch* c) {
  return !b.matches.empty() && std::get_if<rules::ContentMatch>(&b.matches.front()) == c;
}

}  // namespace

std::optional<FastPattern> ChooseFastPattern(const rules::Rule& rule, uint32_t min_preferred) {
  size_t fl = 0;
  if (const rules::ContentMatch* c = Explicit(rule, &fl); c && !c->negated) {
    FastPattern fp{rule.buffers[fl].buffer, fl, c->pattern, c->nocase, true,
                   Bound(*c, IsFirst(rule.buffers[fl], c))};
    if (c->fast_pattern == rules::FastPatternMode::kPartial &&
        c->fast_pattern_offset < c->pattern.size()) {
      fp.bytes = c->pattern.substr(c->fast_pattern_offset, c->fast_pattern_length);
    }
    if (!fp.bytes.empty()) return fp;
  }
  const rules::ContentMatch* best = nullptr;
  size_t best_list = 0;
  bool best_long = false;
  uint32_t best_score = 0;
  for (size_t li = 0; li < rule.buffers.size(); ++li) {
    const rules::BufferMatches& b = rule.buffers[li];
    if (!Prefilterable(b)) continue;
    b.ForEachContent([&](const rules::ContentMatch& c) {
      if (c.negated || c.pattern.empty()) return;
      bool is_long = c.pattern.size() >= min_preferred;
      uint32_t score = RarityScore(c.pattern, c.nocase);
      if (!best || (is_long && !best_long) || (is_long == best_long && score > best_score)) {
        best = &c;
        best_list = li;
        best_long = is_long;
        best_score = score;
      }
    });
  }
  if (!best) return std::nullopt;
  return FastPattern{rule.buffers[best_list].buffer, best_list, best->pattern, best->nocase, false,
                     Bound(*best, IsFirst(rule.buffers[best_list], best))};
}

namespace {

// Body buffers: the prefilter scans every byte of them (kilobytes per message) with one large
// database whose cost grows with short, caseless and frequent literals.
bool IsBodyBuffer(rules::BufferId b) {
  return b == rules::BufferId::kFileData || b == rules::BufferId::kHttpRequestBody ||
         b == rules::BufferId::kHttpResponseBody;
}

// RarityScore at double weight, with case-insensitive letters a little cheaper than exact ones:
// Hyperscan pays for every case variant a caseless literal stands for.
uint32_t PrefilterScore(std::string_view bytes, bool nocase) {
  uint32_t s = 0;
  for (char ch : bytes) {
    const uint8_t c = static_cast<uint8_t>(ch);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    s += 2 * ByteWeight(c, nocase) - (nocase && letter ? 1 : 0);
  }
  return s;
}

}  // namespace

FastPattern PrefilterLiteral(const rules::Rule& rule, FastPattern fp, uint32_t min_preferred) {
  if (fp.list >= rule.buffers.size()) return fp;
  const bool short_fp = fp.bytes.size() < min_preferred;
  const bool body = IsBodyBuffer(fp.buffer);
  if (!short_fp && !body) return fp;
  auto score_of = [&](const std::string& bytes, bool nocase) {
    return body ? PrefilterScore(bytes, nocase) : RarityScore(bytes, nocase);
  };
  const rules::BufferMatches& b = rule.buffers[fp.list];
  const rules::ContentMatch* best = nullptr;
  uint32_t best_score = 0;
  b.ForEachContent([&](const rules::ContentMatch& c) {
    if (c.negated || c.pattern.size() < min_preferred) return;
    const uint32_t score = score_of(c.pattern, c.nocase);
    if (!best || score > best_score) {
      best = &c;
      best_score = score;
    }
  });
  if (best == nullptr) return fp;
  if (!short_fp && best_score <= score_of(fp.bytes, fp.nocase)) return fp;
  const int64_t bound = Bound(*best, IsFirst(b, best));
  // A short literal bounded to the buffer start is cheap already (a bounded database scans
  // only that start); keep it unless the longer one is bounded too.
  if (fp.bound >= 0 && bound < 0) return fp;
  fp.bytes = best->pattern;
  fp.nocase = best->nocase;
  fp.bound = bound;
  return fp;
}

}  // namespace vigil::sensor
