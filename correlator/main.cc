// vigil-correlator: receives event batches from sensors (or lower-tier correlators) over the
// transport, stores them durably, exactly once, in RocksDB (correlator/ingest/), indexes them,
// correlates them (correlator/engine/ through correlator/tier/CorrelationPipeline), stores the
// correlated alerts and, on a provincial correlator, forwards them upward through a Sender.
//
//   vigil-correlator -c CONFIG [--set key=value]... [-T] [--help] [--user USER[:GROUP]]
//                    [--log-file FILE] [--control-socket PATH | --no-control]
//
// This file only parses arguments, loads the configuration, opens the database, starts the
// receiver with the event store as its sink, prints counters periodically and on exit, and
// handles SIGINT/SIGTERM (clean shutdown: stop the receiver, flush and close the database), and
// runs retention (time-range deletion per class) on a timer.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <filesystem>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/control/daemon_ops.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/time.h"
#include "correlator/ingest/event_store_writer.h"
#include "correlator/publish/publish_config.h"
#include "correlator/store/retention.h"
#include "correlator/tier/correlation_pipeline.h"
#include "correlator/tier/rule_loader.h"
#include "storage/allocator_tuning.h"
#include "storage/db.h"
#include "storage/write_batch.h"
#include "transport/receiver.h"
#include "transport/sender.h"
#include "transport/transport_config.h"

namespace {

using vigil::Config;
using vigil::ConfigSchema;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr const char* kReceiverPrefix = "listen";
constexpr const char* kUpstreamPrefix = "upstream";
// Default retention per class (events.<class>), in the order of EventClass.
constexpr const char* kRetentionDefaults[vigil::correlator::kEventClassCount] = {
    "90d", "7d", "7d", "7d", "7d", "30d", "7d", "365d", "7d"};

struct Args {
  std::string config_path;
  std::vector<std::string> sets;
  bool test_config = false;
  vigil::control::DaemonOpsFlags ops;  // --user, --log-file, --control-socket, --no-control
};

ConfigSchema CorrelatorSchema() {
  ConfigSchema s;
  vigil::control::DeclareDaemonOpsConfig(s);  // control.socket, run-as.user/group
  vigil::transport::DeclareReceiverConfig(s, kReceiverPrefix);
  vigil::transport::DeclareSenderConfig(s, kUpstreamPrefix);
  vigil::correlator::DeclarePublishConfig(s);  // intel.trusted-keys, publish.*
  const vigil::correlator::EventStoreOptions d;
  const vigil::EngineConfig e;
  s.Choice("tier", "province", {"province", "national"},
           "province: receives sensors, may forward upward; national: receives provinces, no upstream")
      .Bool("forward", false, "forward correlated alerts upward through upstream.* (province tier only)")
      .List("forward-events", {"alert", "correlation"},
            "event classes sent upward with forward: true (received events keep their origin as "
            "vigil_source; correlation: also this correlator's own alerts)")
      .Bool("correlation.flush-on-exit", false,
            "at SIGTERM close every open window and forward its alerts (offline replays: event "
            "time stops with the input)")
      .Bool("correlation.enabled", true, "run the correlation engine over stored events")
      .String("correlation.rules", "",
              "comma-separated rule files/directories; empty: rules/correlation/default (province) "
              "or rules/correlation/national (national)")
      .String("correlation.origin", "correlator", "origin under which this correlator stores its own alerts")
      .Duration("correlation.allowed-lateness", "30s", "out-of-order tolerance in event time")
      .Int("correlation.checkpoint-events", 100'000, 0, 1'000'000'000,
           "events between window-state checkpoints (replayed from the store at start); 0: every batch")
      .Int("correlation.max-groups-per-rule", e.max_groups_per_rule, 1, 100'000'000,
           "group keys kept per correlation rule (least recently updated evicted)")
      .Duration("retention.interval", "1h", "how often expired events are deleted; 0 disables retention");
  for (size_t i = 0; i < vigil::correlator::kEventClassCount; ++i) {
    const auto cls = static_cast<vigil::correlator::EventClass>(i);
    s.Duration("retention." + std::string(vigil::correlator::EventClassName(cls)), kRetentionDefaults[i],
               "age after which events." + std::string(vigil::correlator::EventClassName(cls)) +
                   " are deleted (event time); 0 keeps them");
  }
  s.String("storage.path", "/var/lib/vigil/correlator", "RocksDB directory (created if missing)")
      .Size("storage.write-buffer", "64mb", "memtable size per column family before a flush", 1 << 20)
      .Size("ingest.max-event-bytes", "1mb", "longest event line accepted; longer ones are rejected", 64,
            1 << 30)
      .Size("ingest.max-rejected-bytes", "4kb", "bytes of a rejected line kept for inspection", 0,
            1 << 20)
      .Int("ingest.max-depth", d.max_depth, 1, 1024, "object/array nesting accepted in an event")
      .Choice("log.level", "info", {"error", "warning", "notice", "info", "debug"}, "log verbosity")
      .String("log.file", "", "log file (appended); empty or '-' for stderr")
      .Duration("stats.interval", "60s", "how often counters are printed to the log; 0 disables");
  return s;
}

struct Settings {
  vigil::transport::ReceiverOptions receiver;
  vigil::storage::DbOptions db;
  vigil::correlator::EventStoreOptions store;
  vigil::LogConfig log;
  int64_t stats_interval_ns = 0;
  bool national = false;
  bool forward = false;
  bool flush_on_exit = false;
  bool correlate = true;
  std::string rules;
  vigil::correlator::PipelineOptions pipeline;
  vigil::transport::SenderOptions upstream;
  vigil::correlator::PublishConfig publish;
  int64_t retention_interval_ns = 0;
  vigil::correlator::RetentionPolicy retention;
};

vigil::Result<Settings> BuildSettings(const Config& c) {
  Settings s;
  VIGIL_TRY(s.receiver, vigil::transport::ReceiverOptionsFromConfig(c, kReceiverPrefix));
  VIGIL_TRY(s.db.path, c.GetString("storage.path"));
  if (s.db.path.empty()) return vigil::Error(vigil::ErrorCode::kInvalidArgument, "storage.path is empty");
  vigil::correlator::StoreLayout::TuneDbOptions(s.db);  // append memtables for the index families
  VIGIL_TRY(int64_t wbuf, c.GetSize("storage.write-buffer"));
  s.db.write_buffer_bytes = static_cast<size_t>(wbuf);
  VIGIL_TRY(int64_t max_event, c.GetSize("ingest.max-event-bytes"));
  s.store.max_event_bytes = static_cast<size_t>(max_event);
  VIGIL_TRY(int64_t max_rej, c.GetSize("ingest.max-rejected-bytes"));
  s.store.max_rejected_bytes = static_cast<size_t>(max_rej);
  VIGIL_TRY(int64_t depth, c.GetInt("ingest.max-depth"));
  s.store.max_depth = static_cast<uint32_t>(depth);
  VIGIL_TRY(std::string level, c.GetString("log.level"));
  VIGIL_TRY(s.log.level, vigil::ParseLogLevel(level));
  VIGIL_TRY(s.log.path, c.GetString("log.file"));
  VIGIL_TRY(s.stats_interval_ns, c.GetDurationNanos("stats.interval"));
  VIGIL_TRY(std::string tier, c.GetString("tier"));
  s.national = tier == "national";
  VIGIL_TRY(s.forward, c.GetBool("forward"));
  VIGIL_TRY(auto forward_events, c.GetList("forward-events"));
  VIGIL_TRY(s.pipeline.forward, vigil::correlator::ParseForwardClasses(forward_events));
  VIGIL_TRY(s.flush_on_exit, c.GetBool("correlation.flush-on-exit"));
  if (s.national && s.forward) {
    return vigil::Error(vigil::ErrorCode::kInvalidArgument,
                        "tier national has no upstream: remove 'forward: true'");
  }
  if (s.forward) {
    VIGIL_TRY(s.upstream, vigil::transport::SenderOptionsFromConfig(c, kUpstreamPrefix));
    s.upstream.spool.name = "upstream";
  }
  VIGIL_TRY(s.publish, vigil::correlator::PublishConfigFromConfig(c));
  VIGIL_TRY(s.correlate, c.GetBool("correlation.enabled"));
  VIGIL_TRY(s.rules, c.GetString("correlation.rules"));
  if (s.rules.empty()) s.rules = s.national ? "rules/correlation/national" : "rules/correlation/default";
  VIGIL_TRY(s.pipeline.local_origin, c.GetString("correlation.origin"));
  VIGIL_TRY(s.pipeline.engine.allowed_lateness_ns, c.GetDurationNanos("correlation.allowed-lateness"));
  VIGIL_TRY(int64_t every, c.GetInt("correlation.checkpoint-events"));
  s.pipeline.checkpoint_every_events = static_cast<uint64_t>(every);
  VIGIL_TRY(int64_t groups, c.GetInt("correlation.max-groups-per-rule"));
  s.pipeline.engine.max_groups_per_rule = static_cast<uint32_t>(groups);
  VIGIL_TRY(s.retention_interval_ns, c.GetDurationNanos("retention.interval"));
  for (size_t i = 0; i < vigil::correlator::kEventClassCount; ++i) {
    const auto cls = static_cast<vigil::correlator::EventClass>(i);
    VIGIL_TRY(s.retention.max_age_ns[i],
              c.GetDurationNanos("retention." + std::string(vigil::correlator::EventClassName(cls))));
  }
  return s;
}

// One line of non-zero counters from both registries (receiver: duplicates, rejected frames...;
// store: stored per class, rejected per reason).
std::string FormatCounters(const vigil::CounterRegistry& rx, const vigil::CounterRegistry& store) {
  std::string out;
  for (const vigil::CounterRegistry* r : {&store, &rx}) {
    for (const auto& c : r->Snapshot()) {
      if (c.value == 0 && c.name != "ingest.batches" && c.name != "ingest.events") continue;
      if (!out.empty()) out += ' ';
      out += fmt::format("{}={}", c.name, c.value);
    }
  }
  return out;
}

int Run(const Args& a) {
  const ConfigSchema schema = CorrelatorSchema();
  if (!schema.status()) {
    fmt::print(stderr, "vigil-correlator: internal: {}\n", schema.status().error().message);
    return kExitError;
  }
  auto cfg = Config::LoadFile(a.config_path, schema, a.sets);
  if (!cfg) {
    fmt::print(stderr, "vigil-correlator: config: {}\n", cfg.error().message);
    return kExitError;
  }
  auto settings = BuildSettings(*cfg);
  if (!settings) {
    fmt::print(stderr, "vigil-correlator: config: {}\n", settings.error().message);
    return kExitError;
  }
  Settings& s = *settings;
  std::shared_ptr<const vigil::RuleSet> rules;
  {
    // Correlation off: an empty rule set (events are still stored and indexed).
    auto loaded = vigil::correlator::LoadCorrelationRules(s.correlate ? s.rules : std::string());
    if (!loaded) {
      fmt::print(stderr, "vigil-correlator: correlation rules ({}):\n{}\n", s.rules, loaded.error().message);
      return kExitError;
    }
    rules = std::move(*loaded);
  }
  if (a.test_config) {
    fmt::print("vigil-correlator: configuration {} is valid\n", a.config_path);
    return kExitOk;
  }

  // Operations (core/control/daemon_ops.h): --user is checked before anything is opened.
  const std::string tier_name = s.national ? "national" : "province";
  auto ops = vigil::control::DaemonOps::FromConfig(
      *cfg, {.program = "vigil-correlator", .instance = tier_name, .auto_name = "vigil-correlator-" + tier_name});
  if (!ops) {
    fmt::print(stderr, "vigil-correlator: {}\n", ops.error().message);
    return kExitError;
  }
  auto log_or = vigil::Logger::Open(s.log);
  if (!log_or) {
    fmt::print(stderr, "vigil-correlator: log: {}\n", log_or.error().message);
    return kExitError;
  }
  vigil::Logger& log = **log_or;

  // Block the stop signals before any thread starts so every thread inherits the mask; the
  // main thread waits for them with sigtimedwait (no async-signal-safety constraints).
  sigset_t stop_set;
  sigemptyset(&stop_set);
  sigaddset(&stop_set, SIGINT);
  sigaddset(&stop_set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_set, nullptr);

  std::error_code db_ec;
  const bool db_existed = std::filesystem::exists(s.db.path, db_ec);
  auto db = vigil::storage::Db::Open(s.db);
  if (!db) {
    fmt::print(stderr, "vigil-correlator: cannot open the database at {} (storage.path): {}\n",
               s.db.path, db.error().message);
    return kExitError;
  }
  // Intelligence down the hierarchy (correlator/publish): it hooks into the receiver's hellos
  // and the upstream's control messages, so it is prepared before either starts.
  auto publishing = vigil::correlator::Publishing::Prepare(s.publish, &log, s.receiver,
                                                           s.forward ? &s.upstream : nullptr, db->get());
  if (!publishing) {
    fmt::print(stderr, "vigil-correlator: {}\n", publishing.error().message);
    return kExitError;
  }
  std::unique_ptr<vigil::transport::Sender> upstream;
  vigil::correlator::UpstreamFn forward;
  if (s.forward) {
    auto tx = vigil::transport::Sender::Start(**db, s.upstream, &log);
    if (!tx) {
      fmt::print(stderr, "vigil-correlator: upstream {}: {}\n", s.upstream.connect, tx.error().message);
      return kExitError;
    }
    upstream = std::move(*tx);
    forward = [tx = upstream.get()](std::string_view json) { return tx->Send(json); };
  }
  auto store = vigil::correlator::CorrelationPipeline::Create(**db, s.store, rules, s.pipeline, forward);
  if (!store) {
    fmt::print(stderr, "vigil-correlator: event store: {}\n", store.error().message);
    return kExitError;
  }
  auto rx = vigil::transport::Receiver::Start(**db, s.receiver, (*store)->Sink(), &log);
  if (!rx) {
    fmt::print(stderr, "vigil-correlator: cannot listen on {}: {}\n", s.receiver.bind, rx.error().message);
    return kExitError;
  }
  if (*publishing) {
    if (auto st = (*publishing)->Start(**rx); !st) {
      fmt::print(stderr, "vigil-correlator: {}\n", st.error().message);
      return kExitError;
    }
  }
  log.Notice("correlator", "{} tier listening on {}, storing into {}, {} correlation rules{}",
             s.national ? "national" : "province", (*rx)->endpoint(), s.db.path,
             rules->correlations().size(), s.forward ? ", forwarding to " + s.upstream.connect : "");
  // `vigil status`: receiver, store, pipeline and upstream counters. Then --user drops root: the database
  // is open and the listening socket bound.
  (*ops)->report().AddCounters(&(*rx)->counters());
  (*ops)->report().AddCounters(&(*store)->writer().counters());
  (*ops)->report().AddCounters(&(*store)->registry());  // correlation.*, forward.*
  if (upstream) (*ops)->report().AddCounters(&upstream->counters());
  if (*publishing) (*ops)->report().AddCounters(&(*publishing)->counters());  // intel.bundles.*, publish.*
  (*ops)->report().SetSection("ruleset", [rules, path = s.rules, on = s.correlate](vigil::JsonWriter& w) {
    w.BeginObject();
    w.KeyUint("correlation_rules", rules->correlations().size());
    w.KeyString("path", on ? path : "");
    w.EndObject();
  });
  auto control = (*ops)->BindControl(log);  // reset first at shutdown: it reads the counters
  if (!control) {
    fmt::print(stderr, "vigil-correlator: {}\n", control.error().message);
    return kExitError;
  }
  if (auto st = (*ops)->HandOver(s.db.path, !db_existed); !st) {
    fmt::print(stderr, "vigil-correlator: --user: {}\n", st.error().message);
    return kExitError;
  }
  if (auto st = (*ops)->DropAndServe(control->get(), log); !st) {
    fmt::print(stderr, "vigil-correlator: --user: {}\n", st.error().message);
    return kExitError;
  }

  const vigil::correlator::StoreLayout& layout = (*store)->layout();  // retention: main thread
  const int64_t start_ns = vigil::MonotonicNanos();
  int64_t next_stats = s.stats_interval_ns > 0 ? start_ns + s.stats_interval_ns : INT64_MAX;
  int64_t next_retention = s.retention_interval_ns > 0 ? start_ns + s.retention_interval_ns : INT64_MAX;
  for (;;) {
    int sig = 0;
    const int64_t now = vigil::MonotonicNanos();
    if (now >= next_stats) {
      log.Info("stats", "{}", FormatCounters((*rx)->counters(), (*store)->writer().counters()));
      if (*publishing) log.Info("stats", "{}", FormatCounters((*publishing)->counters(), vigil::CounterRegistry{}));
      next_stats = now + s.stats_interval_ns;
    }
    if (now >= next_retention) {
      auto r = vigil::correlator::RunRetention(**db, layout, s.retention, vigil::WallClock{}.Now().ns);
      if (!r) log.Error("retention", "{}", r.error().message);
      else log.Info("retention", "{} families cut by time range", r->families_cut);
      next_retention = now + s.retention_interval_ns;
    }
    const int64_t wait = std::min(next_stats, next_retention) - now;
    if (wait < INT64_MAX / 2) {
      const int64_t w = std::max<int64_t>(wait, 1'000'000);
      timespec ts{static_cast<time_t>(w / vigil::kNanosPerSecond),
                  static_cast<long>(w % vigil::kNanosPerSecond)};
      sig = sigtimedwait(&stop_set, nullptr, &ts);
      if (sig < 0) continue;  // timeout (EAGAIN) or EINTR
    } else if (sigwait(&stop_set, &sig) != 0) {
      continue;
    }
    log.Notice("correlator", "signal {}: stopping", sig);
    break;
  }

  control->reset();
  // Stop receiving first: everything acknowledged is already durably stored (with the window
  // state: a restart resumes the open windows).
  if (*publishing) (*publishing)->Stop();  // sends through the receiver: stopped before it
  rx->reset();
  if (s.flush_on_exit) {  // the receiver is stopped: the pipeline is this thread's now
    vigil::storage::WriteBatch wb;
    auto st = (*store)->Flush(wb);
    if (st) st = (*db)->Write(wb, vigil::storage::Durability::kSync);
    if (!st) log.Error("correlator", "flush-on-exit: {}", st.error().message);
    else log.Notice("correlator", "flush-on-exit: {} correlated alerts in all", (*store)->counters().alerts_stored);
  }
  // Give the next tier what is pending (a clean stop leaves nothing waiting in the spool).
  if (upstream) {
    if (auto d = upstream->Drain(std::chrono::seconds(10)); !d) {
      log.Warning("correlator", "upstream: {} (unacknowledged events stay in the spool)", d.error().message);
    }
  }
  const auto& pc = (*store)->counters();
  const std::string final_counters =
      FormatCounters(vigil::CounterRegistry{}, (*store)->writer().counters()) +
      fmt::format(" correlation.events={} correlation.alerts={} correlation.forwarded={} "
                  "correlation.forward_errors={} forward.events={} forward.refused={}",
                  pc.events_correlated, pc.alerts_stored, pc.alerts_forwarded, pc.forward_errors,
                  pc.events_forwarded, pc.forward_refused);
  store->reset();
  upstream.reset();  // spools what is pending; unacknowledged alerts are resent next start
  if (auto st = (*db)->Flush(); !st) {
    log.Error("correlator", "flush on shutdown failed: {}", st.error().message);
  }
  db->reset();
  fmt::print("vigil-correlator: {}\n", final_counters);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  vigil::storage::RetainFreedMemtableMemory();  // before any thread starts (allocator_tuning.h)
  CLI::App app{"vigil-correlator: receives event batches from sensors over the authenticated "
               "transport and stores every event exactly once (RocksDB)."};
  app.set_help_flag("-h,--help", "print this help and exit");
  Args a;
  app.add_option("-c", a.config_path, "YAML configuration file")->required();
  app.add_option("--set", a.sets, "override a config key: --set listen.bind=tcp://0.0.0.0:7100")
      ->expected(1)
      ->take_all();
  app.add_flag("-T", a.test_config, "test the configuration and exit (0: valid, 1: invalid)");
  app.add_option("--user", a.ops.user,
                 "drop root to USER[:GROUP] once the database is open and the sockets bound (run-as.*)");
  app.add_option("--log-file", a.ops.log_file, "operator log to this file (appended) instead of stderr (log.file)");
  app.add_option("--control-socket", a.ops.control_socket,
                 "unix socket answering `vigil status` (default: /run/vigil/vigil-correlator-TIER.sock "
                 "as root, ./vigil-correlator-TIER.sock otherwise)");
  app.add_flag("--no-control", a.ops.no_control, "no control socket (control.socket: none)");
  app.footer("Example:\n  vigil-correlator -c correlator/vigil-correlator.yaml\n"
             "Config keys are listed with their defaults in correlator/vigil-correlator.yaml.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "vigil-correlator: {}\nRun 'vigil-correlator --help' for the options.\n", e.what());
    return kExitUsage;
  }
  // Flags that stand for config keys are applied after the user's own --set.
  for (std::string& s : vigil::control::DaemonOpsOverrides(a.ops, "log.file")) a.sets.push_back(std::move(s));
  return Run(a);
}
