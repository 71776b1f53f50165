#include "transport/receiver.h"

#include <algorithm>
#include <chrono>

#include "storage/key_codec.h"
#include "transport/zmq_poll.h"

namespace vigil::transport {
namespace {

// Counter table; the enum indexes it. Strings are literals (the registry keeps views).
enum RxCounter : uint32_t {
  kFrames, kBatchesStored, kEventsStored, kDuplicates, kOutOfOrder, kGaps, kOriginMismatch,
  kUnexpectedType, kBadEnvelope, kStoreErrors, kCommitErrors, kCommits, kAcksSent, kAcksDropped,
  kHellos, kHeartbeats, kControlAcks, kHandshakeFailed, kZapAccepted, kZapDenied, kZapMalformed,
  kControlSent, kControlResent, kControlDropped, kConnections, kDisconnects,
  kRejectBase,  // + FrameReject value (1..kCount_-1)
};
constexpr CounterDef kDefs[] = {
    {"transport.rx.frames", "messages received on the transport socket"},
    {"transport.rx.batches_stored", "batches durably stored and acknowledged"},
    {"transport.rx.events_stored", "events in stored batches"},
    {"transport.rx.duplicates", "batches received again (seq <= high-water mark): re-acked, not stored"},
    {"transport.rx.out_of_order", "batches past the next expected sequence: not stored, sender resends"},
    {"transport.rx.gap_batches", "batches a sender reported dropped (its spool policy drop-oldest)"},
    {"transport.rx.origin_mismatch", "frames whose origin differs from the identity of the sender's key"},
    {"transport.rx.unexpected_type", "frames of a type a receiver never accepts (ack, control)"},
    {"transport.rx.bad_envelope", "messages not shaped [routing id][one frame]"},
    {"transport.rx.store_errors", "batches the storage sink refused (left unacknowledged)"},
    {"transport.rx.commit_errors", "durable writes that failed (their batches left unacknowledged)"},
    {"transport.rx.commits", "durable writes (one per group of batches)"},
    {"transport.rx.acks_sent", "acknowledgements sent"},
    {"transport.rx.acks_dropped", "acknowledgements not sent because the peer's queue was full"},
    {"transport.rx.hellos", "hello frames (sender connected)"},
    {"transport.rx.heartbeats", "heartbeat frames"},
    {"transport.rx.control_acks", "control acknowledgements from senders"},
    {"transport.rx.handshake_failed", "connections refused during the ZeroMQ handshake (bad key, plaintext, garbage)"},
    {"transport.zap.accepted", "CURVE clients accepted by key"},
    {"transport.zap.denied", "clients refused: unknown key or not CURVE"},
    {"transport.zap.malformed", "malformed ZAP requests"},
    {"transport.rx.control_sent", "control messages sent to senders for the first time"},
    {"transport.rx.control_resent", "control messages sent again (reconnect or resend timeout)"},
    {"transport.rx.control_send_blocked", "control sends that found the peer's queue full (retried)"},
    {"transport.rx.connections", "connections that completed the handshake (CURVE or plaintext)"},
    {"transport.rx.disconnects",
     "connections closed: the peer left, its handshake was refused, or it sent a message over "
     "transport.max-frame-bytes (refused unread by ZeroMQ, which drops the connection)"},
    {"transport.rx.rejected.truncated", "frames rejected: truncated"},
    {"transport.rx.rejected.oversize", "frames rejected: larger than transport.max-frame-bytes"},
    {"transport.rx.rejected.bad_magic", "frames rejected: bad magic"},
    {"transport.rx.rejected.bad_version", "frames rejected: unknown version"},
    {"transport.rx.rejected.bad_type", "frames rejected: unknown type"},
    {"transport.rx.rejected.bad_flags", "frames rejected: non-zero flags or reserved field"},
    {"transport.rx.rejected.bad_origin", "frames rejected: invalid origin"},
    {"transport.rx.rejected.trailing_bytes", "frames rejected: bytes after the payload"},
    {"transport.rx.rejected.bad_checksum", "frames rejected: CRC32C mismatch"},
    {"transport.rx.rejected.bad_fields", "frames rejected: fields inconsistent with the type"},
    {"transport.rx.rejected.bad_compression", "batches rejected: LZ4 payload not decompressing to its declared size"},
};
static_assert(std::size(kDefs) == kRejectBase + static_cast<size_t>(FrameReject::kCount_) - 1);

constexpr int kHandshakeFailedEvents =
    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
constexpr int kMonitorEvents = kHandshakeFailedEvents | ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED;

// A commit's write batch buffer is kept for the next commit up to this size.
constexpr size_t kKeepBatchBytes = 32u << 20;

std::string_view View(const zmq::message_t& m) { return {static_cast<const char*>(m.data()), m.size()}; }

}  // namespace

Receiver::Receiver(storage::Db& db, ReceiverOptions options, BatchSink sink, Logger* log)
    : db_(db), options_(std::move(options)), sink_(std::move(sink)), log_(log) {
  if (log_ == nullptr) {
    own_log_ = std::make_unique<Logger>();
    log_ = own_log_.get();
  }
}

Result<std::unique_ptr<Receiver>> Receiver::Start(storage::Db& db, ReceiverOptions options, BatchSink sink,
                                                  Logger* log) {
  if (!sink) return Error(ErrorCode::kInvalidArgument, "receiver: no storage sink");
  if (options.max_pending_control == 0 || options.control_resend_ns <= 0) {
    return Error(ErrorCode::kInvalidArgument, "receiver: control.max-pending and control.resend must be > 0");
  }
  if (options.max_batches_per_commit == 0) {
    return Error(ErrorCode::kInvalidArgument, "receiver: max_batches_per_commit must be > 0");
  }
  if (!options.insecure_plaintext) {
    if (!DecodeCurveKey(options.server_keys.public_z85) || !DecodeCurveKey(options.server_keys.secret_z85)) {
      return Error(ErrorCode::kInvalidArgument,
                   "receiver: CURVE needs the server key pair (transport.curve.secret-key-file)");
    }
    if (!options.allow_list) {
      return Error(ErrorCode::kInvalidArgument, "receiver: CURVE needs an allow list (transport.curve.allow-list)");
    }
  }
  std::unique_ptr<Receiver> rx(new Receiver(db, std::move(options), std::move(sink), log));
  VIGIL_CHECK_OK(rx->Init());
  rx->committer_ = std::thread([p = rx.get()] { p->CommitterRun(); });
  rx->thread_ = std::thread([p = rx.get()] { p->Run(); });
  return rx;
}

Status Receiver::Init() {
  VIGIL_TRY(group_, registry_.Register(kDefs));
  block_ = registry_.NewBlock("transport-rx");
  CounterBlock* zap_block = registry_.NewBlock("transport-zap");
  VIGIL_TRY(marks_, db_.OpenFamily(options_.marks_family));
  VIGIL_CHECK_OK(LoadMarks());
  VIGIL_TRY(waker_, Waker::Create());
  ctl_seq_base_ = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  try {
    if (options_.insecure_plaintext) {
      log_->Warning("transport", "receiver on {} runs WITHOUT encryption or authentication "
                    "(transport.insecure); origins are trusted as claimed", options_.bind);
    } else {
      // The ZAP handler must exist before the CURVE socket binds, or libzmq admits every key.
      VIGIL_TRY(zap_, ZapHandler::Start(ctx_, options_.allow_list,
                                        ZapCounters{zap_block, group_[kZapAccepted], group_[kZapDenied],
                                                    group_[kZapMalformed]},
                                        *log_));
    }
    router_ = zmq::socket_t(ctx_, zmq::socket_type::router);
    router_.set(zmq::sockopt::linger, 0);
    router_.set(zmq::sockopt::rcvhwm, options_.receive_hwm);
    // Bigger messages make libzmq drop the connection before buffering them.
    router_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(options_.limits.max_frame_bytes));
    if (!options_.insecure_plaintext) {
      router_.set(zmq::sockopt::zap_domain, kZapDomain);
      router_.set(zmq::sockopt::curve_server, 1);
      router_.set(zmq::sockopt::curve_secretkey, options_.server_keys.secret_z85);
    }
    VIGIL_TRY(monitor_, SocketMonitor::Attach(ctx_, router_, kMonitorEvents));
    router_.bind(options_.bind);
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return Error(ErrorCode::kIo, "receiver: cannot bind " + options_.bind + ": " + e.what());
  }
  return Ok();
}

Status Receiver::LoadMarks() {
  auto it = db_.NewIterator(marks_);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    VIGIL_TRY(uint64_t seq, storage::GetU64BE(it.value(), 0));
    marks_committed_[std::string(it.key())] = seq;
  }
  return it.status();
}

Receiver::~Receiver() {
  if (thread_.joinable()) {
    stop_.store(true, std::memory_order_release);
    waker_.Wake();
    thread_.join();
  }
  if (committer_.joinable()) {
    {
      std::lock_guard lock(cmu_);
      committer_stop_ = true;
    }
    ccv_.notify_all();
    committer_.join();  // finishes a write in flight; its acks are not sent (senders resend)
  }
  monitor_.reset();
  router_.close();
  zap_.reset();
}

Result<uint64_t> Receiver::HighWaterMark(std::string_view origin) const {
  VIGIL_TRY(auto v, db_.Get(marks_, origin));
  if (!v) return uint64_t{0};
  return storage::GetU64BE(*v, 0);
}

void Receiver::Run() {
  zmq::pollitem_t items[] = {{router_.handle(), 0, ZMQ_POLLIN, 0},
                             {monitor_->socket().handle(), 0, ZMQ_POLLIN, 0},
                             {nullptr, waker_.fd(), ZMQ_POLLIN, 0}};
  try {
    while (!stop_.load(std::memory_order_acquire)) {
      // Back-pressure: with a full stage and a write in flight, read nothing until it returns.
      const bool full = commit_in_flight_ && staged_batches_ >= options_.max_batches_per_commit;
      items[0].events = full ? 0 : ZMQ_POLLIN;
      items[0].revents = 0;
      // Unacknowledged control messages need a timer for their resend; nothing else does.
      const auto timeout = pending_control_.load(std::memory_order_acquire) > 0
                               ? std::chrono::milliseconds(std::max<int64_t>(1, options_.control_resend_ns / kNanosPerMilli))
                               : std::chrono::milliseconds(-1);
      if (!PollRetryingEintr(items, 3, timeout)) continue;
      if (items[2].revents & ZMQ_POLLIN) {
        waker_.Drain();
        FinishCommit();
        TakeControlInbox();
      }
      if (items[1].revents & ZMQ_POLLIN) {
        while (auto ev = monitor_->Read()) {
          if (ev->event & kHandshakeFailedEvents) block_->Add(group_[kHandshakeFailed]);
          if (ev->event & ZMQ_EVENT_HANDSHAKE_SUCCEEDED) block_->Add(group_[kConnections]);
          if (ev->event & ZMQ_EVENT_DISCONNECTED) block_->Add(group_[kDisconnects]);
        }
      }
      if (items[0].revents & ZMQ_POLLIN) ProcessAvailable();
      MaybeStartCommit();
      FlushControl(MonotonicNanos());
    }
  } catch (const zmq::error_t& e) {
    log_->Error("transport", "receiver stopped: {}", e.what());
  }
}

void Receiver::ProcessAvailable() {
  // At most a stage's worth per call, so the loop also sees the committer and the monitor.
  for (size_t i = 0; i < options_.max_batches_per_commit; ++i) {
    if (commit_in_flight_ && staged_batches_ >= options_.max_batches_per_commit) break;
    zmq::message_t rid;
    if (!router_.recv(rid, zmq::recv_flags::dontwait)) break;
    if (!rid.more()) {  // a ROUTER always prefixes the routing id: cannot happen, but count it
      block_->Add(group_[kBadEnvelope]);
      continue;
    }
    zmq::message_t msg;
    if (!router_.recv(msg, zmq::recv_flags::none)) break;
    if (msg.more()) {  // a sender sends one frame per message: drain and refuse the rest
      block_->Add(group_[kBadEnvelope]);
      while (msg.more() && router_.recv(msg, zmq::recv_flags::none)) {
      }
      continue;
    }
    HandleMessage(rid, msg);
  }
}

void Receiver::CountRejected(FrameReject why, const zmq::message_t& msg, std::string_view message) {
  const char* user = options_.insecure_plaintext ? nullptr : zmq_msg_gets(msg.handle(), "User-Id");
  CountRejected(why, user ? std::string_view(user) : std::string_view("(unauthenticated)"), message);
}

void Receiver::CountRejected(FrameReject why, std::string_view peer, std::string_view message) {
  const auto r = static_cast<size_t>(why);
  block_->Add(group_[kRejectBase + static_cast<uint32_t>(r) - 1]);
  // A broken or hostile peer repeats itself: one warning per reason per interval, with the
  // number held back since; the counter has every one.
  const int64_t now = MonotonicNanos();
  if (reject_warned_ns_[r] != 0 && now - reject_warned_ns_[r] < kRejectWarnIntervalNs) {
    ++reject_suppressed_[r];
    return;
  }
  log_->Warning("transport", "rejected frame from '{}': {} ({} more rejected for this reason since the last "
                "warning; transport.rx.rejected.{} counts them all)",
                peer, message, reject_suppressed_[r], FrameRejectName(why));
  reject_warned_ns_[r] = now;
  reject_suppressed_[r] = 0;
}

void Receiver::HandleMessage(const zmq::message_t& rid, const zmq::message_t& msg) {
  block_->Add(group_[kFrames]);
  FrameReject why = FrameReject::kNone;
  auto parsed = ParseFrame(View(msg), options_.limits, &why);
  if (!parsed) {
    CountRejected(why, msg, parsed.error().message);
    return;
  }
  const FrameView& f = *parsed;
  std::string_view origin = f.origin;
  std::string_view province;
  if (!options_.insecure_plaintext) {
    // zmq_msg_gets reads the connection's metadata: User-Id and Province come from our ZAP
    // handler, i.e. from the client's key. The frame's claim must agree with it.
    const char* user = zmq_msg_gets(msg.handle(), "User-Id");
    if (user == nullptr || f.origin != std::string_view(user)) {
      block_->Add(group_[kOriginMismatch]);
      // Once per identity (bounded): a misconfigured sender retries every second.
      const std::string who = user ? user : "";
      if (mismatch_warned_.size() >= 1024 || !mismatch_warned_.insert(who).second) return;
      log_->Warning("transport", "frame claims origin '{}' but the sender's key belongs to '{}': rejected",
                    f.origin, user ? user : "(none)");
      return;
    }
    if (const char* prov = zmq_msg_gets(msg.handle(), "Province")) province = prov;
  }
  // The connection an origin last spoke on is where its control messages go.
  if (auto r = routes_.find(std::string(origin)); r == routes_.end() || r->second != View(rid)) {
    if (routes_.size() < 65536 || r != routes_.end()) routes_[std::string(origin)] = std::string(View(rid));
  }
  switch (f.type) {
    case FrameType::kBatch:
      HandleBatch(rid, f, origin, province);
      return;
    case FrameType::kHello:
      block_->Add(group_[kHellos]);
      QueueAck(rid, origin);
      // A new connection: whatever control was sent on the old one may be lost.
      if (auto it = ctl_out_.find(std::string(origin)); it != ctl_out_.end()) {
        for (auto& c : it->second) c.sent_ns = 0;
      }
      if (options_.on_hello) options_.on_hello(origin);
      return;
    case FrameType::kHeartbeat:
      block_->Add(group_[kHeartbeats]);
      QueueAck(rid, origin);
      return;
    case FrameType::kControlAck:
      block_->Add(group_[kControlAcks]);
      HandleControlAck(origin, f.seq);
      return;
    case FrameType::kAck:
    case FrameType::kControl:
      block_->Add(group_[kUnexpectedType]);
      return;
  }
}

uint64_t Receiver::PendingMark(std::string_view origin) const {
  // Heterogeneous lookup needs C++20 transparent hashing; origins are short, copy instead.
  const std::string key(origin);
  if (auto it = marks_pending_.find(key); it != marks_pending_.end()) return it->second;
  if (auto it = marks_committed_.find(key); it != marks_committed_.end()) return it->second;
  return 0;
}

void Receiver::HandleBatch(const zmq::message_t& rid, const FrameView& f, std::string_view origin,
                           std::string_view province) {
  const uint64_t hwm = PendingMark(origin);
  // Below low_seq the sender holds nothing any more: the next batch we can get is low_seq.
  const uint64_t expected = std::max(hwm + 1, f.low_seq);
  if (f.seq < expected) {
    block_->Add(group_[kDuplicates]);
    QueueAck(rid, origin);
    return;
  }
  if (f.seq > expected) {
    // An earlier batch is missing (lost in flight at a reconnect): storing this one would make
    // the hwm skip the missing batch for ever. The ack tells the sender where we are.
    block_->Add(group_[kOutOfOrder]);
    QueueAck(rid, origin);
    return;
  }
  if (expected > hwm + 1) {
    block_->Add(group_[kGaps], expected - hwm - 1);
    log_->Warning("transport", "origin '{}' dropped batches {}..{} before sending them (spool full, "
                  "drop-oldest)", origin, hwm + 1, expected - 1);
  }
  FrameReject why = FrameReject::kNone;
  auto events = BatchEvents(f, options_.limits, &events_scratch_, &why);
  if (!events) {  // a compressed batch that does not decompress to what it declares: not stored
    CountRejected(why, origin, events.error().message);
    return;
  }
  wb_.SetSavePoint();
  ReceivedBatch batch{origin, province, f.seq, f.event_count, *events};
  Status s = sink_(batch, wb_);
  if (s) s = wb_.Put(marks_, origin, storage::U64Key(f.seq));
  if (!s) {
    (void)wb_.RollbackToSavePoint();
    block_->Add(group_[kStoreErrors]);
    log_->Error("transport", "origin '{}' batch {} not stored: {}", origin, f.seq, s.error().message);
    return;
  }
  (void)wb_.PopSavePoint();
  marks_pending_[std::string(origin)] = f.seq;
  ++staged_batches_;
  staged_events_ += f.event_count;
  QueueAck(rid, origin);
}

void Receiver::QueueAck(const zmq::message_t& rid, std::string_view origin) {
  const std::string_view r = View(rid);
  for (const auto& a : acks_) {
    if (a.routing_id == r && a.origin == origin) return;
  }
  acks_.push_back({std::string(r), std::string(origin)});
}

Result<uint64_t> Receiver::SendControl(std::string_view origin, const ControlMessage& message) {
  InboxEntry e;
  e.origin = std::string(origin);
  std::string payload;
  VIGIL_CHECK_OK(EncodeControlPayload(message, &payload));
  uint64_t seq = 0;
  {
    std::lock_guard lock(ctl_mu_);
    size_t& count = ctl_count_[e.origin];
    if (count >= options_.max_pending_control) {
      return Error(ErrorCode::kLimit, "receiver: " + std::to_string(count) + " control messages for '" + e.origin +
                                          "' unacknowledged (transport.control.max-pending)");
    }
    uint64_t& next = ctl_next_seq_[e.origin];
    if (next == 0) next = ctl_seq_base_;
    seq = ++next;
    FrameView f;
    f.type = FrameType::kControl;
    f.seq = seq;
    f.origin = e.origin;
    f.payload = payload;
    VIGIL_CHECK_OK(EncodeFrame(f, options_.limits, &e.out.frame));
    e.out.seq = seq;
    e.out.sent_ns = 0;
    ++count;
    ctl_inbox_.push_back(std::move(e));
  }
  pending_control_.fetch_add(1, std::memory_order_acq_rel);
  waker_.Wake();
  return seq;
}

void Receiver::TakeControlInbox() {
  std::vector<InboxEntry> in;
  {
    std::lock_guard lock(ctl_mu_);
    in.swap(ctl_inbox_);
  }
  for (auto& e : in) ctl_out_[e.origin].push_back(std::move(e.out));
}

void Receiver::FlushControl(int64_t now) {
  for (auto& [origin, q] : ctl_out_) {
    if (q.empty()) continue;
    auto route = routes_.find(origin);
    if (route == routes_.end()) continue;  // not connected yet: sent when it says hello
    // Resend everything from the oldest if it waited too long for its ack.
    if (q.front().sent_ns != 0 && now - q.front().sent_ns >= options_.control_resend_ns) {
      for (auto& c : q) c.sent_ns = 0;
    }
    for (auto& c : q) {
      if (c.sent_ns != 0) continue;
      bool ok = false;
      try {
        ok = router_.send(zmq::buffer(route->second), zmq::send_flags::sndmore | zmq::send_flags::dontwait) &&
             router_.send(zmq::buffer(c.frame), zmq::send_flags::dontwait);
      } catch (const zmq::error_t&) {
        ok = false;  // peer gone: sent again after its next hello
      }
      if (!ok) {
        block_->Add(group_[kControlDropped]);
        c.sent_ns = now;  // retried after control_resend_ns or on reconnect; keep the order
        break;
      }
      block_->Add(group_[c.ever_sent ? kControlResent : kControlSent]);
      c.ever_sent = true;
      c.sent_ns = now;
    }
  }
}

void Receiver::HandleControlAck(std::string_view origin, uint64_t seq) {
  auto it = ctl_out_.find(std::string(origin));
  if (it == ctl_out_.end()) return;
  size_t n = 0;
  while (!it->second.empty() && it->second.front().seq <= seq) {
    it->second.pop_front();
    ++n;
  }
  if (n == 0) return;
  pending_control_.fetch_sub(n, std::memory_order_acq_rel);
  std::lock_guard lock(ctl_mu_);
  ctl_count_[it->first] -= n;
}

void Receiver::MaybeStartCommit() {
  if (commit_in_flight_) return;
  if (wb_.empty()) {
    // Nothing to store (duplicates, hellos, heartbeats): answer with the committed marks now.
    SendAcks(acks_);
    return;
  }
  auto job = std::make_unique<CommitJob>();
  job->wb = std::move(wb_);
  if (have_spare_wb_) {
    wb_ = std::move(spare_wb_);
    have_spare_wb_ = false;
  } else {
    wb_ = storage::WriteBatch();
  }
  for (auto& [o, seq] : marks_pending_) job->marks[o] = seq;
  job->acks.swap(acks_);
  job->batches = staged_batches_;
  job->events = staged_events_;
  staged_batches_ = 0;
  staged_events_ = 0;
  commit_in_flight_ = true;
  {
    std::lock_guard lock(cmu_);
    job_ = std::move(job);
    job_ready_ = true;
  }
  ccv_.notify_one();
}

void Receiver::FinishCommit() {
  std::unique_ptr<CommitJob> job;
  {
    std::lock_guard lock(cmu_);
    if (!job_done_) return;
    job_done_ = false;
    job = std::move(job_);
  }
  commit_in_flight_ = false;
  if (job->result) {
    for (auto& [o, seq] : job->marks) marks_committed_[o] = std::max(marks_committed_[o], seq);
    block_->Add(group_[kCommits]);
    block_->Add(group_[kBatchesStored], job->batches);
    block_->Add(group_[kEventsStored], job->events);
  } else {
    block_->Add(group_[kCommitErrors]);
    log_->Error("transport", "receiver: durable write of {} batches failed: {}", job->batches,
                job->result.error().message);
    // What is staged now was accepted on top of the failed batches: drop it too, and go back to
    // the committed marks. Senders resend from the acked mark (ack timeout / out-of-order ack).
    wb_.Clear();
    staged_batches_ = 0;
    staged_events_ = 0;
  }
  if (!job->result || wb_.empty()) {
    marks_pending_.clear();
  } else {
    // Pending marks of origins only in the finished job are now committed; keep the others.
    for (auto it = marks_pending_.begin(); it != marks_pending_.end();) {
      auto c = marks_committed_.find(it->first);
      it = (c != marks_committed_.end() && c->second >= it->second) ? marks_pending_.erase(it) : std::next(it);
    }
  }
  SendAcks(job->acks);
  if (job->wb.byte_size() <= kKeepBatchBytes) {
    job->wb.Clear();
    spare_wb_ = std::move(job->wb);
    have_spare_wb_ = true;
  }
}

void Receiver::CommitterRun() {
  for (;;) {
    CommitJob* job = nullptr;
    {
      std::unique_lock lock(cmu_);
      ccv_.wait(lock, [&] { return job_ready_ || committer_stop_; });
      if (!job_ready_) return;
      job_ready_ = false;
      job = job_.get();
    }
    // The receiver thread does not touch job_ until job_done_: no lock needed for the write.
    job->result = db_.Write(job->wb, options_.durability);
    {
      std::lock_guard lock(cmu_);
      job_done_ = true;
    }
    waker_.Wake();
  }
}

void Receiver::SendAcks(std::vector<PendingAck>& acks) {
  // Acks carry the committed mark only: never acknowledge what is not on disk.
  for (const auto& a : acks) {
    uint64_t mark = 0;
    if (auto it = marks_committed_.find(a.origin); it != marks_committed_.end()) mark = it->second;
    FrameView ack;
    ack.type = FrameType::kAck;
    ack.seq = mark;
    ack.origin = a.origin;
    if (!EncodeFrame(ack, options_.limits, &ack_buf_)) continue;
    try {
      if (!router_.send(zmq::buffer(a.routing_id), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
          !router_.send(zmq::buffer(ack_buf_), zmq::send_flags::dontwait)) {
        block_->Add(group_[kAcksDropped]);
        continue;
      }
      block_->Add(group_[kAcksSent]);
    } catch (const zmq::error_t&) {
      block_->Add(group_[kAcksDropped]);  // peer gone (EHOSTUNREACH): it will resend and ask again
    }
  }
  acks.clear();
}

}  // namespace vigil::transport
