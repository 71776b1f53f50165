// OfflineSource: reads pcap and pcapng files, one after another, as one stream of frames.
//
// Inputs are files and directories (a directory contributes its regular files sorted by name).
// Frames are numbered from 1 in read order across all files (pcap_cnt, as Suricata numbers
// them; after the BPF filter). Timestamps keep nanosecond precision when the file has it
// (libpcap scales microsecond files up). A file that cannot be opened or that ends in an error
// (truncated, corrupt) is reported once through ReadStatus::kFileError with a message naming the
// file, counted in capture.file_errors, and reading goes on with the next file.
//
//   auto src = OfflineSource::Create(cfg, counters, [](uint64_t done, uint64_t total) {
//     fmt::print(stderr, "\r{:.1f}%", 100.0 * done / total); });
//   PacketSlot* slot = ...;
//   while (true) { auto st = (*src)->Next(*slot); ... if (*st == ReadStatus::kEnd) break; }
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "sensor/capture/capture_config.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/capture/capture_source.h"
#include "sensor/capture/pcap_handle.h"

namespace vigil::sensor {

// What was learned about one input file; filled as the file is read.
struct OfflineFileInfo {
  std::string path;
  uint64_t size_bytes = 0;
  int datalink = -1;           // pcap DLT_* of the file; -1 until opened
  std::string datalink_name;   // "EN10MB (Ethernet)"
  uint64_t packets = 0;        // frames read from this file (after the filter)
  uint64_t bytes = 0;          // captured bytes of those frames
  bool done = false;           // reached its end (cleanly or not)
  std::string error;           // why it failed; empty if it did not
};

// Called with (bytes of input consumed so far, total bytes of all inputs); bytes are file bytes,
// headers included, so the final call has done == total. Runs on the reader thread.
using ProgressCallback = std::function<void(uint64_t bytes_done, uint64_t bytes_total)>;

class OfflineSource final : public CaptureSource {
 public:
  // Expands directories and sizes every file; nothing is opened yet. Fails when an input does
  // not exist, a directory holds no regular files, or the BPF filter does not compile.
  [[nodiscard]] static Result<std::unique_ptr<OfflineSource>> Create(const CaptureConfig& config,
                                                                     CaptureCounters counters,
                                                                     ProgressCallback progress = {});
  ~OfflineSource() override = default;

  [[nodiscard]] Result<ReadStatus> Read(Frame& frame) override;
  void Breakloop() override { stop_.store(true, std::memory_order_relaxed); }
  std::string Describe() const override;

  const std::vector<OfflineFileInfo>& files() const { return files_; }
  uint64_t total_bytes() const { return total_bytes_; }
  // Input bytes consumed so far (exact at file boundaries, sampled inside a file).
  uint64_t bytes_done() const { return done_bytes_ + current_offset_; }
  // Link type of the file being read; -1 between files.
  int current_datalink() const { return handle_ ? current_dlt_ : -1; }

 private:
  OfflineSource(const CaptureConfig& config, CaptureCounters counters, ProgressCallback progress);
  Status OpenNext();
  void FinishFile(std::string error);
  void SampleOffset();
  void ReportProgress(bool force);

  const std::string filter_;
  const uint32_t snaplen_;
  const uint64_t progress_step_;
  CaptureCounters counters_;
  ProgressCallback progress_;

  std::vector<OfflineFileInfo> files_;
  uint64_t total_bytes_ = 0;
  size_t next_file_ = 0;
  // stdio buffer of the open file (declared before handle_ so it outlives the FILE that
  // pcap_close closes): 1 MiB reads instead of glibc's 4 KiB ones.
  std::unique_ptr<char[]> read_buffer_;
  PcapHandle handle_;
  OfflineFileInfo* current_ = nullptr;
  int current_dlt_ = -1;
  uint64_t pcap_cnt_ = 0;
  uint64_t done_bytes_ = 0;       // bytes of files already finished
  uint64_t current_offset_ = 0;   // sampled position in the current file
  uint64_t next_progress_ = 0;    // fire the callback when bytes_done() reaches this
  uint32_t since_sample_ = 0;     // frames since the position was last sampled
  std::atomic<bool> stop_{false};
};

}  // namespace vigil::sensor
