// Live capture end to end (labelled "root"; skips without root, `ip netns` or tcpreplay): a
// network namespace with a veth pair, a corpus pcap replayed into it with tcpreplay, the sensor
// capturing on the host end, stopped like an operator stops it; its flows must be the offline
// run's flows of the same pcap (per 5-tuple: packets and bytes each way). IPv6 is disabled on
// both veth ends so the kernel puts no neighbour-discovery traffic on the link.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <thread>

#include "sensor/output/memory_sink.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

// All IPv4, largest frame 1436 bytes: fits the veth's 1500-byte MTU.
constexpr const char* kReplayFile = "unit42-2021-01-06-emotet-infection.pcap";

std::string WhyCannotRun() {
  if (::geteuid() != 0) return "not running as root (live capture and veth setup need it)";
  if (!HaveTool("ip") || RunCommand("ip netns list").rc != 0) return "`ip netns` is unavailable";
  if (!HaveTool("tcpreplay")) return "tcpreplay is not installed";
  return "";
}

class VethNamespace {
 public:
  VethNamespace() {
    std::random_device rd;
    suffix_ = std::to_string(rd() % 100000);
    ns_ = "vigil-pl-" + suffix_;
    host_ = "vigil-p0" + suffix_;
    peer_ = "vigil-p1" + suffix_;
  }
  ~VethNamespace() {
    RunCommand("ip link del " + host_);
    RunCommand("ip netns del " + ns_);
  }
  VethNamespace(const VethNamespace&) = delete;
  VethNamespace& operator=(const VethNamespace&) = delete;
  std::string SetUp() {
    if (RunCommand("ip netns add " + ns_).rc != 0) return "ip netns add failed";
    if (RunCommand("ip link add " + host_ + " type veth peer name " + peer_).rc != 0) {
      return "ip link add veth failed";
    }
    std::ofstream("/proc/sys/net/ipv6/conf/" + host_ + "/disable_ipv6") << "1";
    if (RunCommand("ip link set " + peer_ + " netns " + ns_).rc != 0) return "moving veth failed";
    RunCommand("ip netns exec " + ns_ + " sysctl -q -w net.ipv6.conf." + peer_ + ".disable_ipv6=1");
    if (RunCommand("ip link set " + host_ + " up").rc != 0) return "host veth up failed";
    if (RunCommand("ip netns exec " + ns_ + " ip link set " + peer_ + " up").rc != 0) {
      return "peer veth up failed";
    }
    return "";
  }
  CommandResult Replay(const std::string& pcap) const {
    return RunCommand("ip netns exec " + ns_ + " tcpreplay -q -i " + peer_ + " --topspeed " +
                      ShellQuote(pcap));
  }
  const std::string& host() const { return host_; }

 private:
  std::string suffix_, ns_, host_, peer_;
};

// Counts the packets the workers inspected and wakes the test when `target` is reached.
struct PacketCounter {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t seen = 0;
  uint64_t target = ~uint64_t{0};
};
class CountingPlugin final : public WorkerPlugin {
 public:
  explicit CountingPlugin(PacketCounter& c) : c_(c) {}
  void OnPacket(const Packet&, const PacketContext&) override {
    std::lock_guard lock(c_.mu);
    if (++c_.seen >= c_.target) c_.cv.notify_all();
  }

 private:
  PacketCounter& c_;
};

std::vector<std::string> LiveSets() {
  std::vector<std::string> s = NoTimeoutSets();
  s.push_back("threads=2");
  s.push_back("capture.queue-full=block");  // compare like with like: no drops by policy
  return s;
}

TEST(LivePipeline, ReplayedPcapGivesTheOfflineFlows) {
  if (auto why = WhyCannotRun(); !why.empty()) GTEST_SKIP() << why;
  const std::string pcap = (CorpusDir() / kReplayFile).string();
  ASSERT_TRUE(fs::exists(pcap)) << pcap;

  PacketCounter offline_count;
  MemorySink offline_sink;
  {
    PipelineOptions o;
    o.plugins = [&](uint32_t, EventWriter&) { return std::make_unique<CountingPlugin>(offline_count); };
    auto r = RunOffline(MakeConfig({pcap}, LiveSets()), offline_sink, o);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  ASSERT_GT(offline_count.seen, 1000u);

  VethNamespace net;
  ASSERT_EQ(net.SetUp(), "");
  SensorConfig cfg = MakeConfig({}, LiveSets());
  cfg.capture.inputs.clear();
  cfg.capture.interface = net.host();
  cfg.capture.buffer_bytes = 32u << 20;
  cfg.capture.timeout_ms = 50;
  PacketCounter live_count;
  live_count.target = offline_count.seen;
  MemorySink live_sink;
  PipelineOptions o;
  o.plugins = [&](uint32_t, EventWriter&) { return std::make_unique<CountingPlugin>(live_count); };
  auto p = Pipeline::Create(cfg, live_sink, o);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  Result<RunSummary> summary = Error(ErrorCode::kInternal, "did not run");
  std::thread runner([&] { summary = (*p)->Run(); });

  const auto replay = net.Replay(pcap);
  EXPECT_EQ(replay.rc, 0) << replay.out;
  {
    // Not a sleep: wakes as soon as every packet was inspected; the bound only catches a failure.
    std::unique_lock lock(live_count.mu);
    live_count.cv.wait_for(lock, std::chrono::seconds(30),
                           [&] { return live_count.seen >= live_count.target; });
  }
  (*p)->Stop();
  runner.join();
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_TRUE(summary->stopped);
  EXPECT_EQ(live_count.seen, offline_count.seen)
      << "kernel drops " << summary->Counter("capture.kernel_drops");
  EXPECT_EQ(summary->Counter("capture.kernel_drops"), 0u);
  EXPECT_GE(summary->Counter("capture.kernel_packets"), summary->Counter("capture.packets"));

  const ParsedEve offline = ParseEve(offline_sink.Lines());
  const ParsedEve live = ParseEve(live_sink.Lines());
  for (const std::string proto : {"TCP", "UDP"}) {
    const Conversations want = OurConversations(offline.flows, proto);
    const Conversations got = OurConversations(live.flows, proto);
    EXPECT_EQ(got.size(), want.size()) << proto;
    for (const auto& [k, w] : want) {
      auto it = got.find(k);
      if (it == got.end()) {
        ADD_FAILURE() << "live run lacks " << k;
        continue;
      }
      EXPECT_TRUE(it->second == w) << k << "\n  live    " << it->second << "\n  offline " << w;
    }
  }
  size_t shutdown = 0;
  for (const EveFlow& f : live.flows) shutdown += f.reason == "shutdown";
  EXPECT_GT(shutdown, 0u) << "flows still open at Stop() end as shutdown";
  EXPECT_GE(live.types.count("stats"), 1u);
}

// The binary, stopped with SIGINT as an operator would: a clean exit with the summary, flows
// ended as shutdown and a final stats event in eve.json.
TEST(LivePipeline, BinaryStopsCleanlyOnSigint) {
  if (auto why = WhyCannotRun(); !why.empty()) GTEST_SKIP() << why;
  if (!fs::exists(SensorBinary())) GTEST_SKIP() << "not built: " << SensorBinary();
  const std::string pcap = (CorpusDir() / kReplayFile).string();
  VethNamespace net;
  ASSERT_EQ(net.SetUp(), "");
  TempDir dir;

  int out_pipe[2];
  ASSERT_EQ(::pipe(out_pipe), 0);
  const std::string bin = SensorBinary().string();
  const std::string logdir = dir.path().string();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(out_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::execl(bin.c_str(), bin.c_str(), "-i", net.host().c_str(), "-l", logdir.c_str(),
            "--threads", "2", "--set", "logging.default-log-level=notice", nullptr);
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  // The sensor logs one notice line once the interface is open: wait for it (blocking read).
  std::string out;
  char buf[4096];
  while (out.find("live capture on") == std::string::npos) {
    const ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ASSERT_NE(out.find("live capture on"), std::string::npos) << out;
  const auto replay = net.Replay(pcap);
  EXPECT_EQ(replay.rc, 0) << replay.out;
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  ssize_t n;
  while ((n = ::read(out_pipe[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("(stopped)"), std::string::npos) << out;
  EXPECT_NE(out.find("drops       kernel"), std::string::npos) << out;

  ParsedEve eve = ParseEve(ReadLines((dir.path() / "eve.json").string()));
  EXPECT_EQ(eve.invalid, 0u);
  EXPECT_GT(eve.flows.size(), 0u);
  EXPECT_GE(eve.types["stats"], 1u);
}

}  // namespace
}  // namespace vigil::sensor
