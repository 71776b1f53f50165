// End-to-end correlator throughput and query latency, one thread (plus RocksDB's background
// flush/compaction threads).
//
//   correlator_pipeline_bench ingest [--events N] [--batch N] [--commit-batches K] [--no-sync]
//                                    [--rules 50] [--store-only] [--untuned] [--committer] [--db DIR]
//     (--committer: Db::Write on a committer thread with group commit, as transport::Receiver
//      does in vigil-correlator; the per-core figure is then events / (pipeline thread CPU +
//      committer thread CPU). Without it one thread does both, fsync waits included.)
//     (--untuned: the store without StoreLayout::TuneDbOptions, as before the append memtables)
//     (--checkpoint-events N: engine checkpoint every N events, default PipelineOptions' 100,000)
//     (--rules 0: store + index only; --store-only: EventStoreWriter alone, no index/correlation)
//     NDJSON batches -> CorrelationPipeline::AddBatch (parse + validate with simdjson, store in
//     the class family, 4 index entries + the event-id map, correlation with 50 rules, correlated
//     alerts stored, checkpoint) -> Db::Write with Durability::kSync every K batches (the
//     receiver's group commit). Prints events/s.
//   correlator_pipeline_bench query --db DIR [--events N] [--repeat R]
//     builds a store of N events (~50 events/s of event time, so one hour holds ~180,000) if DIR
//     has none, then times one-hour-window queries: all classes, alerts only, and src_ip=X.
// Run from the repo root (reads rules/correlation/default).
#include <algorithm>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "correlator/query/event_query.h"
#include "correlator/tier/correlation_pipeline.h"
#include "correlator/tier/rule_loader.h"
#include "storage/allocator_tuning.h"
#include "storage/key_codec.h"
#include "tests/correlator/tier/event_stream.h"

namespace vigil::correlator {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kStart = 1'700'000'000LL * kSec;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU time of the calling thread: on a shared machine wall time overstates the cost; this is
// the "one core" figure (RocksDB's flush/compaction threads are not included).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// Writes staged batches on its own thread, as transport::Receiver's committer does: while one
// durable write is in flight the pipeline thread keeps staging into the next batch, and the
// next write takes everything staged meanwhile (group commit), up to max_batches.
class Committer {
 public:
  Committer(storage::Db& db, storage::Durability d, uint32_t max_batches)
      : db_(db), durability_(d), max_batches_(max_batches), thread_([this] { Run(); }) {}
  ~Committer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // After each batch added to staged (*staged_batches counts them): hands staged over when the
  // committer is idle, waits for it when max_batches are staged.
  void Offer(storage::WriteBatch& staged, uint32_t* staged_batches) {
    std::unique_lock lock(mu_);
    if (busy_ && *staged_batches < max_batches_) return;
    cv_.wait(lock, [this] { return !busy_; });
    HandOver(staged, staged_batches);
  }
  // Writes what is staged and waits for every write to finish; false on a write error.
  bool Drain(storage::WriteBatch& staged, uint32_t* staged_batches) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !busy_; });
    if (*staged_batches > 0) HandOver(staged, staged_batches);
    cv_.wait(lock, [this] { return !busy_; });
    return ok_;
  }
  uint64_t commits() const { return commits_; }
  uint64_t batches() const { return batches_; }
  double cpu_seconds() {
    std::lock_guard lock(mu_);
    return cpu_;
  }

 private:
  void HandOver(storage::WriteBatch& staged, uint32_t* staged_batches) {
    std::swap(job_, staged);  // staged gets the last job's cleared buffer back
    batches_ += *staged_batches;
    *staged_batches = 0;
    busy_ = true;
    cv_.notify_all();
  }
  void Run() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return busy_ || stop_; });
      if (!busy_) break;
      lock.unlock();
      const bool ok = static_cast<bool>(db_.Write(job_, durability_));
      job_.Clear();
      lock.lock();
      ok_ = ok_ && ok;
      ++commits_;
      busy_ = false;
      cpu_ = ThreadCpuSeconds();
      cv_.notify_all();
    }
  }

  storage::Db& db_;
  const storage::Durability durability_;
  const uint32_t max_batches_;
  std::mutex mu_;
  std::condition_variable cv_;
  storage::WriteBatch job_;
  bool busy_ = false;
  bool stop_ = false;
  bool ok_ = true;
  uint64_t commits_ = 0;
  uint64_t batches_ = 0;
  double cpu_ = 0;
  std::thread thread_;  // last: starts after the members it uses
};

// Correlation rules beyond the defaults, selective like real local rules, up to `total`.
std::string ExtraRules(int n) {
  std::string y;
  static const char* kTypes[] = {"flow", "dns", "alert", "flow"};
  for (int i = 0; i < n; ++i) {
    std::string sel, corr;
    const std::string d = "x" + std::to_string(i);
    switch (i % 4) {
      case 0:
        sel = "{dest_port: [" + std::to_string(1000 + i) + ", " + std::to_string(1100 + i) + "], proto: TCP}";
        corr = "{type: value_count, rules: [" + d + "], group-by: [src_ip], timespan: 1m, condition: {field: dest_ip, gte: 50}}";
        break;
      case 1:
        sel = "{dns.rrname|endswith: '.t" + std::to_string(i) + ".example'}";
        corr = "{type: event_count, rules: [" + d + "], group-by: [src_ip], timespan: 5m, condition: {gte: 100}}";
        break;
      case 2:
        sel = "{alert.signature_id: " + std::to_string(2001 + i % 3) + ", alert.severity: " + std::to_string(1 + i % 3) + "}";
        corr = "{type: event_count, rules: [" + d + "], group-by: [src_ip, dest_ip], timespan: 10m, condition: {gte: 200}}";
        break;
      default:
        sel = "{flow.bytes_toserver|gt: " + std::to_string(1500 + 10 * i) + "}";
        corr = "{type: value_sum, rules: [" + d + "], group-by: [dest_ip], timespan: 1m, condition: {field: flow.bytes_toserver, gt: 1000000}}";
        break;
    }
    y += "title: " + d + "\nname: " + d + "\nlogsource: {category: " + kTypes[i % 4] + "}\ndetection: {sel: " + sel +
         ", condition: sel}\n---\ntitle: c" + d + "\ncorrelation: " + corr + "\n---\n";
  }
  return y;
}

std::shared_ptr<const RuleSet> Rules(size_t total) {
  if (total == 0) {  // no correlation: store + index only
    auto empty = LoadCorrelationRules("");
    return *empty;
  }
  auto defaults = LoadCorrelationRules("rules/correlation/default");
  if (!defaults) {
    std::fprintf(stderr, "%s\n", defaults.error().message.c_str());
    std::exit(1);
  }
  const size_t have = (*defaults)->correlations().size();
  if (total <= have) return *defaults;
  RuleSetBuilder b;
  for (const auto& e : std::filesystem::directory_iterator("rules/correlation/default")) {
    if (e.path().extension() == ".yml") b.AddFile(e.path().string());
  }
  b.AddText("extra.yml", ExtraRules(static_cast<int>(total - have)));
  auto rs = b.Build();
  if (!rs) {
    std::fprintf(stderr, "%s\n", rs.error().message.c_str());
    std::exit(1);
  }
  return std::make_shared<const RuleSet>(std::move(*rs));
}

struct Args {
  std::string mode;
  std::string db = "/tmp/vigil-correlator-bench";
  uint64_t events = 1'000'000;
  uint32_t batch = 1000;
  uint32_t commit_batches = 1;
  bool sync = true;
  bool store_only = false;
  bool untuned = false;  // --untuned: skip StoreLayout::TuneDbOptions (skip-list memtables everywhere)
  bool no_write = false;  // build the write batches but never write them (CPU cost of the pipeline)
  bool committer = false;  // --committer: writes on a committer thread (group commit)
  size_t rules = 50;
  uint64_t checkpoint_events = PipelineOptions{}.checkpoint_every_events;
  int repeat = 5;
};

std::unique_ptr<storage::Db> OpenDb(const std::string& path, bool tuned) {
  storage::DbOptions o;
  o.path = path;
  if (tuned) StoreLayout::TuneDbOptions(o);
  auto db = storage::Db::Open(o);
  if (!db) {
    std::fprintf(stderr, "open %s: %s\n", path.c_str(), db.error().message.c_str());
    std::exit(1);
  }
  return std::move(*db);
}

struct IngestResult {
  double wall = 0;            // seconds in AddBatch + Write (event generation excluded)
  double cpu = 0;             // pipeline thread CPU over the same spans
  double committer_cpu = 0;   // --committer: the committer thread's CPU
  uint64_t commits = 0;       // --committer: durable writes
  uint64_t alerts = 0;
  size_t checkpoint_bytes = 0;
};

// Feeds `events` events through a pipeline into db.
IngestResult Ingest(storage::Db& db, std::shared_ptr<const RuleSet> rules, const Args& a) {
  IngestResult res;
  std::unique_ptr<EventStoreWriter> bare;
  if (a.store_only) {
    auto w = EventStoreWriter::Create(db, EventStoreOptions{});
    if (!w) std::exit(1);
    bare = std::move(*w);
  }
  PipelineOptions po;
  po.checkpoint_every_events = a.checkpoint_events;
  auto p = CorrelationPipeline::Create(db, EventStoreOptions{}, rules, po, nullptr);
  if (!p) {
    std::fprintf(stderr, "%s\n", p.error().message.c_str());
    std::exit(1);
  }
  auto marks = db.OpenFamily("transport.marks");
  // Generated in slices (memory), outside the timed region.
  const uint32_t slice_batches = 100;
  const uint64_t total_batches = (a.events + a.batch - 1) / a.batch;
  double busy = 0;
  double* cpu_seconds = &res.cpu;
  const storage::Durability durability = a.sync ? storage::Durability::kSync : storage::Durability::kBuffered;
  std::unique_ptr<Committer> committer;
  if (a.committer && !a.no_write) committer = std::make_unique<Committer>(db, durability, 256);  // ReceiverOptions' default
  storage::WriteBatch wb;
  uint32_t staged = 0;
  for (uint64_t b0 = 0; b0 < total_batches; b0 += slice_batches) {
    const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(slice_batches, total_batches - b0));
    const auto slice = testing::MakeEventStream(n, a.batch, 7 + b0, kStart + static_cast<int64_t>(b0) * a.batch * 20'000'000);
    const auto t0 = Clock::now();
    const double c0 = ThreadCpuSeconds();
    for (const auto& sb : slice) {
      transport::ReceivedBatch rb{"bench-sensor", "", b0 + sb.seq, sb.events, sb.payload};
      if (Status s = bare ? bare->AddBatch(rb, wb) : (*p)->AddBatch(rb, wb); !s) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        std::exit(1);
      }
      (void)wb.Put(*marks, "bench-sensor", storage::U64Key(b0 + sb.seq));
      if (committer) {
        ++staged;
        committer->Offer(wb, &staged);
        continue;
      }
      if (++staged >= a.commit_batches) {
        if (a.no_write) {
          wb.Clear();
        } else if (Status s = db.Write(wb, durability); !s) {
          std::fprintf(stderr, "%s\n", s.error().message.c_str());
          std::exit(1);
        }
        wb.Clear();
        staged = 0;
      }
    }
    busy += Seconds(t0, Clock::now());
    *cpu_seconds += ThreadCpuSeconds() - c0;
  }
  const auto t0 = Clock::now();
  const double c0 = ThreadCpuSeconds();
  (void)(*p)->Flush(wb);
  if (committer) {
    ++staged;
    if (!committer->Drain(wb, &staged)) {
      std::fprintf(stderr, "a durable write failed\n");
      std::exit(1);
    }
  } else {
    (void)db.Write(wb, storage::Durability::kSync);
  }
  busy += Seconds(t0, Clock::now());
  *cpu_seconds += ThreadCpuSeconds() - c0;
  if (committer) {
    res.committer_cpu = committer->cpu_seconds();
    res.commits = committer->commits();
  }
  const EngineCounters& ec = (*p)->engine().counters();
  std::printf("engine: %llu events, %llu detection matches, %llu hits, %zu hits pending\n",
               static_cast<unsigned long long>(ec.events), static_cast<unsigned long long>(ec.detection_matches),
               static_cast<unsigned long long>(ec.hits), (*p)->engine().pending_hits());
  res.alerts = (*p)->counters().alerts_stored;
  res.checkpoint_bytes = (*p)->counters().checkpoint_bytes;
  res.wall = busy;
  return res;
}

int RunIngest(const Args& a) {
  std::filesystem::remove_all(a.db);
  auto rules = Rules(a.rules);
  auto db = OpenDb(a.db, !a.untuned);
  const double main0 = ThreadCpuSeconds(), proc0 = ProcessCpuSeconds();
  const IngestResult r = Ingest(*db, rules, a);
  // Process CPU of the run without event generation (the main thread's CPU outside the timed
  // spans): the pipeline, the committer and RocksDB's flush/compaction threads.
  const double generation = (ThreadCpuSeconds() - main0) - r.cpu;
  const double process = ProcessCpuSeconds() - proc0 - generation;
  const double n = static_cast<double>(a.events);
  std::printf("ingest: %llu events, %zu correlation rules, batch %u, %s %s%s%s: wall %.2f s = %.0f events/s; ",
              static_cast<unsigned long long>(a.events), rules->correlations().size(), a.batch,
              a.sync ? "fsync" : "no fsync",
              a.committer ? "on a committer thread (group commit)" : ("every " + std::to_string(a.commit_batches) + " batches").c_str(),
              a.no_write ? ", not written" : "", a.store_only ? ", store only" : "", r.wall, n / r.wall);
  if (a.committer) {
    std::printf("pipeline thread CPU %.2f s + committer thread CPU %.2f s (%llu writes, %.2f batches each) = "
                "%.2f s = %.0f events/s per core; ",
                r.cpu, r.committer_cpu, static_cast<unsigned long long>(r.commits),
                r.commits ? static_cast<double>((a.events + a.batch - 1) / a.batch) / static_cast<double>(r.commits) : 0.0,
                r.cpu + r.committer_cpu, n / (r.cpu + r.committer_cpu));
  } else {
    std::printf("ingest thread CPU %.2f s = %.0f events/s per core; ", r.cpu, n / r.cpu);
  }
  std::printf("process CPU %.2f s (with RocksDB flush/compaction); %llu correlated alerts; last checkpoint %zu bytes\n",
              process, static_cast<unsigned long long>(r.alerts), r.checkpoint_bytes);
  return 0;
}

int RunQueryBench(const Args& a) {
  if (!std::filesystem::exists(a.db + "/CURRENT")) {
    std::printf("building a store of %llu events in %s ...\n", static_cast<unsigned long long>(a.events), a.db.c_str());
    auto db = OpenDb(a.db, !a.untuned);
    Args b = a;
    b.sync = false;
    b.commit_batches = 10;
    const IngestResult r = Ingest(*db, Rules(0), b);
    (void)db->Flush();
    std::printf("built in %.1f s\n", r.wall);
  }
  auto db = OpenDb(a.db, !a.untuned);
  auto layout = StoreLayout::OpenExisting(*db);
  if (!layout) {
    std::fprintf(stderr, "%s\n", layout.error().message.c_str());
    return 1;
  }
  // Event time spans events * 20 ms; query the hour in the middle.
  const int64_t span = static_cast<int64_t>(a.events) * 20'000'000;
  QueryOptions q;
  q.from_ns = kStart + span / 2 - 1800 * kSec;
  q.to_ns = q.from_ns + 3600 * kSec;
  struct Case {
    const char* name;
    QueryOptions q;
  } cases[] = {{"one hour, all classes", q}, {"one hour, alerts", q}, {"one hour, src_ip=10.1.2.3", q},
               {"one hour, all classes, first 100", q}};
  cases[1].q.classes = {EventClass::kAlert};
  cases[2].q.where = IndexFilter{IndexField::kSrcIp, "10.1.2.3"};
  cases[3].q.limit = 100;
  for (const auto& c : cases) {
    std::vector<double> ms;
    uint64_t rows = 0;
    for (int r = 0; r < a.repeat; ++r) {
      uint64_t bytes = 0;
      const auto t0 = Clock::now();
      auto st = vigil::correlator::RunQuery(*db, *layout, c.q, [&](const QueryRow& row) {
        bytes += row.json.size();
        return true;
      });
      ms.push_back(Seconds(t0, Clock::now()) * 1000);
      if (!st) {
        std::fprintf(stderr, "%s\n", st.error().message.c_str());
        return 1;
      }
      rows = st->rows;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("query %-36s %8llu rows: median %.2f ms (min %.2f, max %.2f, %d runs, wall)\n", c.name,
                static_cast<unsigned long long>(rows), ms[ms.size() / 2], ms.front(), ms.back(), a.repeat);
  }
  return 0;
}

}  // namespace
}  // namespace vigil::correlator

int main(int argc, char** argv) {
  vigil::storage::RetainFreedMemtableMemory();  // as vigil-correlator does
  using vigil::correlator::Args;
  Args a;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ingest|query [--events N] [--batch N] [--commit-batches K] [--committer] [--no-sync] "
                         "[--rules N] [--db DIR] [--repeat R]\n", argv[0]);
    return 2;
  }
  a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--events") a.events = std::stoull(next());
    else if (k == "--batch") a.batch = static_cast<uint32_t>(std::stoul(next()));
    else if (k == "--commit-batches") a.commit_batches = static_cast<uint32_t>(std::stoul(next()));
    else if (k == "--no-sync") a.sync = false;
    else if (k == "--store-only") a.store_only = true;
    else if (k == "--no-write") a.no_write = true;
    else if (k == "--committer") a.committer = true;
    else if (k == "--untuned") a.untuned = true;
    else if (k == "--rules") a.rules = std::stoul(next());
    else if (k == "--checkpoint-events") a.checkpoint_events = std::stoull(next());
    else if (k == "--db") a.db = next();
    else if (k == "--repeat") a.repeat = std::stoi(next());
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (a.mode == "ingest") return vigil::correlator::RunIngest(a);
  if (a.mode == "query") return vigil::correlator::RunQueryBench(a);
  std::fprintf(stderr, "unknown mode %s\n", a.mode.c_str());
  return 2;
}
