#include "sensor/detect/payload_inspector.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sensor/detect/base64_decoder.h"

namespace vigil::sensor {
namespace {

using rules::ByteEndian;
using rules::NumberBase;

inline uint8_t Lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c; }

struct Ctx {
  const CompiledList& list;
  std::span<const uint8_t> buf;
  InspectScratch& s;
};

int64_t Resolve(const rules::IntOrVar& v, int8_t slot, const InspectScratch& s) {
  return slot >= 0 ? s.vars[static_cast<size_t>(slot)] : v.value;
}

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); }

// Reads the number a byte_* keyword points at. Returns false when out of bounds or not a number.
bool ReadNumber(std::span<const uint8_t> buf, int64_t pos, uint32_t nbytes, ByteEndian endian,
                NumberBase base, uint64_t* out) {
  if (pos < 0 || nbytes == 0 || static_cast<uint64_t>(pos) + nbytes > buf.size()) return false;
  const uint8_t* p = buf.data() + pos;
  uint64_t v = 0;
  if (base == NumberBase::kBinary) {
    if (nbytes > 8) return false;
    if (endian == ByteEndian::kBig) {
      for (uint32_t i = 0; i < nbytes; ++i) v = (v << 8) | p[i];
    } else {  // little, and dce (DCE/RPC data representation is little-endian in practice)
      for (uint32_t i = nbytes; i-- > 0;) v = (v << 8) | p[i];
    }
    *out = v;
    return true;
  }
  unsigned radix = base == NumberBase::kHex ? 16 : base == NumberBase::kOct ? 8 : 10;
  uint32_t digits = 0;
  for (uint32_t i = 0; i < nbytes; ++i) {
    uint8_t c = Lower(p[i]);
    unsigned d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (radix == 16 && c >= 'a' && c <= 'f') d = 10u + (c - 'a');
    else break;  // strtoull semantics: stop at the first non-digit
    if (d >= radix) break;
    v = v * radix + d;
    ++digits;
  }
  if (digits == 0) return false;
  *out = v;
  return true;
}

uint64_t ApplyBitmask(uint64_t v, const std::optional<uint32_t>& mask) {
  if (!mask || *mask == 0) return v;
  v &= *mask;
  return v >> std::countr_zero(*mask);
}

bool Step(Ctx& c, size_t i, int64_t prev_end);

bool Next(Ctx& c, size_t i, int64_t prev_end) { return Step(c, i + 1, prev_end); }

bool DoContent(Ctx& c, size_t i, int64_t prev_end, const rules::ContentMatch& m) {
  const CompiledList::VarSlots& vs = c.list.vars[i];
  const int64_t len = static_cast<int64_t>(c.buf.size());
  const int64_t plen = static_cast<int64_t>(m.pattern.size());
  int64_t start = 0, end = len;
  if (m.relative()) {
    int64_t distance = m.distance ? Resolve(*m.distance, vs.c, c.s) : 0;
    start = (distance < 0 && -distance > prev_end) ? 0 : prev_end + distance;
    if (m.within) end = std::min(end, prev_end + distance + Resolve(*m.within, vs.d, c.s));
  } else {
    if (m.offset) start = Resolve(*m.offset, vs.a, c.s);
    if (m.depth) end = std::min(end, start + Resolve(*m.depth, vs.b, c.s));
  }
  if (m.startswith) { start = 0; end = std::min(end, plen); }
  start = Clamp(start, 0, len);
  end = Clamp(end, 0, len);
  int64_t s = start;
  for (;;) {
    int64_t pos = -1;
    if (end - s >= plen) {
      if (m.endswith) {
        // Only a match ending at the buffer end counts.
        if (end == len && FindPattern(c.buf, static_cast<size_t>(len - plen),
                                      static_cast<size_t>(len), m.pattern, m.nocase) >= 0)
          pos = len - plen;
      } else {
        pos = FindPattern(c.buf, static_cast<size_t>(s), static_cast<size_t>(end), m.pattern,
                          m.nocase);
      }
    }
    if (pos < 0) return m.negated ? Next(c, i, prev_end) : false;
    if (m.negated) return false;
    if (Next(c, i, pos + plen)) return true;
    // Backtrack only when the next keyword depends on where this one matched.
    if (c.s.recursion_hit || m.endswith || (!c.list.relative_next[i] && c.s.min_end == 0))
      return false;
    s = pos + 1;
  }
}

bool DoPcre(Ctx& c, size_t i, int64_t prev_end, const rules::PcreMatch& m) {
  const PcreProgram* prog = c.list.pcre[i];
  if (!prog) return false;
  int64_t s = m.relative ? prev_end : 0;
  for (;;) {
    if (s > static_cast<int64_t>(c.buf.size())) return m.negated ? Next(c, i, prev_end) : false;
    // As Suricata, the subject starts at the search position, so ^ anchors there for /R.
    PcreResult r = prog->Match(*c.s.pcre, c.buf.subspan(static_cast<size_t>(s)), 0);
    r.begin += static_cast<size_t>(s);
    r.end += static_cast<size_t>(s);
    if (r.outcome == PcreOutcome::kLimit) {
      ++c.s.pcre_limit_hits;
      return false;  // Suricata treats a match-limit hit as no match
    }
    if (r.outcome != PcreOutcome::kMatch) return m.negated ? Next(c, i, prev_end) : false;
    if (m.negated) return false;
    if (Next(c, i, static_cast<int64_t>(r.end))) return true;
    if (c.s.recursion_hit || (!c.list.relative_next[i] && c.s.min_end == 0)) return false;
    s = static_cast<int64_t>(r.begin) + 1;
  }
}

int64_t BytePos(const rules::ByteCommon& bc, int8_t slot, const InspectScratch& s, int64_t prev_end) {
  int64_t off = Resolve(bc.offset, slot, s);
  return bc.relative ? prev_end + off : off;
}

uint32_t ByteCount(const rules::ByteCommon& bc, int8_t slot, const InspectScratch& s) {
  if (slot >= 0) return static_cast<uint32_t>(std::clamp<int64_t>(s.vars[static_cast<size_t>(slot)], 0, 64));
  return bc.num_bytes;
}

bool DoByteTest(Ctx& c, size_t i, int64_t prev_end, const rules::ByteTestMatch& m) {
  const CompiledList::VarSlots& vs = c.list.vars[i];
  uint64_t v = 0;
  if (!ReadNumber(c.buf, BytePos(m.common, vs.a, c.s, prev_end), ByteCount(m.common, vs.nbytes, c.s),
                  m.common.endian, m.common.base, &v))
    return false;
  v = ApplyBitmask(v, m.common.bitmask);
  uint64_t want = static_cast<uint64_t>(Resolve(m.value, vs.b, c.s));
  bool ok = false;
  switch (m.op) {
    case rules::ByteTestOp::kLt: ok = v < want; break;
    case rules::ByteTestOp::kGt: ok = v > want; break;
    case rules::ByteTestOp::kEq: ok = v == want; break;
    case rules::ByteTestOp::kLe: ok = v <= want; break;
    case rules::ByteTestOp::kGe: ok = v >= want; break;
    case rules::ByteTestOp::kAnd: ok = (v & want) != 0; break;
    case rules::ByteTestOp::kXor: ok = (v ^ want) != 0; break;
  }
  if (m.negated) ok = !ok;
  return ok && Next(c, i, prev_end);
}

bool DoByteJump(Ctx& c, size_t i, int64_t prev_end, const rules::ByteJumpMatch& m) {
  const CompiledList::VarSlots& vs = c.list.vars[i];
  int64_t pos = BytePos(m.common, vs.a, c.s, prev_end);
  uint32_t n = ByteCount(m.common, vs.nbytes, c.s);
  uint64_t v = 0;
  if (!ReadNumber(c.buf, pos, n, m.common.endian, m.common.base, &v)) return false;
  v = ApplyBitmask(v, m.common.bitmask);
  int64_t jump = static_cast<int64_t>(std::min<uint64_t>(v, 1ull << 40)) * m.multiplier;
  if (m.align && (jump % 4) != 0) jump += 4 - (jump % 4);
  int64_t base = pos + n;
  if (m.from_beginning) base = 0;
  if (m.from_end) base = static_cast<int64_t>(c.buf.size());
  int64_t target = base + jump + m.post_offset;
  // As Suricata: the jump must land inside the buffer.
  if (target < 0 || target >= static_cast<int64_t>(c.buf.size())) return false;
  return Next(c, i, target);
}

bool DoByteExtract(Ctx& c, size_t i, int64_t prev_end, const rules::ByteExtractMatch& m) {
  const CompiledList::VarSlots& vs = c.list.vars[i];
  int64_t pos = BytePos(m.common, vs.a, c.s, prev_end);
  uint64_t v = 0;
  if (!ReadNumber(c.buf, pos, m.common.num_bytes, m.common.endian, m.common.base, &v)) return false;
  v = ApplyBitmask(v, m.common.bitmask) * m.multiplier;
  if (m.align > 1 && (v % m.align) != 0) v += m.align - (v % m.align);
  if (vs.store >= 0) c.s.vars[static_cast<size_t>(vs.store)] = static_cast<int64_t>(std::min<uint64_t>(v, 1ull << 40));
  return Next(c, i, pos + m.common.num_bytes);
}

bool DoIsDataAt(Ctx& c, size_t i, int64_t prev_end, const rules::IsDataAtMatch& m) {
  int64_t n = Resolve(m.position, c.list.vars[i].a, c.s);
  int64_t len = static_cast<int64_t>(c.buf.size());
  // Suricata: relative counts bytes after the previous match, absolute names a byte index.
  bool present = m.relative ? prev_end + n <= len : n < len;
  if (m.negated) present = !present;
  return present && Next(c, i, prev_end);
}

bool DoBase64Decode(Ctx& c, size_t i, int64_t prev_end, const rules::Base64DecodeMatch& m) {
  const int64_t len = static_cast<int64_t>(c.buf.size());
  int64_t start = m.relative ? std::min(prev_end, len) : 0;
  if (m.offset != 0) {
    if (start + static_cast<int64_t>(m.offset) >= len) return false;
    start += m.offset;
  }
  size_t n = static_cast<size_t>(len - start);
  if (m.bytes != 0 && m.bytes < n) n = m.bytes;
  c.s.base64_len = Base64Decode(c.buf.subspan(static_cast<size_t>(start), n), Base64Mode::kRfc2045,
                                std::span<uint8_t>(c.s.base64));
  return c.s.base64_len > 0 && Next(c, i, prev_end);
}

bool Step(Ctx& c, size_t i, int64_t prev_end) {
  const auto& ms = c.list.src->matches;
  if (i >= ms.size()) return c.s.min_end == 0 || prev_end > c.s.min_end;
  if (++c.s.steps > c.s.recursion_limit) {
    if (!c.s.recursion_hit) ++c.s.recursion_limit_hits;
    c.s.recursion_hit = true;
    return false;
  }
  const rules::PayloadMatch& pm = ms[i];
  if (const auto* m = std::get_if<rules::ContentMatch>(&pm)) return DoContent(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::PcreMatch>(&pm)) return DoPcre(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::ByteTestMatch>(&pm)) return DoByteTest(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::ByteJumpMatch>(&pm)) return DoByteJump(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::ByteExtractMatch>(&pm)) return DoByteExtract(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::IsDataAtMatch>(&pm)) return DoIsDataAt(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::BsizeMatch>(&pm))
    return m->size.Matches(c.buf.size()) && Next(c, i, prev_end);
  if (const auto* m = std::get_if<rules::Base64DecodeMatch>(&pm)) return DoBase64Decode(c, i, prev_end, *m);
  if (const auto* m = std::get_if<rules::DatasetMatch>(&pm)) {
    Dataset* set = i < c.list.sets.size() ? c.list.sets[i] : nullptr;
    return MatchDataset(*m, set, c.buf, &c.s.datasets) && Next(c, i, prev_end);
  }
  return false;
}

// True when pat matches at p ignoring ASCII case.
bool EqualNocase(const uint8_t* p, std::string_view pat) {
  for (size_t k = 0; k < pat.size(); ++k)
    if (Lower(p[k]) != Lower(static_cast<uint8_t>(pat[k]))) return false;
  return true;
}

bool IsAlpha(uint8_t c) { return Lower(c) >= 'a' && Lower(c) <= 'z'; }

// Search for positions [start, last] (pat.size() >= 2): the pattern's first and last bytes
// are compared 16 positions at a time (caseless: a letter as (x | 0x20) == lower, anything
// else exactly) and each position passing both is verified whole. The first and last bytes
// rather than the first two: in text a word's first two bytes ("fi" of "filename=") follow
// each other far more often than its first and last do. Byte-at-a-time for the tail and
// without SSE2.
int64_t FindFirstLast(const uint8_t* base, size_t start, size_t last, std::string_view pat, bool nocase) {
  const size_t j = pat.size() - 1;
  auto fold = [&](uint8_t c) { return nocase ? Lower(c) : c; };
  auto equal = [&](size_t q) {
    return nocase ? EqualNocase(base + q, pat) : std::memcmp(base + q, pat.data(), pat.size()) == 0;
  };
  const uint8_t f0 = fold(static_cast<uint8_t>(pat[0]));
  const uint8_t fj = fold(static_cast<uint8_t>(pat[j]));
  size_t p = start;
#if defined(__SSE2__)
  const __m128i m0 = _mm_set1_epi8(static_cast<char>(nocase && IsAlpha(f0) ? 0x20 : 0));
  const __m128i mj = _mm_set1_epi8(static_cast<char>(nocase && IsAlpha(fj) ? 0x20 : 0));
  const __m128i v0 = _mm_set1_epi8(static_cast<char>(f0));
  const __m128i vj = _mm_set1_epi8(static_cast<char>(fj));
  // Loads at p and p + j read at most up to p + j + 15 <= last + j < end.
  for (; p + 15 <= last; p += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + p + j));
    const __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, m0), v0),
                                      _mm_cmpeq_epi8(_mm_or_si128(b, mj), vj));
    unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (bits != 0) {
      const size_t q = p + static_cast<size_t>(std::countr_zero(bits));
      if (equal(q)) return static_cast<int64_t>(q);
      bits &= bits - 1;
    }
  }
#endif
  for (; p <= last; ++p) {
    if (fold(base[p]) == f0 && fold(base[p + j]) == fj && equal(p)) return static_cast<int64_t>(p);
  }
  return -1;
}

}  // namespace

int64_t FindPattern(std::span<const uint8_t> buf, size_t start, size_t end, std::string_view pat,
                    bool nocase) {
  end = std::min(end, buf.size());
  if (pat.empty()) return start <= end ? static_cast<int64_t>(start) : -1;
  if (start >= end || end - start < pat.size()) return -1;
  const uint8_t* base = buf.data();
  const size_t last = end - pat.size();
  if (pat.size() >= 2) return FindFirstLast(base, start, last, pat, nocase);
  const uint8_t b0 = static_cast<uint8_t>(pat[0]);  // one byte
  if (!nocase) {
    const void* hit = std::memchr(base + start, b0, last - start + 1);
    return hit ? static_cast<int64_t>(static_cast<const uint8_t*>(hit) - base) : -1;
  }
  for (size_t p = start; p <= last; ++p)
    if (Lower(base[p]) == Lower(b0)) return static_cast<int64_t>(p);
  return -1;
}

bool MatchList(const CompiledList& list, std::span<const uint8_t> buf, InspectScratch& scratch) {
  scratch.steps = 0;
  scratch.recursion_hit = false;
  Ctx c{list, buf, scratch};
  return Step(c, 0, 0);
}

}  // namespace vigil::sensor
