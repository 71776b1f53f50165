// Sender: the DEALER end of the transport. Batches events, spools every batch durably before
// sending it, keeps a window of batches in flight and resends whatever is not acknowledged, so
// a dead link, a restarted receiver or a killed sender loses nothing.
//
//   SenderOptions o;
//   o.connect = "tcp://correlator:7100";  o.origin = "prov-07/sensor-12";
//   o.server_public_key = ...;  o.client_keys = ...;           // CURVE (default)
//   VIGIL_TRY(auto tx, Sender::Start(db, o, &log));
//   VIGIL_CHECK_OK(tx->Send(R"({"event_type":"alert",...})"));   // any thread; one JSON line
//
// Threads: Send() may be called from any thread; it only appends to the open batch under a
// mutex. One I/O thread owns the socket and the spool. A batch is sealed when it reaches
// batch_max_events or batch_max_bytes, or linger after its first event (so light traffic is
// not delayed for long). Sealed batches get the next sequence number and go into the spool
// (persistent, bounded: see spool.h); then up to `window` of them are in flight. The receiver
// acknowledges cumulatively; an ack deletes the acknowledged batches from the spool.
//
// Recovery: on every new connection (seen through a socket monitor) the sender sends hello,
// waits for the receiver's high-water mark and resends from there, in order. Without progress
// for ack_timeout it resends the window (go-back-N); without any message from the receiver for
// peer_timeout it drops the socket and reconnects. After SIGKILL, Start() on the same Db resumes
// from the spool. Events accepted by Send() but not yet spooled (at most linger, or the
// max_pending_bytes buffer when the spool is full) are the only ones a crash can lose.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "storage/db.h"
#include "transport/control_message.h"
#include "transport/curve_keys.h"
#include "transport/frame.h"
#include "transport/socket_monitor.h"
#include "transport/spool.h"
#include "transport/waker.h"

namespace vigil::transport {

// Applies a control message from the receiver (rule bundle, indicator list...). Runs on the
// sender's I/O thread: keep it short (hand the body to another thread). Ok() acknowledges the
// message; an error leaves it unacknowledged, so the receiver sends it again (on reconnect or
// after its resend timeout). Messages arrive in order and each sequence at most once per
// process; after a restart a message may be delivered again (apply by bundle id + version).
using ControlHandler = std::function<Status(const ControlMessageView& message)>;

struct SenderOptions {
  std::string connect = "tcp://127.0.0.1:7100";  // transport.upstream
  std::string origin;  // transport.origin: the identity the receiver's allow list gives our key
  // transport.insecure: plaintext, no authentication. Logged as a warning at start.
  bool insecure_plaintext = false;
  std::string server_public_key;  // transport.curve.server-public-key (Z85)
  CurveKeyPair client_keys;       // transport.curve.secret-key-file
  size_t batch_max_events = 1024;           // transport.batch.max-events
  size_t batch_max_bytes = 1u << 20;        // transport.batch.max-bytes (payload)
  // transport.compression: LZ4 batches (lz4) or raw (none). Compressed before spooling, so the
  // spool, the wire and the receiver's write all carry about a fifth of the bytes of EVE events.
  bool compress_lz4 = true;
  // transport.batch.linger: a light stream's batch waits at most this long for more events.
  // Under load batches fill (max-events / max-bytes) long before it; while the spool's fsync is
  // in flight sealed batches queue up and go into the next group write, so a short linger costs
  // little and keeps the send->ack latency of a light stream low.
  int64_t linger_ns = 1 * kNanosPerMilli;
  size_t window = 64;                       // transport.window: batches in flight
  // transport.spool-group-batches: batches stored with one (synced) spool write at most (group
  // commit; under load one fsync covers many batches).
  size_t spool_group_max_batches = 64;
  int64_t ack_timeout_ns = 5 * kNanosPerSecond;          // transport.ack-timeout
  int64_t heartbeat_interval_ns = 1 * kNanosPerSecond;   // transport.heartbeat-interval
  int64_t peer_timeout_ns = 10 * kNanosPerSecond;        // transport.peer-timeout
  int64_t reconnect_interval_ns = 100 * kNanosPerMilli;  // transport.reconnect-interval
  // transport.max-pending-bytes: events accepted by Send() and not yet spooled. Send() blocks
  // above it, which is how spool.full-policy=block reaches the producers.
  size_t max_pending_bytes = 16u << 20;
  FrameLimits limits;  // transport.max-frame-bytes
  SpoolOptions spool;  // spool.max-bytes, spool.full-policy, spool.sync
  ControlHandler on_control;  // control messages from the receiver; none: not acknowledged
};

class Sender {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Sender>> Start(storage::Db& db, SenderOptions options,
                                                             Logger* log = nullptr);
  // Stops the I/O thread after spooling every accepted event (nothing is lost if the spool has
  // room; under block with a full spool the remainder is counted and logged).
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Queues one event (a JSON object on one line, without the newline). Thread-safe. Blocks while
  // max_pending_bytes are waiting for the spool. kInvalidArgument for an event containing a
  // newline or larger than a batch.
  Status Send(std::string_view event);

  // What SendLines did with each line.
  struct SendLinesResult {
    size_t accepted = 0;  // queued (will be spooled and sent)
    size_t refused = 0;   // invalid: empty or larger than transport.batch.max-bytes
    size_t no_room = 0;   // not queued: max_pending_bytes full and wait == false, or stopping
  };
  // Queues a block of events, one per line, each ending in '\n' (a last line without one is
  // taken as a line too): the EventSink path, one lock for the whole block instead of one per
  // event. Invalid lines are refused (counted) and the rest still queued, in order. wait: block
  // while max_pending_bytes are waiting for the spool, like Send(); !wait: stop at the first
  // line that does not fit and report it and every later line as no_room (the caller drops and
  // counts them: transport.tx.events_no_room counts them here too). Thread-safe.
  SendLinesResult SendLines(std::string_view lines, bool wait);
  // Seals the open batch so it is spooled and sent now, without waiting for linger. Does not
  // wait for the spool (an EventSink's Flush on the packet path).
  void SealOpenBatch();
  // Waits until every event accepted so far is in the spool (durable locally).
  Status FlushToSpool(std::chrono::milliseconds timeout);
  // Waits until every event accepted so far is acknowledged by the receiver.
  Status Drain(std::chrono::milliseconds timeout);

  // Events of this process's batches acknowledged so far (monotonic; for latency measurement).
  uint64_t acked_events() const { return acked_events_.load(std::memory_order_acquire); }
  // Batches in the spool not yet acknowledged (including those a previous process spooled).
  uint64_t unacked_batches() const { return unacked_batches_.load(std::memory_order_acquire); }
  const CounterRegistry& counters() const { return registry_; }

 private:
  struct Batch {
    // BatchFramePrefix(origin) bytes of room for the header, then the events: the frame is
    // finished in place when the batch is spooled (no copy of the payload).
    std::string frame;
    uint32_t events = 0;
    size_t payload_bytes = 0;  // raw events, as counted in pending_bytes_ (frame may be compressed)
    uint16_t flags = 0;        // kFrameFlagLz4 once the events were replaced by their compression
  };
  struct Mine {  // a batch spooled by this process: seq -> events, for acked_events()
    uint64_t seq;
    uint32_t events;
  };

  Sender(storage::Db& db, SenderOptions options, Logger* log);
  Status Init();
  void Run();
  void SealLocked();
  void AppendLocked(std::string_view event, bool* wake);  // event without its '\n'
  size_t OpenPayloadBytes() const { return open_.size() - prefix_; }
  void RecycleBuffer(std::string&& buf);
  bool TakeBatches(int64_t now, bool all);  // returns stopping_
  void SpoolBatches();
  void SendWindow(int64_t now);
  Status Connect();
  void Rewind();
  void HandleIncoming(int64_t now);
  void HandleAck(uint64_t seq, int64_t now);
  void HandleControl(const FrameView& f);
  bool SendFrame(const std::string& frame);
  void SendControlFrame(FrameType type);
  uint64_t FirstUnacked() const;
  int64_t NextTimeout(int64_t now) const;

  storage::Db& db_;
  SenderOptions options_;
  std::unique_ptr<Logger> own_log_;
  Logger* log_;
  size_t prefix_ = 0;  // BatchFramePrefix(origin): header room at the front of every batch
  CounterRegistry registry_;
  CounterGroup group_;
  CounterBlock* io_block_ = nullptr;    // I/O thread
  CounterBlock* prod_block_ = nullptr;  // producers, written under mu_

  // Producer side, guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;  // producers waiting for room; Flush/Drain waiting for progress
  std::string open_;
  uint32_t open_events_ = 0;
  int64_t open_since_ns_ = 0;
  std::deque<Batch> sealed_;
  std::vector<std::string> spare_;  // emptied batch buffers for reuse
  size_t pending_bytes_ = 0;   // open_ + sealed_ + taken_ (not yet spooled)
  uint64_t accepted_events_ = 0;
  uint64_t spooled_events_ = 0;       // published by the I/O thread
  uint64_t acked_events_locked_ = 0;  // published by the I/O thread
  uint64_t dropped_events_locked_ = 0;  // published by the I/O thread (drop-oldest)
  bool stopping_ = false;

  // I/O thread.
  Waker waker_;
  std::unique_ptr<Spool> spool_;
  zmq::context_t ctx_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::unique_ptr<SocketMonitor> monitor_;  // destroyed before socket_
  std::thread thread_;
  std::deque<Batch> taken_;        // moved from sealed_, waiting for spool room
  std::vector<std::string> recycled_;  // spooled batches' buffers, handed to spare_ under mu_
  std::deque<Mine> mine_;
  uint64_t next_send_seq_ = 1;     // next spooled batch to send
  uint64_t max_sent_seq_ = 0;      // for counting resends
  uint64_t acked_seq_ = 0;         // receiver's cumulative ack
  std::deque<std::string> cache_;  // frames of seqs [cache_first_seq_, +size): spooled, kept for sending
  uint64_t cache_first_seq_ = 0;
  std::vector<std::string_view> group_views_;  // SpoolBatches: the group being stored
  std::string scratch_;
  std::string compress_buf_;  // SpoolBatches: a batch compressed into it swaps buffers with it
  bool awaiting_hello_ = true;     // after (re)connect: hold batches until the receiver's mark
  bool would_block_ = false;       // last send hit EAGAIN: poll for POLLOUT
  bool connected_ = false;         // a handshake succeeded and no disconnect since
  bool spool_error_ = false;       // last append failed for a reason other than full: retry soon
  bool spool_full_ = false;        // block policy: waiting for acks to free room
  uint64_t dropping_batches_ = 0;  // drop-oldest: batches dropped in the current full episode
  // Highest sequence ever dropped by drop-oldest (0: none). The first send of a cached frame
  // keeps the low_seq it was encoded with (saves a CRC pass over the batch) unless that is at
  // or below this: everything between it and the current low was then acknowledged, so the
  // receiver's mark covers it. Resends always carry the current low_seq.
  uint64_t dropped_through_seq_ = 0;
  int64_t last_full_warn_ns_ = INT64_MIN / 2;  // rate limit for spool-full warnings
  int64_t linger_deadline_ns_ = 0; // when the open batch must be sealed (0: none open)
  int64_t hello_sent_ns_ = 0;
  int64_t ack_deadline_ns_ = 0;
  int64_t last_rx_ns_ = 0;
  int64_t last_hb_ns_ = 0;
  std::atomic<uint64_t> acked_events_{0};
  std::atomic<uint64_t> unacked_batches_{0};
  uint64_t last_control_seq_ = 0;  // highest control sequence applied by this process
  // First control sequence the handler refused (0: none): later ones wait for it, so messages
  // are applied in order and the receiver's cumulative bookkeeping stays right.
  uint64_t control_blocked_seq_ = 0;
};

}  // namespace vigil::transport
