#include "sensor/capture/live_source.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/time.h"

namespace vigil::sensor {

namespace {
// Frames handled between two clock reads for the stats interval: keeps clock_gettime off the
// per-packet path.
constexpr uint32_t kStatsCheckEveryFrames = 1024;

Error ActivateError(const std::string& ifname, int rc, const std::string& detail) {
  const std::string where = "live capture on " + ifname + ": ";
  const std::string tail = detail.empty() ? "" : " (libpcap: " + detail + ")";
  switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
      return Error(ErrorCode::kPermission,
                   where + "permission denied: need root or CAP_NET_RAW" + tail);
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return Error(ErrorCode::kPermission,
                   where + "promiscuous mode not permitted: need root or CAP_NET_RAW, "
                           "or set promiscuous = false" + tail);
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return Error(ErrorCode::kNotFound, where + "no such interface" + tail);
    case PCAP_ERROR_IFACE_NOT_UP:
      return Error(ErrorCode::kUnavailable,
                   where + "interface is down (ip link set " + ifname + " up)" + tail);
    default:
      return Error(ErrorCode::kIo, where + pcap_statustostr(rc) + tail);
  }
}

// Extends a wrapping 32-bit counter: adds the (modular) distance since the last reading.
void Extend(uint32_t now, uint32_t& last, uint64_t& total) {
  total += static_cast<uint32_t>(now - last);
  last = now;
}
}  // namespace

LiveSource::LiveSource(const CaptureConfig& config, CaptureCounters counters)
    : interface_(config.interface),
      snaplen_(config.snaplen),
      timeout_ms_(config.timeout_ms),
      stats_interval_ns_(static_cast<int64_t>(config.stats_interval_ms) * kNanosPerMilli),
      counters_(counters) {}

LiveSource::~LiveSource() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Result<std::unique_ptr<LiveSource>> LiveSource::Create(const CaptureConfig& config,
                                                       CaptureCounters counters) {
  if (config.interface.empty()) {
    return Error(ErrorCode::kInvalidArgument, "live capture needs an interface name");
  }
  if (config.timeout_ms < 1 || config.timeout_ms > 10000 || config.stats_interval_ms < 1 ||
      config.buffer_bytes < (1u << 20)) {
    return Error(ErrorCode::kInvalidArgument,
                 "live capture: timeout_ms, stats_interval_ms or buffer_bytes out of range");
  }
  VIGIL_CHECK_OK(config.ValidateHandoff());
  std::unique_ptr<LiveSource> src(new LiveSource(config, counters));
  VIGIL_CHECK_OK(src->Open(config));
  return src;
}

Status LiveSource::Open(const CaptureConfig& config) {
  const std::string where = "live capture on " + interface_ + ": ";
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Error(ErrorCode::kIo, where + "eventfd: " + std::strerror(errno));

  char errbuf[PCAP_ERRBUF_SIZE] = {};
  PcapHandle h(pcap_create(interface_.c_str(), errbuf));
  if (!h) return Error(ErrorCode::kIo, where + errbuf);
  // Setters before activation only fail with PCAP_ERROR_ACTIVATED, which cannot happen here.
  pcap_set_snaplen(h.get(), static_cast<int>(snaplen_));
  pcap_set_promisc(h.get(), config.promiscuous ? 1 : 0);
  pcap_set_timeout(h.get(), timeout_ms_);
  pcap_set_buffer_size(h.get(), static_cast<int>(config.buffer_bytes));
  pcap_set_immediate_mode(h.get(), config.immediate_mode ? 1 : 0);
  nano_ = pcap_set_tstamp_precision(h.get(), PCAP_TSTAMP_PRECISION_NANO) == 0;

  const int rc = pcap_activate(h.get());
  if (rc < 0) {
    // For PCAP_ERROR/PERM_DENIED/NO_SUCH_DEVICE/PROMISC_PERM_DENIED libpcap leaves details in
    // pcap_geterr; for the other codes it may hold nothing useful.
    return ActivateError(interface_, rc, h.LastError());
  }
  if (rc > 0) {
    std::string w = where + pcap_statustostr(rc);
    if (std::string d = h.LastError(); !d.empty()) w += ": " + d;
    warnings_.push_back(std::move(w));
  }
  nano_ = nano_ && pcap_get_tstamp_precision(h.get()) == PCAP_TSTAMP_PRECISION_NANO;
  datalink_ = h.datalink();
  if (auto st = h.SetFilter(config.bpf_filter); !st) {
    return Error(st.error().code, where + st.error().message);
  }
  if (pcap_setnonblock(h.get(), 1, errbuf) != 0) {
    return Error(ErrorCode::kIo, where + "cannot switch to nonblocking mode: " + errbuf);
  }
  pcap_fd_ = pcap_get_selectable_fd(h.get());
  if (pcap_fd_ < 0) {
    return Error(ErrorCode::kUnsupported, where + "libpcap has no pollable descriptor for it");
  }
  handle_ = std::move(h);
  next_stats_ns_ = MonotonicNanos() + stats_interval_ns_;
  return Ok();
}

void LiveSource::Breakloop() {
  stop_.store(true, std::memory_order_relaxed);
  const uint64_t one = 1;
  // write() is async-signal-safe; a full eventfd (EAGAIN) already means "wake up".
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

Result<KernelStats> LiveSource::UpdateKernelStats() {
  pcap_stat ps{};
  if (pcap_stats(handle_.get(), &ps) != 0) {
    return Error(ErrorCode::kIo, "live capture on " + interface_ + ": pcap_stats: " +
                                     handle_.LastError());
  }
  Extend(ps.ps_recv, last_recv_, totals_.received);
  Extend(ps.ps_drop, last_drop_, totals_.dropped);
  Extend(ps.ps_ifdrop, last_ifdrop_, totals_.ifdropped);
  counters_.Set(CaptureCounter::kKernelPackets, totals_.received);
  counters_.Set(CaptureCounter::kKernelDrops, totals_.dropped);
  counters_.Set(CaptureCounter::kKernelIfdrops, totals_.ifdropped);
  return totals_;
}

void LiveSource::MaybeUpdateStats() {
  const int64_t now = MonotonicNanos();
  if (now < next_stats_ns_) return;
  next_stats_ns_ = now + stats_interval_ns_;
  // A failing pcap_stats only costs fresh numbers; the read path goes on.
  [[maybe_unused]] auto st = UpdateKernelStats();
}

Result<ReadStatus> LiveSource::Read(Frame& frame) {
  const int64_t deadline = MonotonicNanos() + static_cast<int64_t>(timeout_ms_) * kNanosPerMilli;
  for (;;) {
    if (stop_.load(std::memory_order_relaxed)) {
      [[maybe_unused]] auto st = UpdateKernelStats();
      return ReadStatus::kEnd;
    }
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &hdr, &data);
    if (rc == 1) {
      const uint32_t caplen = hdr->caplen < snaplen_ ? hdr->caplen : snaplen_;
      if (caplen < hdr->len) counters_.Add(CaptureCounter::kSnaplenTruncated);
      frame.data = data;
      frame.caplen = caplen;
      frame.wirelen = hdr->len;
      frame.datalink = datalink_;
      const int64_t frac = nano_ ? static_cast<int64_t>(hdr->ts.tv_usec)
                                 : static_cast<int64_t>(hdr->ts.tv_usec) * 1000;
      frame.ts = Timestamp{static_cast<int64_t>(hdr->ts.tv_sec) * kNanosPerSecond + frac};
      frame.pcap_cnt = ++pcap_cnt_;
      counters_.Add(CaptureCounter::kPackets);
      counters_.Add(CaptureCounter::kBytes, caplen);
      if (++since_stats_check_ >= kStatsCheckEveryFrames) {
        since_stats_check_ = 0;
        MaybeUpdateStats();
      }
      return ReadStatus::kPacket;
    }
    if (rc == PCAP_ERROR_BREAK) {
      [[maybe_unused]] auto st = UpdateKernelStats();
      return ReadStatus::kEnd;
    }
    if (rc < 0) {
      return Error(ErrorCode::kIo, "live capture on " + interface_ + " failed: " +
                                       handle_.LastError());
    }
    // rc == 0: nothing buffered. Wait for the kernel or for Breakloop().
    MaybeUpdateStats();
    const int64_t left_ns = deadline - MonotonicNanos();
    if (left_ns <= 0) return ReadStatus::kTimeout;
    pollfd fds[2] = {{pcap_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int wait_ms = static_cast<int>((left_ns + kNanosPerMilli - 1) / kNanosPerMilli);
    const int n = ::poll(fds, 2, wait_ms);
    if (n < 0 && errno != EINTR) {
      return Error(ErrorCode::kIo, "live capture on " + interface_ + ": poll: " +
                                       std::strerror(errno));
    }
    if (n == 0) return ReadStatus::kTimeout;
    if ((fds[0].revents & (POLLERR | POLLNVAL)) != 0) {
      // Let pcap_next_ex report the reason (e.g. "The interface went down") on the next pass.
      continue;
    }
    // POLLIN on either descriptor (or EINTR): loop to the stop check and the read.
  }
}

}  // namespace vigil::sensor
