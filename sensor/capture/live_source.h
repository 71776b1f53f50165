// LiveSource: captures from a network interface through libpcap (pcap_create + pcap_activate).
//
// The handle is nonblocking and the reader waits in poll() on libpcap's descriptor and on an
// eventfd, so Breakloop() — from another thread or a signal handler — ends a wait at once, and an
// idle link yields kTimeout every timeout_ms so the caller can do housekeeping. Kernel statistics
// (pcap_stats) are refreshed every stats_interval_ms into capture.kernel_packets, .kernel_drops
// and .kernel_ifdrops, extended to 64 bits (libpcap's fields are 32-bit and wrap).
//
//   CaptureConfig cfg; cfg.interface = "eth0"; cfg.bpf_filter = "not port 22";
//   auto src = LiveSource::Create(cfg, counters);
//   if (!src) { /* "live capture on eth0: permission denied: need root or CAP_NET_RAW ..." */ }
//   for (const auto& w : (*src)->warnings()) log(w);
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "sensor/capture/capture_config.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/capture/capture_source.h"
#include "sensor/capture/pcap_handle.h"

namespace vigil::sensor {

struct KernelStats {
  uint64_t received = 0;   // ps_recv
  uint64_t dropped = 0;    // ps_drop: the kernel buffer was full
  uint64_t ifdropped = 0;  // ps_ifdrop: dropped by the interface/driver
};

class LiveSource final : public CaptureSource {
 public:
  // Opens and activates the interface. Errors name the interface and the cause ("permission
  // denied: need root or CAP_NET_RAW", "no such interface", "interface is down", bad filter).
  [[nodiscard]] static Result<std::unique_ptr<LiveSource>> Create(const CaptureConfig& config,
                                                                  CaptureCounters counters);
  ~LiveSource() override;

  [[nodiscard]] Result<ReadStatus> Read(Frame& frame) override;
  void Breakloop() override;
  std::string Describe() const override { return "live: " + interface_; }

  // Reads pcap_stats now and stores the 64-bit totals in the capture.kernel_* counters.
  [[nodiscard]] Result<KernelStats> UpdateKernelStats();

  // Warnings pcap_activate returned (e.g. promiscuous mode not supported).
  const std::vector<std::string>& warnings() const { return warnings_; }
  int datalink() const { return datalink_; }
  // True when the kernel delivers nanosecond timestamps; otherwise microseconds scaled up.
  bool nanosecond_timestamps() const { return nano_; }

 private:
  LiveSource(const CaptureConfig& config, CaptureCounters counters);
  Status Open(const CaptureConfig& config);
  void MaybeUpdateStats();

  const std::string interface_;
  const uint32_t snaplen_;
  const int timeout_ms_;
  const int64_t stats_interval_ns_;
  CaptureCounters counters_;
  PcapHandle handle_;
  int pcap_fd_ = -1;   // owned by handle_
  int wake_fd_ = -1;   // eventfd owned by this object; Breakloop() writes to it
  int datalink_ = -1;
  bool nano_ = false;
  std::vector<std::string> warnings_;
  uint64_t pcap_cnt_ = 0;
  int64_t next_stats_ns_ = 0;
  uint32_t since_stats_check_ = 0;
  // Last raw 32-bit pcap_stats values and their 64-bit extensions.
  uint32_t last_recv_ = 0, last_drop_ = 0, last_ifdrop_ = 0;
  KernelStats totals_;
  std::atomic<bool> stop_{false};
};

}  // namespace vigil::sensor
