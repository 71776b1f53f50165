// UpstreamSink end to end: EVE lines written by several threads through the sink (a transport
// Sender with its RocksDB spool, CURVE) into an in-process Receiver that stores each batch; every
// line must arrive exactly once. Plus the accounting of refused and dropped lines.
#include "sensor/output/upstream_sink.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/key_codec.h"
#include "tests/storage/temp_dir.h"
#include "tests/transport/transport_fixture.h"
#include "transport/receiver.h"

namespace vigil::sensor {
namespace {

constexpr char kOrigin[] = "prov-07/s1";

std::string Line(int thread, int i) {
  return "{\"event_type\":\"alert\",\"t\":" + std::to_string(thread) + ",\"i\":" + std::to_string(i) +
         ",\"pad\":\"" + std::string(static_cast<size_t>(100 + i % 200), 'x') + "\"}\n";
}

// "t":T,"i":I of a stored line.
std::pair<int, int> Ids(std::string_view line) {
  const auto t = line.find("\"t\":");
  const auto i = line.find("\"i\":");
  return {std::stoi(std::string(line.substr(t + 4))), std::stoi(std::string(line.substr(i + 4)))};
}

using transport::testing::OpenDb;

class UpstreamSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = *transport::GenerateCurveKeyPair();
    client_ = *transport::GenerateCurveKeyPair();
    auto allow = std::make_shared<transport::AllowList>();
    ASSERT_TRUE(allow->Add(client_.public_z85, {kOrigin, "prov-07"}).ok());
    allow_ = allow;
    rx_db_ = OpenDb(dir_.Sub("rx"));
    ASSERT_TRUE(rx_db_);
    batches_ = *rx_db_->OpenFamily("batches");
  }

  void StartReceiver() {
    transport::ReceiverOptions o;
    o.bind = "tcp://127.0.0.1:*";
    o.server_keys = server_;
    o.allow_list = allow_;
    storage::ColumnFamily cf = batches_;
    // One value per batch, keyed (origin, seq), committed with the de-duplication mark.
    auto sink = [cf](const transport::ReceivedBatch& b, storage::WriteBatch& wb) -> Status {
      std::string key(b.origin);
      key.push_back('\0');
      storage::PutU64BE(&key, b.seq);
      return wb.Put(cf, key, b.payload);
    };
    auto rx = transport::Receiver::Start(*rx_db_, o, sink);
    ASSERT_TRUE(rx.ok()) << rx.error().message;
    rx_ = std::move(*rx);
  }

  // The sink's config as an operator writes it; key files on disk.
  std::string Yaml(const std::string& endpoint, const std::string& extra = "", const std::string& spool_extra = "") {
    EXPECT_TRUE(transport::WritePublicKeyFile(dir_.Sub("server.pub"), server_.public_z85).ok());
    EXPECT_TRUE(transport::WriteSecretKeyFile(dir_.Sub("sensor.key"), client_).ok());
    return "upstream:\n  upstream: " + endpoint + "\n  origin: " + kOrigin +
           "\n  curve:\n    server-public-key-file: " + dir_.Sub("server.pub") +
           "\n    secret-key-file: " + dir_.Sub("sensor.key") + "\n  ack-timeout: 500ms\n" +
           "  spool:\n    dir: " + dir_.Sub("spool") + "\n" + spool_extra + extra;
  }

  std::unique_ptr<UpstreamSink> SinkFromYaml(const std::string& yaml) {
    ConfigSchema schema;
    DeclareUpstreamSinkConfig(schema, "upstream");
    auto cfg = Config::LoadString(yaml, "sensor.yaml", schema);
    EXPECT_TRUE(cfg.ok()) << (cfg.ok() ? "" : cfg.error().message);
    if (!cfg.ok()) return nullptr;
    auto sink = UpstreamSinkFromConfig(*cfg, "upstream", nullptr);
    EXPECT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.error().message);
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  // Every stored line, in (origin, seq) order.
  std::vector<std::string> StoredLines() {
    std::vector<std::string> out;
    auto it = rx_db_->NewIterator(batches_);
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      std::string_view v = it.value();
      size_t start = 0;
      while (start < v.size()) {
        const size_t nl = v.find('\n', start);
        out.emplace_back(v.substr(start, nl - start));
        start = nl + 1;
      }
    }
    EXPECT_TRUE(it.status().ok());
    return out;
  }

  vigil::testing::TempDir dir_;
  transport::CurveKeyPair server_, client_;
  std::shared_ptr<const transport::AllowList> allow_;
  std::unique_ptr<storage::Db> rx_db_;
  storage::ColumnFamily batches_;
  std::unique_ptr<transport::Receiver> rx_;
};

TEST_F(UpstreamSinkTest, LinesFromFourThreadsArriveExactlyOnceInThreadOrder) {
  StartReceiver();
  ASSERT_TRUE(rx_);
  // Small batches so the run has many of them (sealed by count, by bytes and by linger).
  auto sink = SinkFromYaml(Yaml(rx_->endpoint(), "  batch:\n    max-events: 100\n    max-bytes: 32kb\n"));
  ASSERT_TRUE(sink);
  EXPECT_NE(sink->Describe().find(kOrigin), std::string::npos);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string block;  // what an EventWriter hands over: whole lines, up to ~8 KiB
      for (int i = 0; i < kPerThread; ++i) {
        block += Line(t, i);
        if (block.size() >= 8192 || i + 1 == kPerThread) {
          EXPECT_TRUE(sink->WriteLines(block).ok());
          block.clear();
        }
        if (i % 1000 == 999) {
          EXPECT_TRUE(sink->Flush().ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(sink->Flush().ok());
  ASSERT_TRUE(sink->Drain(std::chrono::seconds(60)).ok());

  const UpstreamSinkStats st = sink->Stats();
  EXPECT_EQ(st.lines_queued, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(st.lines_dropped, 0u);
  EXPECT_EQ(st.lines_refused, 0u);
  EXPECT_EQ(sink->counters().Total("transport.tx.events_acked"), uint64_t{kThreads * kPerThread});
  EXPECT_GT(sink->counters().Total("transport.tx.batches_acked"), uint64_t{kThreads * kPerThread / 100} - 1);

  const auto lines = StoredLines();
  ASSERT_EQ(lines.size(), size_t{kThreads * kPerThread});
  std::vector<int> next(kThreads, 0);  // each thread's lines arrive complete and in its order
  for (const auto& l : lines) {
    auto [t, i] = Ids(l);
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    ASSERT_EQ(i, next[static_cast<size_t>(t)]) << "thread " << t << " line out of place or repeated";
    ASSERT_EQ(l + "\n", Line(t, i)) << "line altered in transit";
    ++next[static_cast<size_t>(t)];
  }
  EXPECT_EQ(rx_->counters().Total("transport.rx.events_stored"), uint64_t{kThreads * kPerThread});
}

TEST_F(UpstreamSinkTest, InvalidLinesAreRefusedAndCountedTheOthersArrive) {
  StartReceiver();
  ASSERT_TRUE(rx_);
  auto sink = SinkFromYaml(Yaml(rx_->endpoint(), "  batch:\n    max-bytes: 4kb\n"));
  ASSERT_TRUE(sink);
  const std::string oversize = "{\"pad\":\"" + std::string(5000, 'y') + "\"}\n";
  Status s = sink->WriteLines(Line(0, 0) + "\n" + oversize + Line(0, 1));
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE(sink->Drain(std::chrono::seconds(30)).ok());
  EXPECT_EQ(sink->Stats().lines_refused, 2u);
  EXPECT_EQ(sink->Stats().lines_queued, 2u);
  EXPECT_EQ(sink->counters().Total("transport.tx.events_refused"), 2u);
  const auto lines = StoredLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Ids(lines[0]), std::make_pair(0, 0));
  EXPECT_EQ(Ids(lines[1]), std::make_pair(0, 1));
}

TEST_F(UpstreamSinkTest, DropOldestNeverBlocksAndCountsEveryLineNotQueued) {
  // No receiver: the spool fills, then the pending buffer; a drop-oldest sink must keep
  // returning at once and count what it could not queue.
  auto sink = SinkFromYaml(Yaml("tcp://127.0.0.1:1",
                                "  batch:\n    max-bytes: 4kb\n    linger: 1ms\n  max-pending-bytes: 8kb\n"
                                "  compression: none\n",  // the bounds below count raw bytes
                                "    max-bytes: 16kb\n    full-policy: drop-oldest\n"));
  ASSERT_TRUE(sink);
  constexpr int kLines = 3000;
  for (int i = 0; i < kLines; i += 10) {
    std::string block;
    for (int j = i; j < i + 10; ++j) block += Line(0, j);
    (void)sink->WriteLines(block);  // errors are the drops, counted below
  }
  ASSERT_TRUE(sink->Flush().ok());
  const UpstreamSinkStats st = sink->Stats();
  EXPECT_EQ(st.blocks, uint64_t{kLines / 10});
  EXPECT_EQ(st.lines_queued + st.lines_dropped, uint64_t{kLines});
  EXPECT_EQ(sink->counters().Total("transport.tx.events_no_room"), st.lines_dropped);
  // ~1 MB of lines against 16 KiB of spool and 8 KiB of pending room (about 75 lines): all but
  // those were dropped, either here (no room) or by the spool (drop-oldest), and every drop is
  // counted. The spool's drops are counted when the I/O thread stores the next group: poll.
  auto accounted = [&] {
    return st.lines_dropped + sink->counters().Total("transport.tx.events_dropped") >= uint64_t{kLines - 100};
  };
  for (int i = 0; i < 1000 && !accounted(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(accounted()) << "dropped here " << st.lines_dropped << ", by the spool "
                           << sink->counters().Total("transport.tx.events_dropped");
}

}  // namespace
}  // namespace vigil::sensor
