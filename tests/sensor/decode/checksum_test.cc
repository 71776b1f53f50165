#include "sensor/decode/checksum.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tests/sensor/decode/frame_builder.h"

namespace vigil::sensor {
namespace {

// RFC 1071 reference: big-endian 16-bit words, byte at a time. Returns the folded sum in host
// order.
uint16_t ReferenceSum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += (p[i] << 8) | p[i + 1];
  if (n & 1) sum += p[n - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

uint16_t ToHost(uint16_t memory_order) {
  uint8_t b[2];
  std::memcpy(b, &memory_order, 2);
  return static_cast<uint16_t>((b[0] << 8) | b[1]);
}

TEST(ChecksumTest, MatchesReferenceForEveryLengthAndAlignment) {
  std::mt19937 rng(42);
  std::vector<uint8_t> buf(4096 + 8);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  for (size_t align = 0; align < 8; ++align) {
    for (size_t len = 0; len <= 300; ++len) {
      const uint8_t* p = buf.data() + align;
      ASSERT_EQ(ToHost(ChecksumFold(ChecksumAdd(p, len))), ReferenceSum(p, len))
          << "len " << len << " align " << align;
    }
  }
  // Large buffers with all-0xff bytes stress the carries.
  std::vector<uint8_t> ones(65535, 0xff);
  EXPECT_EQ(ToHost(ChecksumFold(ChecksumAdd(ones.data(), ones.size()))),
            ReferenceSum(ones.data(), ones.size()));
}

TEST(ChecksumTest, SplitSumsEqualWholeSum) {
  std::mt19937 rng(7);
  std::vector<uint8_t> buf(1500);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  const uint16_t whole = ChecksumFold(ChecksumAdd(buf.data(), buf.size()));
  for (size_t cut = 0; cut <= buf.size(); cut += 2) {
    uint64_t s = ChecksumAdd(buf.data(), cut);
    s = ChecksumAdd(buf.data() + cut, buf.size() - cut, s);
    ASSERT_EQ(ChecksumFold(s), whole) << "cut " << cut;
  }
}

TEST(ChecksumTest, KnownIpv4Header) {
  // A textbook header (checksum 0xb861) validates; with one bit flipped it does not.
  std::vector<uint8_t> h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                            0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_TRUE(ChecksumIsValid(ChecksumAdd(h.data(), h.size())));
  h[0x0b] = 0;
  h[0x0a] = 0;
  EXPECT_EQ(ToHost(ChecksumFinish(ChecksumAdd(h.data(), h.size()))), 0xb861);
  h[15] ^= 1;
  h[0x0a] = 0xb8;
  h[0x0b] = 0x61;
  EXPECT_FALSE(ChecksumIsValid(ChecksumAdd(h.data(), h.size())));
}

TEST(ChecksumTest, PseudoHeadersMatchExplicitBytes) {
  auto s4 = test::V4("10.0.0.1"), d4 = test::V4("192.168.200.7");
  std::vector<uint8_t> ph4 = {10, 0, 0, 1, 192, 168, 200, 7, 0, 6, 0x05, 0xdc};
  EXPECT_EQ(ChecksumFold(ChecksumPseudoV4(s4.data(), d4.data(), 6, 1500)),
            ChecksumFold(ChecksumAdd(ph4.data(), ph4.size())));
  auto s6 = test::V6("2001:db8::1"), d6 = test::V6("fe80::abcd:1");
  std::vector<uint8_t> ph6(s6.begin(), s6.end());
  ph6.insert(ph6.end(), d6.begin(), d6.end());
  for (uint8_t b : {0, 1, 0x23, 0x45, 0, 0, 0, 58}) ph6.push_back(b);
  EXPECT_EQ(ChecksumFold(ChecksumPseudoV6(s6.data(), d6.data(), 58, 0x12345)),
            ChecksumFold(ChecksumAdd(ph6.data(), ph6.size())));
}

}  // namespace
}  // namespace vigil::sensor
