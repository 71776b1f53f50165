// Live capture through a veth pair: needs root and `ip netns`; labelled "root" in ctest so it can
// be excluded (ctest -LE root). Skips with the reason when the environment cannot run it.
#include "sensor/capture/live_source.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/time.h"
#include "sensor/capture/offline_source.h"
#include "tests/sensor/capture/capture_test_util.h"

namespace vigil::sensor {
namespace {

using capture_test::CorpusPcaps;
using capture_test::HaveTool;
using capture_test::RandomSuffix;
using capture_test::RunCommand;
using capture_test::ShellQuote;
using capture_test::TestCounters;

// The replayed file: all IPv4, largest frame 1436 bytes (fits the veth's 1500-byte MTU).
constexpr const char* kReplayFile = "unit42-2021-01-06-emotet-infection.pcap";

std::string WhyLiveTestCannotRun() {
  if (::geteuid() != 0) return "not running as root (live capture and veth setup need it)";
  if (!HaveTool("ip") || RunCommand("ip netns list").rc != 0) return "`ip netns` is unavailable";
  if (!HaveTool("tcpreplay")) return "tcpreplay is not installed";
  return "";
}

bool WriteSysctl(const std::string& path, const std::string& value) {
  std::ofstream f(path);
  f << value;
  return static_cast<bool>(f);
}

// Creates namespace NS and veth pair host <-> peer (peer inside NS), IPv6 off on both ends so the
// kernel sends no router solicitations or neighbour discovery onto the link; removes everything
// in its destructor, whatever the test did.
class VethNamespace {
 public:
  VethNamespace()
      : suffix_(RandomSuffix()),
        ns_("vigil-test-" + suffix_),
        host_("vigil-t0" + suffix_),
        peer_("vigil-t1" + suffix_) {}
  ~VethNamespace() {
    RunCommand("ip link del " + host_);  // deleting one end deletes the pair
    RunCommand("ip netns del " + ns_);
  }
  VethNamespace(const VethNamespace&) = delete;
  VethNamespace& operator=(const VethNamespace&) = delete;

  // Returns an empty string on success, else what failed.
  std::string SetUp() {
    if (RunCommand("ip netns add " + ns_).rc != 0) return "ip netns add failed";
    if (RunCommand("ip link add " + host_ + " type veth peer name " + peer_).rc != 0) {
      return "ip link add veth failed";
    }
    WriteSysctl("/proc/sys/net/ipv6/conf/" + host_ + "/disable_ipv6", "1");
    if (RunCommand("ip link set " + peer_ + " netns " + ns_).rc != 0) return "moving veth failed";
    RunCommand("ip netns exec " + ns_ + " sysctl -q -w net.ipv6.conf." + peer_ + ".disable_ipv6=1");
    if (RunCommand("ip link set " + host_ + " up").rc != 0) return "host veth up failed";
    if (RunCommand("ip netns exec " + ns_ + " ip link set " + peer_ + " up").rc != 0) {
      return "peer veth up failed";
    }
    return "";
  }
  const std::string& ns() const { return ns_; }
  const std::string& host() const { return host_; }
  const std::string& peer() const { return peer_; }

 private:
  std::string suffix_, ns_, host_, peer_;
};

struct Captured {
  std::vector<std::vector<uint8_t>> frames;
  std::vector<uint32_t> wirelen;
};

TEST(LiveSourceTest, ReplayedPcapIsCapturedCompletelyAndByteForByte) {
  if (auto why = WhyLiveTestCannotRun(); !why.empty()) GTEST_SKIP() << why;
  const std::string file = (capture_test::CorpusDir() / kReplayFile).string();
  ASSERT_TRUE(std::filesystem::exists(file)) << file;

  // Reference frames, read offline.
  Captured want;
  {
    TestCounters tc;
    CaptureConfig cfg;
    cfg.inputs = {file};
    auto src = OfflineSource::Create(cfg, tc.counters);
    ASSERT_TRUE(src.ok());
    Frame f;
    while (*(*src)->Read(f) == ReadStatus::kPacket) {
      want.frames.emplace_back(f.data, f.data + f.caplen);
      want.wirelen.push_back(f.wirelen);
    }
  }
  ASSERT_FALSE(want.frames.empty());

  VethNamespace net;
  ASSERT_EQ(net.SetUp(), "");

  TestCounters tc;
  CaptureConfig cfg;
  cfg.interface = net.host();
  // Not immediate mode: libpcap then uses TPACKET_V2 with one snaplen-sized frame per packet, and
  // a 32 MiB buffer holds only ~127 of them (see CaptureConfig::immediate_mode).
  cfg.timeout_ms = 50;
  cfg.buffer_bytes = 32u << 20;
  auto src = LiveSource::Create(cfg, tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  LiveSource& live = **src;
  EXPECT_EQ(live.datalink(), DLT_EN10MB);

  Captured got;
  std::mutex mu;
  std::condition_variable cv;
  bool reader_done = false;
  std::string reader_error;
  std::thread reader([&] {
    std::vector<uint8_t> buf(cfg.snaplen);
    PacketSlot slot;
    slot.storage = {buf.data(), buf.size()};
    for (;;) {
      auto st = live.Next(slot);
      if (!st) {
        std::lock_guard lock(mu);
        reader_error = st.error().ToString();
        break;
      }
      if (*st == ReadStatus::kEnd) break;
      if (*st != ReadStatus::kPacket) continue;
      std::lock_guard lock(mu);
      got.frames.emplace_back(slot.packet.data, slot.packet.data + slot.packet.caplen);
      got.wirelen.push_back(slot.packet.wirelen);
      if (got.frames.size() >= want.frames.size()) cv.notify_all();
    }
    std::lock_guard lock(mu);
    reader_done = true;
    cv.notify_all();
  });

  const auto replay = RunCommand("ip netns exec " + net.ns() + " tcpreplay -i " + net.peer() +
                                 " --topspeed " + ShellQuote(file));
  EXPECT_EQ(replay.rc, 0) << replay.out;
  {
    // Not a sleep: wakes as soon as every frame has arrived; the bound only catches a failure.
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(20),
                [&] { return reader_done || got.frames.size() >= want.frames.size(); });
  }
  live.Breakloop();
  reader.join();
  ASSERT_EQ(reader_error, "");

  auto ks = live.UpdateKernelStats();
  ASSERT_TRUE(ks.ok()) << ks.error().ToString();
  ASSERT_EQ(got.frames.size(), want.frames.size())
      << "kernel: received " << ks->received << " dropped " << ks->dropped << " ifdropped "
      << ks->ifdropped << "; tcpreplay: " << replay.out;
  size_t mismatched = 0;
  for (size_t i = 0; i < want.frames.size(); ++i) {
    if (got.frames[i] != want.frames[i] || got.wirelen[i] != want.wirelen[i]) ++mismatched;
  }
  EXPECT_EQ(mismatched, 0u);
  EXPECT_EQ(tc.Get(CaptureCounter::kPackets), want.frames.size());

  EXPECT_GE(ks->received, want.frames.size());
  EXPECT_EQ(ks->dropped, 0u);
  EXPECT_EQ(tc.Get(CaptureCounter::kKernelPackets), ks->received);
  EXPECT_EQ(tc.Get(CaptureCounter::kKernelDrops), ks->dropped);
  EXPECT_EQ(tc.Get(CaptureCounter::kKernelIfdrops), ks->ifdropped);
}

TEST(LiveSourceTest, BreakloopWakesAnIdleReaderPromptly) {
  if (auto why = WhyLiveTestCannotRun(); !why.empty()) GTEST_SKIP() << why;
  VethNamespace net;
  ASSERT_EQ(net.SetUp(), "");
  TestCounters tc;
  CaptureConfig cfg;
  cfg.interface = net.host();
  cfg.timeout_ms = 10000;  // a long timeout: only Breakloop can end the wait quickly
  auto src = LiveSource::Create(cfg, tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  std::atomic<bool> entered{false};
  int64_t returned_ns = 0;
  ReadStatus status = ReadStatus::kPacket;
  std::thread reader([&] {
    Frame f;
    entered.store(true);
    for (;;) {
      auto st = (*src)->Read(f);
      if (!st.ok() || *st != ReadStatus::kPacket) {
        status = st.ok() ? *st : ReadStatus::kTimeout;
        break;
      }
    }
    returned_ns = MonotonicNanos();
  });
  while (!entered.load()) std::this_thread::yield();
  const int64_t broke_ns = MonotonicNanos();
  (*src)->Breakloop();
  reader.join();
  EXPECT_EQ(status, ReadStatus::kEnd);
  EXPECT_LT(returned_ns - broke_ns, 2 * kNanosPerSecond);  // far below the 10 s timeout
}

TEST(LiveSourceTest, ErrorsNameTheInterfaceAndCause) {
  if (auto why = WhyLiveTestCannotRun(); !why.empty()) GTEST_SKIP() << why;
  TestCounters tc;
  CaptureConfig cfg;
  cfg.interface = "vigil-nosuch0";
  auto missing = LiveSource::Create(cfg, tc.counters);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << missing.error().ToString();
  EXPECT_NE(missing.error().message.find("vigil-nosuch0"), std::string::npos);

  VethNamespace net;
  ASSERT_EQ(net.SetUp(), "");
  cfg.interface = net.host();
  cfg.bpf_filter = "tcp port (";
  auto bad = LiveSource::Create(cfg, tc.counters);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("tcp port ("), std::string::npos) << bad.error().message;
}

// Without CAP_NET_RAW, opening fails with the operator-facing hint. Runs the check in a child
// whose capabilities capsh drops, so the test process keeps its own.
TEST(LiveSourceTest, PermissionDeniedSaysWhatIsNeeded) {
  if (auto why = WhyLiveTestCannotRun(); !why.empty()) GTEST_SKIP() << why;
  if (!HaveTool("capsh")) GTEST_SKIP() << "capsh is not installed";
  const char* self = std::getenv("VIGIL_CAPTURE_PERMISSION_CHILD");
  if (self != nullptr) GTEST_SKIP() << "inside the child";
  char exe[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  ASSERT_GT(n, 0);
  const auto r = RunCommand(
      "VIGIL_CAPTURE_PERMISSION_CHILD=1 capsh --drop=cap_net_raw,cap_net_admin -- -c " +
      ShellQuote(std::string(exe) + " --gtest_filter=LiveSourceChild.*") + " 2>&1");
  EXPECT_NE(r.out.find("need root or CAP_NET_RAW"), std::string::npos) << r.out;
  EXPECT_EQ(r.rc, 0) << r.out;
}

TEST(LiveSourceChild, OpenWithoutCapNetRaw) {
  if (std::getenv("VIGIL_CAPTURE_PERMISSION_CHILD") == nullptr) {
    GTEST_SKIP() << "runs only as the child of PermissionDeniedSaysWhatIsNeeded";
  }
  TestCounters tc;
  CaptureConfig cfg;
  cfg.interface = "lo";
  auto src = LiveSource::Create(cfg, tc.counters);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().code, ErrorCode::kPermission);
  std::printf("%s\n", src.error().message.c_str());
}

}  // namespace
}  // namespace vigil::sensor
