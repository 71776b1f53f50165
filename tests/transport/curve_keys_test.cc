#include "transport/curve_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/storage/temp_dir.h"
#include "transport/allow_list.h"

namespace vigil::transport {
namespace {

TEST(CurveKeys, GenerateWriteLoad) {
  testing::TempDir dir;
  auto kp = GenerateCurveKeyPair();
  ASSERT_TRUE(kp.ok());
  EXPECT_EQ(kp->public_z85.size(), 40u);
  EXPECT_TRUE(DecodeCurveKey(kp->secret_z85).ok());
  const std::string sec = dir.Sub("a.key"), pub = dir.Sub("a.pub");
  ASSERT_TRUE(WriteSecretKeyFile(sec, *kp).ok());
  ASSERT_TRUE(WritePublicKeyFile(pub, kp->public_z85).ok());
  struct stat st {};
  ASSERT_EQ(::stat(sec.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = LoadSecretKeyFile(sec);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->public_z85, kp->public_z85);
  EXPECT_EQ(loaded->secret_z85, kp->secret_z85);
  EXPECT_EQ(*LoadPublicKeyFile(pub), kp->public_z85);
  auto bin = DecodeCurveKey(kp->public_z85);
  EXPECT_EQ(EncodeCurveKey(*bin), kp->public_z85);
}

TEST(CurveKeys, RefusesReadableSecretFileAndMismatchedPair) {
  testing::TempDir dir;
  auto a = *GenerateCurveKeyPair();
  auto b = *GenerateCurveKeyPair();
  const std::string sec = dir.Sub("a.key");
  ASSERT_TRUE(WriteSecretKeyFile(sec, a).ok());
  ASSERT_EQ(::chmod(sec.c_str(), 0644), 0);
  auto r = LoadSecretKeyFile(sec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermission);

  CurveKeyPair mixed;
  mixed.public_z85 = b.public_z85;
  mixed.secret_z85 = a.secret_z85;
  ASSERT_TRUE(WriteSecretKeyFile(sec, mixed).ok());  // resets the mode to 0600
  r = LoadSecretKeyFile(sec);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not belong"), std::string::npos);

  EXPECT_FALSE(LoadSecretKeyFile(dir.Sub("missing")).ok());
  EXPECT_FALSE(DecodeCurveKey("short").ok());
  EXPECT_FALSE(DecodeCurveKey(std::string(40, '"')).ok());  // '"' is not in the Z85 alphabet
}

TEST(AllowList, ParsesFileAndDirectoryAndRejectsMistakes) {
  testing::TempDir dir;
  auto a = *GenerateCurveKeyPair();
  auto b = *GenerateCurveKeyPair();
  auto c = *GenerateCurveKeyPair();
  std::string text = "# sensors of province 7\n" + a.public_z85 + " prov-07/s1 prov-07\n\n" + b.public_z85 +
                     "   prov-07/s2   # no province\n";
  auto list = AllowList::Parse(text, "clients.txt");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->size(), 2u);
  const PeerIdentity* id = list->Find(*DecodeCurveKey(a.public_z85));
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->id, "prov-07/s1");
  EXPECT_EQ(id->province, "prov-07");
  EXPECT_EQ(list->Find(*DecodeCurveKey(b.public_z85))->province, "");
  EXPECT_EQ(list->Find(*DecodeCurveKey(c.public_z85)), nullptr);

  auto dup = AllowList::Parse(a.public_z85 + " x\n" + a.public_z85 + " y\n", "dup.txt");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("dup.txt:2"), std::string::npos);
  EXPECT_FALSE(AllowList::Parse("notakey s1\n", "bad").ok());
  EXPECT_FALSE(AllowList::Parse(a.public_z85 + "\n", "noid").ok());
  EXPECT_FALSE(AllowList::Parse(a.public_z85 + " id prov extra\n", "extra").ok());

  ASSERT_EQ(::mkdir(dir.Sub("clients.d").c_str(), 0755), 0);
  std::ofstream(dir.Sub("clients.d/p7")) << a.public_z85 << " prov-07/s1\n";
  std::ofstream(dir.Sub("clients.d/p8")) << c.public_z85 << " prov-08/s1 prov-08\n";
  std::ofstream(dir.Sub("clients.d/.hidden")) << "garbage\n";
  auto fromdir = AllowList::Load(dir.Sub("clients.d"));
  ASSERT_TRUE(fromdir.ok()) << fromdir.error().message;
  EXPECT_EQ(fromdir->size(), 2u);
  EXPECT_EQ(fromdir->Find(*DecodeCurveKey(c.public_z85))->id, "prov-08/s1");
  EXPECT_FALSE(AllowList::Load(dir.Sub("nope")).ok());
}

}  // namespace
}  // namespace vigil::transport
