#include "transport/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace vigil::transport {
namespace {

std::span<const std::byte> B(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(Crc32c, KnownCheckValues) {
  EXPECT_EQ(Crc32c(B("123456789")), 0xE3069283u);  // RFC 3720 / iSCSI check value
  EXPECT_EQ(Crc32c(B("")), 0u);
  EXPECT_EQ(Crc32c(B(std::string(32, '\0'))), 0x8A9136AAu);  // RFC 3720 B.4: 32 zero bytes
  EXPECT_EQ(Crc32cExtendPortable(0, B("123456789")), 0xE3069283u);
}

TEST(Crc32c, HardwareAndPortableAgreeAndExtendComposes) {
  std::mt19937 rng(1);
  for (int len : {0, 1, 7, 8, 9, 63, 64, 65, 1000, 4097}) {
    std::string s(static_cast<size_t>(len), '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    EXPECT_EQ(Crc32c(B(s)), Crc32cExtendPortable(0, B(s))) << len;
    for (int cut : {0, len / 3, len}) {
      std::string a = s.substr(0, static_cast<size_t>(cut)), b = s.substr(static_cast<size_t>(cut));
      EXPECT_EQ(Crc32cExtend(Crc32c(B(a)), B(b)), Crc32c(B(s)));
    }
  }
}

TEST(Crc32c, InterleavedLongBuffersAgreeWithThePortableTable) {
  // Lengths around the three-way interleaving's 3 x 4096-byte rounds, and frame-sized ones.
  std::mt19937 rng(7);
  for (size_t len : {12287u, 12288u, 12289u, 12295u, 24576u, 24583u, 100000u, 409700u}) {
    std::string s(len, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    EXPECT_EQ(Crc32c(B(s)), Crc32cExtendPortable(0, B(s))) << len;
    const std::string head = s.substr(0, 5000);
    EXPECT_EQ(Crc32cExtend(Crc32c(B(head)), B(s.substr(5000))), Crc32cExtendPortable(0, B(s))) << len;
  }
  EXPECT_EQ(Crc32c(B(std::string(3 * 4096, '\0'))), Crc32cExtendPortable(0, B(std::string(3 * 4096, '\0'))));
}

}  // namespace
}  // namespace vigil::transport
