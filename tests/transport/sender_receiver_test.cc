// End-to-end: Sender -> Receiver over tcp://127.0.0.1 with CURVE, durable acks and the spool.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

#include "tests/transport/crash_child.h"
#include "tests/transport/transport_fixture.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(TransportFixture, HundredThousandEventsExactlyOnceInOrder) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  constexpr uint64_t kN = 100'000;
  for (uint64_t i = 0; i < kN; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->Drain(30s).ok());
  EXPECT_EQ((*tx)->acked_events(), kN);
  ExpectExactlyOnceInOrder(StoredIndexes(), kN);
  const auto& rc = rx->counters();
  EXPECT_EQ(rc.Total("transport.rx.events_stored"), kN);
  EXPECT_EQ(rc.Total("transport.zap.accepted"), 1u);
  EXPECT_EQ(rc.Total("transport.rx.origin_mismatch"), 0u);
  EXPECT_EQ((*tx)->counters().Total("transport.tx.batches_dropped"), 0u);
  auto hwm = rx->HighWaterMark("prov-07/s1");
  ASSERT_TRUE(hwm.ok());
  EXPECT_EQ(*hwm, (*tx)->counters().Total("transport.tx.batches_spooled"));
}

TEST_F(TransportFixture, ReceiverRestartedMidStreamLosesAndDuplicatesNothing) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();  // fixed port from now on
  auto o = TxOptions(endpoint);
  o.batch_max_events = 200;
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  constexpr uint64_t kN = 60'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kN; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  });
  ASSERT_TRUE(WaitFor([&] { return (*tx)->acked_events() >= 10'000; }));
  rx.reset();  // receiver gone mid-stream: in-flight batches are lost on the wire
  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  ASSERT_TRUE(WaitFor([&] { return (*tx)->acked_events() >= 30'000; }));
  rx.reset();
  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  producer.join();
  ASSERT_TRUE((*tx)->Drain(30s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), kN);
  EXPECT_GE((*tx)->counters().Total("transport.tx.connects"), 3u);
  if (std::getenv("VIGIL_TEST_VERBOSE")) {
    for (const auto& c : (*tx)->counters().Snapshot()) std::printf("%s %llu\n", std::string(c.name).c_str(), (unsigned long long)c.value);
    for (const auto& c : rx->counters().Snapshot()) std::printf("%s %llu\n", std::string(c.name).c_str(), (unsigned long long)c.value);
  }
}

TEST_F(TransportFixture, UnknownKeyIsRefusedWhileLegitimateSenderWorks) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto good = Sender::Start(*tx_db_, TxOptions(rx->endpoint()));
  ASSERT_TRUE(good.ok());

  auto intruder_db = OpenDb(dir_.Sub("intruder"));
  auto bad_opts = TxOptions(rx->endpoint());
  bad_opts.client_keys = *GenerateCurveKeyPair();  // valid key, not in the allow list
  auto bad = Sender::Start(*intruder_db, bad_opts);
  ASSERT_TRUE(bad.ok());
  for (uint64_t i = 0; i < 1000; ++i) {
    ASSERT_TRUE((*good)->Send(Event(i)).ok());
    ASSERT_TRUE((*bad)->Send(Event(1'000'000 + i)).ok());
  }
  ASSERT_TRUE((*good)->Drain(10s).ok());
  // Two threads count the refusal (ZAP handler, then the socket monitor): wait for both.
  EXPECT_TRUE(WaitFor([&] {
    return rx->counters().Total("transport.zap.denied") >= 1 &&
           rx->counters().Total("transport.rx.handshake_failed") >= 1;
  }));
  EXPECT_EQ((*bad)->counters().Total("transport.tx.connects"), 0u);
  EXPECT_EQ((*bad)->acked_events(), 0u);
  ExpectExactlyOnceInOrder(StoredIndexes(), 1000);
}

TEST_F(TransportFixture, KeyCannotClaimAnotherIdentity) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.origin = "prov-08/s9";  // our key belongs to prov-07/s1
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)->Send(Event(0)).ok());
  EXPECT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.origin_mismatch") >= 2; }));
  EXPECT_EQ(rx->counters().Total("transport.rx.batches_stored"), 0u);
  EXPECT_EQ((*tx)->acked_events(), 0u);
  EXPECT_TRUE(StoredIndexes().empty());
}

TEST_F(TransportFixture, PlaintextClientIsRefusedByCurveReceiver) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.insecure_plaintext = true;
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)->Send(Event(0)).ok());
  EXPECT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.handshake_failed") >= 1; }));
  EXPECT_EQ((*tx)->counters().Total("transport.tx.connects"), 0u);
  EXPECT_EQ(rx->counters().Total("transport.rx.frames"), 0u);
  EXPECT_TRUE(StoredIndexes().empty());
}

TEST_F(TransportFixture, PlaintextWorksOnlyWhenBothSidesAskForIt) {
  insecure_ = true;
  auto ro = RxOptions();
  ro.insecure_plaintext = true;
  auto rx = StartReceiver(ro);
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.insecure_plaintext = true;
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  for (uint64_t i = 0; i < 500; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), 500);
}

TEST_F(TransportFixture, UncompressedAndCompressedSendersAreBothAccepted) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.compress_lz4 = false;
  {
    auto tx = Sender::Start(*tx_db_, o);
    ASSERT_TRUE(tx.ok());
    SendAndDrain(**tx, 0, 3000, 100);
  }
  o.compress_lz4 = true;  // the same sender state, now compressing: the sequence goes on
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  SendAndDrain(**tx, 3000, 6000, 100);
  ExpectExactlyOnceInOrder(StoredIndexes(), 6000);
  EXPECT_EQ(rx->counters().Total("transport.rx.rejected.bad_compression"), 0u);
}

TEST_F(TransportFixture, RandomBytesOnRawTcpAreRejectedWithoutHarm) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string ep = rx->endpoint();  // tcp://127.0.0.1:PORT
  const int port = std::stoi(ep.substr(ep.rfind(':') + 1));
  std::mt19937 rng(99);
  for (int round = 0; round < 20; ++round) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string junk(1 + rng() % 4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (round % 2 == 0) junk[0] = static_cast<char>(0xff);  // a ZMTP greeting start, then garbage
    [[maybe_unused]] ssize_t n = ::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
  // Every junk connection is counted as it is dropped.
  EXPECT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.disconnects") >= 20; }))
      << rx->counters().Total("transport.rx.disconnects") << " disconnects, "
      << rx->counters().Total("transport.rx.handshake_failed") << " failed handshakes";
  // The receiver is still healthy: a legitimate sender gets through.
  auto tx = Sender::Start(*tx_db_, TxOptions(ep));
  ASSERT_TRUE(tx.ok());
  for (uint64_t i = 0; i < 100; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), 100);
  tx->reset();  // no more frames: the counters below are stable
  // None of the junk connections produced a frame: every frame is accounted for by the sender.
  EXPECT_EQ(rx->counters().Total("transport.rx.frames"),
            rx->counters().Total("transport.rx.hellos") + rx->counters().Total("transport.rx.heartbeats") +
                rx->counters().Total("transport.rx.batches_stored") + rx->counters().Total("transport.rx.duplicates") +
                rx->counters().Total("transport.rx.out_of_order"));
}

TEST_F(TransportFixture, SenderBuffersWhileReceiverIsDownAndDeliversLater) {
  // Reserve a port by binding a receiver, remember it, stop it, send, then start it again.
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();
  rx.reset();
  auto tx = Sender::Start(*tx_db_, TxOptions(endpoint));
  ASSERT_TRUE(tx.ok());
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->FlushToSpool(10s).ok());
  EXPECT_EQ((*tx)->acked_events(), 0u);
  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), 5000);
}

TEST_F(TransportFixture, DropOldestSpoolReportsTheGapAndKeepsGoing) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();
  rx.reset();
  auto o = TxOptions(endpoint);
  o.batch_max_events = 10;
  o.batch_max_bytes = 4096;
  o.max_pending_bytes = 4096;
  o.spool.max_bytes = 20 * 1024;  // holds a handful of 10-event batches
  o.spool.full_policy = SpoolFullPolicy::kDropOldest;
  o.spool.append_durability = storage::Durability::kBuffered;
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  constexpr uint64_t kN = 2000;
  for (uint64_t i = 0; i < kN; ++i) ASSERT_TRUE((*tx)->Send(Event(i, 100)).ok());
  ASSERT_TRUE((*tx)->FlushToSpool(10s).ok());
  const uint64_t dropped = (*tx)->counters().Total("transport.tx.events_dropped");
  EXPECT_GT(dropped, 0u);
  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  auto got = StoredIndexes();
  EXPECT_EQ(got.size() + dropped, kN);
  // What arrived is the newest events, in order, exactly once.
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], kN - got.size() + i);
  EXPECT_EQ(rx->counters().Total("transport.rx.gap_batches"),
            (*tx)->counters().Total("transport.tx.batches_dropped"));
}

TEST_F(TransportFixture, BlockPolicyStallsProducersUntilAcked) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();
  rx.reset();
  auto o = TxOptions(endpoint);
  o.batch_max_events = 10;
  o.batch_max_bytes = 4096;
  o.max_pending_bytes = 4096;
  o.spool.max_bytes = 20 * 1024;
  o.spool.full_policy = SpoolFullPolicy::kBlock;
  o.spool.append_durability = storage::Durability::kBuffered;
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  constexpr uint64_t kN = 2000;
  std::atomic<uint64_t> sent{0};
  std::thread producer([&] {
    for (uint64_t i = 0; i < kN; ++i) {
      ASSERT_TRUE((*tx)->Send(Event(i, 100)).ok());
      sent.store(i + 1);
    }
  });
  ASSERT_TRUE(WaitFor([&] {
    return (*tx)->counters().Total("transport.tx.producer_waits") >= 1 &&
           (*tx)->counters().Total("transport.tx.spool_full") >= 1;
  }));
  EXPECT_LT(sent.load(), kN) << "the producer must be stalled while the spool is full";
  EXPECT_EQ((*tx)->counters().Total("transport.tx.batches_dropped"), 0u);
  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  producer.join();
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), kN);
  EXPECT_EQ((*tx)->counters().Total("transport.tx.batches_dropped"), 0u);
}

TEST_F(TransportFixture, SenderWithWipedStateIsRenumberedNotDeduplicatedAway) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.batch_max_events = 10;
  {
    auto tx = Sender::Start(*tx_db_, o);
    ASSERT_TRUE(tx.ok());
    for (uint64_t i = 0; i < 500; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
    ASSERT_TRUE((*tx)->Drain(10s).ok());
  }
  // Same identity, brand-new Db: its sequence numbers restart at 1 while the receiver's mark
  // for the origin is 50.
  auto fresh = OpenDb(dir_.Sub("tx-fresh"));
  auto tx = Sender::Start(*fresh, o);
  ASSERT_TRUE(tx.ok());
  for (uint64_t i = 500; i < 600; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), 600);
  EXPECT_EQ((*tx)->counters().Total("transport.tx.seq_behind_receiver"), 1u);
}

// Child: a sender with no receiver spools 3000 events, then is killed by SIGKILL.
TEST_F(TransportFixture, SenderCrashChild) {
  const char* crash = ::vigil::testing::CrashDir();
  if (crash == nullptr) GTEST_SKIP() << "runs only as the child of SenderResumesAfterSigkill";
  auto db = OpenDb(std::string(crash) + "/tx");
  auto o = TxOptions("tcp://127.0.0.1:1");  // nothing listens there
  o.batch_max_events = 100;
  o.spool.append_durability = storage::Durability::kBuffered;
  // The child has its own fixture keys; the parent's allow list does not know them, so the
  // child writes its key pair for the parent to use.
  auto tx = Sender::Start(*db, o);
  if (!tx.ok()) ::_exit(3);
  if (!WriteSecretKeyFile(std::string(crash) + "/client.key", client_).ok()) ::_exit(4);
  for (uint64_t i = 0; i < 3000; ++i) {
    if (!(*tx)->Send(Event(i)).ok()) ::_exit(5);
  }
  if (!(*tx)->FlushToSpool(10s).ok()) ::_exit(6);
  ::vigil::testing::DieNow();
}

TEST_F(TransportFixture, SenderResumesAfterSigkill) {
  ::vigil::testing::TempDir crash;
  ASSERT_EQ(::vigil::testing::RunCrashChild("TransportFixture.SenderCrashChild", crash.path()), SIGKILL);
  auto child_key = LoadSecretKeyFile(crash.Sub("client.key"));
  ASSERT_TRUE(child_key.ok()) << child_key.error().message;
  auto allow = std::make_shared<AllowList>();
  ASSERT_TRUE(allow->Add(child_key->public_z85, {"prov-07/s1", "prov-07"}).ok());
  allow_ = allow;
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto db = OpenDb(crash.Sub("tx"));
  auto o = TxOptions(rx->endpoint());
  o.client_keys = *child_key;
  auto tx = Sender::Start(*db, o);
  ASSERT_TRUE(tx.ok());
  // Nothing was sent by this process: wait for the spooled batches of the dead one.
  ASSERT_TRUE(WaitFor([&] { return rx->counters().Total("transport.rx.events_stored") >= 3000; }));
  ExpectExactlyOnceInOrder(StoredIndexes(), 3000);
  ASSERT_TRUE(WaitFor([&] { return (*tx)->counters().Total("transport.tx.batches_acked") >= 30; }));
}

}  // namespace
}  // namespace vigil::transport::testing
