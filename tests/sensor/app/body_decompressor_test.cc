#include "sensor/app/http/body_decompressor.h"

#include <gtest/gtest.h>

#include "tests/sensor/app/app_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Bytes;
using testing::Compress;
using testing::FeedSplit;

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "line " + std::to_string(i * 7919 % 10007) + " of text\n";
  s.resize(n);
  return s;
}

TEST(BodyDecompressor, GzipZlibAndRawDeflateInAnySplit) {
  std::string plain = Text(20000);
  struct Case {
    BodyDecompressor::Kind kind;
    int bits;
  } cases[] = {{BodyDecompressor::Kind::kGzip, 31},
               {BodyDecompressor::Kind::kDeflate, 15},
               {BodyDecompressor::Kind::kDeflate, -15},
               {BodyDecompressor::Kind::kGzip, 15}};  // zlib data labelled gzip
  for (const Case& c : cases) {
    std::string packed = Compress(plain, c.bits);
    for (size_t mode : {size_t{0}, size_t{1}, size_t{7}}) {
      BodyDecompressor d;
      d.Start(c.kind);
      std::string out;
      BodyDecompressor::Status last = BodyDecompressor::Status::kOk;
      FeedSplit(packed, mode, [&](std::string_view piece) {
        if (last == BodyDecompressor::Status::kOk) last = d.Feed(Bytes(piece), out, 1 << 20, {});
      });
      EXPECT_EQ(last, BodyDecompressor::Status::kDone) << c.bits << " mode " << mode;
      EXPECT_EQ(out, plain) << c.bits << " mode " << mode;
    }
  }
}

TEST(BodyDecompressor, OutputLimitStopsQuietly) {
  std::string packed = Compress(Text(50000), 31);
  BodyDecompressor d;
  d.Start(BodyDecompressor::Kind::kGzip);
  std::string out;
  EXPECT_EQ(d.Feed(Bytes(packed), out, 1000, {}), BodyDecompressor::Status::kFull);
  EXPECT_EQ(out.size(), 1000u);
}

TEST(BodyDecompressor, RatioCapStopsABomb) {
  std::string zeros(10 << 20, '\0');
  std::string bomb = Compress(zeros, 31);
  ASSERT_LT(bomb.size(), 20000u);  // ~1000:1
  BodyDecompressor d;
  d.Start(BodyDecompressor::Kind::kGzip);
  std::string out;
  BodyDecompressor::Limits lim{.max_output = 1 << 30, .max_ratio = 200, .min_ratio_output = 64 << 10};
  EXPECT_EQ(d.Feed(Bytes(bomb), out, 1 << 30, lim), BodyDecompressor::Status::kBomb);
  EXPECT_LE(out.size(), (64u << 10) + 16384u);  // stopped right after the check could apply
}

TEST(BodyDecompressor, SizeCapStopsABomb) {
  std::string bomb = Compress(std::string(8 << 20, 'A'), 31);
  BodyDecompressor d;
  d.Start(BodyDecompressor::Kind::kGzip);
  std::string out;
  BodyDecompressor::Limits lim{.max_output = 1 << 20, .max_ratio = 0, .min_ratio_output = 0};
  EXPECT_EQ(d.Feed(Bytes(bomb), out, 1 << 30, lim), BodyDecompressor::Status::kBomb);
  EXPECT_EQ(out.size(), 1u << 20);
}

TEST(BodyDecompressor, CorruptDataIsAnError) {
  std::string packed = Compress(Text(5000), 31);
  packed[20] ^= 0x55;
  packed[21] ^= 0x55;
  packed[30] ^= 0x55;
  BodyDecompressor d;
  d.Start(BodyDecompressor::Kind::kGzip);
  std::string out;
  EXPECT_EQ(d.Feed(Bytes(packed), out, 1 << 20, {}), BodyDecompressor::Status::kError);
}

// Output full wins over what zlib finds past the limit: garbage after the bytes that fill
// out_limit is reported as kFull whether it arrives in the same call or a later one (the
// http_fuzz differential run found kError whole vs kFull byte-by-byte).
TEST(BodyDecompressor, ErrorPastTheOutputLimitDoesNotDependOnTheSplit) {
  const std::string body(
      "s2t: Wx\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x82\x82\x82\x82\x82\x82\x82"
      "\x82\x82\x82\x82\xff\xff\xff%\xff\x82\xff");
  BodyDecompressor::Limits lim;
  for (size_t mode : {size_t{0}, size_t{1}, size_t{2}, size_t{3}}) {
    BodyDecompressor d;
    d.Start(BodyDecompressor::Kind::kDeflate);
    std::string out;
    BodyDecompressor::Status st = BodyDecompressor::Status::kOk;
    FeedSplit(body, mode, [&](std::string_view p) {
      if (st == BodyDecompressor::Status::kOk) st = d.Feed(Bytes(p), out, 32, lim);
    });
    EXPECT_EQ(st, BodyDecompressor::Status::kFull) << "mode " << mode;
    EXPECT_EQ(out.size(), 32u) << "mode " << mode;
  }
}

}  // namespace
}  // namespace vigil::sensor
