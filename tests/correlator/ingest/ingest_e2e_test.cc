// End to end: a transport Sender (CURVE) sends events to an in-process Receiver whose sink is the
// EventStoreWriter; every valid event must be stored exactly once (also across a receiver
// restart mid-stream), invalid ones rejected, and each stamped with the authenticated origin.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "correlator/ingest/event_store_writer.h"
#include "tests/transport/transport_fixture.h"

namespace vigil::correlator {
namespace {

using transport::testing::TransportFixture;

class IngestE2ETest : public TransportFixture {
 protected:
  void SetUp() override {
    TransportFixture::SetUp();
    auto w = EventStoreWriter::Create(*rx_db_, EventStoreOptions{});
    ASSERT_TRUE(w.ok()) << w.error().message;
    writer_ = std::move(*w);
  }

  std::unique_ptr<transport::Receiver> StartIngest(const std::string& bind = "tcp://127.0.0.1:*") {
    auto rx = transport::Receiver::Start(*rx_db_, RxOptions(bind), writer_->Sink());
    EXPECT_TRUE(rx.ok()) << (rx.ok() ? "" : rx.error().message);
    return rx.ok() ? std::move(*rx) : nullptr;
  }

  // Event i: a flow event with its number; every 50th lacks a timestamp (rejected).
  static std::string Event(uint64_t i) {
    const std::string n = std::to_string(i);
    if (i % 50 == 49) return "{\"event_type\":\"flow\",\"i\":" + n + "}";
    return "{\"timestamp\":\"2024-03-01T10:00:" + std::string(i % 60 < 10 ? "0" : "") +
           std::to_string(i % 60) + ".000000+0000\",\"event_type\":\"flow\",\"i\":" + n + "}";
  }

  // i -> how many times it is stored in events.flow; checks the stamped origin on the way.
  std::map<uint64_t, int> StoredFlowCounts() {
    std::map<uint64_t, int> out;
    auto it = rx_db_->NewIterator(writer_->family(EventClass::kFlow));
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      std::string_view v = it.value();
      EXPECT_EQ(v.substr(0, 30), "{\"vigil_origin\":\"prov-07/s1\",\"") << v;
      ++out[transport::testing::EventIndex(v)];
    }
    EXPECT_TRUE(it.status().ok());
    return out;
  }

  std::unique_ptr<EventStoreWriter> writer_;
};

TEST_F(IngestE2ETest, EveryEventStoredExactlyOnceAcrossReceiverRestart) {
  constexpr uint64_t kN = 4000;
  auto rx = StartIngest();
  ASSERT_TRUE(rx);
  const std::string endpoint = rx->endpoint();
  auto o = TxOptions(endpoint);
  o.batch_max_events = 37;  // many batches, not aligned with the rejected events
  auto tx = transport::Sender::Start(*tx_db_, o);
  ASSERT_TRUE(tx.ok()) << tx.error().message;

  for (uint64_t i = 0; i < kN / 2; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  // Restart the receiver while batches are in flight: stored-but-unacknowledged batches are
  // resent and must be recognised as duplicates, not stored again.
  rx.reset();
  rx = StartIngest(endpoint);
  ASSERT_TRUE(rx);
  for (uint64_t i = kN / 2; i < kN; ++i) ASSERT_TRUE((*tx)->Send(Event(i)).ok());
  ASSERT_TRUE((*tx)->Drain(std::chrono::seconds(60)).ok());

  auto counts = StoredFlowCounts();
  uint64_t expected_valid = 0;
  for (uint64_t i = 0; i < kN; ++i) {
    if (i % 50 == 49) {
      EXPECT_EQ(counts.count(i), 0u) << "rejected event " << i << " stored";
      continue;
    }
    ++expected_valid;
    ASSERT_EQ(counts[i], 1) << "event " << i;
  }
  EXPECT_EQ(counts.size(), expected_valid);

  // Rejected events: one row each, counted. Counters of the writer span both receivers.
  uint64_t rejected_rows = 0;
  auto it = rx_db_->NewIterator(writer_->rejected_family());
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    ++rejected_rows;
    EXPECT_EQ(it.value().substr(0, it.value().find('\0')), "missing_timestamp");
  }
  EXPECT_EQ(rejected_rows, kN / 50);
  EXPECT_GE(writer_->counters().Total("ingest.rejected.missing_timestamp"), kN / 50);
  EXPECT_GE(writer_->counters().Total("ingest.stored.flow"), expected_valid);
}

}  // namespace
}  // namespace vigil::correlator
