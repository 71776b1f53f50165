// transport_bench: sustained throughput and send->ack latency of the transport over loopback,
// with CURVE, a receiver that stores every event in RocksDB and acknowledges after a synced
// write, and a sender that spools every batch before sending (the production path).
//
//   transport_bench [--events=1000000] [--event-bytes=400] [--batch-events=1024]
//                   [--rate=10000] [--seconds=10] [--spool-sync=1] [--rx-sync=1] [--dir=/tmp]
//                   [--phase=both|throughput|latency] [--linger-us=1000]
//                   [--rx-store=batch|event] [--producer=event|lines] [--runs=1]
//
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
  int runs = 1;
};

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

// An EVE-like alert padded to `bytes` (without the newline).
std::string MakeEvent(uint64_t i, size_t bytes) {
  std::string e = "{\"timestamp\":\"2026-11-23T17:00:00.000000+0000\",\"flow_id\":" + std::to_string(i) +
                  ",\"event_type\":\"alert\",\"src_ip\":\"10.1.2.3\",\"src_port\":51234,\"dest_ip\":\"192.0.2.7\","
                  "\"dest_port\":443,\"proto\":\"TCP\",\"sensor_id\":\"prov-07/s1\",\"pad\":\"";
  if (e.size() + 2 < bytes) e.append(bytes - e.size() - 2, 'x');
  e += "\"}";
  return e;
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
  std::vector<std::string> pool;
  for (int i = 0; i < 64; ++i) pool.push_back(MakeEvent(static_cast<uint64_t>(i), f.event_bytes));
  std::string block;  // --producer=lines: the pool as one block of lines
  for (const auto& e : pool) block.append(e).push_back('\n');
  const double cpu0 = CpuSeconds();
  const int64_t t0 = MonotonicNanos();
  if (f.producer_lines) {
    for (uint64_t i = 0; i < f.events; i += pool.size()) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(pool.size(), f.events - i));
      const std::string_view part(block.data(), n * (f.event_bytes + 1));
      if (rig.tx->SendLines(part, true).accepted != n) return 1;
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
  const std::string ev = MakeEvent(0, f.event_bytes);
  const int64_t t0 = MonotonicNanos();
  const int64_t gap = kNanosPerSecond / static_cast<int64_t>(f.rate);
  for (uint64_t i = 0; i < n; ++i) {
    const int64_t due = t0 + static_cast<int64_t>(i) * gap;
    while (MonotonicNanos() < due) {
      if (due - MonotonicNanos() > 200'000) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    sent[i] = MonotonicNanos();
    if (!rig.tx->Send(ev).ok()) break;
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
    else {
      std::fprintf(stderr, "unknown flag %s (see the comment at the top of transport_bench.cc)\n", argv[i]);
      return 2;
    }
  }
  Logger log(LogLevel::kWarning);
  std::printf("transport_bench: CURVE on, spool sync %d, receiver sync %d, batch %zu events, linger %lld us, "
              "receiver stores %s, producer %s\n",
              f.spool_sync, f.rx_sync, f.batch_events, static_cast<long long>(f.linger_us),
              f.rx_store_batch ? "one value per batch" : "one value per event",
              f.producer_lines ? "SendLines(64 events)" : "Send()");
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
