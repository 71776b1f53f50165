// `vigil forward --once` tails an eve.json into a running vigil-correlator (plaintext transport
// on loopback): every line arrives once (a non-JSON line is rejected and counted by the
// correlator), the correlator correlates them, and a second run sends nothing again (the file
// position is kept in the forwarder's state store).
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/storage/temp_dir.h"

namespace {

std::string Bin(const char* name) {
  const char* dir = std::getenv("VIGIL_BINARY_DIR");
  return std::string(dir ? dir : "build") + "/bin/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(VigilForward, TailsAnEveFileIntoTheCorrelatorOnce) {
  ASSERT_EQ(::access(Bin("vigil").c_str(), X_OK), 0);
  ASSERT_EQ(::access(Bin("vigil-correlator").c_str(), X_OK), 0);
  vigil::testing::TempDir dir;
  {
    std::ofstream eve(dir.Sub("eve.json"));
    for (int i = 0; i < 60; ++i) {
      char line[256];
      std::snprintf(line, sizeof line,
                    R"({"timestamp":"2023-11-14T22:13:%02d.000000+0000","event_type":"flow","proto":"TCP","src_ip":"198.51.100.7","dest_ip":"10.0.0.1","dest_port":%d})",
                    i, 1000 + i);
      eve << line << "\n";
    }
    eve << R"({"timestamp":"2023-11-14T22:20:00.000000+0000","event_type":"alert","src_ip":"198.51.100.7"})" << "\n";
    eve << "not json\n";
  }
  const std::string port = std::to_string(20000 + ::getpid() % 20000);
  const std::string ep = "tcp://127.0.0.1:" + port;
  const std::string fwd = Bin("vigil") + " forward --eve " + dir.Sub("eve.json") + " --upstream " + ep +
                          " --origin suricata-1 --insecure --once --state " + dir.Sub("fwd");
  // The correlator in the background; the forwarder runs twice once it listens; then SIGTERM.
  const std::string cmd =
      Bin("vigil-correlator") + " -c correlator/vigil-correlator.yaml --set listen.insecure=true --set listen.bind=" +
      ep + " --set storage.path=" + dir.Sub("db") + " --set log.file=" + dir.Sub("log") + " > " + dir.Sub("out") +
      " 2>&1 & pid=$!; for i in $(seq 1 200); do grep -q listening " + dir.Sub("log") +
      " 2>/dev/null && break; sleep 0.05; done; " + fwd + " > " + dir.Sub("fwd1") + " 2>&1; " + fwd + " > " +
      dir.Sub("fwd2") + " 2>&1; kill -TERM $pid; wait $pid";
  const int st = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(st));
  const std::string out = ReadFile(dir.Sub("out"));
  EXPECT_EQ(WEXITSTATUS(st), 0) << out;
  EXPECT_NE(ReadFile(dir.Sub("fwd1")).find("62 lines sent"), std::string::npos) << ReadFile(dir.Sub("fwd1"));
  EXPECT_NE(ReadFile(dir.Sub("fwd2")).find("0 lines sent"), std::string::npos) << ReadFile(dir.Sub("fwd2"));
  EXPECT_NE(out.find("ingest.events=62 "), std::string::npos) << out;
  EXPECT_NE(out.find("ingest.stored.flow=60"), std::string::npos) << out;
  EXPECT_NE(out.find("ingest.rejected.not_object=1"), std::string::npos) << out;
  EXPECT_NE(out.find("correlation.alerts=1"), std::string::npos) << out;  // the port scan
}

}  // namespace
