// Helpers shared by the capture tests: running external tools (tshark, editcap, ip, tcpreplay),
// temporary directories, the corpus, and a reference reading of a pcap through tshark.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/counters.h"
#include "sensor/capture/capture_counters.h"

namespace vigil::sensor::capture_test {

struct CommandResult {
  int rc = -1;
  std::string out;
};

// Runs `cmd` through /bin/sh; stdout is captured, stderr goes to /dev/null unless redirected.
inline CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline bool HaveTool(const std::string& tool) {
  return RunCommand("command -v " + tool).rc == 0;
}

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

inline std::string RandomSuffix(size_t n = 4) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kHex[rd() % 16];
  return s;
}

// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-capture-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path CorpusDir() { return "../shared/corpus/pcaps"; }

inline std::vector<std::string> CorpusPcaps() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(CorpusDir(), ec)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What tshark says a file holds: per frame wire length, captured length, epoch nanoseconds.
struct TsharkFrame {
  uint64_t len = 0;
  uint64_t cap_len = 0;
  int64_t ts_ns = 0;
};

// Reads frames with tshark (frame.len, frame.cap_len, frame.time_epoch). For a truncated file
// tshark prints the frames before the cut and then fails; those frames are still returned.
inline std::vector<TsharkFrame> TsharkFrames(const std::string& file) {
  std::vector<TsharkFrame> out;
  const auto r = RunCommand("tshark -n -r " + ShellQuote(file) +
                            " -T fields -e frame.len -e frame.cap_len -e frame.time_epoch");
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    TsharkFrame f;
    std::string epoch;
    if (!(ls >> f.len >> f.cap_len >> epoch)) continue;
    const auto dot = epoch.find('.');
    const int64_t sec = std::stoll(epoch.substr(0, dot));
    std::string frac = dot == std::string::npos ? "" : epoch.substr(dot + 1);
    frac.resize(9, '0');
    f.ts_ns = sec * 1'000'000'000 + std::stoll(frac);
    out.push_back(f);
  }
  return out;
}

// A registry with the capture counters and one block, for tests.
struct TestCounters {
  CounterRegistry registry;
  CaptureCounters counters;
  TestCounters() {
    auto r = RegisterCaptureCounters(registry);
    if (r) counters = *r;
    counters.block = registry.NewBlock("reader");
  }
  uint64_t Get(CaptureCounter c) const { return counters.Get(c); }
};

}  // namespace vigil::sensor::capture_test
