#include "tools/synth/synthesizer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "core/time.h"
#include "tools/synth/address_plan.h"
#include "tools/synth/flow_factory.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/flow_truth.h"
#include "tools/synth/pcap_writer.h"
#include "tools/synth/rng.h"

namespace vigil::synth {
namespace {

constexpr int64_t kMicro = 1'000;
constexpr int64_t kMilli = 1'000'000;
constexpr uint64_t kProgressCheckEvery = 8192;  // packets between clock reads

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

class Run {
 public:
  Run(const SynthConfig& cfg, const ProgressFn& progress)
      : cfg_(cfg), progress_(progress), master_(cfg.seed), plan_(cfg.clients, master_), factory_(cfg, plan_) {}

  Result<SynthStats> Execute() {
    const int64_t wall_start = MonotonicNanos();
    last_progress_ = wall_start;
    VIGIL_TRY(PcapWriter writer, PcapWriter::Open(cfg_.out_path));
    if (!cfg_.truth_path.empty()) {
      truth_file_.reset(std::fopen(cfg_.truth_path.c_str(), "w"));
      if (!truth_file_) {
        return Error(ErrorCode::kIo, "cannot create " + cfg_.truth_path + ": " + std::strerror(errno));
      }
    }
    writer_ = &writer;
    slots_.resize(cfg_.concurrency);
    const int64_t start_ns = cfg_.start_time_s * kNanosPerSecond;
    const uint64_t ramp = std::min<uint64_t>(cfg_.concurrency, 1000) * 5 * kMilli;
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      VIGIL_CHECK_OK(StartNext(i, start_ns + static_cast<int64_t>(master_.Below(ramp))));
    }
    while (!heap_.empty()) {
      const auto [ts, slot_index] = heap_.top();
      heap_.pop();
      Slot& slot = slots_[slot_index];
      writer.Write(ts, slot.packets.frame(slot.next));
      stats_.frame_bytes += slot.packets.record(slot.next).length;
      if (stats_.packets++ == 0) stats_.first_ns = ts;
      stats_.last_ns = ts;
      ++slot.next;
      if (slot.next < slot.packets.size()) {
        heap_.push({slot.packets.record(slot.next).ts_ns, slot_index});
      } else {
        const int64_t gap = static_cast<int64_t>(master_.LogRange(10 * kMicro, 100 * kMilli));
        VIGIL_CHECK_OK(StartNext(slot_index, ts + gap));
      }
      if (progress_ && stats_.packets % kProgressCheckEvery == 0) MaybeReport(wall_start);
    }
    stats_.pcap_bytes = writer.bytes_written();
    VIGIL_CHECK_OK(writer.Close());
    if (truth_file_) {
      const bool failed = std::fflush(truth_file_.get()) != 0 || std::ferror(truth_file_.get()) != 0;
      truth_file_.reset();
      if (failed) return Error(ErrorCode::kIo, "writing " + cfg_.truth_path + " failed");
    }
    stats_.elapsed_s = static_cast<double>(MonotonicNanos() - wall_start) / 1e9;
    return stats_;
  }

 private:
  struct Slot {
    FlowPackets packets;
    size_t next = 0;
  };

  bool StopReached() const {
    return (cfg_.flows > 0 && stats_.flows >= cfg_.flows) ||
           (cfg_.target_bytes > 0 && writer_->bytes_written() >= cfg_.target_bytes) ||
           (cfg_.flows == 0 && cfg_.target_bytes == 0);
  }

  // Attack k of N is due once the run is (k+1)/(N+1) of the way to its stop condition, so the
  // attacks are spread evenly through the capture.
  bool AttackDue() const {
    if (stats_.attacks >= cfg_.attacks) return false;
    const uint64_t k1 = stats_.attacks + 1;
    const uint64_t n1 = uint64_t{cfg_.attacks} + 1;
    if (cfg_.flows > 0 && stats_.flows * n1 >= cfg_.flows * k1) return true;
    if (cfg_.target_bytes > 0) {
      const double done = static_cast<double>(writer_->bytes_written()) / static_cast<double>(cfg_.target_bytes);
      if (done * static_cast<double>(n1) >= static_cast<double>(k1)) return true;
    }
    return false;
  }

  FlowKind PickKind() {
    const TrafficMix& m = cfg_.mix;
    uint64_t r = master_.Below(uint64_t{m.http} + m.dns + m.tls + m.udp);
    if (r < m.http) return FlowKind::kHttp;
    r -= m.http;
    if (r < m.dns) return FlowKind::kDns;
    r -= m.dns;
    if (r < m.tls) return FlowKind::kTls;
    return FlowKind::kUdp;
  }

  // Generates the next flow into the slot, or leaves the slot idle when the run is over.
  Status StartNext(uint32_t slot_index, int64_t start_ns) {
    Slot& slot = slots_[slot_index];
    slot.packets.Clear();
    slot.next = 0;
    truths_.clear();
    const bool stop = StopReached();
    if (stats_.attacks < cfg_.attacks && (AttackDue() || stop)) {
      const auto kind = static_cast<AttackKind>(stats_.attacks % kAttackKinds);
      Rng rng = master_.Fork();
      VIGIL_CHECK_OK(factory_.Attack(kind, static_cast<uint32_t>(stats_.attacks), rng, start_ns, slot.packets, truths_));
      ++stats_.attacks;
      stats_.attack_flows += truths_.size();
    } else if (!stop) {
      const FlowKind kind = PickKind();
      Rng rng = master_.Fork();
      VIGIL_CHECK_OK(factory_.Ordinary(kind, rng, start_ns, slot.packets, truths_));
      ++stats_.flows;
    } else {
      return Ok();
    }
    slot.packets.SortByTime();
    for (FlowTruth& t : truths_) {
      t.id = stats_.truth_records++;
      if (truth_file_) {
        const std::string line = t.ToJsonLine();
        std::fwrite(line.data(), 1, line.size(), truth_file_.get());
      }
    }
    if (!slot.packets.empty()) heap_.push({slot.packets.record(0).ts_ns, slot_index});
    return Ok();
  }

  void MaybeReport(int64_t wall_start) {
    const int64_t now = MonotonicNanos();
    if (static_cast<double>(now - last_progress_) < cfg_.progress_interval_s * 1e9) return;
    last_progress_ = now;
    stats_.pcap_bytes = writer_->bytes_written();
    stats_.elapsed_s = static_cast<double>(now - wall_start) / 1e9;
    progress_(stats_);
  }

  const SynthConfig& cfg_;
  const ProgressFn& progress_;
  Rng master_;
  AddressPlan plan_;
  FlowFactory factory_;
  PcapWriter* writer_ = nullptr;
  File truth_file_;
  std::vector<Slot> slots_;
  std::vector<FlowTruth> truths_;
  using Entry = std::pair<int64_t, uint32_t>;  // (next frame time, slot): ties go to the lower slot
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  SynthStats stats_;
  int64_t last_progress_ = 0;
};

}  // namespace

Result<SynthStats> Synthesize(const SynthConfig& cfg, const ProgressFn& progress) {
  VIGIL_CHECK_OK(ValidateConfig(cfg));
  Run run(cfg, progress);
  return run.Execute();
}

}  // namespace vigil::synth
