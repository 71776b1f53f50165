// The daemons' operations end to end, with the built programs (issue #8):
//  - a live sensor (on lo) whose upstream is down is stopped with SIGTERM: it exits 0 and its
//    spool keeps every event it wrote; restarted with the correlator up, every one of them
//    arrives, exactly once. Both daemons run with --user nobody, log to files and answer
//    `vigil status` on their control sockets meanwhile.
//  - clear errors: unknown --user, `vigil status` with no daemon.
// Live capture and --user need root: those tests skip with a reason otherwise (label `root`).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "core/control/control_client.h"
#include "core/time.h"
#include "tests/storage/temp_dir.h"
#include "transport/curve_keys.h"

namespace {

constexpr uint16_t kTrafficPort = 39917;  // the sensor's BPF filter keeps only this port
constexpr int kFlows = 25;

std::string Bin(const std::string& name) {
  const char* dir = std::getenv("VIGIL_BINARY_DIR");
  return std::string(dir != nullptr ? dir : "build") + "/bin/" + name;
}

// A child process with stdout+stderr in a file; SIGKILLed if the test ends without Stop().
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const std::string& output) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // SIGTERM and wait; the exit status, or 128+signal.
  int Stop() {
    ::kill(pid_, SIGTERM);
    return Wait();
  }
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

size_t Lines(const std::string& path) {
  const std::string s = Slurp(path);
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Polls `done` every 50 ms for up to `seconds`.
bool WaitUntil(const std::function<bool()>& done, int seconds) {
  const int64_t end = vigil::MonotonicNanos() + seconds * vigil::kNanosPerSecond;
  while (vigil::MonotonicNanos() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// One counter from a daemon's status reply (-1: no reply or no such counter); uid too.
struct Status {
  int64_t counter = -1;
  int64_t uid = -1;
};
Status Query(const std::string& socket, const char* counter) {
  Status st;
  auto reply = vigil::control::QueryControl(socket, "status", 1000);
  if (!reply) return st;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  if (p.parse(*reply).get(doc) != simdjson::SUCCESS) return st;
  uint64_t v = 0;
  if (doc["counters"][counter].get(v) == simdjson::SUCCESS) st.counter = static_cast<int64_t>(v);
  if (doc["uid"].get(v) == simdjson::SUCCESS) st.uid = static_cast<int64_t>(v);
  return st;
}

// A TCP port nobody listens on right now (bound, read, released).
uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// kFlows UDP datagrams to kTrafficPort from distinct source ports: kFlows flows.
void SendFlows() {
  for (int i = 0; i < kFlows; ++i) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(kTrafficPort);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char msg[] = "vigil ops test";
    ::sendto(fd, msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    ::close(fd);
  }
}

class DaemonOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* b : {"vigil-sensor", "vigil-correlator", "vigil"}) {
      ASSERT_EQ(::access(Bin(b).c_str(), X_OK), 0) << Bin(b) << " not built";
    }
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);  // nobody must reach its own files
  }
  void WriteKeys() {
    auto server = vigil::transport::GenerateCurveKeyPair();
    auto sensor = vigil::transport::GenerateCurveKeyPair();
    ASSERT_TRUE(server.ok() && sensor.ok());
    ASSERT_TRUE(vigil::transport::WriteSecretKeyFile(dir_.Sub("corr.key"), *server).ok());
    ASSERT_TRUE(vigil::transport::WritePublicKeyFile(dir_.Sub("corr.pub"), server->public_z85).ok());
    ASSERT_TRUE(vigil::transport::WriteSecretKeyFile(dir_.Sub("s1.key"), *sensor).ok());
    std::ofstream(dir_.Sub("allow")) << sensor->public_z85 << " prov-07/s1 prov-07\n";
  }
  std::vector<std::string> SensorArgs(uint16_t port, const std::string& tag) const {
    return {Bin("vigil-sensor"), "-i", "lo", "-l", dir_.path(), "--runmode", "single", "-q",
            "--set", "stats.enabled=no", "--set", "pcap.bpf-filter=udp and port " + std::to_string(kTrafficPort),
            "--set", "outputs.eve.filename=eve-" + tag + ".json",
            "--upstream", "tcp://127.0.0.1:" + std::to_string(port), "--set", "upstream.origin=prov-07/s1",
            "--upstream-key", dir_.Sub("s1.key"), "--upstream-server-key", dir_.Sub("corr.pub"),
            "--spool", dir_.Sub("spool"), "--control-socket", dir_.Sub("sensor.sock"), "--user", "nobody",
            "--log-file", dir_.Sub("sensor-" + tag + ".log")};
  }

  vigil::testing::TempDir dir_;
};

TEST_F(DaemonOpsTest, SigtermWithUpstreamDownKeepsEveryEventForTheNextStart) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: live capture on lo and --user (ctest label 'root')";
  WriteKeys();
  const uint16_t port = FreePort();
  const std::string sensor_sock = dir_.Sub("sensor.sock");

  // 1. Upstream down: the events go to eve.json and to the spool only.
  size_t events = 0;
  {
    Daemon sensor(SensorArgs(port, "1"), dir_.Sub("sensor-1.out"));
    ASSERT_TRUE(WaitUntil([&] { return Query(sensor_sock, "capture.packets").counter >= 0; }, 20))
        << Slurp(dir_.Sub("sensor-1.out")) << Slurp(dir_.Sub("sensor-1.log"));
    EXPECT_EQ(Query(sensor_sock, "capture.packets").uid, 65534) << "--user nobody";
    SendFlows();
    ASSERT_TRUE(WaitUntil([&] { return Query(sensor_sock, "capture.packets").counter >= kFlows; }, 20))
        << "captured " << Query(sensor_sock, "capture.packets").counter;
    EXPECT_EQ(sensor.Stop(), 0) << Slurp(dir_.Sub("sensor-1.out"));
    events = Lines(dir_.Sub("eve-1.json"));
    // Every flow ends as "shutdown" at SIGTERM and is written: at least one event per flow.
    EXPECT_GE(events, static_cast<size_t>(kFlows)) << Slurp(dir_.Sub("eve-1.json"));
    EXPECT_NE(Slurp(dir_.Sub("sensor-1.log")).find("running as nobody"), std::string::npos);
    EXPECT_NE(Slurp(dir_.Sub("sensor-1.log")).find("stay in the spool"), std::string::npos)
        << Slurp(dir_.Sub("sensor-1.log"));
  }

  // 2. The correlator comes up; the restarted sensor (no new traffic) sends what its spool kept.
  const std::string corr_sock = dir_.Sub("corr.sock");
  Daemon corr({Bin("vigil-correlator"), "-c", "correlator/vigil-correlator.yaml", "--set",
               "listen.curve.secret-key-file=" + dir_.Sub("corr.key"), "--set",
               "listen.curve.allow-list=" + dir_.Sub("allow"), "--set",
               "listen.bind=tcp://127.0.0.1:" + std::to_string(port), "--set", "storage.path=" + dir_.Sub("db"),
               "--set", "correlation.enabled=no", "--user", "nobody", "--log-file", dir_.Sub("corr.log"),
               "--control-socket", corr_sock},
              dir_.Sub("corr.out"));
  ASSERT_TRUE(WaitUntil([&] { return Query(corr_sock, "transport.rx.events_stored").counter >= 0; }, 20))
      << Slurp(dir_.Sub("corr.out")) << Slurp(dir_.Sub("corr.log"));
  EXPECT_EQ(Query(corr_sock, "transport.rx.events_stored").uid, 65534);
  Daemon sensor(SensorArgs(port, "2"), dir_.Sub("sensor-2.out"));
  const auto stored = [&] { return Query(corr_sock, "transport.rx.events_stored").counter; };
  EXPECT_TRUE(WaitUntil([&] { return stored() >= static_cast<int64_t>(events); }, 30))
      << "stored " << stored() << " of " << events << "\n" << Slurp(dir_.Sub("sensor-2.log"));
  EXPECT_EQ(sensor.Stop(), 0) << Slurp(dir_.Sub("sensor-2.out"));
  // Exactly once: the second run captured nothing new, and nothing was stored twice.
  EXPECT_EQ(Lines(dir_.Sub("eve-2.json")), 0u);
  EXPECT_EQ(stored(), static_cast<int64_t>(events));

  // `vigil status` prints the correlator readably.
  const std::string cmd = Bin("vigil") + " status --socket " + corr_sock + " > " + dir_.Sub("status.txt") + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  const std::string text = Slurp(dir_.Sub("status.txt"));
  EXPECT_NE(text.find("vigil-correlator province: up"), std::string::npos) << text;
  EXPECT_NE(text.find("transport.rx.events_stored"), std::string::npos) << text;
  EXPECT_EQ(corr.Stop(), 0) << Slurp(dir_.Sub("corr.out"));
}

TEST_F(DaemonOpsTest, UnknownUserIsAClearErrorBeforeAnythingStarts) {
  WriteKeys();
  Daemon corr({Bin("vigil-correlator"), "-c", "correlator/vigil-correlator.yaml", "--set",
               "listen.curve.secret-key-file=" + dir_.Sub("corr.key"), "--set",
               "listen.curve.allow-list=" + dir_.Sub("allow"), "--set", "listen.bind=tcp://127.0.0.1:*", "--set",
               "storage.path=" + dir_.Sub("db"), "--user", "no-such-user-vigil", "--no-control"},
              dir_.Sub("corr.out"));
  EXPECT_EQ(corr.Wait(), 1);
  EXPECT_NE(Slurp(dir_.Sub("corr.out")).find("unknown user 'no-such-user-vigil'"), std::string::npos)
      << Slurp(dir_.Sub("corr.out"));
  EXPECT_NE(::access(dir_.Sub("db").c_str(), F_OK), 0) << "nothing was opened";
}

TEST_F(DaemonOpsTest, StatusWithNoDaemonSaysSo) {
  const std::string cmd = Bin("vigil") + " status --socket " + dir_.Sub("none.sock") + " > " +
                          dir_.Sub("status.txt") + " 2>&1";
  const int st = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 1);
  EXPECT_NE(Slurp(dir_.Sub("status.txt")).find("is the daemon running?"), std::string::npos)
      << Slurp(dir_.Sub("status.txt"));
}

}  // namespace

namespace {

// The example deployment configs (docs/deploy/) pass -T, with the paths of this machine.
TEST_F(DaemonOpsTest, DeployConfigsAreValid) {
  WriteKeys();
  const std::string keys = " --set upstream.curve.secret-key-file=" + dir_.Sub("s1.key") +
                           " --set upstream.curve.server-public-key-file=" + dir_.Sub("corr.pub");
  std::string cmd = Bin("vigil-sensor") + " -c docs/deploy/sensor.yaml -i lo -T -q --set default-rule-path=rules" +
                    " --set 'rule-files=[]'" + keys + " > " + dir_.Sub("t.txt") + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << Slurp(dir_.Sub("t.txt"));
  for (const char* tier : {"province", "national"}) {
    cmd = Bin("vigil-correlator") + " -c docs/deploy/correlator-" + tier + ".yaml -T" + keys +
          " --set listen.curve.secret-key-file=" + dir_.Sub("corr.key") + " --set listen.curve.allow-list=" +
          dir_.Sub("allow") + " --set correlation.rules=rules/correlation/" + (tier[0] == 'p' ? "default" : "national") +
          " > " + dir_.Sub("t.txt") + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << tier << ": " << Slurp(dir_.Sub("t.txt"));
  }
}

}  // namespace
