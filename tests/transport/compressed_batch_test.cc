// LZ4-compressed batches (kFrameFlagLz4): the sender's CompressBatchPayload + FinishBatchFrame
// make a frame whose events BatchEvents gives back byte for byte; every way a compressed batch
// can lie (declared size, block, count, flags on other types) is refused under its reason.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "storage/key_codec.h"
#include "transport/frame.h"

namespace vigil::transport {
namespace {

constexpr std::string_view kOrigin = "prov-07/s1";

std::string Events(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += "{\"event_type\":\"alert\",\"flow_id\":" + std::to_string(i * 7919) +
           ",\"src_ip\":\"10.0.0." + std::to_string(i % 250) + "\",\"signature\":\"ET POLICY test\"}\n";
  }
  return out;
}

// A finished compressed batch frame of `events`.
std::string CompressedFrame(std::string_view events, uint32_t count, const FrameLimits& limits = {}) {
  std::string frame;
  EXPECT_TRUE(CompressBatchPayload(events, BatchFramePrefix(kOrigin), &frame));
  EXPECT_TRUE(FinishBatchFrame(&frame, 5, 5, count, kOrigin, limits, kFrameFlagLz4).ok());
  return frame;
}

// Rewrites bytes of a frame then recomputes its CRC, so the check behind the CRC must catch it.
std::string Patched(std::string frame, size_t off, std::string_view bytes) {
  std::memcpy(frame.data() + off, bytes.data(), bytes.size());
  (void)PatchLowSeq(&frame, storage::DecodeU64BE(frame.data() + 20));
  return frame;
}

FrameReject EventsWhy(const std::string& frame, const FrameLimits& limits = {}) {
  auto f = ParseFrame(frame, limits);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
  if (!f.ok()) return FrameReject::kNone;
  std::string scratch;
  FrameReject why = FrameReject::kNone;
  EXPECT_FALSE(BatchEvents(*f, limits, &scratch, &why).ok());
  return why;
}

TEST(CompressedBatch, RoundTripGivesTheEventsBack) {
  const std::string events = Events(1000);
  const std::string frame = CompressedFrame(events, 1000);
  EXPECT_LT(frame.size() * 3, events.size());  // repetitive JSON: well over 3x
  auto f = ParseFrame(frame, FrameLimits{});
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->flags, kFrameFlagLz4);
  std::string scratch;
  auto got = BatchEvents(*f, FrameLimits{}, &scratch);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, events);
  // Re-encoding the parsed view gives the same bytes (the sender's spool renumbering does this).
  std::string again;
  ASSERT_TRUE(EncodeFrame(*f, FrameLimits{}, &again).ok());
  EXPECT_EQ(again, frame);
  // An uncompressed batch's events are its payload, without a copy.
  std::string raw(BatchFramePrefix(kOrigin), '\0');
  raw += events;
  ASSERT_TRUE(FinishBatchFrame(&raw, 6, 6, 1000, kOrigin, FrameLimits{}).ok());
  auto u = ParseFrame(raw, FrameLimits{});
  ASSERT_TRUE(u.ok());
  auto same = BatchEvents(*u, FrameLimits{}, &scratch);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->data(), u->payload.data());
}

TEST(CompressedBatch, IncompressibleEventsStayRaw) {
  std::mt19937 rng(3);
  std::string events;
  for (int i = 0; i < 200; ++i) {
    for (int j = 0; j < 60; ++j) events.push_back(static_cast<char>('!' + rng() % 90));
    events.push_back('\n');
  }
  std::string out;
  EXPECT_FALSE(CompressBatchPayload(events, BatchFramePrefix(kOrigin), &out));
}

TEST(CompressedBatch, EveryLieIsRefusedUnderItsReason) {
  const std::string events = Events(50);
  const std::string good = CompressedFrame(events, 50);
  const size_t payload = kFrameHeaderSize + kOrigin.size();
  // Declared size larger than the limit: refused before decompressing (no bomb).
  FrameLimits small;
  small.max_frame_bytes = events.size() - 1;
  EXPECT_EQ(EventsWhy(good, small), FrameReject::kBadCompression);
  // Declared size different from what the block holds.
  std::string len(4, '\0');
  storage::EncodeU32BE(len.data(), static_cast<uint32_t>(events.size() + 1));
  EXPECT_EQ(EventsWhy(Patched(good, payload, len)), FrameReject::kBadCompression);
  storage::EncodeU32BE(len.data(), static_cast<uint32_t>(events.size() - 1));
  EXPECT_EQ(EventsWhy(Patched(good, payload, len)), FrameReject::kBadCompression);
  // A corrupted block (CRC fixed up): the decoder refuses it or the size or count is wrong.
  std::mt19937 rng(11);
  for (int i = 0; i < 200; ++i) {
    std::string b = good;
    const size_t at = payload + 4 + rng() % (good.size() - payload - 4);
    b[at] = static_cast<char>(b[at] ^ (1 + rng() % 255));
    b = Patched(b, at, std::string_view(&b[at], 1));
    auto f = ParseFrame(b, FrameLimits{});
    ASSERT_TRUE(f.ok());
    std::string scratch;
    FrameReject why = FrameReject::kNone;
    auto r = BatchEvents(*f, FrameLimits{}, &scratch, &why);
    if (r.ok()) {  // a literal byte changed inside a string: still valid lines, same count
      EXPECT_EQ(r->size(), events.size());
    } else {
      EXPECT_TRUE(why == FrameReject::kBadCompression || why == FrameReject::kBadFields) << FrameRejectName(why);
    }
  }
  // The count must match the decompressed events.
  EXPECT_EQ(EventsWhy(CompressedFrame(events, 49)), FrameReject::kBadFields);
  // Events without the final newline.
  const std::string cut = events.substr(0, events.size() - 1) + " ";
  EXPECT_EQ(EventsWhy(CompressedFrame(cut, 50)), FrameReject::kBadFields);
  // A zero declared size is refused by the parser itself.
  storage::EncodeU32BE(len.data(), 0);
  FrameReject why = FrameReject::kNone;
  EXPECT_FALSE(ParseFrame(Patched(good, payload, len), FrameLimits{}, &why).ok());
  EXPECT_EQ(why, FrameReject::kBadFields);
}

TEST(CompressedBatch, FlagOnlyOnBatches) {
  FrameView hb;
  hb.type = FrameType::kHeartbeat;
  hb.origin = kOrigin;
  hb.flags = kFrameFlagLz4;
  std::string out;
  EXPECT_FALSE(EncodeFrame(hb, FrameLimits{}, &out).ok());
  hb.flags = 0;
  ASSERT_TRUE(EncodeFrame(hb, FrameLimits{}, &out).ok());
  const std::string flagged = Patched(out, 7, std::string(1, '\x01'));
  FrameReject why = FrameReject::kNone;
  EXPECT_FALSE(ParseFrame(flagged, FrameLimits{}, &why).ok());
  EXPECT_EQ(why, FrameReject::kBadFlags);
  std::string frame;
  EXPECT_FALSE(FinishBatchFrame(&frame, 1, 1, 1, kOrigin, FrameLimits{}, 0x0002).ok());
}

}  // namespace
}  // namespace vigil::transport
