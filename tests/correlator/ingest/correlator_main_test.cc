// Runs the built vigil-correlator: --help, -T on the example config (with generated key files),
// config errors with file:line, an unopenable database, and a real run stopped by SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/storage/temp_dir.h"
#include "transport/curve_keys.h"

namespace {

std::string Binary() {
  const char* dir = std::getenv("VIGIL_BINARY_DIR");
  return std::string(dir != nullptr ? dir : "build") + "/bin/vigil-correlator";
}

struct RunResult {
  int code = -1;
  std::string output;  // stdout + stderr
};

// Runs the binary with args through the shell (arguments are test-controlled, no quoting needed).
RunResult RunCorrelator(const std::string& args) {
  RunResult r;
  const std::string cmd = Binary() + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CorrelatorMainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(Binary().c_str(), X_OK), 0) << Binary() << " not built";
    auto server = vigil::transport::GenerateCurveKeyPair();
    auto client = vigil::transport::GenerateCurveKeyPair();
    ASSERT_TRUE(server.ok() && client.ok());
    key_ = dir_.Sub("correlator.key");
    allow_ = dir_.Sub("sensors.allow");
    ASSERT_TRUE(vigil::transport::WriteSecretKeyFile(key_, *server).ok());
    std::ofstream(allow_) << client->public_z85 << " prov-07/s1 prov-07\n";
  }
  std::string KeySets() const {
    return "--set listen.curve.secret-key-file=" + key_ + " --set listen.curve.allow-list=" + allow_;
  }

  vigil::testing::TempDir dir_;
  std::string key_, allow_;
};

TEST_F(CorrelatorMainTest, Help) {
  auto r = RunCorrelator("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.output.find("-T"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--set"), std::string::npos) << r.output;
}

TEST_F(CorrelatorMainTest, ExampleConfigIsValid) {
  auto r = RunCorrelator("-c correlator/vigil-correlator.yaml -T " + KeySets());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("is valid"), std::string::npos) << r.output;
}

TEST_F(CorrelatorMainTest, MissingKeyFileIsAnError) {
  auto r = RunCorrelator("-c correlator/vigil-correlator.yaml -T --set listen.curve.secret-key-file=" +
                         dir_.Sub("nope.key") + " --set listen.curve.allow-list=" + allow_);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("nope.key"), std::string::npos) << r.output;
}

TEST_F(CorrelatorMainTest, BadConfigNamesFileAndLine) {
  const std::string path = dir_.Sub("bad.yaml");
  std::ofstream(path) << "storage:\n  path: /tmp/x\ningest:\n  max-event-bytes: lots\n";
  auto r = RunCorrelator("-c " + path + " -T " + KeySets());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:4:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ingest.max-event-bytes"), std::string::npos) << r.output;

  std::ofstream(path) << "storage:\n  pth: /tmp/x\n";
  r = RunCorrelator("-c " + path + " -T " + KeySets());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:2:"), std::string::npos) << r.output;
}

TEST_F(CorrelatorMainTest, UnopenableDatabaseIsAClearError) {
  const std::string file = dir_.Sub("not-a-dir");
  std::ofstream(file) << "x";
  auto r = RunCorrelator("-c correlator/vigil-correlator.yaml " + KeySets() +
                         " --set listen.bind=tcp://127.0.0.1:* --set storage.path=" + file + "/db");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("cannot open the database"), std::string::npos) << r.output;
}

TEST_F(CorrelatorMainTest, RunsAndStopsCleanlyOnSigterm) {
  // Started in the background; the shell sends SIGTERM once the log says it is listening.
  const std::string log = dir_.Sub("run.log");
  const std::string cmd = Binary() + " -c correlator/vigil-correlator.yaml " + KeySets() +
                          " --set listen.bind=tcp://127.0.0.1:* --set storage.path=" + dir_.Sub("db") +
                          " --set log.file=" + log + " > " + dir_.Sub("out.txt") + " 2>&1 & pid=$!; " +
                          "for i in $(seq 1 200); do grep -q listening " + log +
                          " 2>/dev/null && break; sleep 0.05; done; kill -TERM $pid; wait $pid";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  std::ifstream in(dir_.Sub("out.txt"));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("ingest.batches=0"), std::string::npos) << out;
  // The database was created with the event families.
  EXPECT_EQ(::access((dir_.Sub("db") + "/CURRENT").c_str(), F_OK), 0);
}

}  // namespace
