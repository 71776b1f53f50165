// vigil-sensor: the network sensor. Reads packets from pcap files (-r) or an interface (-i),
// runs them through the packet path (decode, defrag, flows, TCP reassembly) and writes EVE JSON
// events to LOGDIR/eve.json, with a command line familiar to Suricata users:
//
//   vigil-sensor [-c CONFIG] (-r PCAP... | -i IFACE) [-l LOGDIR] [-S RULES]... [-s RULES]...
//                [-k none] [--set key=value]... [--runmode single|workers] [--threads N] [-T]
//                [--sensor-id ID] [--province P] [--user USER[:GROUP]] [--log-file FILE]
//                [--control-socket PATH | --no-control]
//
// -S loads only the given rule files (the config's rule-files are ignored), -s adds files to
// them. A rule that fails to parse or is unsupported is skipped and counted (the load summary
// goes to stderr); a rule file that does not exist is an error (exit 1). -T loads and compiles
// the rules too.
//
// Everything below the command line lives in sensor/pipeline (Pipeline, SensorConfig) and
// sensor/inspect (rules, app-layer, detection); this file only parses arguments, loads the
// config and the rules, opens the EVE file, handles signals (SIGHUP reloads the rules without
// stopping capture, sensor/reload; SIGINT/SIGTERM
// stop the run cleanly: queued packets are processed, flows end as "shutdown", events are
// flushed; a second signal exits at once) and prints progress and the summary.
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/config.h"
#include "core/control/daemon_ops.h"
#include "core/log.h"
#include "core/time.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_plugin.h"
#include "sensor/intel/intel_config.h"
#include "sensor/output/eve_file.h"
#include "sensor/output/upstream_sink.h"
#include "sensor/pipeline/pipeline.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/reload/rule_reloader.h"

namespace {

using vigil::Config;
using vigil::ConfigSchema;
using vigil::sensor::Pipeline;
using vigil::sensor::SensorConfig;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

struct Args {
  std::string config_path;
  std::vector<std::string> pcaps;
  std::string interface;
  std::string log_dir = ".";
  std::string checksum;  // -k: "none" or "all"
  std::vector<std::string> sets;
  std::vector<std::string> rules_only;  // -S
  std::vector<std::string> rules_add;   // -s
  std::string runmode;
  int threads = -1;
  bool test_config = false;
  std::string sensor_id;
  std::string province;
  std::string upstream;             // --upstream tcp://host:port
  std::string upstream_key;         // our CURVE key pair file
  std::string upstream_server_key;  // the correlator's public key file
  std::string spool_dir;
  bool progress = false;
  bool quiet = false;
  vigil::control::DaemonOpsFlags ops;  // --user, --log-file, --control-socket, --no-control
};

// "--thread" -> "--threads": the closest known option, for the unknown-flag hint.
std::string SuggestOption(const CLI::App& app, const std::string& given) {
  std::string best;
  size_t best_d = 4;  // beyond three edits it is not a typo
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& n : o->get_lnames()) {
      const std::string cand = "--" + n;
      const size_t d = vigil::EditDistance(given, cand);
      if (d < best_d) {
        best_d = d;
        best = cand;
      }
    }
  }
  return best;
}

// Options the command line sets become --set overrides, applied after the file's and the
// user's own --set (so `-k none` wins over checksum-validation: yes in the file).
std::vector<std::string> Overrides(const Args& a) {
  std::vector<std::string> sets = a.sets;
  if (!a.checksum.empty()) {
    sets.push_back(std::string("checksum-validation=") + (a.checksum == "none" ? "no" : "yes"));
  }
  if (!a.runmode.empty()) sets.push_back("runmode=" + a.runmode);
  if (a.threads >= 0) sets.push_back("threads=" + std::to_string(a.threads));
  if (!a.sensor_id.empty()) sets.push_back("sensor-id=" + a.sensor_id);
  if (!a.province.empty()) sets.push_back("province=" + a.province);
  if (!a.upstream.empty()) {
    sets.push_back("upstream.enabled=yes");
    sets.push_back("upstream.upstream=" + a.upstream);
  }
  if (!a.upstream_key.empty()) sets.push_back("upstream.curve.secret-key-file=" + a.upstream_key);
  if (!a.upstream_server_key.empty()) {
    sets.push_back("upstream.curve.server-public-key-file=" + a.upstream_server_key);
  }
  if (!a.spool_dir.empty()) sets.push_back("upstream.spool.dir=" + a.spool_dir);
  for (std::string& s : vigil::control::DaemonOpsOverrides(a.ops, "logging.file")) sets.push_back(std::move(s));
  return sets;
}

vigil::Result<Config> LoadConfig(const Args& a, const ConfigSchema& schema) {
  const std::vector<std::string> sets = Overrides(a);
  if (a.config_path.empty()) return Config::LoadString("", "defaults", schema, sets);
  return Config::LoadFile(a.config_path, schema, sets);
}

// Blocks SIGINT/SIGTERM in every thread and waits for them in one thread, which stops the
// pipeline with ordinary (not async-signal-safe restricted) code.
class SignalThread {
 public:
  SignalThread() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGHUP);   // reload the rules (OnHangup)
    sigaddset(&set_, SIGUSR2);  // our own wake-up at the end of a run
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  ~SignalThread() {
    if (thread_.joinable()) {
      done_.store(true);
      pthread_kill(thread_.native_handle(), SIGUSR2);
      thread_.join();
    }
  }
  // SIGHUP runs `f` on the signal thread (before Start).
  void OnHangup(std::function<void()> f) { on_hup_ = std::move(f); }
  void Start(Pipeline* pipeline) {
    thread_ = std::thread([this, pipeline] {
      int stops = 0;
      for (;;) {
        int sig = 0;
        if (sigwait(&set_, &sig) != 0) continue;
        if (done_.load()) return;
        if (sig == SIGUSR2) continue;
        if (sig == SIGHUP) {
          if (on_hup_) on_hup_();
          continue;
        }
        if (++stops == 1) {
          std::fputs("\nvigil-sensor: stopping (again to quit at once)\n", stderr);
          pipeline->Stop();
        } else {
          std::_Exit(130);
        }
      }
    });
  }

 private:
  sigset_t set_;
  std::function<void()> on_hup_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int Run(const Args& a) {
  ConfigSchema schema = vigil::sensor::SensorConfigSchema();
  vigil::sensor::DeclareUpstreamSinkConfig(schema, "upstream");
  vigil::sensor::DeclareIntelConfig(schema);  // intel.trusted-keys, intel.bundles
  schema.Bool("upstream.enabled", false,
              "send events to a correlator through the transport (--upstream sets it)");
  vigil::control::DeclareDaemonOpsConfig(schema);  // control.socket, run-as.user/group
  schema.String("logging.file", "", "operator log file (appended; --log-file); empty: stderr");
  auto cfg = LoadConfig(a, schema);
  if (!cfg) {
    fmt::print(stderr, "vigil-sensor: config: {}\n", cfg.error().message);
    return kExitError;
  }
  auto sc = vigil::sensor::BuildSensorConfig(*cfg);
  if (!sc) {
    fmt::print(stderr, "vigil-sensor: config: {}\n", sc.error().message);
    return kExitError;
  }
  SensorConfig config = std::move(*sc);
  if (!a.pcaps.empty()) {
    config.capture.inputs = a.pcaps;
    config.capture.interface.clear();
  } else if (!a.interface.empty()) {
    config.capture.interface = a.interface;
  }

  if (a.test_config) {
    // -T: the configuration alone (inputs are not needed to check it).
    SensorConfig check = config;
    if (check.capture.inputs.empty() && check.capture.interface.empty()) {
      check.capture.inputs = {"-"};
    }
    if (auto st = check.Validate(); !st) {
      fmt::print(stderr, "vigil-sensor: config: {}\n", st.error().message);
      return kExitError;
    }
  }
  // Rules, classification and thresholds: loaded and compiled before anything runs.
  vigil::sensor::RuleSources sources;
  sources.replace = !a.rules_only.empty();
  sources.files = sources.replace ? a.rules_only : a.rules_add;
  if (sources.replace) {
    sources.files.insert(sources.files.end(), a.rules_add.begin(), a.rules_add.end());
  }
  auto inspect = vigil::sensor::LoadInspectContext(config, sources);
  if (!inspect) {
    fmt::print(stderr, "vigil-sensor: {}\n", inspect.error().message);
    return kExitError;
  }
  fmt::print(stderr, "{}", (*inspect)->load_report);  // always: the runner reads it
  if (a.test_config) {
    if (auto st = vigil::sensor::CheckIntelConfig(*cfg); !st) {  // key files, bundle directory
      fmt::print(stderr, "vigil-sensor: {}\n", st.error().message);
      return kExitError;
    }
    fmt::print("vigil-sensor: configuration {} is valid\n",
               a.config_path.empty() ? "(defaults)" : a.config_path);
    return kExitOk;
  }
  if (config.capture.inputs.empty() && config.capture.interface.empty()) {
    fmt::print(stderr, "vigil-sensor: nothing to read: give pcap files with -r or an interface "
                       "with -i (see --help)\n");
    return kExitUsage;
  }

  // Operations (core/control/daemon_ops.h): --user is checked before anything is opened.
  auto ops = vigil::control::DaemonOps::FromConfig(
      *cfg, {.program = "vigil-sensor",
             .instance = config.capture.is_live() ? config.capture.interface : "offline",
             .auto_name = config.capture.is_live() ? "vigil-sensor-" + config.capture.interface : ""});
  if (!ops) {
    fmt::print(stderr, "vigil-sensor: {}\n", ops.error().message);
    return kExitError;
  }
  auto log_or = vigil::Logger::Open(
      {.level = config.log_level, .path = cfg->GetString("logging.file").value_or("")});
  if (!log_or) {
    fmt::print(stderr, "vigil-sensor: log: {}\n", log_or.error().message);
    return kExitError;
  }
  vigil::Logger& log = **log_or;
  // Before any thread exists (reloader, intel, the upstream sender, the pipeline), so that all
  // inherit the blocked mask: a SIGTERM delivered to another thread would kill the process
  // without the clean shutdown.
  SignalThread signals;
  // Hot reload (sensor/reload): SIGHUP re-reads the rule files; rule bundles come through
  // reloader.Request(). The reloader's slot now holds the start's rules (freed after a reload).
  vigil::sensor::RuleReloader reloader(config, sources, std::move(*inspect), {.log = &log});
  // Indicator matching (sensor/intel): bundles from intel.bundles now, from upstream control
  // messages later; their rules go to the reloader.
  vigil::sensor::IntelStore intel;
  auto intel_updater = vigil::sensor::StartIntelFromConfig(
      *cfg, intel, &log, [&reloader](const vigil::rules::Bundle& b) {
        return reloader.Request(vigil::sensor::RuleSource::Bundle(b.rules, b.name, std::to_string(b.version)));
      });
  if (!intel_updater) {
    fmt::print(stderr, "vigil-sensor: {}\n", intel_updater.error().message);
    return kExitError;
  }
  vigil::sensor::IntelUpdater* intel_up = intel_updater->get();  // null: intel off
  std::unique_ptr<vigil::sensor::EventSink> sink;
  if (config.eve_enabled) {
    std::error_code ec;
    if (!std::filesystem::is_directory(a.log_dir, ec)) {
      fmt::print(stderr, "vigil-sensor: log directory {} does not exist (-l)\n", a.log_dir);
      return kExitError;
    }
    const std::string path = (std::filesystem::path(a.log_dir) / config.eve_filename).string();
    auto eve = vigil::sensor::EveFile::Open(path, {.append = config.eve_append});
    if (!eve) {
      fmt::print(stderr, "vigil-sensor: {}\n", eve.error().message);
      return kExitError;
    }
    sink = std::move(*eve);
  } else {
    sink = std::make_unique<vigil::sensor::NullSink>();
  }
  // Upstream output (upstream.upstream set): events also go to the correlator through the
  // transport, spooled first; what is not acknowledged at exit stays in the spool for next time.
  std::unique_ptr<vigil::sensor::UpstreamSink> upstream;
  std::unique_ptr<vigil::sensor::TeeSink> tee;
  const std::string spool_dir = cfg->GetString("upstream.spool.dir").value_or("");
  std::error_code spool_ec;
  const bool spool_existed = spool_dir.empty() || std::filesystem::exists(spool_dir, spool_ec);
  if (auto enabled = cfg->GetBool("upstream.enabled"); enabled && *enabled) {
    // Bundles from the correlator; refused ones are acknowledged too (counted and logged).
    auto on_control = [intel_up, &log](const vigil::transport::ControlMessageView& m) -> vigil::Status {
      if (intel_up != nullptr) return intel_up->OfferLater(m.body, "upstream");  // full: not acked yet
      log.Warning("intel", "bundle {} v{} from upstream ignored: intel.trusted-keys is not set",
                  m.bundle_id, m.version);
      return vigil::Ok();
    };
    auto up = vigil::sensor::UpstreamSinkFromConfig(*cfg, "upstream", &log, on_control);
    if (!up) {
      fmt::print(stderr, "vigil-sensor: upstream: {}\n", up.error().message);
      return kExitError;
    }
    upstream = std::move(*up);
    tee = std::make_unique<vigil::sensor::TeeSink>(
        std::vector<vigil::sensor::EventSink*>{sink.get(), upstream.get()});
  }
  vigil::sensor::EventSink& out = tee ? static_cast<vigil::sensor::EventSink&>(*tee) : *sink;

  std::atomic<Pipeline*> pipe{nullptr};
  vigil::sensor::PipelineOptions options;
  options.log = &log;
  options.plugins = vigil::sensor::WithIntel(reloader.PluginFactory(), intel_up != nullptr ? &intel : nullptr);
  if (intel_up != nullptr) options.extra_counters.push_back(&intel.registry());
  options.extra_counters.push_back(&reloader.counters());
  options.extra_texts = [&reloader] { return reloader.StatsTexts(); };
  const bool show_progress =
      config.capture.interface.empty() && !a.quiet && (a.progress || isatty(STDERR_FILENO) == 1);
  const int64_t start = vigil::MonotonicNanos();
  int64_t last_print = 0;
  if (show_progress) {
    options.progress = [&](uint64_t done, uint64_t total) {
      const int64_t now = vigil::MonotonicNanos();
      if (done < total && now - last_print < 250 * vigil::kNanosPerMilli) return;
      last_print = now;
      Pipeline* p = pipe.load();
      const uint64_t pkts = p != nullptr ? p->registry().Total("capture.packets") : 0;
      const double secs = static_cast<double>(now - start) / 1e9;
      fmt::print(stderr, "\r  {:5.1f}%  {} packets  {:.0f} pkt/s   ",
                 total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0,
                 pkts, secs > 0 ? static_cast<double>(pkts) / secs : 0.0);
      if (done >= total) std::fputc('\n', stderr);
    };
  }
  auto created = Pipeline::Create(config, out, options);
  if (!created) {
    fmt::print(stderr, "vigil-sensor: {}\n", created.error().message);
    return kExitError;
  }
  Pipeline& pipeline = **created;
  pipe.store(&pipeline);
  // `vigil status`: the pipeline's counters (capture, decoder, flow, detect, output), the other
  // components' and the upstream's. Then --user drops root: the capture, files and spool are open.
  (*ops)->report().AddCounters(&pipeline.registry());
  for (const vigil::CounterRegistry* r : options.extra_counters) (*ops)->report().AddCounters(r);
  if (upstream) (*ops)->report().AddCounters(&upstream->counters());
  (*ops)->report().SetSection("ruleset", [&reloader](vigil::JsonWriter& w) {
    const vigil::sensor::RulesetInfo live = reloader.Live();
    const std::shared_ptr<const vigil::sensor::InspectContext> ctx = reloader.slot()->Load();
    w.BeginObject();
    w.KeyUint("generation", live.generation);
    w.KeyString("sha256", live.hash);
    w.KeyString("version", live.version);
    w.KeyStringIfSet("bundle_id", live.bundle_id);
    w.KeyString("loaded_at", live.loaded_at.ToEve());
    w.KeyUint("rules", live.rules);
    w.KeyDouble("load_seconds", live.load_seconds);
    w.KeyUint("reloads", reloader.reloads());
    w.KeyUint("reload_failures", reloader.failures());
    w.KeyArray("files");
    for (const std::string& f : ctx->rule_files) w.String(f);
    w.EndArray();
    w.EndObject();
  });
  auto control = (*ops)->BindControl(log);  // destroyed before the pipeline it reads
  if (!control) {
    fmt::print(stderr, "vigil-sensor: {}\n", control.error().message);
    return kExitError;
  }
  if (auto st = upstream ? (*ops)->HandOver(spool_dir, !spool_existed) : vigil::Ok(); !st) {
    fmt::print(stderr, "vigil-sensor: --user: {}\n", st.error().message);
    return kExitError;
  }
  if (auto st = (*ops)->DropAndServe(control->get(), log); !st) {
    fmt::print(stderr, "vigil-sensor: --user: {}\n", st.error().message);
    return kExitError;
  }
  signals.OnHangup([&log, &reloader] {
    log.Notice("sensor", "SIGHUP: reloading the rules");
    (void)reloader.Request(vigil::sensor::RuleSource::Files());
  });
  signals.Start(&pipeline);
  log.Notice("sensor", "{} with {} ({} worker{}), events to {}",
             config.capture.is_live() ? "live capture on " + config.capture.interface
                                      : std::to_string(config.capture.inputs.size()) + " input(s)",
             vigil::sensor::RunModeName(config.runmode), config.workers,
             config.workers == 1 ? "" : "s", out.Describe());
  auto summary = pipeline.Run();
  if (!summary) {
    fmt::print(stderr, "vigil-sensor: {}\n", summary.error().message);
    return kExitError;
  }
  if (auto st = out.Flush(); !st) {
    fmt::print(stderr, "vigil-sensor: {}\n", st.error().message);
    return kExitError;
  }
  if (upstream) {
    // Give the correlator a moment to acknowledge; the spool keeps whatever it does not.
    if (auto st = upstream->Drain(std::chrono::seconds(10)); !st) {
      log.Warning("sensor", "upstream: {} (unacknowledged events stay in the spool)",
                  st.error().message);
    }
    const auto us = upstream->Stats();
    if (us.lines_dropped + us.lines_refused > 0) {
      log.Warning("sensor", "upstream: {} events dropped, {} refused", us.lines_dropped,
                  us.lines_refused);
    }
  }
  if (!a.quiet) fmt::print("{}", summary->Format());
  // Files that failed inside a directory were reported (log and summary); the run itself succeeded.
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "vigil-sensor: network security monitoring sensor. Reads pcap files or an interface, "
      "tracks flows and TCP streams, writes EVE JSON events (LOGDIR/eve.json)."};
  app.set_help_flag("-h,--help", "print this help and exit");
  Args a;
  app.add_option("-c", a.config_path, "YAML configuration file (default: built-in defaults)");
  auto* r = app.add_option("-r", a.pcaps, "pcap/pcapng files or directories to read (offline)")
                ->expected(1, -1);
  auto* i = app.add_option("-i", a.interface, "interface to capture from (live; needs root)");
  r->excludes(i);
  app.add_option("-l", a.log_dir, "directory for eve.json (default: current directory)");
  app.add_option("-S", a.rules_only, "load only this rule file (repeatable; ignores rule-files)")
      ->expected(1)
      ->take_all();
  app.add_option("-s", a.rules_add, "load this rule file too (repeatable; adds to rule-files)")
      ->expected(1)
      ->take_all();
  app.add_option("-k", a.checksum, "checksum validation: all (default) or none")
      ->check(CLI::IsMember({"all", "none"}));
  app.add_option("--set", a.sets, "override a config key: --set stream.midstream=true")
      ->expected(1)
      ->take_all();
  app.add_option("--runmode", a.runmode, "single | workers")
      ->check(CLI::IsMember({"single", "workers"}));
  app.add_option("--threads", a.threads, "worker threads (workers runmode; 0 = auto)")
      ->check(CLI::Range(0, 256));
  app.add_flag("-T", a.test_config, "test the configuration and exit (0: valid, 1: invalid)");
  app.add_option("--sensor-id", a.sensor_id, "sensor name written in every event");
  app.add_option("--province", a.province, "province written in every event");
  app.add_option("--upstream", a.upstream,
                 "also send events to a correlator: tcp://host:port (CURVE; see upstream.* keys)");
  app.add_option("--upstream-key", a.upstream_key, "this sensor's CURVE key pair file (vigil keys generate)");
  app.add_option("--upstream-server-key", a.upstream_server_key, "the correlator's public key file");
  app.add_option("--spool", a.spool_dir, "spool directory for the upstream output (RocksDB)");
  app.add_flag("--progress", a.progress, "show offline progress even when stderr is not a TTY");
  app.add_flag("-q,--quiet", a.quiet, "no progress and no summary");
  app.add_option("--user", a.ops.user,
                 "drop root to USER[:GROUP] once the capture, files and spool are open (run-as.*)");
  app.add_option("--log-file", a.ops.log_file, "operator log to this file (appended) instead of stderr");
  app.add_option("--control-socket", a.ops.control_socket,
                 "unix socket answering `vigil status` (default: /run/vigil/vigil-sensor-IFACE.sock "
                 "for live capture as root, ./vigil-sensor-IFACE.sock otherwise; none offline)");
  app.add_flag("--no-control", a.ops.no_control, "no control socket (control.socket: none)");
  app.footer(
      "Examples:\n"
      "  vigil-sensor -r capture.pcap -l /tmp/out\n"
      "  vigil-sensor -c sensor/vigil-sensor.yaml -i eth0 -l /var/log/vigil --threads 4\n"
      "  vigil-sensor -r dir/ -k none --set stream.midstream=true --runmode single\n"
      "  vigil-sensor -r capture.pcap -l /tmp/out -S local.rules --runmode single\n"
      "SIGHUP reloads the rule files (and classification/threshold files) without stopping\n"
      "capture; a reload that fails keeps the old rules. SIGINT/SIGTERM stop cleanly.\n"
      "Config keys are listed with their defaults in sensor/vigil-sensor.yaml.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    // Unknown flags: name them and suggest the closest known option.
    std::string hint;
    for (int k = 1; k < argc; ++k) {
      const std::string arg = argv[k];
      if (arg.size() > 1 && arg[0] == '-' && app.get_option_no_throw(arg) == nullptr) {
        const std::string s = SuggestOption(app, arg.substr(0, arg.find('=')));
        if (!s.empty()) hint = "; did you mean " + s + "?";
        break;
      }
    }
    fmt::print(stderr, "vigil-sensor: {}{}\nRun 'vigil-sensor --help' for the options.\n",
               e.what(), hint);
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "vigil-sensor: {}\nRun 'vigil-sensor --help' for the options.\n",
               e.what());
    return kExitUsage;
  }
  return Run(a);
}
