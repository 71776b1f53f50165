// vigil-correlator: receives event batches from sensors (or lower-tier correlators) over the
// transport and stores them durably, exactly once, in RocksDB (correlator/ingest/).
//
//   vigil-correlator -c CONFIG [--set key=value]... [-T] [--help]
//
// This file only parses arguments, loads the configuration, opens the database, starts the
// receiver with the event store as its sink, prints counters periodically and on exit, and
// handles SIGINT/SIGTERM (clean shutdown: stop the receiver, flush and close the database).
// The correlation engine is not wired in yet.
#include <signal.h>
#include <time.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/time.h"
#include "correlator/ingest/event_store_writer.h"
#include "storage/db.h"
#include "transport/receiver.h"
#include "transport/transport_config.h"

namespace {

using vigil::Config;
using vigil::ConfigSchema;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr const char* kReceiverPrefix = "listen";

struct Args {
  std::string config_path;
  std::vector<std::string> sets;
  bool test_config = false;
};

ConfigSchema CorrelatorSchema() {
  ConfigSchema s;
  vigil::transport::DeclareReceiverConfig(s, kReceiverPrefix);
  const vigil::correlator::EventStoreOptions d;
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
};

vigil::Result<Settings> BuildSettings(const Config& c) {
  Settings s;
  VIGIL_TRY(s.receiver, vigil::transport::ReceiverOptionsFromConfig(c, kReceiverPrefix));
  VIGIL_TRY(s.db.path, c.GetString("storage.path"));
  if (s.db.path.empty()) return vigil::Error(vigil::ErrorCode::kInvalidArgument, "storage.path is empty");
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
  if (a.test_config) {
    fmt::print("vigil-correlator: configuration {} is valid\n", a.config_path);
    return kExitOk;
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

  auto db = vigil::storage::Db::Open(s.db);
  if (!db) {
    fmt::print(stderr, "vigil-correlator: cannot open the database at {} (storage.path): {}\n",
               s.db.path, db.error().message);
    return kExitError;
  }
  auto store = vigil::correlator::EventStoreWriter::Create(**db, s.store);
  if (!store) {
    fmt::print(stderr, "vigil-correlator: event store: {}\n", store.error().message);
    return kExitError;
  }
  auto rx = vigil::transport::Receiver::Start(**db, s.receiver, (*store)->Sink(), &log);
  if (!rx) {
    fmt::print(stderr, "vigil-correlator: cannot listen on {}: {}\n", s.receiver.bind, rx.error().message);
    return kExitError;
  }
  log.Notice("correlator", "listening on {}, storing into {}", (*rx)->endpoint(), s.db.path);

  for (;;) {
    int sig = 0;
    if (s.stats_interval_ns > 0) {
      timespec ts{static_cast<time_t>(s.stats_interval_ns / vigil::kNanosPerSecond),
                  static_cast<long>(s.stats_interval_ns % vigil::kNanosPerSecond)};
      sig = sigtimedwait(&stop_set, nullptr, &ts);
      if (sig < 0) {
        log.Info("stats", "{}", FormatCounters((*rx)->counters(), (*store)->counters()));
        continue;  // timeout (EAGAIN) or EINTR
      }
    } else if (sigwait(&stop_set, &sig) != 0) {
      continue;
    }
    log.Notice("correlator", "signal {}: stopping", sig);
    break;
  }

  // Stop receiving first: everything acknowledged is already durably stored.
  const std::string final_counters = FormatCounters((*rx)->counters(), (*store)->counters());
  rx->reset();
  store->reset();
  if (auto st = (*db)->Flush(); !st) {
    log.Error("correlator", "flush on shutdown failed: {}", st.error().message);
  }
  db->reset();
  fmt::print("vigil-correlator: {}\n", final_counters);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigil-correlator: receives event batches from sensors over the authenticated "
               "transport and stores every event exactly once (RocksDB)."};
  app.set_help_flag("-h,--help", "print this help and exit");
  Args a;
  app.add_option("-c", a.config_path, "YAML configuration file")->required();
  app.add_option("--set", a.sets, "override a config key: --set listen.bind=tcp://0.0.0.0:7100")
      ->expected(1)
      ->take_all();
  app.add_flag("-T", a.test_config, "test the configuration and exit (0: valid, 1: invalid)");
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
  return Run(a);
}
