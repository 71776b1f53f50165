// Bundles over the real transport: a receiver (standing in for a compromised or faulty
// province) sends control messages to a sensor's sender whose on_control is the sensor's
// IntelUpdater, as vigil-sensor wires it. A tampered bundle is acknowledged (so it is not resent
// forever), refused, counted and changes nothing; the genuine bundle then swaps the live set.
#include <gtest/gtest.h>

#include "core/log.h"
#include "sensor/intel/intel_updater.h"
#include "tests/intel/intel_test_util.h"
#include "tests/transport/transport_fixture.h"

namespace vigil::transport::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(TransportFixture, SensorRefusesAndCountsATamperedBundleFromUpstream) {
  const rules::SigningKey key = intel_test::NewKey();
  Logger log(LogLevel::kError);
  sensor::IntelStore store;
  auto up = sensor::IntelUpdater::Create(store, intel_test::Trust(key), &log);
  ASSERT_TRUE(up.ok()) << up.error().message;
  auto rx = StartReceiver(RxOptions());
  ASSERT_TRUE(rx);
  auto o = TxOptions(rx->endpoint());
  o.on_control = [u = up->get()](const ControlMessageView& m) -> Status {
    return u->OfferLater(m.body, "upstream");  // as vigil-sensor does
  };
  auto tx = Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)->Send(Event(0)).ok());
  ASSERT_TRUE((*tx)->Drain(10s).ok());

  const std::string good = intel_test::Signed(key, "national-intel", 5, "ip 198.51.100.7\n");
  const std::string bad = intel_test::Tampered(good, "198.51.100.7", "198.51.100.9");
  ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kIndicatorList, 5, "national-intel", bad}).ok());
  ASSERT_TRUE(WaitFor([&] { return rx->pending_control() == 0; }));  // acknowledged
  (*up)->WaitIdle();
  EXPECT_EQ(store.registry().Total("intel.bundles.refused.bad_signature"), 1u);
  EXPECT_EQ(store.generation(), 0u);

  ASSERT_TRUE(rx->SendControl("prov-07/s1", {ControlKind::kIndicatorList, 5, "national-intel", good}).ok());
  ASSERT_TRUE(WaitFor([&] { return store.generation() == 1; }));
  EXPECT_NE(store.Current()->set.MatchIp(*IpAddress::Parse("198.51.100.7")), nullptr);
  EXPECT_EQ(store.Current()->set.MatchIp(*IpAddress::Parse("198.51.100.9")), nullptr);
  EXPECT_EQ(store.registry().Total("intel.bundles.accepted"), 1u);
}

}  // namespace
}  // namespace vigil::transport::testing
