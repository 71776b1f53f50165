#include "transport/sender.h"

#include <algorithm>
#include <cstring>

#include "transport/zmq_poll.h"

namespace vigil::transport {
namespace {

enum TxCounter : uint32_t {
  kEventsAccepted, kEventsRefused, kProducerWaits, kBatchesSpooled, kBatchesSent, kBatchesResent,
  kBatchesAcked, kEventsAcked, kBatchesDropped, kEventsDropped, kSpoolFull, kSpoolErrors,
  kConnects, kDisconnects, kReconnects, kAckTimeouts, kHeartbeatsSent, kHellosSent, kFramesRejected,
  kSendBlocked, kEventsLostAtStop, kSeqBehindReceiver, kControlReceived, kControlDuplicates,
  kControlRefused, kControlAcksSent, kEventsNoRoom, kEventBytesSpooled, kFrameBytesSpooled,
};
constexpr CounterDef kDefs[] = {
    {"transport.tx.events_accepted", "events accepted by Send()"},
    {"transport.tx.events_refused", "events refused by Send() (newline inside, larger than a batch, stopping)"},
    {"transport.tx.producer_waits", "Send() calls that waited for room (spool full under block policy)"},
    {"transport.tx.batches_spooled", "batches written to the spool"},
    {"transport.tx.batches_sent", "batches sent for the first time"},
    {"transport.tx.batches_resent", "batches sent again (reconnect, ack timeout, restart)"},
    {"transport.tx.batches_acked", "batches acknowledged and removed from the spool"},
    {"transport.tx.events_acked", "events of this process's batches acknowledged"},
    {"transport.tx.batches_dropped", "batches dropped from a full spool (policy drop-oldest)"},
    {"transport.tx.events_dropped", "events in batches dropped from a full spool"},
    {"transport.tx.spool_full", "times the spool was full under policy block (producers stall)"},
    {"transport.tx.spool_errors", "spool writes or deletes that failed"},
    {"transport.tx.connects", "connections established (CURVE handshake done)"},
    {"transport.tx.disconnects", "connections lost"},
    {"transport.tx.reconnects", "sockets recreated because the receiver stayed silent (peer timeout)"},
    {"transport.tx.ack_timeouts", "windows resent because no ack came within the ack timeout"},
    {"transport.tx.heartbeats_sent", "heartbeats sent"},
    {"transport.tx.hellos_sent", "hellos sent (one per connection)"},
    {"transport.tx.frames_rejected", "frames from the receiver rejected (malformed, other origin, unexpected type)"},
    {"transport.tx.send_blocked", "sends that found the socket not ready (no connection or queue full)"},
    {"transport.tx.events_lost_at_stop", "events that could not be spooled at shutdown (spool full)"},
    {"transport.tx.seq_behind_receiver", "acks above our last sequence: this sender's state was lost"},
    {"transport.tx.control_received", "control messages handed to the application"},
    {"transport.tx.control_duplicates", "control messages received again (already applied): re-acknowledged"},
    {"transport.tx.control_refused", "control messages not acknowledged (malformed, no handler, handler error)"},
    {"transport.tx.control_acks_sent", "control acknowledgements sent"},
    {"transport.tx.events_no_room", "events not queued by a non-blocking SendLines (max-pending-bytes full): the caller drops them"},
    {"transport.tx.event_bytes_spooled", "bytes of events in spooled batches (before compression)"},
    {"transport.tx.frame_bytes_spooled", "bytes of spooled frames (after compression): the ratio is the compression's"},
};

constexpr int kMonitorEvents = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED;
constexpr int64_t kSpoolRetryNs = 100 * kNanosPerMilli;
// Batch buffers kept for reuse (each up to batch_max_bytes of capacity).
constexpr size_t kSpareBuffers = 4;
// Spool-full warnings repeat at most this often; the counters keep every occurrence.
constexpr int64_t kWarnIntervalNs = 10 * kNanosPerSecond;

}  // namespace

Sender::Sender(storage::Db& db, SenderOptions options, Logger* log)
    : db_(db), options_(std::move(options)), log_(log) {
  if (log_ == nullptr) {
    own_log_ = std::make_unique<Logger>();
    log_ = own_log_.get();
  }
}

Result<std::unique_ptr<Sender>> Sender::Start(storage::Db& db, SenderOptions options, Logger* log) {
  const auto& o = options;
  auto bad = [](const std::string& m) { return Error(ErrorCode::kInvalidArgument, "sender: " + m); };
  if (o.batch_max_events == 0 || o.batch_max_events > UINT32_MAX) return bad("transport.batch.max-events out of range");
  if (o.batch_max_bytes == 0 || kFrameHeaderSize + o.origin.size() + o.batch_max_bytes > o.limits.max_frame_bytes) {
    return bad("transport.batch.max-bytes must be > 0 and fit in transport.max-frame-bytes with the header");
  }
  if (o.batch_max_bytes + kFrameHeaderSize + o.origin.size() > o.spool.max_bytes) {
    return bad("spool.max-bytes must hold at least one full batch");
  }
  if (o.max_pending_bytes < o.batch_max_bytes) return bad("transport.max-pending-bytes must be >= batch.max-bytes");
  if (o.window == 0) return bad("transport.window must be > 0");
  if (o.spool_group_max_batches == 0) return bad("transport.spool-group-batches must be > 0");
  if (o.linger_ns < 0 || o.ack_timeout_ns <= 0 || o.heartbeat_interval_ns <= 0 || o.peer_timeout_ns <= 0) {
    return bad("timeouts must be positive");
  }
  FrameView probe;
  probe.type = FrameType::kHello;
  probe.origin = o.origin;
  std::string tmp;
  if (Status s = EncodeFrame(probe, o.limits, &tmp); !s) return bad("transport.origin: " + s.error().message);
  if (!o.insecure_plaintext) {
    if (!DecodeCurveKey(o.server_public_key)) return bad("transport.curve.server-public-key is not a Z85 key");
    if (!DecodeCurveKey(o.client_keys.public_z85) || !DecodeCurveKey(o.client_keys.secret_z85)) {
      return bad("CURVE needs the client key pair (transport.curve.secret-key-file)");
    }
  }
  std::unique_ptr<Sender> tx(new Sender(db, std::move(options), log));
  VIGIL_CHECK_OK(tx->Init());
  tx->thread_ = std::thread([p = tx.get()] { p->Run(); });
  return tx;
}

Status Sender::Init() {
  VIGIL_TRY(group_, registry_.Register(kDefs));
  io_block_ = registry_.NewBlock("transport-tx-io");
  prod_block_ = registry_.NewBlock("transport-tx-producers");
  VIGIL_TRY(waker_, Waker::Create());
  VIGIL_TRY(spool_, Spool::Open(db_, options_.spool));
  next_send_seq_ = FirstUnacked();
  unacked_batches_.store(spool_->count(), std::memory_order_release);
  if (!spool_->empty()) {
    log_->Notice("transport", "resuming {} unacknowledged batches ({} bytes) from the spool",
                 spool_->count(), spool_->bytes());
  }
  if (options_.insecure_plaintext) {
    log_->Warning("transport", "sender to {} runs WITHOUT encryption or authentication (transport.insecure)",
                  options_.connect);
  }
  prefix_ = BatchFramePrefix(options_.origin);
  open_.reserve(prefix_ + options_.batch_max_bytes);
  open_.resize(prefix_);
  return Connect();
}

Sender::~Sender() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    waker_.Wake();
    thread_.join();
  }
  monitor_.reset();
  socket_.reset();
}

Status Sender::Connect() {
  try {
    monitor_.reset();
    socket_.reset();
    connected_ = false;
    auto s = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
    s->set(zmq::sockopt::linger, 0);
    // Queue nothing for a connection that is not up: a message queued on a dead pipe could be
    // delivered after later ones, and our spool is the queue anyway.
    s->set(zmq::sockopt::immediate, 1);
    s->set(zmq::sockopt::sndhwm, static_cast<int>(options_.window) + 8);
    s->set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(options_.limits.max_frame_bytes));
    const int ivl = static_cast<int>(std::max<int64_t>(1, options_.reconnect_interval_ns / kNanosPerMilli));
    s->set(zmq::sockopt::reconnect_ivl, ivl);
    s->set(zmq::sockopt::reconnect_ivl_max, std::max(ivl, 2000));
    if (!options_.insecure_plaintext) {
      s->set(zmq::sockopt::curve_serverkey, options_.server_public_key);
      s->set(zmq::sockopt::curve_publickey, options_.client_keys.public_z85);
      s->set(zmq::sockopt::curve_secretkey, options_.client_keys.secret_z85);
    }
    VIGIL_TRY(monitor_, SocketMonitor::Attach(ctx_, *s, kMonitorEvents));
    s->connect(options_.connect);
    socket_ = std::move(s);
  } catch (const zmq::error_t& e) {
    monitor_.reset();
    return Error(ErrorCode::kInvalidArgument, "sender: cannot connect to " + options_.connect + ": " + e.what());
  }
  awaiting_hello_ = true;
  would_block_ = false;
  return Ok();
}

uint64_t Sender::FirstUnacked() const { return spool_->empty() ? spool_->next_seq() : spool_->oldest_seq(); }

void Sender::Rewind() { next_send_seq_ = FirstUnacked(); }

Status Sender::Send(std::string_view event) {
  const size_t need = event.size() + 1;
  if (event.empty() || event.find('\n') != std::string_view::npos || need > options_.batch_max_bytes) {
    std::lock_guard lock(mu_);
    prod_block_->Add(group_[kEventsRefused]);
    return Error(ErrorCode::kInvalidArgument, event.empty() ? "transport: empty event"
                                              : need > options_.batch_max_bytes
                                                  ? "transport: event larger than transport.batch.max-bytes"
                                                  : "transport: event contains a newline");
  }
  bool wake = false;
  {
    std::unique_lock lock(mu_);
    if (pending_bytes_ + need > options_.max_pending_bytes && !stopping_) {
      prod_block_->Add(group_[kProducerWaits]);
      cv_.wait(lock, [&] { return stopping_ || pending_bytes_ + need <= options_.max_pending_bytes; });
    }
    if (stopping_) {
      prod_block_->Add(group_[kEventsRefused]);
      return Error(ErrorCode::kUnavailable, "transport: sender is stopping");
    }
    AppendLocked(event, &wake);
  }
  if (wake) waker_.Wake();
  return Ok();
}

Sender::SendLinesResult Sender::SendLines(std::string_view lines, bool wait) {
  SendLinesResult r;
  bool wake = false;
  std::unique_lock lock(mu_);
  size_t pos = 0;
  while (pos < lines.size()) {
    const char* start = lines.data() + pos;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', lines.size() - pos));
    const size_t len = nl != nullptr ? static_cast<size_t>(nl - start) : lines.size() - pos;
    const size_t need = len + 1;
    if (len == 0 || need > options_.batch_max_bytes) {
      ++r.refused;
      prod_block_->Add(group_[kEventsRefused]);
      pos += need;
      continue;
    }
    if (pending_bytes_ + need > options_.max_pending_bytes && !stopping_) {
      if (!wait) break;
      prod_block_->Add(group_[kProducerWaits]);
      if (wake) {  // what is sealed must reach the I/O thread, or the wait never ends
        lock.unlock();
        waker_.Wake();
        lock.lock();
        wake = false;
      }
      cv_.wait(lock, [&] { return stopping_ || pending_bytes_ + need <= options_.max_pending_bytes; });
    }
    if (stopping_) break;
    AppendLocked(std::string_view(start, len), &wake);
    ++r.accepted;
    pos += need;
  }
  if (pos < lines.size()) {  // stopped early: the rest is not queued
    const std::string_view rest = lines.substr(pos);
    r.no_room = CountEvents(rest) + (rest.back() != '\n' ? 1 : 0);
    prod_block_->Add(group_[stopping_ ? kEventsRefused : kEventsNoRoom], r.no_room);
  }
  lock.unlock();
  if (wake) waker_.Wake();
  return r;
}

void Sender::AppendLocked(std::string_view event, bool* wake) {
  const size_t need = event.size() + 1;
  if (open_events_ > 0 && OpenPayloadBytes() + need > options_.batch_max_bytes) {
    SealLocked();
    *wake = true;
  }
  open_.append(event);
  open_.push_back('\n');
  pending_bytes_ += need;
  ++accepted_events_;
  prod_block_->Add(group_[kEventsAccepted]);
  if (++open_events_ == 1) {
    open_since_ns_ = MonotonicNanos();
    *wake = true;  // the I/O thread arms the linger timer
  }
  if (open_events_ >= options_.batch_max_events || OpenPayloadBytes() >= options_.batch_max_bytes) {
    SealLocked();
    *wake = true;
  }
}

void Sender::SealLocked() {
  if (open_events_ == 0) return;
  const size_t payload_bytes = OpenPayloadBytes();
  sealed_.push_back(Batch{std::move(open_), open_events_, payload_bytes});
  // Reuse an acknowledged batch's buffer: a fresh batch_max_bytes allocation per batch is an
  // mmap and a page fault per page under load.
  if (!spare_.empty()) {
    open_ = std::move(spare_.back());
    spare_.pop_back();
    open_.clear();
  } else {
    open_ = std::string();
    open_.reserve(prefix_ + options_.batch_max_bytes);
  }
  open_.resize(prefix_);
  open_events_ = 0;
}

void Sender::SealOpenBatch() {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    wake = open_events_ > 0;
    SealLocked();
  }
  if (wake) waker_.Wake();
}

Status Sender::FlushToSpool(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const uint64_t target = accepted_events_;
  SealLocked();
  lock.unlock();
  waker_.Wake();
  lock.lock();
  if (!cv_.wait_for(lock, timeout, [&] { return stopping_ || spooled_events_ >= target; })) {
    return Error(ErrorCode::kUnavailable, "transport: flush to spool timed out (spool full?)");
  }
  return spooled_events_ >= target ? Ok() : Error(ErrorCode::kUnavailable, "transport: sender stopping");
}

Status Sender::Drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const uint64_t target = accepted_events_;
  SealLocked();
  lock.unlock();
  waker_.Wake();
  lock.lock();
  auto done = [&] { return acked_events_locked_ + dropped_events_locked_ >= target; };
  if (!cv_.wait_for(lock, timeout, [&] { return stopping_ || done(); })) {
    return Error(ErrorCode::kUnavailable, "transport: drain timed out: receiver not acknowledging");
  }
  return done() ? Ok() : Error(ErrorCode::kUnavailable, "transport: sender stopping");
}

bool Sender::TakeBatches(int64_t now, bool all) {
  std::lock_guard lock(mu_);
  if (open_events_ > 0 && (all || now - open_since_ns_ >= options_.linger_ns)) SealLocked();
  while (!sealed_.empty()) {
    taken_.push_back(std::move(sealed_.front()));
    sealed_.pop_front();
  }
  linger_deadline_ns_ = open_events_ > 0 ? open_since_ns_ + options_.linger_ns : 0;
  return stopping_;
}

void Sender::SpoolBatches() {
  const int64_t now_ns = MonotonicNanos();
  size_t freed = 0;
  uint64_t spooled = 0;
  uint64_t dropped_events = 0;
  spool_error_ = false;
  while (!taken_.empty()) {
    // Group commit: encode up to spool_group_max_batches batches and store them with one
    // (synced) write, so one fsync covers many batches under load.
    const size_t n = std::min(taken_.size(), options_.spool_group_max_batches);
    const uint64_t first_seq = spool_->next_seq();
    const uint64_t low = spool_->empty() ? first_seq : spool_->oldest_seq();
    group_views_.clear();
    bool encode_failed = false;
    for (size_t i = 0; i < n; ++i) {
      Batch& b = taken_[i];
      // Compressed once (a batch may wait here for spool room and come round again).
      if (options_.compress_lz4 && b.flags == 0 &&
          CompressBatchPayload(std::string_view(b.frame).substr(prefix_), prefix_, &compress_buf_)) {
        std::swap(b.frame, compress_buf_);
        b.flags = kFrameFlagLz4;
      }
      // The header goes into the room at the front of the batch: no copy of the events.
      if (Status st = FinishBatchFrame(&b.frame, first_seq + i, low, b.events, options_.origin, options_.limits, b.flags);
          !st) {
        // Options were validated so this is a bug; do not wedge the sender on one batch.
        io_block_->Add(group_[kSpoolErrors]);
        log_->Error("transport", "cannot encode batch of {} events: {}", b.events, st.error().message);
        if (i == 0) {
          freed += b.payload_bytes;
          dropped_events += b.events;
          taken_.pop_front();
          encode_failed = true;
        }
        break;
      }
      group_views_.push_back(b.frame);
    }
    if (encode_failed) continue;
    auto r = spool_->AppendGroup(first_seq, group_views_);
    if (!r) {
      if (r.error().code == ErrorCode::kLimit && options_.spool.full_policy == SpoolFullPolicy::kBlock) {
        if (!spool_full_) io_block_->Add(group_[kSpoolFull]);
        if (!spool_full_ && now_ns - last_full_warn_ns_ >= kWarnIntervalNs) {
          last_full_warn_ns_ = now_ns;
          log_->Warning("transport", "spool full ({} bytes, spool.max-bytes {}): producers wait for acks",
                        spool_->bytes(), options_.spool.max_bytes);
        }
        spool_full_ = true;
      } else {
        io_block_->Add(group_[kSpoolErrors]);
        log_->Error("transport", "spool append failed: {}", r.error().message);
        spool_error_ = true;
      }
      break;
    }
    spool_full_ = false;
    if (r->dropped_batches > 0) {
      uint64_t ev = 0;
      while (!mine_.empty() && mine_.front().seq <= r->dropped_through_seq) {
        ev += mine_.front().events;
        mine_.pop_front();
      }
      io_block_->Add(group_[kBatchesDropped], r->dropped_batches);
      io_block_->Add(group_[kEventsDropped], ev);
      dropped_events += ev;
      // One warning when dropping starts and one summary when it stops: a full spool drops on
      // every append, and a log line per batch would bury everything else.
      if (dropping_batches_ == 0 && now_ns - last_full_warn_ns_ >= kWarnIntervalNs) {
        last_full_warn_ns_ = now_ns;
        log_->Warning("transport", "spool full ({} bytes): dropping oldest unacknowledged batches to make room "
                      "(spool.full-policy drop-oldest); first dropped through seq {}",
                      options_.spool.max_bytes, r->dropped_through_seq);
      }
      dropping_batches_ += r->dropped_batches;
      dropped_through_seq_ = std::max(dropped_through_seq_, r->dropped_through_seq);
      if (next_send_seq_ <= r->dropped_through_seq) next_send_seq_ = r->dropped_through_seq + 1;
      cache_.clear();
    } else if (dropping_batches_ > 0) {
      log_->Notice("transport", "spool has room again: {} batches were dropped while it was full "
                   "(transport.tx.batches_dropped has the total)", dropping_batches_);
      dropping_batches_ = 0;
    }
    io_block_->Add(group_[kBatchesSpooled], r->appended);
    unacked_batches_.store(spool_->count(), std::memory_order_release);
    for (size_t i = 0; i < r->appended; ++i) {
      const uint64_t seq = first_seq + i;
      mine_.push_back({seq, taken_.front().events});
      // Keep the frame in memory for the first send (saves a read back from the spool); the
      // cache is a bounded contiguous run of sequences.
      if (cache_.empty()) cache_first_seq_ = seq;
      freed += taken_.front().payload_bytes;
      io_block_->Add(group_[kEventBytesSpooled], taken_.front().payload_bytes);
      io_block_->Add(group_[kFrameBytesSpooled], taken_.front().frame.size());
      spooled += taken_.front().events;
      if (cache_first_seq_ + cache_.size() == seq && cache_.size() < 2 * options_.window) {
        cache_.push_back(std::move(taken_.front().frame));  // recycled when acknowledged
      } else {
        RecycleBuffer(std::move(taken_.front().frame));
      }
      taken_.pop_front();
    }
  }
  if (freed > 0 || dropped_events > 0) {
    {
      std::lock_guard lock(mu_);
      pending_bytes_ -= freed;
      spooled_events_ += spooled;
      while (!recycled_.empty() && spare_.size() < kSpareBuffers) {
        spare_.push_back(std::move(recycled_.back()));
        recycled_.pop_back();
      }
      dropped_events_locked_ += dropped_events;
    }
    cv_.notify_all();
  }
}

void Sender::RecycleBuffer(std::string&& buf) {
  if (recycled_.size() < kSpareBuffers) recycled_.push_back(std::move(buf));
}

bool Sender::SendFrame(const std::string& frame) {
  try {
    if (socket_->send(zmq::buffer(frame), zmq::send_flags::dontwait)) return true;
  } catch (const zmq::error_t& e) {
    log_->Error("transport", "send failed: {}", e.what());
  }
  io_block_->Add(group_[kSendBlocked]);
  return false;
}

void Sender::SendControlFrame(FrameType type) {
  FrameView f;
  f.type = type;
  f.origin = options_.origin;
  std::string buf;
  if (!EncodeFrame(f, options_.limits, &buf)) return;
  if (SendFrame(buf)) {
    io_block_->Add(group_[type == FrameType::kHello ? kHellosSent : kHeartbeatsSent]);
  }
}

void Sender::SendWindow(int64_t now) {
  would_block_ = false;
  if (!connected_) return;
  if (awaiting_hello_) {
    if (now - hello_sent_ns_ < options_.ack_timeout_ns) return;
    awaiting_hello_ = false;  // no answer to hello: send from where we are, the receiver de-duplicates
  }
  const uint64_t first = FirstUnacked();
  if (next_send_seq_ < first) next_send_seq_ = first;
  while (next_send_seq_ < spool_->next_seq() && next_send_seq_ - first < options_.window) {
    const uint64_t seq = next_send_seq_;
    std::string* frame = nullptr;
    bool patch = true;
    if (seq >= cache_first_seq_ && seq - cache_first_seq_ < cache_.size()) {
      frame = &cache_[seq - cache_first_seq_];
      // First send: the low_seq it was encoded with is still right (see dropped_through_seq_).
      patch = seq <= max_sent_seq_ || FrameLowSeq(*frame) <= dropped_through_seq_;
    } else {
      auto r = spool_->Read(seq);
      if (!r) {
        io_block_->Add(group_[kSpoolErrors]);
        log_->Error("transport", "spool read of seq {} failed: {}", seq, r.error().message);
        return;
      }
      if (!r->has_value()) {  // dropped by drop-oldest meanwhile
        ++next_send_seq_;
        continue;
      }
      scratch_ = std::move(**r);
      frame = &scratch_;
    }
    if (patch && FrameLowSeq(*frame) != first) (void)PatchLowSeq(frame, first);
    if (!SendFrame(*frame)) {
      would_block_ = true;
      return;
    }
    if (next_send_seq_ == first) ack_deadline_ns_ = now + options_.ack_timeout_ns;
    io_block_->Add(group_[seq <= max_sent_seq_ ? kBatchesResent : kBatchesSent]);
    max_sent_seq_ = std::max(max_sent_seq_, seq);
    ++next_send_seq_;
  }
}

void Sender::HandleAck(uint64_t n, int64_t now) {
  awaiting_hello_ = false;
  if (n >= spool_->next_seq()) {
    // The receiver has stored sequences we never produced: this sender's Db was replaced.
    // Batches numbered <= n would be taken for duplicates, so renumber the spool after n.
    // (Spooled sequences are contiguous: acks and drops only ever remove a prefix.)
    io_block_->Add(group_[kSeqBehindReceiver]);
    log_->Warning("transport", "receiver has seen seq {} from '{}' but our next seq is {}: sender state was "
                  "reset; renumbering {} spooled batches from {}", n, options_.origin, spool_->next_seq(),
                  spool_->count(), n + 1);
    const uint64_t old_first = FirstUnacked();
    Status s = spool_->Rebase(n + 1, [&](uint64_t seq, std::string_view old) -> Result<std::string> {
      VIGIL_TRY(FrameView f, ParseFrame(old, options_.limits));
      f.seq = seq;
      f.low_seq = n + 1;
      std::string out;
      VIGIL_CHECK_OK(EncodeFrame(f, options_.limits, &out));
      return out;
    });
    if (!s) {
      io_block_->Add(group_[kSpoolErrors]);
      log_->Error("transport", "spool renumbering failed: {}", s.error().message);
      return;
    }
    for (auto& m : mine_) m.seq = m.seq - old_first + n + 1;
    cache_.clear();
    max_sent_seq_ = n;
    acked_seq_ = n;
    next_send_seq_ = FirstUnacked();
    return;
  }
  if (!spool_->empty() && n >= spool_->oldest_seq()) {
    const uint64_t before = spool_->count();
    if (Status s = spool_->AckThrough(n); !s) {
      io_block_->Add(group_[kSpoolErrors]);
      log_->Error("transport", "spool ack failed: {}", s.error().message);
      return;
    }
    io_block_->Add(group_[kBatchesAcked], before - spool_->count());
    unacked_batches_.store(spool_->count(), std::memory_order_release);
    while (!cache_.empty() && cache_first_seq_ <= n) {
      RecycleBuffer(std::move(cache_.front()));
      cache_.pop_front();
      ++cache_first_seq_;
    }
    uint64_t ev = 0;
    while (!mine_.empty() && mine_.front().seq <= n) {
      ev += mine_.front().events;
      mine_.pop_front();
    }
    if (ev > 0) {
      io_block_->Add(group_[kEventsAcked], ev);
      acked_events_.fetch_add(ev, std::memory_order_acq_rel);
      {
        std::lock_guard lock(mu_);
        acked_events_locked_ += ev;
      }
      cv_.notify_all();
    }
    ack_deadline_ns_ = now + options_.ack_timeout_ns;
  }
  acked_seq_ = std::max(acked_seq_, n);
  if (next_send_seq_ <= n) next_send_seq_ = n + 1;
}

void Sender::HandleIncoming(int64_t now) {
  for (;;) {
    zmq::message_t msg;
    if (!socket_->recv(msg, zmq::recv_flags::dontwait)) return;
    last_rx_ns_ = now;
    auto f = ParseFrame(std::string_view(static_cast<const char*>(msg.data()), msg.size()), options_.limits);
    if (!f || f->origin != options_.origin) {
      io_block_->Add(group_[kFramesRejected]);
      continue;
    }
    switch (f->type) {
      case FrameType::kAck:
        HandleAck(f->seq, now);
        break;
      case FrameType::kHeartbeat:
        break;
      case FrameType::kControl:
        HandleControl(*f);
        break;
      default:
        io_block_->Add(group_[kFramesRejected]);
        break;
    }
  }
}

void Sender::HandleControl(const FrameView& f) {
  auto ack = [&] {
    FrameView a;
    a.type = FrameType::kControlAck;
    a.seq = f.seq;
    a.origin = options_.origin;
    std::string buf;
    if (EncodeFrame(a, options_.limits, &buf) && SendFrame(buf)) io_block_->Add(group_[kControlAcksSent]);
  };
  if (f.seq <= last_control_seq_) {  // re-sent after a reconnect: applied already
    io_block_->Add(group_[kControlDuplicates]);
    ack();
    return;
  }
  if (control_blocked_seq_ != 0 && f.seq > control_blocked_seq_) {
    io_block_->Add(group_[kControlRefused]);  // an earlier one is not applied yet: keep the order
    return;
  }
  auto m = ParseControlPayload(f.payload);
  if (!m) {
    // Acknowledged anyway: resending a malformed message would not make it better.
    io_block_->Add(group_[kControlRefused]);
    log_->Error("transport", "control message {} from {} is malformed (acknowledged, dropped): {}", f.seq,
                options_.connect, m.error().message);
    last_control_seq_ = f.seq;
    control_blocked_seq_ = 0;
    ack();
    return;
  }
  m->seq = f.seq;
  if (!options_.on_control) {
    io_block_->Add(group_[kControlRefused]);
    if (control_blocked_seq_ == 0) control_blocked_seq_ = f.seq;
    log_->Warning("transport", "control message {} ({} '{}' v{}) ignored: this sender has no control handler",
                  f.seq, ControlKindName(m->kind), m->bundle_id, m->version);
    return;
  }
  if (Status s = options_.on_control(*m); !s) {
    io_block_->Add(group_[kControlRefused]);
    if (control_blocked_seq_ == 0) control_blocked_seq_ = f.seq;
    log_->Warning("transport", "control message {} ({} '{}' v{}) not applied: {}", f.seq, ControlKindName(m->kind),
                  m->bundle_id, m->version, s.error().message);
    return;
  }
  io_block_->Add(group_[kControlReceived]);
  last_control_seq_ = f.seq;
  control_blocked_seq_ = 0;
  ack();
}

int64_t Sender::NextTimeout(int64_t now) const {
  int64_t deadline = last_hb_ns_ + options_.heartbeat_interval_ns;
  if (linger_deadline_ns_ > 0) deadline = std::min(deadline, linger_deadline_ns_);
  if (connected_) {
    deadline = std::min(deadline, last_rx_ns_ + options_.peer_timeout_ns);
    if (awaiting_hello_) deadline = std::min(deadline, hello_sent_ns_ + options_.ack_timeout_ns);
    if (next_send_seq_ > FirstUnacked()) deadline = std::min(deadline, ack_deadline_ns_);
  }
  if (spool_error_) deadline = std::min(deadline, now + kSpoolRetryNs);
  if (deadline <= now) return 0;
  return (deadline - now + kNanosPerMilli - 1) / kNanosPerMilli;  // round up: never spin early
}

void Sender::Run() {
  try {
    last_hb_ns_ = MonotonicNanos();
    for (;;) {
      int64_t now = MonotonicNanos();
      const bool stop = TakeBatches(now, false);
      if (stop) break;
      SpoolBatches();
      SendWindow(now);

      zmq::pollitem_t items[] = {
          {socket_->handle(), 0, static_cast<short>(ZMQ_POLLIN | (would_block_ && connected_ ? ZMQ_POLLOUT : 0)), 0},
          {monitor_->socket().handle(), 0, ZMQ_POLLIN, 0},
          {nullptr, waker_.fd(), ZMQ_POLLIN, 0}};
      if (!PollRetryingEintr(items, 3, std::chrono::milliseconds(NextTimeout(now)))) continue;
      now = MonotonicNanos();
      if (items[2].revents & ZMQ_POLLIN) waker_.Drain();
      if (items[1].revents & ZMQ_POLLIN) {
        while (auto ev = monitor_->Read()) {
          if (ev->event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
            io_block_->Add(group_[kConnects]);
            connected_ = true;
            last_rx_ns_ = now;
            Rewind();  // whatever was in flight on the old connection may be lost
            awaiting_hello_ = true;
            hello_sent_ns_ = now;
            SendControlFrame(FrameType::kHello);
          } else if (ev->event == ZMQ_EVENT_DISCONNECTED) {
            io_block_->Add(group_[kDisconnects]);
            connected_ = false;
          }
        }
      }
      if (items[0].revents & ZMQ_POLLIN) HandleIncoming(now);

      if (now - last_hb_ns_ >= options_.heartbeat_interval_ns) {
        last_hb_ns_ = now;
        if (connected_) SendControlFrame(FrameType::kHeartbeat);
      }
      if (connected_ && now - last_rx_ns_ >= options_.peer_timeout_ns) {
        io_block_->Add(group_[kReconnects]);
        log_->Warning("transport", "no message from {} for {} ms: reconnecting", options_.connect,
                      (now - last_rx_ns_) / kNanosPerMilli);
        if (Status s = Connect(); !s) log_->Error("transport", "{}", s.error().message);
        last_rx_ns_ = now;
      } else if (connected_ && !awaiting_hello_ && next_send_seq_ > FirstUnacked() && now >= ack_deadline_ns_) {
        io_block_->Add(group_[kAckTimeouts]);
        Rewind();  // go-back-N: the receiver drops what it already has
        ack_deadline_ns_ = now + options_.ack_timeout_ns;
      }
    }
  } catch (const zmq::error_t& e) {
    log_->Error("transport", "sender I/O thread stopped: {}", e.what());
  }
  // Shutdown: whatever Send() accepted goes to the spool so the next start sends it.
  TakeBatches(MonotonicNanos(), true);
  SpoolBatches();
  if (!taken_.empty()) {
    uint64_t lost = 0;
    for (const auto& b : taken_) lost += b.events;
    io_block_->Add(group_[kEventsLostAtStop], lost);
    log_->Error("transport", "{} events could not be spooled at shutdown (spool full)", lost);
  }
}

}  // namespace vigil::transport
