// End to end, real processes on loopback with CURVE keys: a national vigil-correlator with a
// publish.dir, a provincial vigil-correlator forwarding to it, and a vigil-sensor sending to the
// province and reading pcap records from a FIFO while it runs. A signed indicator bundle dropped
// into the national publish.dir travels national -> province (verified again) -> sensor
// (verified, indicators applied by atomic swap, its signature rule handed to hot reload); DNS
// traffic for the listed domain then written to the sensor raises an intel alert (and the
// bundle rule's alert) in its eve.json. The test measures the time from the bundle's
// arrival in the publish directory to the alert and asserts it is under 5 seconds; a tampered
// bundle dropped afterwards is refused and counted by the national center.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/run_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "rules/bundle/bundle_keys.h"
#include "tests/intel/intel_test_util.h"
#include "tests/storage/temp_dir.h"
#include "tools/synth/dns_message.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/packet_builder.h"
#include "transport/curve_keys.h"

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string Bin(const std::string& name) {
  const char* dir = std::getenv("VIGIL_BINARY_DIR");
  return std::string(dir != nullptr ? dir : "build") + "/bin/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Polls a file until it contains `needle`; false after `timeout`.
bool WaitForText(const std::string& path, const std::string& needle, std::chrono::milliseconds timeout) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end) {
    if (ReadAll(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// The endpoint a correlator logged it listens on ("... listening on tcp://127.0.0.1:PORT, ...").
std::string ListeningOn(const std::string& log, std::chrono::milliseconds timeout) {
  if (!WaitForText(log, "listening on tcp://", timeout)) return "";
  const std::string text = ReadAll(log);
  const size_t at = text.find("listening on tcp://") + std::strlen("listening on ");
  return text.substr(at, text.find_first_of(", \n", at) - at);
}

// A child process (through the shell, output to a file); SIGTERM and reaped when destroyed.
class Child {
 public:
  Child(const std::string& command, const std::string& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string cmd = "exec " + command + " > " + log + " 2>&1";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Child() { Stop(); }
  // SIGTERM (unless `signal` is 0: wait for the process to end by itself), then SIGKILL after
  // 10 s. Returns the exit status (-1: killed or not started).
  int Stop(int signal = SIGTERM) {
    if (pid_ <= 0) return status_;
    if (signal != 0) ::kill(pid_, signal);
    int st = 0;
    const auto end = Clock::now() + 10s;
    while (::waitpid(pid_, &st, WNOHANG) == 0) {
      if (Clock::now() > end) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &st, 0);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    pid_ = -1;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Writes a classic pcap stream (Ethernet) to a file descriptor, record by record.
class PcapStream {
 public:
  explicit PcapStream(int fd) : fd_(fd) {
    const uint32_t h[6] = {0xa1b2c3d4u, 0x00040002u, 0, 0, 262144, 1};  // v2.4, snaplen, DLT_EN10MB
    Put(h, sizeof(h));
  }
  void DnsQuery(const std::string& name) {
    std::vector<uint8_t> dns;
    synth::WriteDnsQuery({.id = 0x4242, .name = name, .qtype = synth::kDnsTypeA}, dns);
    synth::IpRoute r;
    r.src_mac.b = {0x02, 0, 0, 0, 0, 1};
    r.dst_mac.b = {0x02, 0, 0, 0, 0, 2};
    r.src = *IpAddress::Parse("10.1.1.5");
    r.dst = *IpAddress::Parse("10.1.1.53");
    synth::FlowPackets frames;
    synth::PacketBuilder builder({.vlan = 0, .pad_min_frame = true});
    const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    builder.Udp(frames, now, r, synth::IpFields{.id = 1}, 41000, 53, dns);
    for (size_t i = 0; i < frames.size(); ++i) {
      const auto f = frames.frame(i);
      const uint32_t rec[4] = {static_cast<uint32_t>(now / 1'000'000'000),
                               static_cast<uint32_t>(now % 1'000'000'000 / 1000),
                               static_cast<uint32_t>(f.size()), static_cast<uint32_t>(f.size())};
      Put(rec, sizeof(rec));
      Put(f.data(), f.size());
    }
  }
  bool ok() const { return ok_; }

 private:
  void Put(const void* p, size_t n) {
    const char* c = static_cast<const char*>(p);
    while (n > 0) {
      const ssize_t w = ::write(fd_, c, n);
      if (w <= 0) {
        ok_ = false;
        return;
      }
      c += w;
      n -= static_cast<size_t>(w);
    }
  }
  int fd_;
  bool ok_ = true;
};

// Opens the FIFO for writing once the sensor has opened it for reading.
int OpenFifoWriter(const std::string& path, std::chrono::milliseconds timeout) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      ::fcntl(fd, F_SETFL, 0);  // blocking writes from here on
      return fd;
    }
    std::this_thread::sleep_for(10ms);
  }
  return -1;
}

// Some builds give the daemons a control socket by default: switched off where supported.
std::string NoControl(const std::string& binary) {
  const std::string help = vigil::test_support::RunShell(binary + " --help").text;
  return help.find("--no-control") != std::string::npos ? " --no-control" : "";
}

TEST(IntelEndToEnd, IndicatorPublishedNationallyAlertsAtTheSensorWithinFiveSeconds) {
  for (const char* b : {"vigil-correlator", "vigil-sensor"}) {
    ASSERT_EQ(::access(Bin(b).c_str(), X_OK), 0) << Bin(b) << " not built";
  }
  testing::TempDir dir;
  auto path = [&](const std::string& n) { return dir.Sub(n); };
  // Transport identities (CURVE) and the national signing key (Ed25519).
  auto national = transport::GenerateCurveKeyPair();
  auto province = transport::GenerateCurveKeyPair();
  auto province_up = transport::GenerateCurveKeyPair();
  auto sensor = transport::GenerateCurveKeyPair();
  ASSERT_TRUE(national.ok() && province.ok() && province_up.ok() && sensor.ok());
  ASSERT_TRUE(transport::WriteSecretKeyFile(path("national.key"), *national).ok());
  ASSERT_TRUE(transport::WritePublicKeyFile(path("national.pub"), national->public_z85).ok());
  ASSERT_TRUE(transport::WriteSecretKeyFile(path("province.key"), *province).ok());
  ASSERT_TRUE(transport::WritePublicKeyFile(path("province.pub"), province->public_z85).ok());
  ASSERT_TRUE(transport::WriteSecretKeyFile(path("province-up.key"), *province_up).ok());
  ASSERT_TRUE(transport::WriteSecretKeyFile(path("sensor.key"), *sensor).ok());
  std::ofstream(path("national.allow")) << province_up->public_z85 << " prov-a prov-a\n";
  std::ofstream(path("province.allow")) << sensor->public_z85 << " prov-a/s1 prov-a\n";
  const rules::SigningKey sign = intel_test::NewKey();
  ASSERT_TRUE(rules::WriteSigningKeyFiles(sign, path("national.sign")).ok());
  const std::string trust = path("national.sign.pub");
  std::filesystem::create_directory(path("publish"));
  std::filesystem::create_directory(path("eve"));
  ASSERT_EQ(::mkfifo(path("in.pcap").c_str(), 0600), 0) << std::strerror(errno);

  const std::string src = std::getenv("VIGIL_SOURCE_DIR") ? std::getenv("VIGIL_SOURCE_DIR") : ".";
  const std::string corr = Bin("vigil-correlator") + " -c " + src + "/correlator/vigil-correlator.yaml" +
                           NoControl(Bin("vigil-correlator")) +
                           " --set correlation.enabled=false --set intel.trusted-keys=" + trust;
  Child nat(corr + " --set tier=national --set listen.bind=tcp://127.0.0.1:*" + " --set stats.interval=200ms" +
                " --set listen.curve.secret-key-file=" + path("national.key") +
                " --set listen.curve.allow-list=" + path("national.allow") + " --set storage.path=" +
                path("national.db") + " --set log.file=" + path("national.log") +
                " --set publish.dir=" + path("publish"),
            path("national.out"));
  const std::string national_at = ListeningOn(path("national.log"), 10s);
  ASSERT_FALSE(national_at.empty()) << ReadAll(path("national.out")) << ReadAll(path("national.log"));
  Child prov(corr + " --set tier=province --set forward=true --set listen.bind=tcp://127.0.0.1:*" +
                 " --set stats.interval=0" +
                 " --set listen.curve.secret-key-file=" + path("province.key") +
                 " --set listen.curve.allow-list=" + path("province.allow") + " --set storage.path=" +
                 path("province.db") + " --set log.file=" + path("province.log") +
                 " --set upstream.upstream=" + national_at +
                 " --set upstream.origin=prov-a --set upstream.curve.server-public-key-file=" +
                 path("national.pub") + " --set upstream.curve.secret-key-file=" + path("province-up.key"),
             path("province.out"));
  const std::string province_at = ListeningOn(path("province.log"), 10s);
  ASSERT_FALSE(province_at.empty()) << ReadAll(path("province.out")) << ReadAll(path("province.log"));
  Child sen(Bin("vigil-sensor") + " -r " + path("in.pcap") + " -l " + path("eve") +
                " --runmode single -k none -q --sensor-id s1 --province prov-a" +
                " --upstream " + province_at + " --upstream-key " +
                path("sensor.key") + " --upstream-server-key " + path("province.pub") + " --spool " +
                path("spool") + " --set upstream.origin=prov-a/s1 --set intel.trusted-keys=" + trust,
            path("sensor.log"));
  // The hierarchy is up when each correlator has seen its origin connect.
  ASSERT_TRUE(WaitForText(path("national.log"), "origin prov-a connected", 10s))
      << ReadAll(path("national.out")) << ReadAll(path("national.log")) << ReadAll(path("province.log"));
  ASSERT_TRUE(WaitForText(path("province.log"), "origin prov-a/s1 connected", 10s))
      << ReadAll(path("province.out")) << ReadAll(path("province.log")) << ReadAll(path("sensor.log"));
  const int fifo = OpenFifoWriter(path("in.pcap"), 10s);
  ASSERT_GE(fifo, 0) << ReadAll(path("sensor.log"));
  PcapStream pcap(fifo);

  // The national center publishes: vigil bundle sign writes beside the target and renames.
  // Indicators and a signature rule in one bundle: the rule goes to the sensor's hot reload.
  const std::string bundle = intel_test::Signed(
      sign, "national-intel", 1, "domain evil.example # campaign X\n",
      "alert dns any any -> any any (msg:\"national rule\"; dns.query; content:\"beacon\"; sid:9000001; rev:1;)\n");
  const auto t0 = Clock::now();
  std::ofstream(path("publish/ioc.bundle.tmp")) << bundle;
  ASSERT_EQ(std::rename(path("publish/ioc.bundle.tmp").c_str(), path("publish/ioc.bundle").c_str()), 0);
  ASSERT_TRUE(WaitForText(path("sensor.log"), "bundle national-intel v1 from upstream applied", 5s))
      << ReadAll(path("sensor.log")) << ReadAll(path("province.log")) << ReadAll(path("national.log"));
  ASSERT_TRUE(WaitForText(path("sensor.log"), "(bundle national-intel)", 5s))  // the rules are live
      << ReadAll(path("sensor.log"));
  // Traffic with the indicator reaches the running sensor.
  pcap.DnsQuery("beacon.evil.example");
  ASSERT_TRUE(pcap.ok());
  ASSERT_TRUE(WaitForText(path("eve/eve.json"), "VIGIL INTEL domain evil.example in dns.query", 5s))
      << ReadAll(path("eve/eve.json")) << ReadAll(path("sensor.log"));
  const double latency_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("intel e2e: bundle in national publish.dir -> alert at the sensor: %.3f s\n", latency_s);
  EXPECT_LT(latency_s, 5.0);
  const std::string eve = ReadAll(path("eve/eve.json"));
  EXPECT_NE(eve.find("\"gid\":9100"), std::string::npos) << eve;
  EXPECT_NE(eve.find("\"bundle_id\":[\"national-intel\"]"), std::string::npos) << eve;
  EXPECT_TRUE(WaitForText(path("eve/eve.json"), "\"signature_id\":9000001", 5s)) << eve;  // the bundle's rule

  // A bundle altered after signing is refused at the national center and never travels.
  std::ofstream(path("publish/evil.bundle.tmp"))
      << intel_test::Tampered(intel_test::Signed(sign, "national-intel", 2, "domain evil.example\n"),
                              "evil.example", "good.example");
  ASSERT_EQ(std::rename(path("publish/evil.bundle.tmp").c_str(), path("publish/evil.bundle").c_str()), 0);
  EXPECT_TRUE(WaitForText(path("national.log"), "refused (bad_signature)", 5s)) << ReadAll(path("national.log"));
  EXPECT_TRUE(WaitForText(path("national.log"), "intel.bundles.refused.bad_signature=1", 5s))  // counted
      << ReadAll(path("national.log"));

  ::close(fifo);  // end of input: the sensor finishes and exits
  EXPECT_EQ(sen.Stop(0), 0) << ReadAll(path("sensor.log"));
  EXPECT_EQ(ReadAll(path("sensor.log")).find("national-intel v2"), std::string::npos);
  // The sensor's final stats event carries the intel counters.
  const std::string stats = ReadAll(path("eve/eve.json"));
  const size_t at = stats.rfind("\"event_type\":\"stats\"");
  ASSERT_NE(at, std::string::npos) << stats;
  EXPECT_NE(stats.find("\"accepted\":1,\"duplicate\"", at), std::string::npos) << stats.substr(at);
  EXPECT_NE(stats.find("\"matches\":1", at), std::string::npos) << stats.substr(at);
  EXPECT_EQ(prov.Stop(), 0) << ReadAll(path("province.out"));
  EXPECT_EQ(nat.Stop(), 0) << ReadAll(path("national.out"));
}

}  // namespace
}  // namespace vigil
