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
//   5. a committer thread writes the staged batches with Durability::kSync; while that write
//      (its fsync) is in flight the receiver thread keeps reading and staging frames, and the
//      next write takes everything staged meanwhile (group commit: one fsync for many batches).
//      Only after a write returns are its batches acknowledged (cumulative ack = the new hwm).
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

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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
#include "transport/control_message.h"
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
  // event_count newline-terminated JSON events (not yet validated; a compressed batch arrives
  // decompressed). Valid only during the sink call.
  std::string_view payload;
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
  // transport.max-staged-batches: group commit. While one durable write is in flight the
  // receiver keeps reading and staging frames; everything staged goes into the next write. It
  // stops reading once this many batches are staged (back-pressure through ZeroMQ/TCP).
  size_t max_batches_per_commit = 256;
  storage::Durability durability = storage::Durability::kSync;  // before acknowledging
  int receive_hwm = 1000;                        // ZeroMQ queue of unread messages
  // transport.control.max-pending: control messages per origin sent and not yet acknowledged
  // (SendControl fails with kLimit above it).
  size_t max_pending_control = 256;
  // transport.control.resend: a control message unacknowledged this long is sent again (it is
  // also sent again whenever the origin reconnects).
  int64_t control_resend_ns = 5 * kNanosPerSecond;
  // Called on the receiver thread when an authenticated origin says hello (it connected or
  // reconnected), after its pending control messages were marked for sending again. Lets the
  // application send what every origin should hold (correlator/publish: the latest bundles).
  // Keep it short; calling SendControl from it is fine. Optional.
  std::function<void(std::string_view origin)> on_hello;
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

  // Sends a control message down to a sender, on its existing connection. Thread-safe. Returns
  // the control sequence number the sender will acknowledge. The message is kept (in memory)
  // until the sender acknowledges it and re-sent on every reconnect of that origin; an origin
  // not connected yet gets it when it connects. kLimit above max_pending_control.
  [[nodiscard]] Result<uint64_t> SendControl(std::string_view origin, const ControlMessage& message);
  // Control messages sent (by any origin) and not yet acknowledged.
  uint64_t pending_control() const { return pending_control_.load(std::memory_order_acquire); }

 private:
  Receiver(storage::Db& db, ReceiverOptions options, BatchSink sink, Logger* log);
  Status Init();
  Status LoadMarks();
  void Run();
  void ProcessAvailable();
  void HandleMessage(const zmq::message_t& routing_id, const zmq::message_t& msg);
  // Counts a rejected frame under its reason and logs it (rate-limited per reason).
  void CountRejected(FrameReject why, const zmq::message_t& msg, std::string_view message);
  void CountRejected(FrameReject why, std::string_view peer, std::string_view message);
  void HandleBatch(const zmq::message_t& routing_id, const FrameView& f, std::string_view origin,
                   std::string_view province);
  void QueueAck(const zmq::message_t& routing_id, std::string_view origin);
  struct PendingAck {
    std::string routing_id;
    std::string origin;
  };
  // One durable write handed to the committer thread.
  struct CommitJob {
    storage::WriteBatch wb;
    std::unordered_map<std::string, uint64_t> marks;
    std::vector<PendingAck> acks;
    uint64_t batches = 0;
    uint64_t events = 0;
    Status result;
  };
  struct OutControl {
    uint64_t seq = 0;
    std::string frame;
    int64_t sent_ns = 0;     // 0: not sent on the current connection
    bool ever_sent = false;  // for counting resends
  };
  void TakeControlInbox();
  void FlushControl(int64_t now);
  void HandleControlAck(std::string_view origin, uint64_t seq);
  void MaybeStartCommit();
  void FinishCommit();
  void SendAcks(std::vector<PendingAck>& acks);
  void CommitterRun();
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
  std::unordered_map<std::string, uint64_t> marks_pending_;  // staged in wb_ or in flight
  storage::WriteBatch wb_;
  // The last committed job's write batch, cleared: becomes the next wb_ so its buffer (grown
  // to a commit's size) is reused instead of regrown by reallocation on every commit.
  storage::WriteBatch spare_wb_;
  bool have_spare_wb_ = false;
  std::vector<PendingAck> acks_;
  bool commit_in_flight_ = false;  // receiver thread's view: job_ belongs to the committer

  // Hand-off to the committer thread, guarded by cmu_.
  std::mutex cmu_;
  std::condition_variable ccv_;
  std::unique_ptr<CommitJob> job_;  // set by the receiver thread, written by the committer
  bool job_ready_ = false;          // committer: job_ is waiting to be written
  bool job_done_ = false;           // receiver: job_ was written (result in job_->result)
  bool committer_stop_ = false;
  std::thread committer_;
  uint64_t staged_batches_ = 0;
  uint64_t staged_events_ = 0;
  std::string ack_buf_;
  std::string events_scratch_;  // a compressed batch's events, decompressed (reused)
  std::unordered_set<std::string> mismatch_warned_;  // identities already warned about
  // Rejected frames: when each reason was last logged and how many were not logged since.
  static constexpr int64_t kRejectWarnIntervalNs = 10 * kNanosPerSecond;
  std::array<int64_t, static_cast<size_t>(FrameReject::kCount_)> reject_warned_ns_{};
  std::array<uint64_t, static_cast<size_t>(FrameReject::kCount_)> reject_suppressed_{};
  std::unordered_map<std::string, std::string> routes_;  // origin -> routing id of its connection
  std::unordered_map<std::string, std::deque<OutControl>> ctl_out_;  // unacknowledged, in order

  // Control messages from SendControl(), guarded by ctl_mu_.
  std::mutex ctl_mu_;
  struct InboxEntry {
    std::string origin;
    OutControl out;
  };
  std::vector<InboxEntry> ctl_inbox_;
  std::unordered_map<std::string, uint64_t> ctl_next_seq_;
  std::unordered_map<std::string, size_t> ctl_count_;  // pending + inbox per origin
  uint64_t ctl_seq_base_ = 0;  // wall-clock micros at start: sequences grow across restarts
  std::atomic<uint64_t> pending_control_{0};
};

}  // namespace vigil::transport
