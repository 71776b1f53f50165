#include "rules/bundle/bundle.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace vigil::rules {
namespace {

SigningKey NewKey() {
  auto k = SigningKey::Generate();
  EXPECT_TRUE(k.ok());
  return *k;
}

Bundle Sample() {
  Bundle b;
  b.name = "national-intel";
  b.version = 42;
  b.created = "2026-11-23T21:00:00Z";
  b.rules = "alert tcp any any -> any 80 (msg:\"x\"; content:\"signature \\n\"; sid:1;)\n";
  b.indicators = "ip 198.51.100.7\ndomain evil.example # campaign X\n";
  return b;
}

TrustedSigners Trust(const SigningKey& k) {
  TrustedSigners t;
  t.Add(k.public_key);
  return t;
}

TEST(Bundle, SignedBundleVerifiesAndRoundTrips) {
  SigningKey k = NewKey();
  auto text = SignBundle(Sample(), k);
  ASSERT_TRUE(text.ok()) << text.error().message;
  Bundle got;
  BundleError err;
  ASSERT_TRUE(VerifyBundle(*text, Trust(k), &got, &err)) << err.detail;
  EXPECT_EQ(got.name, "national-intel");
  EXPECT_EQ(got.version, 42u);
  EXPECT_EQ(got.created, "2026-11-23T21:00:00Z");
  EXPECT_EQ(got.rules, Sample().rules);
  EXPECT_EQ(got.indicators, Sample().indicators);
  EXPECT_EQ(got.signer, k.public_key);
}

TEST(Bundle, EmptySectionsAreFine) {
  SigningKey k = NewKey();
  Bundle b;
  b.name = "empty";
  auto text = SignBundle(b, k);
  ASSERT_TRUE(text.ok());
  Bundle got;
  EXPECT_TRUE(VerifyBundle(*text, Trust(k), &got, nullptr));
  EXPECT_TRUE(got.rules.empty());
  EXPECT_TRUE(got.created.empty());
}

TEST(Bundle, EveryFlippedByteIsRefused) {
  SigningKey k = NewKey();
  auto text = SignBundle(Sample(), k);
  ASSERT_TRUE(text.ok());
  const TrustedSigners t = Trust(k);
  // Every single-byte change anywhere must be refused (bad signature, or malformed when the
  // change breaks the structure, or untrusted when it hits the signer key).
  for (size_t i = 0; i < text->size(); ++i) {
    std::string bad = *text;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    BundleError err;
    EXPECT_FALSE(VerifyBundle(bad, t, nullptr, &err)) << "byte " << i;
  }
}

TEST(Bundle, TamperedContentIsBadSignature) {
  SigningKey k = NewKey();
  auto text = SignBundle(Sample(), k);
  ASSERT_TRUE(text.ok());
  std::string bad = *text;
  const size_t at = bad.find("198.51.100.7");
  ASSERT_NE(at, std::string::npos);
  bad[at] = '2';  // 298.51... same length: structure intact
  BundleError err;
  EXPECT_FALSE(VerifyBundle(bad, Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kBadSignature);
}

TEST(Bundle, UnsignedUntrustedMalformedAndOversize) {
  SigningKey k = NewKey();
  SigningKey other = NewKey();
  auto text = SignBundle(Sample(), k);
  ASSERT_TRUE(text.ok());
  BundleError err;

  std::string unsigned_text = text->substr(0, text->find("\nsignature ") + 1);
  EXPECT_FALSE(VerifyBundle(unsigned_text, Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kUnsigned);

  EXPECT_FALSE(VerifyBundle(*text, Trust(other), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kUntrustedSigner);

  // Signed by a trusted key but claiming another signer: the signature cannot match.
  auto forged = SignBundle(Sample(), other);
  ASSERT_TRUE(forged.ok());
  std::string claim = *forged;
  const std::string other_key = FormatPublicKey(other.public_key);
  claim.replace(claim.find(other_key), other_key.size(), FormatPublicKey(k.public_key));
  EXPECT_FALSE(VerifyBundle(claim, Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kBadSignature);

  EXPECT_FALSE(VerifyBundle("hello", Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kMalformed);
  EXPECT_FALSE(VerifyBundle(*text + "x", Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kMalformed);

  std::string big(kMaxBundleBytes + 1, 'a');
  EXPECT_FALSE(VerifyBundle(big, Trust(k), nullptr, &err));
  EXPECT_EQ(err.reason, BundleRefusal::kTooLarge);
}

TEST(Bundle, SectionLengthsCannotOverrun) {
  SigningKey k = NewKey();
  const std::string head = "vigil-bundle 1\nname a\nversion 1\ncreated -\nsigner " +
                           FormatPublicKey(k.public_key) + "\n";
  BundleError err;
  for (const char* tail : {"rules 999\nabc\n", "rules 3\nabc", "rules -1\n\n", "rules 3\nabcX",
                           "rules 18446744073709551615\n", "rules 0\n\nindicators 5\nab\n"}) {
    EXPECT_FALSE(VerifyBundle(head + tail, Trust(k), nullptr, &err)) << tail;
    EXPECT_EQ(err.reason, BundleRefusal::kMalformed) << tail;
  }
}

TEST(Bundle, BadNamesAreRejectedWhenSigning) {
  SigningKey k = NewKey();
  Bundle b = Sample();
  b.name = "has space";
  EXPECT_FALSE(SignBundle(b, k).ok());
  b.name = "";
  EXPECT_FALSE(SignBundle(b, k).ok());
}

TEST(BundleKeys, FilesRoundTripWithSecretMode0600) {
  SigningKey k = NewKey();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vigil-bundle-keys-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string base = (dir / "national").string();
  ASSERT_TRUE(WriteSigningKeyFiles(k, base).ok());
  struct stat st {};
  ASSERT_EQ(::stat((base + ".secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = ReadSigningKeyFile(base + ".secret");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->public_key, k.public_key);
  EXPECT_EQ(back->secret_key, k.secret_key);
  auto trusted = TrustedSigners::Load({base + ".pub"});
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_TRUE(trusted->Contains(k.public_key));

  std::ofstream(base + ".bad") << "# comment\ned25519-public notbase64!\n";
  auto bad = TrustedSigners::Load({base + ".bad"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":2:"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(TrustedSigners::Load({base + ".missing"}).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::rules
