#include "transport/transport_config.h"

#include <string>

namespace vigil::transport {
namespace {

std::string K(std::string_view prefix, std::string_view key) { return PrefixedKey(prefix, key); }

// Size/duration defaults are written as config text; these render the struct defaults so the
// declared default cannot drift from the struct.
std::string Bytes(uint64_t v) { return std::to_string(v) + "b"; }
std::string Millis(int64_t ns) { return std::to_string(ns / kNanosPerMilli) + "ms"; }

Result<size_t> GetPositive(const Config& c, const std::string& key) {
  VIGIL_TRY(int64_t v, c.GetSize(key));
  return static_cast<size_t>(v);
}

}  // namespace

std::string PrefixedKey(std::string_view prefix, std::string_view key) {
  std::string k(prefix);
  k.push_back('.');
  k.append(key);
  return k;
}

void DeclareSenderConfig(ConfigSchema& s, std::string_view p) {
  const SenderOptions d;
  s.String(K(p, "upstream"), d.connect, "receiver endpoint, e.g. tcp://correlator:7100")
      .String(K(p, "origin"), "", "this sender's identity; must be what the receiver's allow list gives our key")
      .Bool(K(p, "insecure"), false, "plaintext, no authentication (never on production links)")
      .String(K(p, "curve.server-public-key-file"), "", "receiver's CURVE public key file (Z85)")
      .String(K(p, "curve.secret-key-file"), "", "this sender's CURVE key pair file (mode 0600)")
      .Int(K(p, "batch.max-events"), static_cast<int64_t>(d.batch_max_events), 1, UINT32_MAX,
           "events per batch at most")
      .Size(K(p, "batch.max-bytes"), Bytes(d.batch_max_bytes), "payload bytes per batch at most", 1)
      .Duration(K(p, "batch.linger"), Millis(d.linger_ns), "a batch is sent at most this long after its first event")
      .Choice(K(p, "compression"), d.compress_lz4 ? "lz4" : "none", {"lz4", "none"},
              "batches compressed with LZ4 before spooling and sending (receivers accept both)")
      .Int(K(p, "window"), static_cast<int64_t>(d.window), 1, 1 << 16, "batches in flight (unacknowledged)")
      .Int(K(p, "spool-group-batches"), static_cast<int64_t>(d.spool_group_max_batches), 1, 1 << 16,
           "batches stored with one synced spool write at most (group commit)")
      .Duration(K(p, "ack-timeout"), Millis(d.ack_timeout_ns), "resend the window without an ack for this long", 1)
      .Duration(K(p, "heartbeat-interval"), Millis(d.heartbeat_interval_ns), "heartbeat period", 1)
      .Duration(K(p, "peer-timeout"), Millis(d.peer_timeout_ns), "reconnect after this long without a message", 1)
      .Duration(K(p, "reconnect-interval"), Millis(d.reconnect_interval_ns), "first reconnect delay", 1)
      .Size(K(p, "max-pending-bytes"), Bytes(d.max_pending_bytes), "events accepted but not yet spooled (Send blocks above)", 1)
      .Size(K(p, "max-frame-bytes"), Bytes(d.limits.max_frame_bytes), "largest frame sent or accepted", 1024)
      .Size(K(p, "spool.max-bytes"), Bytes(d.spool.max_bytes), "unacknowledged batches kept on disk at most", 1)
      .Choice(K(p, "spool.full-policy"), SpoolFullPolicyName(d.spool.full_policy), {"block", "drop-oldest"},
              "what a full spool does: block producers or drop the oldest batches (counted, logged)")
      .Bool(K(p, "spool.sync"), d.spool.append_durability == storage::Durability::kSync,
            "fsync spool writes (survive power loss); no: survive a process crash only");
}

void DeclareReceiverConfig(ConfigSchema& s, std::string_view p) {
  const ReceiverOptions d;
  s.String(K(p, "bind"), d.bind, "endpoint to listen on, e.g. tcp://0.0.0.0:7100")
      .Bool(K(p, "insecure"), false, "plaintext, no authentication, origins trusted as claimed")
      .String(K(p, "curve.secret-key-file"), "", "this receiver's CURVE key pair file (mode 0600)")
      .String(K(p, "curve.allow-list"), "", "allow-list file or directory: client key -> identity [province]")
      .Size(K(p, "max-frame-bytes"), Bytes(d.limits.max_frame_bytes), "largest frame accepted", 1024)
      .Int(K(p, "max-staged-batches"), static_cast<int64_t>(d.max_batches_per_commit), 1, 1 << 20,
           "batches staged for the next durable write before reading pauses (group commit)")
      .Bool(K(p, "sync"), d.durability == storage::Durability::kSync, "fsync before acknowledging (survive power loss)")
      .Int(K(p, "receive-hwm"), d.receive_hwm, 1, 1 << 20, "ZeroMQ queue of unread messages")
      .Int(K(p, "control.max-pending"), static_cast<int64_t>(d.max_pending_control), 1, 1 << 20,
           "control messages per origin awaiting acknowledgement")
      .Duration(K(p, "control.resend"), Millis(d.control_resend_ns), "resend an unacknowledged control message after", 1);
}

Result<SenderOptions> SenderOptionsFromConfig(const Config& c, std::string_view p) {
  SenderOptions o;
  VIGIL_TRY(o.connect, c.GetString(K(p, "upstream")));
  VIGIL_TRY(o.origin, c.GetString(K(p, "origin")));
  VIGIL_TRY(o.insecure_plaintext, c.GetBool(K(p, "insecure")));
  if (!o.insecure_plaintext) {
    VIGIL_TRY(std::string server_file, c.GetString(K(p, "curve.server-public-key-file")));
    VIGIL_TRY(std::string secret_file, c.GetString(K(p, "curve.secret-key-file")));
    if (server_file.empty() || secret_file.empty()) {
      return Error(ErrorCode::kInvalidArgument, K(p, "curve.server-public-key-file") + " and " +
                                                    K(p, "curve.secret-key-file") + " are required unless " +
                                                    K(p, "insecure") + " is set");
    }
    VIGIL_TRY(o.server_public_key, LoadPublicKeyFile(server_file));
    VIGIL_TRY(o.client_keys, LoadSecretKeyFile(secret_file));
  }
  VIGIL_TRY(int64_t max_events, c.GetInt(K(p, "batch.max-events")));
  o.batch_max_events = static_cast<size_t>(max_events);
  VIGIL_TRY(o.batch_max_bytes, GetPositive(c, K(p, "batch.max-bytes")));
  VIGIL_TRY(o.linger_ns, c.GetDurationNanos(K(p, "batch.linger")));
  VIGIL_TRY(std::string compression, c.GetString(K(p, "compression")));
  o.compress_lz4 = compression == "lz4";
  VIGIL_TRY(int64_t window, c.GetInt(K(p, "window")));
  o.window = static_cast<size_t>(window);
  VIGIL_TRY(int64_t group, c.GetInt(K(p, "spool-group-batches")));
  o.spool_group_max_batches = static_cast<size_t>(group);
  VIGIL_TRY(o.ack_timeout_ns, c.GetDurationNanos(K(p, "ack-timeout")));
  VIGIL_TRY(o.heartbeat_interval_ns, c.GetDurationNanos(K(p, "heartbeat-interval")));
  VIGIL_TRY(o.peer_timeout_ns, c.GetDurationNanos(K(p, "peer-timeout")));
  VIGIL_TRY(o.reconnect_interval_ns, c.GetDurationNanos(K(p, "reconnect-interval")));
  VIGIL_TRY(o.max_pending_bytes, GetPositive(c, K(p, "max-pending-bytes")));
  VIGIL_TRY(o.limits.max_frame_bytes, GetPositive(c, K(p, "max-frame-bytes")));
  VIGIL_TRY(o.spool.max_bytes, GetPositive(c, K(p, "spool.max-bytes")));
  VIGIL_TRY(std::string policy, c.GetString(K(p, "spool.full-policy")));
  VIGIL_TRY(o.spool.full_policy, ParseSpoolFullPolicy(policy));
  VIGIL_TRY(bool sync, c.GetBool(K(p, "spool.sync")));
  o.spool.append_durability = sync ? storage::Durability::kSync : storage::Durability::kBuffered;
  return o;
}

Result<ReceiverOptions> ReceiverOptionsFromConfig(const Config& c, std::string_view p) {
  ReceiverOptions o;
  VIGIL_TRY(o.bind, c.GetString(K(p, "bind")));
  VIGIL_TRY(o.insecure_plaintext, c.GetBool(K(p, "insecure")));
  if (!o.insecure_plaintext) {
    VIGIL_TRY(std::string secret_file, c.GetString(K(p, "curve.secret-key-file")));
    VIGIL_TRY(std::string allow_path, c.GetString(K(p, "curve.allow-list")));
    if (secret_file.empty() || allow_path.empty()) {
      return Error(ErrorCode::kInvalidArgument, K(p, "curve.secret-key-file") + " and " + K(p, "curve.allow-list") +
                                                    " are required unless " + K(p, "insecure") + " is set");
    }
    VIGIL_TRY(o.server_keys, LoadSecretKeyFile(secret_file));
    VIGIL_TRY(AllowList allow, AllowList::Load(allow_path));
    o.allow_list = std::make_shared<const AllowList>(std::move(allow));
  }
  VIGIL_TRY(o.limits.max_frame_bytes, GetPositive(c, K(p, "max-frame-bytes")));
  VIGIL_TRY(int64_t staged, c.GetInt(K(p, "max-staged-batches")));
  o.max_batches_per_commit = static_cast<size_t>(staged);
  VIGIL_TRY(bool sync, c.GetBool(K(p, "sync")));
  o.durability = sync ? storage::Durability::kSync : storage::Durability::kBuffered;
  VIGIL_TRY(int64_t hwm, c.GetInt(K(p, "receive-hwm")));
  o.receive_hwm = static_cast<int>(hwm);
  VIGIL_TRY(int64_t pending, c.GetInt(K(p, "control.max-pending")));
  o.max_pending_control = static_cast<size_t>(pending);
  VIGIL_TRY(o.control_resend_ns, c.GetDurationNanos(K(p, "control.resend")));
  return o;
}

}  // namespace vigil::transport
