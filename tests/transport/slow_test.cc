// Slow transport test (ctest label "slow", about 70 s): the receiver is down for 60 s while the
// sender keeps accepting events; they wait in the spool and all arrive, once and in order, when
// the receiver is back.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/transport/transport_fixture.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(TransportFixture, ReceiverDownSixtySecondsEverythingSpooledIsDelivered) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();
  auto tx = Sender::Start(*tx_db_, TxOptions(endpoint));
  ASSERT_TRUE(tx.ok());
  uint64_t next = 0;
  for (; next < 10'000; ++next) ASSERT_TRUE((*tx)->Send(Event(next)).ok());
  ASSERT_TRUE((*tx)->Drain(30s).ok());
  rx.reset();  // receiver gone

  // 60 s outage: the sender keeps taking events (1000 every second), spools them, and keeps
  // trying to reconnect; nothing may be acknowledged meanwhile. The sleep is the outage itself.
  const uint64_t acked_before = (*tx)->acked_events();
  const auto outage_end = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < outage_end) {
    for (int i = 0; i < 1000; ++i, ++next) ASSERT_TRUE((*tx)->Send(Event(next)).ok());
    std::this_thread::sleep_for(1s);
  }
  ASSERT_TRUE((*tx)->FlushToSpool(30s).ok());
  EXPECT_EQ((*tx)->acked_events(), acked_before);
  EXPECT_GE((*tx)->unacked_batches(), 1u);

  rx = StartReceiver(RxOptions(endpoint));
  ASSERT_TRUE(rx);
  ASSERT_TRUE((*tx)->Drain(60s).ok());
  EXPECT_EQ((*tx)->unacked_batches(), 0u);
  ExpectExactlyOnceInOrder(StoredIndexes(), next);
}

}  // namespace
}  // namespace vigil::transport::testing
