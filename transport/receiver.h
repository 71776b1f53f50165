// Receiver: the ROUTER end of the transport. Accepts authenticated senders, stores each batch
// exactly once and acknowledges it only after it is durably stored.
//
// For every batch frame, on the receiver's own thread:
//   1. the frame is parsed (every malformation rejected and counted by reason);
//   2. under CURVE the connection's identity (from the ZAP handler, i.e. from the client's key)
//      must equal the frame's origin, otherwise the frame is rejected and counted;
//   3. de-duplication by (origin, seq) against the origin's high-water mark (hwm): seq <= hwm is
//      a duplicate (acknowledged again, not stored again); a seq past the next expected one is
//      out of order (not stored: the sender resends in order); the sender's low_seq tells a gap
//      it made on purpose (spool drop-oldest, counted) from one lost in flight;
//   4. the BatchSink adds the events to a storage::WriteBatch and the receiver adds the new hwm
//      to the same batch, so events and de-duplication mark commit atomically;
//   5. the batch is written with Durability::kSync (several frames that arrived together share
//      one write: group commit), and only then is the cumulative ack (the new hwm) sent.
// So a crash at any point either keeps both the events and the mark, or neither, and the
// sender's resend fills the hole: exactly once into the store.
//
//   ReceiverOptions o;  o.bind = "tcp://0.0.0.0:7100";  o.server_keys = kp;  o.allow_list = allow;
//   VIGIL_TRY(auto rx, Receiver::Start(db, o, [&](const ReceivedBatch& b, storage::WriteBatch& wb) {
//     return store.AddEvents(b.origin, b.payload, wb);   // writes into wb, does not commit
//   }, log));
//
// The sink runs on the receiver thread; it must not block for long. A sink that keeps the events
// somewhere other than this Db must make them durable before returning.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <zmq.hpp>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "storage/db.h"
#include "transport/allow_list.h"
#include "transport/curve_keys.h"
#include "transport/frame.h"
#include "transport/socket_monitor.h"
#include "transport/waker.h"
#include "transport/zap_handler.h"

namespace vigil::transport {

struct ReceivedBatch {
  std::string_view origin;    // authenticated identity (== the frame's origin)
  std::string_view province;  // from the allow list; "" when not given or plaintext
  uint64_t seq = 0;
  uint32_t event_count = 0;
  std::string_view payload;   // event_count newline-terminated JSON events (not yet validated)
};

// Adds the batch's writes to `wb` (do not commit it). Returning an error leaves the batch
// unacknowledged; the sender resends it later.
using BatchSink = std::function<Status(const ReceivedBatch& batch, storage::WriteBatch& wb)>;

struct ReceiverOptions {
  std::string bind = "tcp://0.0.0.0:7100";  // transport.listen ("tcp://127.0.0.1:*": ephemeral)
  // transport.insecure: plaintext, no authentication, the frame's origin is trusted. Logged as a
  // warning at start. Never for production links.
  bool insecure_plaintext = false;
  CurveKeyPair server_keys;                     // transport.curve.secret-key-file (required)
  std::shared_ptr<const AllowList> allow_list;  // transport.curve.allow-list (required)
  FrameLimits limits;                           // transport.max-frame-bytes (16 MiB)
  std::string marks_family = "transport.marks";  // column family of per-origin hwm
  size_t max_batches_per_commit = 64;            // group commit: frames per durable write
  storage::Durability durability = storage::Durability::kSync;  // before acknowledging
  int receive_hwm = 1000;                        // ZeroMQ queue of unread messages
};

class Receiver {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Receiver>> Start(storage::Db& db, ReceiverOptions options,
                                                               BatchSink sink, Logger* log = nullptr);
  ~Receiver();  // stops the threads; everything acknowledged is already stored
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // The endpoint actually bound (with the port chosen for "tcp://host:*").
  const std::string& endpoint() const { return endpoint_; }
  // The committed high-water mark for an origin (0 if none). Thread-safe (reads the Db).
  [[nodiscard]] Result<uint64_t> HighWaterMark(std::string_view origin) const;
  const CounterRegistry& counters() const { return registry_; }

 private:
  Receiver(storage::Db& db, ReceiverOptions options, BatchSink sink, Logger* log);
  Status Init();
  Status LoadMarks();
  void Run();
  void ProcessAvailable();
  void HandleMessage(const zmq::message_t& routing_id, const zmq::message_t& msg);
  void HandleBatch(const zmq::message_t& routing_id, const FrameView& f, std::string_view origin,
                   std::string_view province);
  void QueueAck(const zmq::message_t& routing_id, std::string_view origin);
  void Commit();
  uint64_t PendingMark(std::string_view origin) const;

  storage::Db& db_;
  ReceiverOptions options_;
  BatchSink sink_;
  std::unique_ptr<Logger> own_log_;
  Logger* log_;
  storage::ColumnFamily marks_;
  CounterRegistry registry_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;  // receiver thread
  std::string endpoint_;

  zmq::context_t ctx_;
  std::unique_ptr<ZapHandler> zap_;
  zmq::socket_t router_;
  std::unique_ptr<SocketMonitor> monitor_;  // after router_: destroyed first
  Waker waker_;
  std::atomic<bool> stop_{false};
  std::thread thread_;

  // Receiver-thread state.
  std::unordered_map<std::string, uint64_t> marks_committed_;
  std::unordered_map<std::string, uint64_t> marks_pending_;  // staged in wb_, not yet written
  storage::WriteBatch wb_;
  struct PendingAck {
    std::string routing_id;
    std::string origin;
  };
  std::vector<PendingAck> acks_;
  uint64_t staged_batches_ = 0;
  uint64_t staged_events_ = 0;
  std::string ack_buf_;
  std::unordered_set<std::string> mismatch_warned_;  // identities already warned about
};

}  // namespace vigil::transport
