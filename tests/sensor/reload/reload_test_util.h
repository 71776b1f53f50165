// Helpers for the hot-reload tests: a sensor config from --set strings, a pcap stream written
// into a FIFO while the sensor reads it (continuous replay with rising timestamps), and an
// EventSink that counts alerts per sid as batches arrive and lets a test wait for a count.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "sensor/output/event_sink.h"
#include "sensor/pipeline/sensor_config.h"
#include "tests/sensor/inspect/inspect_test_util.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/packet_builder.h"

namespace vigil::sensor::reload_test {

using inspect_test::TempDir;
using inspect_test::WriteFile;

inline SensorConfig MakeConfig(std::vector<std::string> sets) {
  sets.push_back("sensor-id=test");
  sets.push_back("checksum-validation=no");
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), sets);
  EXPECT_TRUE(cfg.ok()) << (cfg.ok() ? "" : cfg.error().message);
  auto sc = BuildSensorConfig(*cfg);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  return std::move(*sc);
}

// Writes a pcap into a FIFO: UDP datagrams to port 9999 carrying "VIGILMARK <n>", from
// `flows` rotating source ports, 10 µs apart, until Stop(); then closes (the reader sees EOF).
// Each write(2) is one whole record, so the reader gets every packet as soon as it is written.
class FifoReplay {
 public:
  explicit FifoReplay(std::string path, uint16_t flows = 512)
      : path_(std::move(path)), flows_(flows), builder_({.vlan = 0, .pad_min_frame = true}) {
    EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0) << std::strerror(errno);
    // A reader that goes away must end the replay (EPIPE), not the test process.
    ::signal(SIGPIPE, SIG_IGN);
  }
  ~FifoReplay() {
    Stop();
    Join();
  }
  // Opens the FIFO (blocks until a reader opens it) and writes until Stop().
  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Stop() { stop_.store(true); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  uint64_t packets() const { return packets_.load(); }
  const std::string& path() const { return path_; }

 private:
  void Run() {
    const int fd = ::open(path_.c_str(), O_WRONLY);
    if (fd < 0) {
      ADD_FAILURE() << "open fifo: " << std::strerror(errno);
      return;
    }
    struct {
      uint32_t magic = 0xa1b23c4d;  // nanosecond pcap
      uint16_t major = 2, minor = 4;
      int32_t zone = 0;
      uint32_t sigfigs = 0, snaplen = 65535, linktype = 1;
    } header;
    bool ok = Write(fd, &header, sizeof(header));
    synth::IpRoute route;
    route.src_mac.b = {0x02, 0, 0, 0, 0, 1};
    route.dst_mac.b = {0x02, 0, 0, 0, 0, 2};
    route.src = *IpAddress::Parse("10.1.0.1");
    route.dst = *IpAddress::Parse("10.2.0.1");
    int64_t ts = 1'700'000'000'000'000'000;
    std::string payload;
    std::vector<uint8_t> record;
    for (uint64_t n = 0; ok && !stop_.load(std::memory_order_relaxed); ++n) {
      payload = "VIGILMARK " + std::to_string(n);
      frames_.Clear();
      ts += 10'000;
      builder_.Udp(frames_, ts, route, synth::IpFields{.id = static_cast<uint32_t>(n)},
                   static_cast<uint16_t>(20000 + n % flows_), 9999,
                   {reinterpret_cast<const uint8_t*>(payload.data()), payload.size()});
      for (size_t i = 0; ok && i < frames_.size(); ++i) {
        const auto frame = frames_.frame(i);
        const uint32_t rec[4] = {static_cast<uint32_t>(ts / 1'000'000'000),
                                 static_cast<uint32_t>(ts % 1'000'000'000),
                                 static_cast<uint32_t>(frame.size()),
                                 static_cast<uint32_t>(frame.size())};
        record.assign(reinterpret_cast<const uint8_t*>(rec),
                      reinterpret_cast<const uint8_t*>(rec) + sizeof(rec));
        record.insert(record.end(), frame.begin(), frame.end());
        ok = Write(fd, record.data(), record.size());
        if (ok) packets_.fetch_add(1);
      }
    }
    ::close(fd);
  }
  static bool Write(int fd, const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  std::string path_;
  uint16_t flows_;
  synth::PacketBuilder builder_;
  synth::FlowPackets frames_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> packets_{0};
  std::thread thread_;
};

// Counts alerts per sid (and stats events' ruleset entries) as the workers' batches arrive.
class AlertCounter final : public EventSink {
 public:
  Status WriteLines(std::string_view lines) override {
    std::lock_guard lock(mu_);
    size_t start = 0;
    while (start < lines.size()) {
      size_t end = lines.find('\n', start);
      if (end == std::string_view::npos) end = lines.size();
      Line(lines.substr(start, end - start));
      start = end + 1;
    }
    cv_.notify_all();
    return Ok();
  }
  Status Flush() override { return Ok(); }
  std::string Describe() const override { return "alert counter"; }

  uint64_t Count(uint64_t sid) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(sid);
    return it == counts_.end() ? 0 : it->second;
  }
  // Waits until Count(sid) >= n (false after `timeout`).
  bool WaitFor(uint64_t sid, uint64_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      auto it = counts_.find(sid);
      return it != counts_.end() && it->second >= n;
    });
  }
  std::vector<std::string> stats_lines() const {
    std::lock_guard lock(mu_);
    return stats_;
  }
  uint64_t bad_lines() const {
    std::lock_guard lock(mu_);
    return bad_;
  }

 private:
  void Line(std::string_view line) {
    if (line.empty()) return;
    simdjson::dom::element doc;
    if (parser_.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) {
      ++bad_;
      return;
    }
    std::string_view type;
    if (doc["event_type"].get(type) != simdjson::SUCCESS) return;
    uint64_t sid = 0;
    if (type == "alert" && doc["alert"]["signature_id"].get(sid) == simdjson::SUCCESS) {
      ++counts_[sid];
    } else if (type == "stats") {
      stats_.emplace_back(line);
    }
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  simdjson::dom::parser parser_;
  std::map<uint64_t, uint64_t> counts_;
  std::vector<std::string> stats_;
  uint64_t bad_ = 0;
};

}  // namespace vigil::sensor::reload_test
