#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

namespace vigil::storage {
namespace {

TEST(KeyCodec, U64RoundTripAndBigEndianBytes) {
  std::string k;
  PutU64BE(&k, 0x0102030405060708ull);
  ASSERT_EQ(k.size(), 8u);
  EXPECT_EQ(static_cast<uint8_t>(k[0]), 0x01);
  EXPECT_EQ(static_cast<uint8_t>(k[7]), 0x08);
  auto v = GetU64BE(k, 0);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x0102030405060708ull);
  EXPECT_EQ(U64Key(0x0102030405060708ull), k);
}

TEST(KeyCodec, U32U16RoundTrip) {
  std::string k;
  PutU16BE(&k, 0xBEEF);
  PutU32BE(&k, 0xDEADBEEF);
  ASSERT_EQ(k.size(), 6u);
  EXPECT_EQ(*GetU16BE(k, 0), 0xBEEF);
  EXPECT_EQ(*GetU32BE(k, 2), 0xDEADBEEFu);
}

TEST(KeyCodec, ByteOrderIsNumericOrder) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100000; ++i) {
    uint64_t a = rng();
    uint64_t b = (i % 3 == 0) ? a + 1 : rng() >> (rng() % 64);
    EXPECT_EQ(a < b, U64Key(a) < U64Key(b)) << a << " vs " << b;
  }
  // Boundaries where a little-endian encoding would sort wrongly.
  EXPECT_LT(U64Key(255), U64Key(256));
  EXPECT_LT(U64Key(0), U64Key(1));
  EXPECT_LT(U64Key(std::numeric_limits<uint64_t>::max() - 1), U64Key(std::numeric_limits<uint64_t>::max()));
}

TEST(KeyCodec, SignedOrderIncludingNegatives) {
  std::mt19937_64 rng(7);
  const int64_t fixed[] = {std::numeric_limits<int64_t>::min(), -1'000'000, -1, 0, 1, 1'000'000,
                           std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i + 1 < std::size(fixed); ++i) {
    std::string a, b;
    PutI64BE(&a, fixed[i]);
    PutI64BE(&b, fixed[i + 1]);
    EXPECT_LT(a, b) << fixed[i];
    EXPECT_EQ(*GetI64BE(a, 0), fixed[i]);
  }
  for (int i = 0; i < 100000; ++i) {
    auto x = static_cast<int64_t>(rng());
    auto y = static_cast<int64_t>(rng());
    std::string a, b;
    PutI64BE(&a, x);
    PutI64BE(&b, y);
    EXPECT_EQ(x < y, a < b);
  }
}

TEST(KeyCodec, CompositeKeysSortByFirstFieldThenSecond) {
  auto key = [](uint64_t t, uint32_t id) {
    std::string k;
    PutU64BE(&k, t);
    PutU32BE(&k, id);
    return k;
  };
  EXPECT_LT(key(1, 0xFFFFFFFF), key(2, 0));
  EXPECT_LT(key(5, 1), key(5, 2));
}

TEST(KeyCodec, CheckedReadersRejectShortInput) {
  std::string k(7, '\0');
  EXPECT_FALSE(GetU64BE(k, 0).ok());
  EXPECT_EQ(GetU64BE(k, 0).error().code, ErrorCode::kCorrupt);
  EXPECT_FALSE(GetU32BE(k, 4).ok());
  EXPECT_TRUE(GetU32BE(k, 3).ok());
  EXPECT_FALSE(GetU16BE(k, 6).ok());
  EXPECT_FALSE(GetU16BE(k, 100).ok());  // offset past the end must not wrap
  EXPECT_FALSE(GetI64BE("", 0).ok());
}

}  // namespace
}  // namespace vigil::storage
