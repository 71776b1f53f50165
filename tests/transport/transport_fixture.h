// Shared setup for sender/receiver tests: keys, an allow list, a receiver whose sink stores
// every event under [origin][seq][index] in an "events" column family of the receiver's Db,
// and helpers to read them back.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/db.h"
#include "storage/key_codec.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"
#include "transport/receiver.h"
#include "transport/sender.h"

namespace vigil::transport::testing {

inline std::unique_ptr<storage::Db> OpenDb(const std::string& path) { return ::vigil::testing::OpenTestDb(path); }

// Polls `pred` until it holds or `timeout` passes. For conditions only observable through
// counters of another thread (a refused handshake has no callback).
template <typename Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

inline std::string Event(uint64_t i, size_t pad = 0) {
  return "{\"event_type\":\"test\",\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(pad, 'p') + "\"}";
}

// Recovers i from Event(i).
inline uint64_t EventIndex(std::string_view ev) {
  auto p = ev.find("\"i\":");
  return std::stoull(std::string(ev.substr(p + 4)));
}

class TransportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = *GenerateCurveKeyPair();
    client_ = *GenerateCurveKeyPair();
    auto allow = std::make_shared<AllowList>();
    ASSERT_TRUE(allow->Add(client_.public_z85, {"prov-07/s1", "prov-07"}).ok());
    allow_ = allow;
    rx_db_ = OpenDb(dir_.Sub("rx"));
    tx_db_ = OpenDb(dir_.Sub("tx"));
    ASSERT_TRUE(rx_db_ && tx_db_);
    events_ = *rx_db_->OpenFamily("events");
  }

  ReceiverOptions RxOptions(const std::string& bind = "tcp://127.0.0.1:*") {
    ReceiverOptions o;
    o.bind = bind;
    o.server_keys = server_;
    o.allow_list = allow_;
    return o;
  }

  SenderOptions TxOptions(const std::string& endpoint) {
    SenderOptions o;
    o.connect = endpoint;
    o.origin = "prov-07/s1";
    o.server_public_key = server_.public_z85;
    o.client_keys = client_;
    o.ack_timeout_ns = 500 * kNanosPerMilli;
    o.heartbeat_interval_ns = 200 * kNanosPerMilli;
    o.peer_timeout_ns = 3 * kNanosPerSecond;
    return o;
  }

  BatchSink Sink() {
    return [this](const ReceivedBatch& b, storage::WriteBatch& wb) -> Status {
      if (b.province != "prov-07" && !insecure_) return Error(ErrorCode::kInternal, "province not stamped");
      uint32_t idx = 0;
      size_t start = 0;
      while (start < b.payload.size()) {
        size_t nl = b.payload.find('\n', start);
        std::string key(b.origin);
        key.push_back('\0');
        storage::PutU64BE(&key, b.seq);
        storage::PutU32BE(&key, idx++);
        VIGIL_CHECK_OK(wb.Put(events_, key, b.payload.substr(start, nl - start)));
        start = nl + 1;
      }
      return Ok();
    };
  }

  std::unique_ptr<Receiver> StartReceiver(ReceiverOptions o) {
    auto rx = Receiver::Start(*rx_db_, std::move(o), Sink());
    EXPECT_TRUE(rx.ok()) << (rx.ok() ? "" : rx.error().message);
    return rx.ok() ? std::move(*rx) : nullptr;
  }

  // Every stored event index, in key order ([origin][seq][idx]).
  std::vector<uint64_t> StoredIndexes() {
    std::vector<uint64_t> out;
    auto it = rx_db_->NewIterator(events_);
    for (it.SeekToFirst(); it.Valid(); it.Next()) out.push_back(EventIndex(it.value()));
    EXPECT_TRUE(it.status().ok());
    return out;
  }

  // Sends Event(from) .. Event(to - 1) and waits until all are acknowledged.
  static void SendAndDrain(Sender& tx, uint64_t from, uint64_t to, size_t pad = 0) {
    for (uint64_t i = from; i < to; ++i) ASSERT_TRUE(tx.Send(Event(i, pad)).ok());
    ASSERT_TRUE(tx.Drain(std::chrono::seconds(10)).ok());
  }

  static void ExpectExactlyOnceInOrder(const std::vector<uint64_t>& got, uint64_t n) {
    ASSERT_EQ(got.size(), n);
    for (uint64_t i = 0; i < n; ++i) {
      if (got[i] != i) {
        FAIL() << "event " << i << " out of place: got " << got[i];
      }
    }
  }

  ::vigil::testing::TempDir dir_;
  CurveKeyPair server_, client_;
  std::shared_ptr<const AllowList> allow_;
  std::unique_ptr<storage::Db> rx_db_, tx_db_;
  storage::ColumnFamily events_;
  bool insecure_ = false;
};

}  // namespace vigil::transport::testing
