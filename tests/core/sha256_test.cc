// Sha256: known digests (FIPS 180-2 examples), input fed in pieces equals input fed whole, and
// the hasher restarts empty after FinishHex.
#include "core/sha256.h"

#include <gtest/gtest.h>

#include <string_view>

namespace vigil {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(Sha256Test, KnownDigests) {
  Sha256 h;
  EXPECT_EQ(h.FinishHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  h.Update(Bytes("abc"));
  EXPECT_EQ(h.length(), 3u);
  EXPECT_EQ(h.FinishHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(h.length(), 0u);  // restarted
}

TEST(Sha256Test, PiecesEqualWhole) {
  const std::string_view text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256 whole;
  whole.Update(Bytes(text));
  Sha256 pieces;
  for (size_t i = 0; i < text.size(); i += 7) pieces.Update(Bytes(text.substr(i, 7)));
  const std::string want = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  EXPECT_EQ(whole.FinishHex(), want);
  EXPECT_EQ(pieces.FinishHex(), want);
}

}  // namespace
}  // namespace vigil
