// transport_bench: sustained throughput and send->ack latency of the transport over loopback,
// with CURVE, a receiver that stores every event in RocksDB and acknowledges after a synced
// write, and a sender that spools every batch before sending (the production path).
//
//   transport_bench [--events=1000000] [--event-bytes=400] [--batch-events=1024]
//                   [--rate=10000] [--seconds=10] [--spool-sync=1] [--rx-sync=1] [--dir=/tmp]
//                   [--phase=both|throughput|latency] [--linger-us=1000]
//                   [--rx-store=batch|event] [--producer=event|lines] [--runs=1]
//                   [--compression=lz4|none]
//
// Events: 65,536 distinct EVE-like alerts of --event-bytes each (see EventMaker), sent round
// robin. --compression: the sender's transport.compression (lz4 by default, as in production).
// --rx-store=batch (default): the receiver's sink stores each batch as ONE value keyed
// (origin, seq) in its own column family, in the same atomic write as the de-duplication mark
// (what a relay or a raw archive does; splitting into event classes is the correlator's job).
// --rx-store=event: one Put per event, keyed (origin, seq, index) (the old sink).
// --producer=lines: the producer hands blocks of 64 events to Sender::SendLines (what the
// sensor's upstream sink does); event: one Send() per event.
// --runs=N repeats the chosen phases N times (fresh databases each time).
//
// Phase 1 (throughput): one producer thread sends --events as fast as Send() accepts them;
// reports events/s from the first Send() to the last ack, and the CPU time of the process.
// Phase 2 (latency): --rate events/s for --seconds, paced on a fixed schedule; a watcher
// thread timestamps every increase of Sender::acked_events(); per-event latency is the ack
// time minus the event's Send() time. Reports p50/p90/p99/max.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "storage/key_codec.h"
#include "tests/storage/temp_dir.h"
#include "transport/receiver.h"
#include "transport/sender.h"

using namespace vigil;
using namespace vigil::transport;

namespace {

struct Flags {
  uint64_t events = 1'000'000;
  size_t event_bytes = 400;
  size_t batch_events = 1024;
  uint64_t rate = 10'000;
  int seconds = 10;
  bool spool_sync = true;
  bool rx_sync = true;
  std::string dir;
  std::string phase = "both";  // throughput | latency | both
  int64_t linger_us = 1000;
  bool rx_store_batch = true;
  bool producer_lines = false;
  bool compress = true;
  int runs = 1;
};

constexpr size_t kPoolEvents = 65536;

bool ParseFlag(const char* arg, const char* name, std::string* out) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *out = arg + n + 1;
  return true;
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// The 1-minute load average: the machine is shared, so every figure is printed with it.
double LoadAvg() {
  double l[3] = {0, 0, 0};
  return getloadavg(l, 3) >= 1 ? l[0] : -1;
}

// Realistic EVE alerts: every field that varies in real traffic varies here (time, flow id,
// addresses, ports, signature, host, URL, user agent), so a batch compresses about as
// real EVE output does (LZ4: 4.8-5.6x on the sensor's eve.json from the corpus and synthetic
// pcaps; 4.7x on these, see transport.tx.{event,frame}_bytes_spooled). Padded to `bytes` with a
// random hex "tx_tag" where shorter (mean 401 bytes at --event-bytes=400).
class EventMaker {
 public:
  explicit EventMaker(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}

  std::string Make(uint64_t i, size_t bytes) {
    static constexpr const char* kSigs[] = {
        "ET POLICY curl User-Agent Outbound", "ET SCAN Nmap Scripting Engine User-Agent Detected",
        "ET MALWARE Win32/Emotet CnC Activity (POST)", "ET WEB_SERVER SQL Injection Attempt UNION SELECT",
        "ET INFO Observed DNS Query to .xyz TLD", "ET TROJAN Possible Cobalt Strike Beacon Request",
        "ET EXPLOIT Apache log4j RCE Attempt (jndi:ldap)", "ET POLICY Dropbox.com Offsite File Backup in Use",
        "ET HUNTING Suspicious PowerShell User-Agent", "ET WEB_SPECIFIC_APPS WordPress xmlrpc.php Access"};
    static constexpr const char* kHosts[] = {"www.example.com", "cdn.static-assets.net", "api.update-service.org",
                                             "mail.prov07.gov.example", "portal.intranet.example"};
    static constexpr const char* kAgents[] = {"curl/7.88.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                                              "python-requests/2.31.0", "Go-http-client/1.1", "Wget/1.21.3"};
    static constexpr uint16_t kPorts[] = {80, 443, 8080, 53, 22};
    const uint64_t us = 1'795'000'000'000'000ull + i * 137 + Next() % 97;
    const time_t secs = static_cast<time_t>(us / 1'000'000);
    tm t{};
    gmtime_r(&secs, &t);
    char ts[64];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%06llu+0000", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                  t.tm_hour, t.tm_min, t.tm_sec, static_cast<unsigned long long>(us % 1'000'000));
    const size_t sig = Next() % std::size(kSigs);
    char buf[1024];
    int n = std::snprintf(
        buf, sizeof buf,
        "{\"timestamp\":\"%s\",\"flow_id\":%llu,\"event_type\":\"alert\","
        "\"src_ip\":\"10.%llu.%llu.%llu\",\"src_port\":%llu,\"dest_ip\":\"198.51.100.%llu\",\"dest_port\":%u,"
        "\"alert\":{\"signature_id\":%llu,\"signature\":\"%s\",\"severity\":%llu},"
        "\"http\":{\"hostname\":\"%s\",\"url\":\"/%s/%llx?id=%llu\",\"http_user_agent\":\"%s\"}",
        ts, static_cast<unsigned long long>(Next() >> 12),
        static_cast<unsigned long long>(Next() % 256), static_cast<unsigned long long>(Next() % 256),
        static_cast<unsigned long long>(Next() % 254 + 1), static_cast<unsigned long long>(1024 + Next() % 64000),
        static_cast<unsigned long long>(Next() % 254 + 1), kPorts[Next() % std::size(kPorts)],
        static_cast<unsigned long long>(2'000'000 + sig * 1013 + Next() % 3), kSigs[sig],
        static_cast<unsigned long long>(1 + Next() % 3),
        kHosts[Next() % std::size(kHosts)], (Next() & 1) ? "api" : "static", static_cast<unsigned long long>(Next() % 0xfffff),
        static_cast<unsigned long long>(Next() % 100000), kAgents[Next() % std::size(kAgents)]);
    std::string e(buf, static_cast<size_t>(std::max(0, std::min<int>(n, static_cast<int>(sizeof buf) - 1))));
    if (e.size() + 14 < bytes) {
      e += ",\"tx_tag\":\"";
      static constexpr char kHex[] = "0123456789abcdef";
      while (e.size() + 2 < bytes) e.push_back(kHex[Next() % 16]);
      e += "\"";
    }
    e += "}";
    return e;
  }

 private:
  uint64_t Next() {  // splitmix64
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

// A pool of distinct events, sent round robin: larger than a batch, so no batch repeats an event.
std::vector<std::string> MakePool(size_t n, size_t bytes) {
  EventMaker maker(42);
  std::vector<std::string> pool;
  pool.reserve(n);
  for (size_t i = 0; i < n; ++i) pool.push_back(maker.Make(i, bytes));
  return pool;
}

struct Rig {
  std::unique_ptr<storage::Db> rx_db, tx_db;
  storage::ColumnFamily events;
  std::unique_ptr<Receiver> rx;
  std::unique_ptr<Sender> tx;
};

int Setup(const Flags& f, const std::string& base, Rig* rig, Logger& log) {
  storage::DbOptions o;
  o.path = base + "/rx";
  auto rdb = storage::Db::Open(o);
  o.path = base + "/tx";
  auto tdb = storage::Db::Open(o);
  if (!rdb || !tdb) return 1;
  rig->rx_db = std::move(*rdb);
  rig->tx_db = std::move(*tdb);
  rig->events = *rig->rx_db->OpenFamily("events");
  auto server = *GenerateCurveKeyPair();
  auto client = *GenerateCurveKeyPair();
  auto allow = std::make_shared<AllowList>();
  (void)allow->Add(client.public_z85, {"prov-07/s1", "prov-07"});

  ReceiverOptions ro;
  ro.bind = "tcp://127.0.0.1:*";
  ro.server_keys = server;
  ro.allow_list = allow;
  ro.durability = f.rx_sync ? storage::Durability::kSync : storage::Durability::kBuffered;
  storage::ColumnFamily cf = rig->events;
  // One value per batch, keyed [origin][0][seq]: one memtable insert per batch.
  auto batch_sink = [cf, key = std::string()](const ReceivedBatch& b, storage::WriteBatch& wb) mutable -> Status {
    key.assign(b.origin);
    key.push_back('\0');
    storage::PutU64BE(&key, b.seq);
    return wb.Put(cf, key, b.payload);
  };
  // One Put per event, keyed [origin][0][seq][index] (the old sink).
  auto event_sink = [cf](const ReceivedBatch& b, storage::WriteBatch& wb) -> Status {
    std::string key;
    uint32_t idx = 0;
    size_t start = 0;
    while (start < b.payload.size()) {
      size_t nl = b.payload.find('\n', start);
      key.assign(b.origin);
      key.push_back('\0');
      storage::PutU64BE(&key, b.seq);
      storage::PutU32BE(&key, idx++);
      VIGIL_CHECK_OK(wb.Put(cf, key, b.payload.substr(start, nl - start)));
      start = nl + 1;
    }
    return Ok();
  };
  BatchSink sink = f.rx_store_batch ? BatchSink(batch_sink) : BatchSink(event_sink);
  auto rx = Receiver::Start(*rig->rx_db, ro, std::move(sink), &log);
  if (!rx) {
    std::fprintf(stderr, "receiver: %s\n", rx.error().message.c_str());
    return 1;
  }
  rig->rx = std::move(*rx);

  SenderOptions so;
  so.connect = rig->rx->endpoint();
  so.origin = "prov-07/s1";
  so.server_public_key = server.public_z85;
  so.client_keys = client;
  so.batch_max_events = f.batch_events;
  so.compress_lz4 = f.compress;
  so.linger_ns = f.linger_us * 1000;
  so.spool.append_durability = f.spool_sync ? storage::Durability::kSync : storage::Durability::kBuffered;
  auto tx = Sender::Start(*rig->tx_db, so, &log);
  if (!tx) {
    std::fprintf(stderr, "sender: %s\n", tx.error().message.c_str());
    return 1;
  }
  rig->tx = std::move(*tx);
  return 0;
}

int Throughput(const Flags& f, Logger& log) {
  vigil::testing::TempDir dir;
  Rig rig;
  if (Setup(f, dir.path(), &rig, log) != 0) return 1;
  const std::vector<std::string> pool = MakePool(kPoolEvents, f.event_bytes);
  size_t pool_bytes = 0, longest = 0;
  for (const auto& e : pool) {
    pool_bytes += e.size();
    longest = std::max(longest, e.size());
  }
  std::printf("events: %zu distinct, mean %.1f bytes, longest %zu\n", pool.size(),
              static_cast<double>(pool_bytes) / static_cast<double>(pool.size()), longest);
  // --producer=lines: blocks of 64 lines (a sensor's SendLines calls), cut from the pool.
  std::vector<std::string> blocks;
  for (size_t i = 0; i < pool.size(); i += 64) {
    std::string b;
    for (size_t j = i; j < std::min(pool.size(), i + 64); ++j) b.append(pool[j]).push_back('\n');
    blocks.push_back(std::move(b));
  }
  const double cpu0 = CpuSeconds();
  const int64_t t0 = MonotonicNanos();
  if (f.producer_lines) {
    for (uint64_t i = 0, k = 0; i < f.events; i += 64, ++k) {
      const std::string& b = blocks[k % blocks.size()];
      // The last block may be cut short: up to the end of its (f.events - i)-th line.
      size_t n = 0, end = 0;
      while (end < b.size() && n < f.events - i) {
        end = b.find('\n', end) + 1;
        ++n;
      }
      if (rig.tx->SendLines(std::string_view(b.data(), end), true).accepted != n) return 1;
    }
  } else {
    for (uint64_t i = 0; i < f.events; ++i) {
      if (!rig.tx->Send(pool[i % pool.size()]).ok()) return 1;
    }
  }
  if (Status s = rig.tx->Drain(std::chrono::minutes(10)); !s) {
    std::fprintf(stderr, "drain: %s\n", s.error().message.c_str());
    return 1;
  }
  const double secs = static_cast<double>(MonotonicNanos() - t0) / 1e9;
  const double cpu = CpuSeconds() - cpu0;
  const double bytes = static_cast<double>(f.events) * static_cast<double>(f.event_bytes + 1);
  std::printf("throughput: %llu events of %zu bytes in %.2f s = %.0f events/s (%.1f MB/s); "
              "process CPU %.2f s (%.2f cores); batches %llu, receiver commits %llu; load avg %.2f\n",
              static_cast<unsigned long long>(f.events), f.event_bytes, secs, static_cast<double>(f.events) / secs,
              bytes / secs / 1e6, cpu, cpu / secs,
              static_cast<unsigned long long>(rig.tx->counters().Total("transport.tx.batches_spooled")),
              static_cast<unsigned long long>(rig.rx->counters().Total("transport.rx.commits")), LoadAvg());
  // Load-independent figure: CPU per event, and the rate two dedicated cores could sustain if
  // the work spread perfectly over them (an upper bound; fsync waits not included).
  const double us_per_event = cpu * 1e6 / static_cast<double>(f.events);
  std::printf("cpu per event: %.2f us (sender + receiver, both in this process); 2-core CPU ceiling ~%.0f events/s\n",
              us_per_event, 2e6 / us_per_event);
  // Every non-zero counter: resends, timeouts and refusals show up here.
  for (const CounterRegistry* reg : {&rig.tx->counters(), &rig.rx->counters()}) {
    for (const auto& c : reg->Snapshot()) {
      if (c.value != 0) std::printf("  %s = %llu\n", std::string(c.name).c_str(), static_cast<unsigned long long>(c.value));
    }
  }
  return rig.rx->counters().Total("transport.rx.events_stored") == f.events ? 0 : 1;
}

int Latency(const Flags& f, Logger& log) {
  vigil::testing::TempDir dir;
  Rig rig;
  if (Setup(f, dir.path(), &rig, log) != 0) return 1;
  const uint64_t n = f.rate * static_cast<uint64_t>(f.seconds);
  std::vector<int64_t> sent(n), acked(n, 0);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    uint64_t seen = 0;
    while (seen < n && !done.load()) {
      uint64_t a = rig.tx->acked_events();
      if (a > seen) {
        const int64_t now = MonotonicNanos();
        for (uint64_t i = seen; i < a && i < n; ++i) acked[i] = now;
        seen = a;
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
  });
  const std::vector<std::string> pool = MakePool(kPoolEvents, f.event_bytes);
  const int64_t t0 = MonotonicNanos();
  const int64_t gap = kNanosPerSecond / static_cast<int64_t>(f.rate);
  for (uint64_t i = 0; i < n; ++i) {
    const int64_t due = t0 + static_cast<int64_t>(i) * gap;
    while (MonotonicNanos() < due) {
      if (due - MonotonicNanos() > 200'000) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    sent[i] = MonotonicNanos();
    if (!rig.tx->Send(pool[i % pool.size()]).ok()) break;
  }
  if (!rig.tx->Drain(std::chrono::minutes(1)).ok()) done = true;  // watcher must not wait for ever
  watcher.join();
  std::vector<double> ms;
  ms.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    if (acked[i] != 0) ms.push_back(static_cast<double>(acked[i] - sent[i]) / 1e6);
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))]; };
  std::printf("latency at %llu events/s for %d s (%zu events acked): send->ack p50 %.2f ms, p90 %.2f ms, "
              "p99 %.2f ms, max %.2f ms; load avg %.2f\n",
              static_cast<unsigned long long>(f.rate), f.seconds, ms.size(), pct(0.50), pct(0.90), pct(0.99),
              ms.back(), LoadAvg());
  return ms.size() == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (ParseFlag(argv[i], "--events", &v)) f.events = std::stoull(v);
    else if (ParseFlag(argv[i], "--event-bytes", &v)) f.event_bytes = std::stoul(v);
    else if (ParseFlag(argv[i], "--batch-events", &v)) f.batch_events = std::stoul(v);
    else if (ParseFlag(argv[i], "--rate", &v)) f.rate = std::stoull(v);
    else if (ParseFlag(argv[i], "--seconds", &v)) f.seconds = std::stoi(v);
    else if (ParseFlag(argv[i], "--spool-sync", &v)) f.spool_sync = v != "0";
    else if (ParseFlag(argv[i], "--rx-sync", &v)) f.rx_sync = v != "0";
    else if (ParseFlag(argv[i], "--dir", &v)) setenv("TMPDIR", v.c_str(), 1);
    else if (ParseFlag(argv[i], "--phase", &v)) f.phase = v;
    else if (ParseFlag(argv[i], "--linger-us", &v)) f.linger_us = std::stoll(v);
    else if (ParseFlag(argv[i], "--rx-store", &v)) f.rx_store_batch = v != "event";
    else if (ParseFlag(argv[i], "--producer", &v)) f.producer_lines = v == "lines";
    else if (ParseFlag(argv[i], "--runs", &v)) f.runs = std::stoi(v);
    else if (ParseFlag(argv[i], "--compression", &v)) f.compress = v != "none";
    else {
      std::fprintf(stderr, "unknown flag %s (see the comment at the top of transport_bench.cc)\n", argv[i]);
      return 2;
    }
  }
  Logger log(LogLevel::kWarning);
  std::printf("transport_bench: CURVE on, spool sync %d, receiver sync %d, batch %zu events, linger %lld us, "
              "receiver stores %s, producer %s, compression %s\n",
              f.spool_sync, f.rx_sync, f.batch_events, static_cast<long long>(f.linger_us),
              f.rx_store_batch ? "one value per batch" : "one value per event",
              f.producer_lines ? "SendLines(64 events)" : "Send()", f.compress ? "lz4" : "none");
  for (int run = 0; run < f.runs; ++run) {
    if (f.phase != "latency") {
      if (int rc = Throughput(f, log); rc != 0) return rc;
    }
    if (f.phase != "throughput") {
      if (int rc = Latency(f, log); rc != 0) return rc;
    }
  }
  return 0;
}
