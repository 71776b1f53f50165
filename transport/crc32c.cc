#include "transport/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace vigil::transport {
namespace {

constexpr uint32_t kPoly = 0x82F63B78u;

// Slicing-by-8 tables, computed at compile time: no global mutable state, no init order issue.
constexpr std::array<std::array<uint32_t, 256>, 8> MakeTables() {
  std::array<std::array<uint32_t, 256>, 8> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i) {
    for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
  return t;
}
constexpr auto kTables = MakeTables();

#if defined(__x86_64__)
// Three-way interleaving for long buffers: the crc32 instruction has a latency of 3 cycles and
// a throughput of 1, so one dependent chain runs at a third of the possible speed. Three
// independent chains over adjacent blocks of kBlock bytes are joined with the identity
//   reg(X || Y, init) = Shift(reg(X, init), |Y|) ^ reg(Y, 0)
// where Shift(r, n) is the register after n zero bytes: a linear map on 32 bits, computed
// here at compile time as a 32x32 GF(2) matrix and applied with four 256-entry tables.
constexpr size_t kBlock = 4096;

using Gf2Matrix = std::array<uint32_t, 32>;  // column i: the image of bit i

constexpr uint32_t Gf2Apply(const Gf2Matrix& m, uint32_t v) {
  uint32_t out = 0;
  for (int i = 0; v != 0; ++i, v >>= 1) {
    if (v & 1) out ^= m[static_cast<size_t>(i)];
  }
  return out;
}

constexpr Gf2Matrix Gf2Compose(const Gf2Matrix& a, const Gf2Matrix& b) {  // a after b
  Gf2Matrix r{};
  for (size_t i = 0; i < 32; ++i) r[i] = Gf2Apply(a, b[i]);
  return r;
}

// The register after `bytes` zero bytes, as a matrix.
constexpr Gf2Matrix ZerosOperator(size_t bytes) {
  Gf2Matrix bit{};  // one zero bit: r -> (r >> 1) ^ (r & 1 ? poly : 0)
  bit[0] = kPoly;
  for (size_t i = 1; i < 32; ++i) bit[i] = uint32_t{1} << (i - 1);
  Gf2Matrix op = Gf2Compose(bit, bit);  // 2 bits
  op = Gf2Compose(op, op);              // 4 bits
  op = Gf2Compose(op, op);              // 8 bits: one byte
  Gf2Matrix result{};
  for (size_t i = 0; i < 32; ++i) result[i] = uint32_t{1} << i;  // identity
  for (size_t n = bytes; n != 0; n >>= 1) {
    if (n & 1) result = Gf2Compose(op, result);
    op = Gf2Compose(op, op);
  }
  return result;
}

constexpr std::array<std::array<uint32_t, 256>, 4> MakeShiftTables(size_t bytes) {
  const Gf2Matrix m = ZerosOperator(bytes);
  std::array<std::array<uint32_t, 256>, 4> t{};
  for (size_t k = 0; k < 4; ++k) {
    for (uint32_t b = 0; b < 256; ++b) t[k][b] = Gf2Apply(m, b << (8 * k));
  }
  return t;
}
constexpr auto kShiftBlock = MakeShiftTables(kBlock);

uint32_t ShiftBlock(uint32_t r) {
  return kShiftBlock[0][r & 0xff] ^ kShiftBlock[1][(r >> 8) & 0xff] ^ kShiftBlock[2][(r >> 16) & 0xff] ^
         kShiftBlock[3][r >> 24];
}

__attribute__((target("sse4.2"))) uint32_t ExtendHw(uint32_t crc, const unsigned char* p, size_t n) {
  uint64_t c = ~crc;
  while (n >= 3 * kBlock) {
    uint64_t c1 = 0, c2 = 0;
    for (size_t i = 0; i < kBlock; i += 8) {
      uint64_t v0, v1, v2;
      std::memcpy(&v0, p + i, 8);
      std::memcpy(&v1, p + kBlock + i, 8);
      std::memcpy(&v2, p + 2 * kBlock + i, 8);
      c = _mm_crc32_u64(c, v0);
      c1 = _mm_crc32_u64(c1, v1);
      c2 = _mm_crc32_u64(c2, v2);
    }
    const uint32_t joined = ShiftBlock(ShiftBlock(static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c1));
    c = joined ^ static_cast<uint32_t>(c2);
    p += 3 * kBlock;
    n -= 3 * kBlock;
  }
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return ~c32;
}

bool HaveSse42() {
  // __builtin_cpu_supports reads a table the runtime fills before main; cheap to call.
  return __builtin_cpu_supports("sse4.2");
}
#endif

}  // namespace

uint32_t Crc32cExtendPortable(uint32_t crc, std::span<const std::byte> data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  uint32_t c = ~crc;
  while (n >= 8) {
    uint32_t lo;
    uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
    // Little-endian host assumed for the word loads (x86-64, aarch64 Linux).
    lo ^= c;
    c = kTables[7][lo & 0xff] ^ kTables[6][(lo >> 8) & 0xff] ^ kTables[5][(lo >> 16) & 0xff] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xff] ^ kTables[2][(hi >> 8) & 0xff] ^
        kTables[1][(hi >> 16) & 0xff] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xff];
  return ~c;
}

uint32_t Crc32cExtend(uint32_t crc, std::span<const std::byte> data) {
#if defined(__x86_64__)
  if (HaveSse42()) {
    return ExtendHw(crc, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  }
#endif
  return Crc32cExtendPortable(crc, data);
}

}  // namespace vigil::transport
