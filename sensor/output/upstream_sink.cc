#include "sensor/output/upstream_sink.h"

#include <filesystem>

#include "transport/transport_config.h"

namespace vigil::sensor {

using transport::PrefixedKey;

UpstreamSink::UpstreamSink(std::unique_ptr<storage::Db> own_db, UpstreamSinkOptions options)
    : own_db_(std::move(own_db)), options_(std::move(options)) {}

UpstreamSink::~UpstreamSink() { sender_.reset(); }

Result<std::unique_ptr<UpstreamSink>> UpstreamSink::Open(UpstreamSinkOptions options, Logger* log) {
  if (options.spool_dir.empty()) {
    return Error(ErrorCode::kInvalidArgument, "upstream sink: no spool directory (spool.dir)");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.spool_dir, ec);
  if (ec) {
    return Error(ErrorCode::kIo, "upstream sink: cannot create spool directory " + options.spool_dir + ": " +
                                     ec.message());
  }
  storage::DbOptions dbo;
  dbo.path = options.spool_dir;
  VIGIL_TRY(std::unique_ptr<storage::Db> db, storage::Db::Open(dbo));
  storage::Db& ref = *db;
  std::unique_ptr<UpstreamSink> sink(new UpstreamSink(std::move(db), std::move(options)));
  VIGIL_TRY(sink->sender_, transport::Sender::Start(ref, sink->options_.sender, log));
  return sink;
}

Result<std::unique_ptr<UpstreamSink>> UpstreamSink::Start(storage::Db& db, UpstreamSinkOptions options,
                                                          Logger* log) {
  std::unique_ptr<UpstreamSink> sink(new UpstreamSink(nullptr, std::move(options)));
  VIGIL_TRY(sink->sender_, transport::Sender::Start(db, sink->options_.sender, log));
  return sink;
}

Status UpstreamSink::WriteLines(std::string_view lines) {
  blocks_.fetch_add(1, std::memory_order_relaxed);
  const auto r = sender_->SendLines(lines, options_.wait_for_room);
  queued_.fetch_add(r.accepted, std::memory_order_relaxed);
  if (r.no_room == 0 && r.refused == 0) return Ok();
  dropped_.fetch_add(r.no_room, std::memory_order_relaxed);
  refused_.fetch_add(r.refused, std::memory_order_relaxed);
  if (r.no_room > 0) {
    return Error(ErrorCode::kLimit, "upstream: " + std::to_string(r.no_room) +
                                        " events dropped: transport.max-pending-bytes full (spool not keeping up)");
  }
  return Error(ErrorCode::kInvalidArgument,
               "upstream: " + std::to_string(r.refused) + " empty or oversized lines refused");
}

Status UpstreamSink::Flush() {
  sender_->SealOpenBatch();
  return Ok();
}

std::string UpstreamSink::Describe() const {
  return "upstream: " + options_.sender.connect + " as " + options_.sender.origin;
}

UpstreamSinkStats UpstreamSink::Stats() const {
  UpstreamSinkStats s;
  s.lines_queued = queued_.load(std::memory_order_relaxed);
  s.lines_dropped = dropped_.load(std::memory_order_relaxed);
  s.lines_refused = refused_.load(std::memory_order_relaxed);
  s.blocks = blocks_.load(std::memory_order_relaxed);
  return s;
}

void DeclareUpstreamSinkConfig(ConfigSchema& schema, std::string_view prefix) {
  transport::DeclareSenderConfig(schema, prefix);
  schema.String(PrefixedKey(prefix, "spool.dir"), "",
                "directory of the upstream spool (RocksDB; created if missing); required for the upstream output");
}

Result<UpstreamSinkOptions> UpstreamSinkOptionsFromConfig(const Config& config, std::string_view prefix) {
  UpstreamSinkOptions o;
  VIGIL_TRY(o.sender, transport::SenderOptionsFromConfig(config, prefix));
  VIGIL_TRY(o.spool_dir, config.GetString(PrefixedKey(prefix, "spool.dir")));
  if (o.spool_dir.empty()) {
    return Error(ErrorCode::kInvalidArgument, PrefixedKey(prefix, "spool.dir") + " is required for the upstream output");
  }
  o.wait_for_room = o.sender.spool.full_policy == transport::SpoolFullPolicy::kBlock;
  return o;
}

Result<std::unique_ptr<UpstreamSink>> UpstreamSinkFromConfig(const Config& config, std::string_view prefix,
                                                             Logger* log, transport::ControlHandler on_control) {
  VIGIL_TRY(UpstreamSinkOptions o, UpstreamSinkOptionsFromConfig(config, prefix));
  o.sender.on_control = std::move(on_control);
  return UpstreamSink::Open(std::move(o), log);
}

}  // namespace vigil::sensor
