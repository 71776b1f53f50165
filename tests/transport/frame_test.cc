#include "transport/frame.h"

#include <gtest/gtest.h>

#include <cstring>

#include "storage/key_codec.h"

namespace vigil::transport {
namespace {

FrameLimits Limits() { return FrameLimits{}; }

std::string Encode(const FrameView& f) {
  std::string out;
  Status s = EncodeFrame(f, Limits(), &out);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return out;
}

FrameView Batch(uint64_t seq = 7, std::string_view payload = "{\"a\":1}\n{\"b\":2}\n") {
  FrameView f;
  f.type = FrameType::kBatch;
  f.seq = seq;
  f.low_seq = 3;
  f.event_count = CountEvents(payload);
  f.origin = "prov-07/sensor-12";
  f.payload = payload;
  return f;
}

FrameReject Why(const std::string& bytes, const FrameLimits& limits = Limits()) {
  FrameReject why = FrameReject::kNone;
  auto r = ParseFrame(bytes, limits, &why);
  EXPECT_FALSE(r.ok());
  return why;
}

// Rewrites a header field then fixes the checksum, so the field check (not the CRC) must catch it.
std::string WithField(std::string frame, size_t off, const void* bytes, size_t n) {
  std::memcpy(frame.data() + off, bytes, n);
  (void)PatchLowSeq(&frame, storage::DecodeU64BE(frame.data() + 20));  // recomputes the CRC
  return frame;
}

TEST(Frame, RoundTripEveryType) {
  for (auto t : {FrameType::kBatch, FrameType::kAck, FrameType::kHeartbeat, FrameType::kControl,
                 FrameType::kControlAck, FrameType::kHello}) {
    FrameView f;
    f.type = t;
    f.origin = "s1";
    if (t == FrameType::kBatch) f = Batch();
    if (t == FrameType::kControl) {
      f.seq = 9;
      f.payload = "rule bundle bytes";
    }
    if (t == FrameType::kAck) f.seq = 123456789012345ull;
    std::string bytes = Encode(f);
    ASSERT_EQ(bytes.size(), kFrameHeaderSize + f.origin.size() + f.payload.size());
    FrameReject why;
    auto p = ParseFrame(bytes, Limits(), &why);
    ASSERT_TRUE(p.ok()) << FrameTypeName(t) << ": " << p.error().message;
    EXPECT_EQ(why, FrameReject::kNone);
    EXPECT_EQ(p->type, t);
    EXPECT_EQ(p->seq, f.seq);
    EXPECT_EQ(p->low_seq, f.low_seq);
    EXPECT_EQ(p->event_count, f.event_count);
    EXPECT_EQ(p->origin, f.origin);
    EXPECT_EQ(p->payload, f.payload);
  }
}

TEST(Frame, PatchLowSeqKeepsFrameValid) {
  std::string bytes = Encode(Batch(10));
  ASSERT_TRUE(PatchLowSeq(&bytes, 9).ok());
  auto p = ParseFrame(bytes, Limits());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->low_seq, 9u);
}

TEST(Frame, EveryTruncationIsRejected) {
  std::string bytes = Encode(Batch());
  for (size_t n = 0; n < bytes.size(); ++n) {
    FrameReject why = Why(bytes.substr(0, n));
    EXPECT_TRUE(why == FrameReject::kTruncated || why == FrameReject::kBadMagic) << n;
  }
  EXPECT_EQ(Why(bytes.substr(0, 39)), FrameReject::kTruncated);
  EXPECT_EQ(Why(bytes.substr(0, bytes.size() - 1)), FrameReject::kTruncated);
}

TEST(Frame, EverySingleBitFlipIsRejected) {
  std::string good = Encode(Batch());
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      FrameReject why = FrameReject::kNone;
      EXPECT_FALSE(ParseFrame(bad, Limits(), &why).ok()) << "byte " << i << " bit " << bit;
      EXPECT_NE(why, FrameReject::kNone);
    }
  }
}

TEST(Frame, RejectsEachMalformation) {
  const std::string good = Encode(Batch());
  EXPECT_EQ(Why(good + "x"), FrameReject::kTrailingBytes);
  {
    std::string b = good;
    b[0] = 'X';
    EXPECT_EQ(Why(b), FrameReject::kBadMagic);
  }
  uint8_t v = 2;
  EXPECT_EQ(Why(WithField(good, 4, &v, 1)), FrameReject::kBadVersion);
  uint8_t t = 0;
  EXPECT_EQ(Why(WithField(good, 5, &t, 1)), FrameReject::kBadType);
  t = 7;
  EXPECT_EQ(Why(WithField(good, 5, &t, 1)), FrameReject::kBadType);
  uint8_t one = 1, two = 2;
  EXPECT_EQ(Why(WithField(good, 7, &two, 1)), FrameReject::kBadFlags);  // an unknown flag bit
  EXPECT_EQ(Why(WithField(good, 6, &one, 1)), FrameReject::kBadFlags);
  EXPECT_EQ(Why(WithField(good, 11, &one, 1)), FrameReject::kBadFlags);
  {
    std::string b = good;
    b[kFrameHeaderSize + 2] ^= 0x01;  // payload/origin byte: checksum catches it
    EXPECT_EQ(Why(b), FrameReject::kBadChecksum);
  }
  {
    std::string b = good;
    b[36] ^= 0x01;
    EXPECT_EQ(Why(b), FrameReject::kBadChecksum);
  }
  // Declared lengths larger than the message (origin_len and payload_len), including ones that
  // would overflow a naive sum.
  uint8_t big[4] = {0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(Why(WithField(good, 8, big, 2)), FrameReject::kTruncated);
  EXPECT_EQ(Why(WithField(good, 32, big, 4)), FrameReject::kTruncated);
}

TEST(Frame, RejectsOversizeBeforeReadingIt) {
  FrameLimits small;
  small.max_frame_bytes = 64;
  std::string bytes = Encode(Batch(5, std::string(100, 'x') + "\n"));
  EXPECT_EQ(Why(bytes, small), FrameReject::kOversize);
  std::string out;
  EXPECT_EQ(EncodeFrame(Batch(5, std::string(100, 'x') + "\n"), small, &out).error().code, ErrorCode::kLimit);
}

TEST(Frame, RejectsBadOrigins) {
  for (std::string origin : {std::string(), std::string("has space"), std::string("tab\t"),
                             std::string("\x7f"), std::string(129, 'a')}) {
    FrameView f;
    f.type = FrameType::kHeartbeat;
    f.origin = origin;
    std::string out;
    EXPECT_FALSE(EncodeFrame(f, Limits(), &out).ok()) << origin;
  }
  // On the wire: a valid frame from "ab" with the origin rewritten to "a b" and the CRC fixed.
  FrameView f;
  f.type = FrameType::kHeartbeat;
  f.origin = "abc";
  std::string b = Encode(f);
  b[kFrameHeaderSize + 1] = ' ';
  (void)PatchLowSeq(&b, 0);
  EXPECT_EQ(Why(b), FrameReject::kBadOrigin);
}

TEST(Frame, RejectsFieldsInconsistentWithType) {
  auto fields = [](FrameView f) {
    std::string out;
    return EncodeFrame(f, Limits(), &out).ok();
  };
  FrameView b = Batch();
  b.seq = 0;
  EXPECT_FALSE(fields(b));
  b = Batch();
  b.low_seq = b.seq + 1;
  EXPECT_FALSE(fields(b));
  b = Batch();
  b.low_seq = 0;
  EXPECT_FALSE(fields(b));
  b = Batch();
  b.event_count = 3;  // payload has 2
  EXPECT_FALSE(fields(b));
  b = Batch(1, "{\"a\":1}");  // no trailing newline
  b.event_count = 1;
  EXPECT_FALSE(fields(b));
  FrameView ack;
  ack.type = FrameType::kAck;
  ack.origin = "s";
  ack.payload = "x";
  EXPECT_FALSE(fields(ack));
  ack.payload = {};
  ack.event_count = 1;
  EXPECT_FALSE(fields(ack));
  FrameView ctl;
  ctl.type = FrameType::kControl;
  ctl.origin = "s";
  EXPECT_FALSE(fields(ctl));  // seq 0

  // The same checks on the parsing side: a batch whose count disagrees, CRC fixed up.
  std::string wire = Encode(Batch());
  uint8_t cnt[4] = {0, 0, 0, 5};
  EXPECT_EQ(Why(WithField(wire, 28, cnt, 4)), FrameReject::kBadFields);
}

TEST(Frame, RejectNamesAreDistinct) {
  for (int i = 0; i < static_cast<int>(FrameReject::kCount_); ++i) {
    for (int j = i + 1; j < static_cast<int>(FrameReject::kCount_); ++j) {
      EXPECT_STRNE(FrameRejectName(static_cast<FrameReject>(i)), FrameRejectName(static_cast<FrameReject>(j)));
    }
  }
}

}  // namespace
}  // namespace vigil::transport
