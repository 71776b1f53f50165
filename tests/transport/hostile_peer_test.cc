// A peer that passes the CURVE handshake with an allowed key and then sends what no Vigil sender
// sends: garbage, truncated frames, frames with a wrong checksum or trailing bytes, a two-part
// message, a frame naming another origin, a compressed batch declaring 1 GiB of events, and a
// message over transport.max-frame-bytes. Each is
// refused and counted under its own reason, nothing of it is stored, and a legitimate sender on
// the same receiver keeps delivering every event exactly once.
#include <gtest/gtest.h>

#include <random>
#include <zmq.hpp>

#include "storage/key_codec.h"
#include "tests/transport/transport_fixture.h"
#include "transport/frame.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

constexpr size_t kMaxFrame = 64 * 1024;

// A raw DEALER speaking CURVE with `keys`: it can send any bytes once the handshake is done.
class RawCurvePeer {
 public:
  RawCurvePeer(const std::string& endpoint, const std::string& server_public, const CurveKeyPair& keys)
      : socket_(ctx_, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::curve_serverkey, server_public);
    socket_.set(zmq::sockopt::curve_publickey, keys.public_z85);
    socket_.set(zmq::sockopt::curve_secretkey, keys.secret_z85);
    socket_.connect(endpoint);
  }
  void Send(const std::string& bytes) { ASSERT_TRUE(socket_.send(zmq::buffer(bytes), zmq::send_flags::none)); }
  void SendTwoParts(const std::string& a, const std::string& b) {
    ASSERT_TRUE(socket_.send(zmq::buffer(a), zmq::send_flags::sndmore));
    ASSERT_TRUE(socket_.send(zmq::buffer(b), zmq::send_flags::none));
  }

 private:
  zmq::context_t ctx_;
  zmq::socket_t socket_;
};

std::string BatchFrame(std::string_view origin, uint64_t seq, std::string_view payload, uint32_t count) {
  FrameView f;
  f.type = FrameType::kBatch;
  f.seq = seq;
  f.low_seq = seq;
  f.event_count = count;
  f.origin = origin;
  f.payload = payload;
  std::string out;
  EXPECT_TRUE(EncodeFrame(f, FrameLimits{}, &out).ok());
  return out;
}

// A compressed batch declaring 1 GiB of events: refused before anything is decompressed.
std::string CompressionBomb(std::string_view origin) {
  std::string events;
  for (int i = 0; i < 100; ++i) events += "{\"event_type\":\"x\"}\n";
  std::string frame;
  EXPECT_TRUE(CompressBatchPayload(events, BatchFramePrefix(origin), &frame));
  storage::EncodeU32BE(frame.data() + BatchFramePrefix(origin), 1u << 30);  // the declared raw length
  EXPECT_TRUE(FinishBatchFrame(&frame, 1, 1, 100, origin, FrameLimits{}, kFrameFlagLz4).ok());
  return frame;
}

uint64_t Rejected(Receiver& rx, std::string_view reason) {
  return rx.counters().Total("transport.rx.rejected." + std::string(reason));
}

TEST_F(TransportFixture, AuthenticatedPeerSendingMalformedFramesIsRefusedAndCounted) {
  // A second allowed key for the hostile peer, with its own identity.
  const CurveKeyPair hostile_keys = *GenerateCurveKeyPair();
  auto allow = std::make_shared<AllowList>();
  ASSERT_TRUE(allow->Add(client_.public_z85, {"prov-07/s1", "prov-07"}).ok());
  ASSERT_TRUE(allow->Add(hostile_keys.public_z85, {"prov-07/s2", "prov-07"}).ok());
  allow_ = allow;
  auto ro = RxOptions();
  ro.limits.max_frame_bytes = kMaxFrame;
  auto rx = StartReceiver(ro);
  ASSERT_TRUE(rx);

  auto tx = Sender::Start(*tx_db_, TxOptions(rx->endpoint()));
  ASSERT_TRUE(tx.ok());
  SendAndDrain(**tx, 0, 500);

  RawCurvePeer peer(rx->endpoint(), server_.public_z85, hostile_keys);
  ASSERT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.connections") >= 2; }));

  const std::string good = BatchFrame("prov-07/s2", 1, "{\"event_type\":\"x\"}\n", 1);
  std::mt19937 rng(7);
  std::string garbage(300, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  garbage[0] = 'X';  // never the magic
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 3] ^= 0x20;
  std::string bad_magic = good;
  bad_magic[0] = 'Q';

  peer.Send(garbage);
  peer.Send(good.substr(0, good.size() - 5));
  peer.Send(good.substr(0, 20));
  peer.Send(bad_crc);
  peer.Send(good + "trailing");
  peer.Send(bad_magic);
  peer.SendTwoParts(good, good);
  peer.Send(BatchFrame("prov-07/s1", 1, "{\"event_type\":\"x\"}\n", 1));  // another sender's origin
  peer.Send(CompressionBomb("prov-07/s2"));
  ASSERT_TRUE(WaitFor([&] {
    return Rejected(*rx, "truncated") >= 2 && Rejected(*rx, "bad_magic") >= 2 && Rejected(*rx, "bad_checksum") >= 1 &&
           Rejected(*rx, "trailing_bytes") >= 1 && rx->counters().Total("transport.rx.bad_envelope") >= 1 &&
           rx->counters().Total("transport.rx.origin_mismatch") >= 1 && Rejected(*rx, "bad_compression") >= 1;
  })) << "truncated " << Rejected(*rx, "truncated") << ", bad_magic " << Rejected(*rx, "bad_magic");

  // Over the limit: ZeroMQ refuses the message unread and drops that connection, counted.
  const uint64_t disconnects = rx->counters().Total("transport.rx.disconnects");
  peer.Send(std::string(kMaxFrame + 1, 'A'));
  EXPECT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.disconnects") > disconnects; }));

  // The legitimate sender was never disturbed, and nothing of the hostile peer was stored.
  SendAndDrain(**tx, 500, 1000);
  ExpectExactlyOnceInOrder(StoredIndexes(), 1000);
  EXPECT_EQ(rx->counters().Total("transport.rx.events_stored"), 1000u);
  EXPECT_EQ(Rejected(*rx, "oversize"), 0u);  // never read: the limit sits in ZeroMQ itself
}

}  // namespace
}  // namespace vigil::transport::testing
