// Control messages downward (receiver -> sender) on the transport connection.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "tests/transport/transport_fixture.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

struct Seen {
  std::mutex mu;
  std::vector<std::string> ids;  // "<kind>/<bundle id>/v<version>:<body>" in arrival order
  int refuse_next = 0;           // refuse this many deliveries first

  ControlHandler Handler() {
    return [this](const ControlMessageView& m) -> Status {
      std::lock_guard lock(mu);
      if (refuse_next > 0) {
        --refuse_next;
        return Error(ErrorCode::kUnavailable, "not ready");
      }
      ids.push_back(std::string(ControlKindName(m.kind)) + "/" + std::string(m.bundle_id) + "/v" +
                    std::to_string(m.version) + ":" + std::string(m.body));
      return Ok();
    };
  }
  std::vector<std::string> Get() {
    std::lock_guard lock(mu);
    return ids;
  }
};

TEST_F(TransportFixture, ControlMessageReachesConnectedSenderAndIsAcked) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  Seen seen;
  auto o = TxOptions(rx->endpoint());
  o.on_control = seen.Handler();
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)->Send(Event(0)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());  // connected and known to the receiver
  auto s1 = rx->SendControl("prov-07/s1", {ControlKind::kRuleBundle, 12, "rules-a", "alert tcp any any"});
  auto s2 = rx->SendControl("prov-07/s1", {ControlKind::kIndicatorList, 3, "ioc-b", "198.51.100.7"});
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_LT(*s1, *s2);
  ASSERT_TRUE(WaitFor([&] { return rx->pending_control() == 0; }));
  EXPECT_EQ(seen.Get(), (std::vector<std::string>{"rule_bundle/rules-a/v12:alert tcp any any",
                                                  "indicator_list/ioc-b/v3:198.51.100.7"}));
  EXPECT_EQ(rx->counters().Total("transport.rx.control_acks"), 2u);
  EXPECT_EQ((*tx)->counters().Total("transport.tx.control_received"), 2u);
  // Events keep flowing on the same connection.
  ASSERT_TRUE((*tx)->Send(Event(1)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());
  ExpectExactlyOnceInOrder(StoredIndexes(), 2);
}

TEST_F(TransportFixture, ControlForOriginNotYetConnectedIsDeliveredWhenItConnects) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kOther, 1, "cfg", "x"}).ok());
  EXPECT_EQ(rx->pending_control(), 1u);
  Seen seen;
  auto o = TxOptions(rx->endpoint());
  o.on_control = seen.Handler();
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(WaitFor([&] { return rx->pending_control() == 0; }));
  EXPECT_EQ(seen.Get(), (std::vector<std::string>{"other/cfg/v1:x"}));
}

TEST_F(TransportFixture, UnackedControlIsResentOnReconnectInOrder) {
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  Seen seen;
  seen.refuse_next = 1;  // the first delivery fails: nothing may be acked, nothing reordered
  auto o = TxOptions(rx->endpoint());
  o.on_control = seen.Handler();
  {
    auto tx = Sender::Start(*tx_db_, o);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Send(Event(0)).ok());
    ASSERT_TRUE((*tx)->Drain(10s).ok());
    ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kRuleBundle, 1, "r1", "one"}).ok());
    ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kRuleBundle, 2, "r2", "two"}).ok());
    ASSERT_TRUE(WaitFor([&] { return (*tx)->counters().Total("transport.tx.control_refused") >= 2; }));
    EXPECT_EQ(rx->pending_control(), 2u);
    EXPECT_TRUE(seen.Get().empty());
  }
  // A new sender process (same Db, new connection): the receiver sends both again on hello.
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(WaitFor([&] { return rx->pending_control() == 0; }));
  EXPECT_EQ(seen.Get(), (std::vector<std::string>{"rule_bundle/r1/v1:one", "rule_bundle/r2/v2:two"}));
  EXPECT_GE(rx->counters().Total("transport.rx.control_resent"), 2u);
}

TEST_F(TransportFixture, ControlPendingLimitIsEnforced) {
  auto o = RxOptions();
  o.max_pending_control = 2;
  auto rx = StartReceiver(o);
  ASSERT_TRUE(rx);
  ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kOther, 1, "a", ""}).ok());
  ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kOther, 2, "b", ""}).ok());
  auto third = rx->SendControl("prov-07/s1", {ControlKind::kOther, 3, "c", ""});
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kLimit);
  EXPECT_FALSE(rx->SendControl("prov-07/s1", {ControlKind::kOther, 3, "bad id", ""}).ok());
}

// on_hello names each origin that connects (and again when it reconnects); a control message
// sent from inside the hook reaches that origin.
TEST_F(TransportFixture, OnHelloNamesTheOriginAndMaySendControl) {
  auto o = RxOptions();
  std::mutex mu;
  std::vector<std::string> hellos;
  Receiver* self = nullptr;
  o.on_hello = [&](std::string_view origin) {
    std::lock_guard lock(mu);
    hellos.emplace_back(origin);
    if (self != nullptr) {
      EXPECT_TRUE(self->SendControl(origin, {ControlKind::kIndicatorList, hellos.size(), "ioc", "hi"}).ok());
    }
  };
  auto rx = StartReceiver(o);
  ASSERT_TRUE(rx);
  {
    std::lock_guard lock(mu);
    self = rx.get();
  }
  Seen seen;
  auto to = TxOptions(rx->endpoint());
  to.on_control = seen.Handler();
  {
    auto tx = Sender::Start(*tx_db_, to);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(WaitFor([&] { return seen.Get().size() == 1; }));
  }
  auto tx = Sender::Start(*tx_db_, to);  // a second connection: a second hello
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(WaitFor([&] { return seen.Get().size() == 2; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(hellos, (std::vector<std::string>{"prov-07/s1", "prov-07/s1"}));
  EXPECT_EQ(seen.Get(), (std::vector<std::string>{"indicator_list/ioc/v1:hi", "indicator_list/ioc/v2:hi"}));
}

}  // namespace
}  // namespace vigil::transport::testing
