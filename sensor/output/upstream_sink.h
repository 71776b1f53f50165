// UpstreamSink: the sensor's EventSink that sends EVE lines to the provincial correlator through
// a transport Sender (transport/sender.h): spooled in RocksDB before sending, CURVE-encrypted,
// identified by the sensor's key, acknowledged after the receiver stored them.
//
// EventWriters hand it whole blocks of newline-terminated lines; the block goes to
// Sender::SendLines under one lock, and the sender cuts it into batches (batch.max-events /
// max-bytes / linger). Nothing is sent per event.
//
// The packet path never waits beyond the spool policy the operator chose:
//   spool.full-policy block        WriteLines may wait while max-pending-bytes of events are
//                                  waiting for the spool (the spool is full and the receiver
//                                  is not acknowledging): nothing is lost, capture stalls.
//   spool.full-policy drop-oldest  WriteLines never waits: a block that finds max-pending-bytes
//                                  full is dropped (counted), and a full spool drops its oldest
//                                  batches (counted by the sender).
// Every line not delivered is counted: Stats() and the sender's transport.tx.* counters.
//
//   ConfigSchema schema;  DeclareUpstreamSinkConfig(schema, "upstream");
//   ... load the config ...
//   VIGIL_TRY(auto up, UpstreamSinkFromConfig(cfg, "upstream", &log));
//   TeeSink tee({eve_file.get(), up.get()});          // or the upstream sink alone
//   Pipeline::Create(config, tee, options);
//   ... at exit: up->Drain(10s) to wait for the acks (optional: the spool keeps the rest).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/log.h"
#include "core/result.h"
#include "sensor/output/event_sink.h"
#include "storage/db.h"
#include "transport/sender.h"

namespace vigil::sensor {

struct UpstreamSinkOptions {
  transport::SenderOptions sender;
  // RocksDB directory of the spool (created if missing); used by Open() only. <prefix>.spool.dir
  std::string spool_dir;
  // May WriteLines wait for room? Open()/UpstreamSinkFromConfig set it from the spool policy:
  // true under block, false under drop-oldest.
  bool wait_for_room = true;
};

// Lines handed to the sink and what became of them (since start; monotonic).
struct UpstreamSinkStats {
  uint64_t lines_queued = 0;   // accepted by the sender (spooled, then sent)
  uint64_t lines_dropped = 0;  // not queued: no room (drop-oldest) or the sender was stopping
  uint64_t lines_refused = 0;  // invalid: empty line or larger than batch.max-bytes
  uint64_t blocks = 0;         // WriteLines calls
};

class UpstreamSink final : public EventSink {
 public:
  // Opens (or creates) the spool database at options.spool_dir and starts the sender.
  [[nodiscard]] static Result<std::unique_ptr<UpstreamSink>> Open(UpstreamSinkOptions options, Logger* log);
  // Runs the sender on a Db the caller owns (tests; a program that already has a Db). The Db
  // must outlive the sink.
  [[nodiscard]] static Result<std::unique_ptr<UpstreamSink>> Start(storage::Db& db, UpstreamSinkOptions options,
                                                                   Logger* log);
  ~UpstreamSink() override;  // stops the sender: what was accepted is spooled first

  // Queues the lines (see the policy above). Returns an error when some lines were dropped or
  // refused (the EventWriter counts output.write_errors); the others are queued anyway.
  [[nodiscard]] Status WriteLines(std::string_view lines) override;
  // Sends the open batch now instead of after linger. Does not wait for the spool or the ack.
  [[nodiscard]] Status Flush() override;
  // "upstream: tcp://host:7100 as prov-07/sensor-12"
  std::string Describe() const override;

  // Waits until every line queued so far is acknowledged by the receiver (shutdown, tests).
  Status Drain(std::chrono::milliseconds timeout) { return sender_->Drain(timeout); }
  UpstreamSinkStats Stats() const;
  // The sender's counters (transport.tx.*: spooled, sent, acked, dropped, no_room, refused...).
  const CounterRegistry& counters() const { return sender_->counters(); }

 private:
  UpstreamSink(std::unique_ptr<storage::Db> own_db, UpstreamSinkOptions options);

  std::unique_ptr<storage::Db> own_db_;  // Open(): destroyed after sender_
  UpstreamSinkOptions options_;
  std::unique_ptr<transport::Sender> sender_;
  std::atomic<uint64_t> queued_{0}, dropped_{0}, refused_{0}, blocks_{0};
};

// Declares the transport sender keys under `prefix` (transport/transport_config.h:
// <prefix>.upstream, .origin, .curve.server-public-key-file, .curve.secret-key-file,
// .batch.*, .spool.max-bytes|full-policy|sync, ...) plus <prefix>.spool.dir.
void DeclareUpstreamSinkConfig(ConfigSchema& schema, std::string_view prefix);
// Builds the options from a loaded config (reads the key files) and opens the sink.
// wait_for_room follows <prefix>.spool.full-policy.
[[nodiscard]] Result<UpstreamSinkOptions> UpstreamSinkOptionsFromConfig(const Config& config, std::string_view prefix);
// `on_control` receives the correlator's control messages (intelligence bundles; optional).
[[nodiscard]] Result<std::unique_ptr<UpstreamSink>> UpstreamSinkFromConfig(const Config& config,
                                                                          std::string_view prefix, Logger* log,
                                                                          transport::ControlHandler on_control = {});

}  // namespace vigil::sensor
