// Restart test: a correlator process SIGKILLed in the middle of an event stream with open windows,
// restarted on its store and given the rest of the stream (as the transport would resend it from
// the committed de-duplication mark), ends with exactly the store of an uninterrupted run: the
// same events, index entries, correlated alerts (ids, windows, contributing events) and state.
//
// The child process runs the real CorrelationPipeline and commits each batch as the receiver
// does (events + indexes + alerts + checkpoint + mark in one WriteBatch); it reports every commit
// on a pipe and the parent kills it with SIGKILL once half the stream is committed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "correlator/store/store_layout.h"
#include "correlator/tier/correlation_pipeline.h"
#include "storage/key_codec.h"
#include "tests/correlator/tier/event_stream.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

using testing::StreamBatch;

// Short windows and low thresholds so that this small stream fires every type, plus the
// shipped provincial rules.
constexpr const char* kTestRules = R"(
title: any flow
name: t_flow
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: auth failure
name: t_fail
logsource: {category: alert}
detection: {sel: {alert.signature|contains: failed}, condition: sel}
---
title: auth success
name: t_ok
logsource: {category: alert}
detection: {sel: {alert.signature|contains: success}, condition: sel}
---
title: long dns label
name: t_dns
logsource: {category: dns}
detection: {sel: {dns.rrname|re: '^[a-z0-9]{40,}\.'}, condition: sel}
---
title: many ports
correlation: {type: value_count, rules: [t_flow], group-by: [src_ip], timespan: 2m, condition: {field: dest_port, gte: 12}}
---
title: failures
name: t_failures
correlation: {type: event_count, rules: [t_fail], group-by: [src_ip], timespan: 1m, condition: {gte: 8}, suppress: 30s}
---
title: failures then success
correlation: {type: temporal_ordered, rules: [t_failures, t_ok], group-by: [src_ip], timespan: 5m}
---
title: bytes
correlation: {type: value_sum, rules: [t_flow], group-by: [dest_ip], timespan: 1m, condition: {field: flow.bytes_toserver, gt: 20000}}
---
title: no dns after failure
correlation: {type: absence, rules: [t_fail, t_dns], group-by: [src_ip], timespan: 20s}
---
title: beacon
correlation:
  type: periodicity
  rules: [t_flow]
  group-by: [src_ip, dest_ip, dest_port]
  timespan: 10m
  periodicity: {min_events: 20, max_jitter: 0.9, min_interval: 100ms, max_interval: 1m}
)";

std::shared_ptr<const RuleSet> TestRules() {
  RuleSetBuilder b;
  for (const auto& e : std::filesystem::directory_iterator("rules/correlation/default")) {
    if (e.path().extension() == ".yml") b.AddFile(e.path().string());
  }
  b.AddText("restart_test.yml", kTestRules);
  auto rs = b.Build();
  EXPECT_TRUE(rs.ok()) << (rs.ok() ? "" : rs.error().message);
  return rs.ok() ? std::make_shared<const RuleSet>(std::move(*rs)) : nullptr;
}

constexpr std::string_view kOrigin = "prov-01/sensors";

struct RunInfo {
  uint64_t resumed_after = 0;  // mark found at start
  size_t open_groups_at_start = 0;
  size_t pending_hits_at_start = 0;
  uint64_t replayed = 0;
};

// Runs the pipeline over the batches after the committed mark, committing each like the
// receiver; writes each committed seq to progress_fd (if >= 0); flushes the engine at the end.
Status RunCorrelator(const std::string& path, std::shared_ptr<const RuleSet> rules,
                     const std::vector<StreamBatch>& batches, int progress_fd, RunInfo* info) {
  storage::DbOptions o;
  o.path = path;
  StoreLayout::TuneDbOptions(o);  // as vigil-correlator: append memtables for the indexes
  VIGIL_TRY(auto db, storage::Db::Open(o));
  VIGIL_TRY(storage::ColumnFamily marks, db->OpenFamily("transport.marks"));
  PipelineOptions po;
  po.checkpoint_every_events = 2'500;  // every 25 batches: the kill lands between checkpoints
  VIGIL_TRY(auto p, CorrelationPipeline::Create(*db, EventStoreOptions{}, rules, po, nullptr));
  VIGIL_TRY(auto mark, db->Get(marks, kOrigin));
  const uint64_t hwm = mark ? storage::DecodeU64BE(mark->data()) : 0;
  if (info) *info = RunInfo{hwm, p->engine().group_count(), p->engine().pending_hits(), p->counters().events_replayed};
  for (const StreamBatch& b : batches) {
    if (b.seq <= hwm) continue;
    transport::ReceivedBatch rb{kOrigin, "", b.seq, b.events, b.payload};
    storage::WriteBatch wb;
    VIGIL_CHECK_OK(p->AddBatch(rb, wb));
    VIGIL_CHECK_OK(wb.Put(marks, kOrigin, storage::U64Key(b.seq)));
    // Buffered: the WAL reaches the OS before Write returns, which survives SIGKILL.
    VIGIL_CHECK_OK(db->Write(wb, storage::Durability::kBuffered));
    if (progress_fd >= 0 && ::write(progress_fd, &b.seq, sizeof b.seq) != sizeof b.seq) {
      return Error(ErrorCode::kIo, "progress pipe");
    }
  }
  storage::WriteBatch wb;
  VIGIL_CHECK_OK(p->Flush(wb));
  return db->Write(wb, storage::Durability::kBuffered);
}

// Every key and value of the correlator's families, by family name.
std::map<std::string, std::vector<std::pair<std::string, std::string>>> Dump(const std::string& path) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
  storage::DbOptions o;
  o.path = path;
  StoreLayout::TuneDbOptions(o);  // as vigil-correlator: append memtables for the indexes
  auto db = storage::Db::Open(o);
  EXPECT_TRUE(db.ok()) << db.error().message;
  if (!db.ok()) return out;
  std::vector<std::string> names = {"correlator.state", "index.event_id"};
  for (size_t i = 0; i < kEventClassCount; ++i) names.push_back("events." + std::string(EventClassName(static_cast<EventClass>(i))));
  names.push_back("events.rejected");
  for (size_t i = 0; i < kIndexFieldCount; ++i) names.push_back("index." + std::string(IndexFieldName(static_cast<IndexField>(i))));
  for (const auto& n : names) {
    auto cf = (*db)->Family(n);
    EXPECT_TRUE(cf.ok()) << n;
    if (!cf.ok()) continue;
    auto& rows = out[n];
    auto it = (*db)->NewIterator(*cf);
    for (it.SeekToFirst(); it.Valid(); it.Next()) rows.emplace_back(std::string(it.key()), std::string(it.value()));
    EXPECT_TRUE(it.status().ok());
  }
  return out;
}

TEST(CorrelatorRestart, SigkillMidStreamGivesTheAlertsOfAnUninterruptedRun) {
  auto rules = TestRules();
  ASSERT_TRUE(rules);
  const auto batches = testing::MakeEventStream(/*batches=*/120, /*per_batch=*/100);
  testing::TempDir dir;
  const std::string killed = dir.Sub("killed");
  const std::string clean = dir.Sub("clean");

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    Status s = RunCorrelator(killed, rules, batches, fds[1], nullptr);
    ::_exit(s ? 0 : 3);
  }
  ::close(fds[1]);
  uint64_t seq = 0, last = 0;
  while (::read(fds[0], &seq, sizeof seq) == sizeof seq) {
    last = seq;
    if (last >= batches.size() / 2) break;
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ::close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL) << "the child ended before the kill";
  ASSERT_GE(last, batches.size() / 2);

  RunInfo resumed;
  Status s = RunCorrelator(killed, rules, batches, -1, &resumed);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_GE(resumed.resumed_after, last);
  EXPECT_LT(resumed.resumed_after, batches.size()) << "killed after the last batch: not mid-stream";
  EXPECT_GT(resumed.open_groups_at_start, 0u) << "no open window at the kill";
  EXPECT_GT(resumed.pending_hits_at_start, 0u) << "no hit waiting in the reorder buffer at the kill";
  EXPECT_GT(resumed.replayed, 0u) << "the kill should land after the last checkpoint";

  s = RunCorrelator(clean, rules, batches, -1, nullptr);
  ASSERT_TRUE(s) << s.error().message;

  const auto a = Dump(clean);
  const auto b = Dump(killed);
  ASSERT_GE(a.at("events.correlation").size(), 20u) << "the stream should fire many alerts";
  std::map<std::string, int> titles;
  for (const auto& [k, v] : a.at("events.correlation")) {
    const auto pos = v.find("\"title\":\"");
    if (pos != std::string::npos) titles[v.substr(pos + 9, v.find('"', pos + 9) - pos - 9)]++;
  }
  EXPECT_GE(titles.size(), 5u) << "several rule types should fire";
  for (const auto& [family, rows] : a) {
    ASSERT_EQ(rows.size(), b.at(family).size()) << family;
    for (size_t i = 0; i < rows.size(); ++i) {
      // (Not ASSERT_EQ: the rows are binary and large.)
      ASSERT_TRUE(rows[i] == b.at(family)[i]) << family << " row " << i << " differs";
    }
  }
  EXPECT_EQ(a.at("events.flow").size() + a.at("events.alert").size() + a.at("events.dns").size(),
            batches.size() * 100);
}

}  // namespace
}  // namespace vigil::correlator
