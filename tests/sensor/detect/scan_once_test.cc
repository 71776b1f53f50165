// Work the engine no longer repeats, with alerts unchanged: a transaction's buffers scanned once
// across its inspection stages (TxScanMemo), pkt_data rules that need another buffer kept out of
// the stream-scanned databases (EngineRule::packet_calls_only), and long literals held as their
// suffix in those databases (a short overlap before each chunk's new bytes).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sensor/detect/stream_window.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One stream chunk of a to_server TCP direction, inspected with the window's carry.
std::vector<uint32_t> FeedStream(Harness& h, StreamWindow& w, const Packet& p, std::string_view chunk) {
  const StreamView v = w.Feed({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()});
  BufferSet b;
  b.Set(BufferId::kPacket, v.data);
  InspectInput in{.packet = &p, .buffers = &b, .flow = &h.flow, .kind = InspectKind::kStream,
                  .to_server = true, .established = true, .tcp_stream_inspected = true,
                  .stream_new_offset = v.new_offset};
  in.stream_carry = &w.carry();
  in.stream_base = v.base;
  h.thread->Inspect(in, &h.q);
  return Sids(h.q);
}

TEST(TxScanMemo, LaterStagesTakeTheHitsOfBuffersAlreadyScanned) {
  Harness h(R"(alert tcp any any -> any any (flow:to_client; http.uri; content:"/get-me"; fast_pattern; http.response_body; content:"body-part"; sid:1;))");
  ASSERT_TRUE(h.engine);
  auto pkt = MakePacket(6, "2.2.2.2", 80, "1.1.1.1", 1234, "");
  const std::string uri = "/get-me?x=1";
  const std::string body = "the body-part here";
  auto stage = [&](const std::string& u, bool with_body, uint64_t key) {
    BufferSet b;
    b.Set(BufferId::kHttpUri, u);
    if (with_body) b.Set(BufferId::kHttpResponseBody, body);
    InspectInput in{.packet = &pkt->pkt, .buffers = &b, .flow = &h.flow, .to_server = false,
                    .established = true};
    in.tx_scan_key = key;
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  const auto& prof = h.thread->profile()[0];
  EXPECT_THAT(stage(uri, false, 7), IsEmpty());  // response headers: no body yet
  EXPECT_EQ(prof.prefilter_hits, 1u);
  // The body stage of the same transaction: the uri is not scanned again, its hit comes from the
  // memo, and the rule combining both stages matches.
  EXPECT_THAT(stage(uri, true, 7), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 1u);
  EXPECT_EQ(prof.checks, 2u);
  // Another transaction, or other bytes for the buffer: scanned again.
  EXPECT_THAT(stage(uri, true, 8), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 2u);
  const std::string other = "/get-me?y=2";
  EXPECT_THAT(stage(other, true, 8), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 3u);
  const std::string miss = "/nothing";
  EXPECT_THAT(stage(miss, true, 8), IsEmpty());
  EXPECT_EQ(prof.prefilter_hits, 3u);
  // Same span rebuilt in place with other bytes: scanned again.
  std::string in_place = "/get-me?a=1";
  EXPECT_THAT(stage(in_place, false, 9), IsEmpty());
  EXPECT_EQ(prof.prefilter_hits, 4u);
  in_place[8] = 'b';
  EXPECT_THAT(stage(in_place, true, 9), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 5u);
  EXPECT_THAT(stage(in_place, true, 9), ElementsAre(1u));  // unchanged: from the memo
  EXPECT_EQ(prof.prefilter_hits, 5u);
  // No key (not a staged transaction): every call scans.
  EXPECT_THAT(stage(uri, true, 0), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 6u);
  // The pipeline clears the memo when the flow slot is reused; a cleared memo rescans.
  h.flow.scan_memo[1].Clear();
  EXPECT_THAT(stage(uri, true, 8), ElementsAre(1u));
  EXPECT_EQ(prof.prefilter_hits, 7u);
}

TEST(PacketCallsOnly, PktDataRulesNeedingAnAppBufferAreNotScannedInTheStream) {
  Harness h(R"(alert tcp any any -> any any (content:"PKTDATA-LONG"; http.header; content:"Hd"; sid:1;))");
  ASSERT_TRUE(h.engine);
  const EngineRule& er = h.engine->rules()[0];
  ASSERT_TRUE(er.fast_pattern);
  EXPECT_EQ(er.fast_pattern->buffer, BufferId::kPacket);
  EXPECT_TRUE(er.packet_calls_only);
  auto pkt = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "xx PKTDATA-LONG yy");
  StreamWindow w(h.engine->config().stream_window_bytes, h.engine->config().stream_depth_bytes);
  // A stream call has no http.header: the rule could never match there, and is not a candidate.
  EXPECT_THAT(FeedStream(h, w, pkt->pkt, "xx PKTDATA-LONG yy"), IsEmpty());
  EXPECT_EQ(h.thread->profile()[0].prefilter_hits, 0u);
  EXPECT_EQ(h.thread->profile()[0].checks, 0u);
  // A packet call carrying both buffers (TCP not stream-inspected here) still matches.
  BufferSet b;
  b.Set(BufferId::kHttpHeader, std::string_view("X-Hd: 1\r\n"));
  EXPECT_THAT(h.Run(pkt->pkt, true, true, &b), ElementsAre(1u));
}

TEST(StreamLiteralSuffix, ALongLiteralSplitFarBeforeTheNewBytesStillMatches) {
  const std::string lit = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";  // 44 bytes
  Harness h("alert tcp any any -> any any (content:\"" + lit + "\"; sid:1;)");
  ASSERT_TRUE(h.engine);
  for (const RuleGroup& g : h.engine->groups()) {
    for (const RuleGroup::BufferDb& db : g.dbs) {
      if (db.buffer == BufferId::kPacket && db.chain == 0 && db.scan_limit == 0) {
        EXPECT_LE(db.max_literal, 40u);  // the overlap a partial stream scan needs stays short
      }
    }
  }
  auto pkt = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "");
  for (size_t split = 1; split < lit.size(); ++split) {
    Harness run("alert tcp any any -> any any (content:\"" + lit + "\"; sid:1;)");
    StreamWindow w(run.engine->config().stream_window_bytes, run.engine->config().stream_depth_bytes);
    EXPECT_THAT(FeedStream(run, w, pkt->pkt, std::string(100, '-')), IsEmpty());
    EXPECT_THAT(FeedStream(run, w, pkt->pkt, "--" + lit.substr(0, split)), IsEmpty()) << split;
    EXPECT_THAT(FeedStream(run, w, pkt->pkt, lit.substr(split) + "--"), ElementsAre(1u)) << split;
    EXPECT_THAT(FeedStream(run, w, pkt->pkt, "later"), IsEmpty()) << split;  // reported once
  }
}

}  // namespace
}  // namespace vigil::sensor::testing
