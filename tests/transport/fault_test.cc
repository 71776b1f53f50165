// Fault tests that need a second process: the receiver (or the sender) runs in a child process
// re-executed from this binary and is killed with SIGKILL in the middle of a stream, so nothing
// of it is cleaned up (no destructor, no RocksDB close). The parent checks the store afterwards:
// every event exactly once, in order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/transport/crash_child.h"
#include "tests/transport/transport_fixture.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

std::string IpcEndpoint(const std::string& dir) { return "ipc://" + dir + "/rx.ipc"; }

// Child: a receiver storing into <crash>/rx, keys from files the parent wrote, bound to an ipc
// endpoint in <crash>. Runs until the parent kills it.
TEST_F(TransportFixture, ReceiverCrashChild) {
  const char* crash = ::vigil::testing::CrashDir();
  if (crash == nullptr) GTEST_SKIP() << "runs only as the child of ReceiverKilledThreeTimes...";
  const std::string dir = crash;
  auto server = LoadSecretKeyFile(dir + "/server.key");
  auto client_pub = LoadPublicKeyFile(dir + "/client.pub");
  if (!server.ok() || !client_pub.ok()) ::_exit(3);
  server_ = *server;
  auto allow = std::make_shared<AllowList>();
  if (!allow->Add(*client_pub, {"prov-07/s1", "prov-07"}).ok()) ::_exit(4);
  allow_ = allow;
  rx_db_ = OpenDb(dir + "/rx");
  if (!rx_db_) ::_exit(5);
  events_ = *rx_db_->OpenFamily("events");
  ::unlink((dir + "/rx.ipc").c_str());  // left behind by the killed predecessor
  auto rx = StartReceiver(RxOptions(IpcEndpoint(dir)));
  if (!rx) ::_exit(6);
  for (;;) ::pause();  // until SIGKILL
}

TEST_F(TransportFixture, ReceiverKilledThreeTimesDuringMillionEventsStoresEachOnceInOrder) {
  constexpr uint64_t kEvents = 1'000'000;
  ::vigil::testing::TempDir crash;
  ASSERT_TRUE(WriteSecretKeyFile(crash.Sub("server.key"), server_).ok());
  ASSERT_TRUE(WritePublicKeyFile(crash.Sub("client.pub"), client_.public_z85).ok());
  const std::string filter = "TransportFixture.ReceiverCrashChild";
  pid_t child = ::vigil::testing::SpawnCrashChild(filter, crash.path());
  ASSERT_GT(child, 0);

  auto o = TxOptions(IpcEndpoint(crash.path()));
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  std::atomic<bool> send_failed{false};
  std::thread producer([&] {
    for (uint64_t i = 0; i < kEvents; ++i) {
      if (!(*tx)->Send(Event(i)).ok()) {
        send_failed = true;
        return;
      }
    }
  });
  // Kill the receiver three times while the stream is running, at growing progress points,
  // and start a fresh one each time on the same Db.
  for (uint64_t k = 1; k <= 3; ++k) {
    const uint64_t at = k * kEvents / 4;
    ASSERT_TRUE(WaitFor([&] { return (*tx)->acked_events() >= at; }, 120s)) << "kill " << k;
    EXPECT_EQ(::vigil::testing::KillChild(child), SIGKILL);
    child = ::vigil::testing::SpawnCrashChild(filter, crash.path());
    ASSERT_GT(child, 0);
  }
  producer.join();
  ASSERT_FALSE(send_failed);
  ASSERT_TRUE((*tx)->Drain(120s).ok());
  EXPECT_EQ((*tx)->acked_events(), kEvents);
  EXPECT_GE((*tx)->counters().Total("transport.tx.connects"), 4u);  // one per receiver life
  tx->reset();
  EXPECT_EQ(::vigil::testing::KillChild(child), SIGKILL);

  rx_db_ = OpenDb(crash.Sub("rx"));
  ASSERT_TRUE(rx_db_);
  events_ = *rx_db_->OpenFamily("events");
  ExpectExactlyOnceInOrder(StoredIndexes(), kEvents);
}

// Child: a sender streaming to the parent's receiver. Events 0..9999 are flushed to the spool
// (so they must survive); then it keeps sending 10000..19999 and dies by SIGKILL mid-stream.
TEST_F(TransportFixture, StreamingSenderCrashChild) {
  const char* crash = ::vigil::testing::CrashDir();
  if (crash == nullptr) GTEST_SKIP() << "runs only as the child of SenderKilledMidStream...";
  const std::string dir = crash;
  auto server_pub = LoadPublicKeyFile(dir + "/server.pub");
  auto client = LoadSecretKeyFile(dir + "/client.key");
  if (!server_pub.ok() || !client.ok()) ::_exit(3);
  auto db = OpenDb(dir + "/tx");
  if (!db) ::_exit(4);
  auto o = TxOptions(IpcEndpoint(dir));
  o.server_public_key = *server_pub;
  o.client_keys = *client;
  o.batch_max_events = 100;
  auto tx = Sender::Start(*db, o);
  if (!tx.ok()) ::_exit(5);
  for (uint64_t i = 0; i < 10'000; ++i) {
    if (!(*tx)->Send(Event(i)).ok()) ::_exit(6);
  }
  if (!(*tx)->FlushToSpool(30s).ok()) ::_exit(7);
  for (uint64_t i = 10'000; i < 20'000; ++i) {
    if (!(*tx)->Send(Event(i)).ok()) ::_exit(8);
  }
  ::vigil::testing::DieNow();  // batches in flight, in the spool, and still open
}

TEST_F(TransportFixture, SenderKilledMidStreamLosesNothingThatWasSpooled) {
  ::vigil::testing::TempDir crash;
  ASSERT_TRUE(WritePublicKeyFile(crash.Sub("server.pub"), server_.public_z85).ok());
  ASSERT_TRUE(WriteSecretKeyFile(crash.Sub("client.key"), client_).ok());
  auto rx = StartReceiver(RxOptions(IpcEndpoint(crash.path())));
  ASSERT_TRUE(rx);
  ASSERT_EQ(::vigil::testing::RunCrashChild("TransportFixture.StreamingSenderCrashChild", crash.path()), SIGKILL);
  // Restart the sender on the dead one's Db: it resends whatever the receiver has not acked.
  auto db = OpenDb(crash.Sub("tx"));
  ASSERT_TRUE(db);
  auto tx = Sender::Start(*db, TxOptions(IpcEndpoint(crash.path())));
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  ASSERT_TRUE(WaitFor([&] { return (*tx)->unacked_batches() == 0; }, 60s));
  // Everything spooled before the kill arrived; what was still open may be lost, but the
  // stored events are an exact prefix: no loss inside it, no duplicate, no reordering.
  const auto got = StoredIndexes();
  ASSERT_GE(got.size(), 10'000u);
  ASSERT_LE(got.size(), 20'000u);
  ExpectExactlyOnceInOrder(got, got.size());
}

}  // namespace
}  // namespace vigil::transport::testing
