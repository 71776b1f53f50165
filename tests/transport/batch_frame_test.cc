// In-place batch framing (FinishBatchFrame) and the memchr event count: the sender's hot path
// must produce exactly the bytes EncodeFrame produces, and refuse what ParseFrame would refuse.
#include <gtest/gtest.h>

#include <string>

#include "transport/frame.h"

namespace vigil::transport {
namespace {

constexpr std::string_view kOrigin = "prov-07/sensor-12";

std::string InPlace(std::string_view payload, uint64_t seq, uint64_t low, uint32_t count, Status* st) {
  std::string buf(BatchFramePrefix(kOrigin), '\0');
  buf.append(payload);
  *st = FinishBatchFrame(&buf, seq, low, count, kOrigin, FrameLimits{});
  return buf;
}

TEST(BatchFrame, InPlaceEqualsEncodeFrameAndParses) {
  const std::string payload = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
  Status st;
  const std::string in_place = InPlace(payload, 9, 4, 3, &st);
  ASSERT_TRUE(st.ok()) << st.error().message;
  FrameView f;
  f.type = FrameType::kBatch;
  f.seq = 9;
  f.low_seq = 4;
  f.event_count = 3;
  f.origin = kOrigin;
  f.payload = payload;
  std::string encoded;
  ASSERT_TRUE(EncodeFrame(f, FrameLimits{}, &encoded).ok());
  EXPECT_EQ(in_place, encoded);
  auto parsed = ParseFrame(in_place, FrameLimits{});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->seq, 9u);
  EXPECT_EQ(parsed->low_seq, 4u);
  EXPECT_EQ(parsed->event_count, 3u);
  EXPECT_EQ(parsed->origin, kOrigin);
  EXPECT_EQ(parsed->payload, payload);
  EXPECT_EQ(FrameLowSeq(in_place), 4u);
}

TEST(BatchFrame, RefusesWhatAReceiverWouldReject) {
  Status st;
  (void)InPlace("", 1, 1, 1, &st);
  EXPECT_FALSE(st.ok()) << "empty payload";
  (void)InPlace("{\"a\":1}", 1, 1, 1, &st);
  EXPECT_FALSE(st.ok()) << "no final newline";
  (void)InPlace("{}\n", 0, 0, 1, &st);
  EXPECT_FALSE(st.ok()) << "seq 0";
  (void)InPlace("{}\n", 3, 4, 1, &st);
  EXPECT_FALSE(st.ok()) << "low_seq above seq";
  (void)InPlace("{}\n", 3, 1, 0, &st);
  EXPECT_FALSE(st.ok()) << "no events";
  std::string big(BatchFramePrefix(kOrigin), '\0');
  big.append(2000, 'x').push_back('\n');
  FrameLimits small;
  small.max_frame_bytes = 1024;
  EXPECT_EQ(FinishBatchFrame(&big, 1, 1, 1, kOrigin, small).error().code, ErrorCode::kLimit);
}

TEST(BatchFrame, WrongCountIsCaughtByTheReceiver) {
  // The sender vouches for the count; the receiver's parse checks it.
  Status st;
  const std::string frame = InPlace("{}\n{}\n", 2, 1, 3, &st);
  ASSERT_TRUE(st.ok());
  FrameReject why = FrameReject::kNone;
  EXPECT_FALSE(ParseFrame(frame, FrameLimits{}, &why).ok());
  EXPECT_EQ(why, FrameReject::kBadFields);
}

TEST(BatchFrame, CountEventsCountsNewlinesAcrossLongPayloads) {
  EXPECT_EQ(CountEvents(""), 0u);
  EXPECT_EQ(CountEvents("x"), 0u);
  EXPECT_EQ(CountEvents("\n"), 1u);
  std::string p;
  for (int i = 0; i < 1000; ++i) p.append(static_cast<size_t>(i % 97), 'e').push_back('\n');
  EXPECT_EQ(CountEvents(p), 1000u);
  p += "tail without newline";
  EXPECT_EQ(CountEvents(p), 1000u);
}

}  // namespace
}  // namespace vigil::transport
