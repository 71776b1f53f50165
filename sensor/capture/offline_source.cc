#include "sensor/capture/offline_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/file_handle.h"

namespace vigil::sensor {

namespace fs = std::filesystem;

namespace {
// Sampling the file position costs an lseek(); doing it every N frames keeps progress reports
// within a few hundred KB while keeping the syscall off the per-packet path.
constexpr uint32_t kSampleEveryFrames = 256;
// libpcap reads files through stdio, whose default buffer is the file system's block size
// (4 KiB): one read() per 4 KiB. A 1 MiB buffer cuts the syscalls 256-fold (measured: 75,625
// reads of a 300 MB capture).
constexpr size_t kReadBufferBytes = size_t{1} << 20;

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(in, ec);
    if (ec || !fs::exists(st)) {
      return Error(ErrorCode::kNotFound, "capture input '" + in + "' does not exist");
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> names;
      for (fs::directory_iterator it(in, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code ec2;
        if (it->is_regular_file(ec2)) names.push_back(it->path().string());
      }
      if (ec) {
        return Error(ErrorCode::kIo, "capture input directory '" + in + "': " + ec.message());
      }
      if (names.empty()) {
        return Error(ErrorCode::kNotFound, "capture input directory '" + in + "' has no files");
      }
      std::sort(names.begin(), names.end());
      out.insert(out.end(), names.begin(), names.end());
    } else {
      out.push_back(in);
    }
  }
  return out;
}
}  // namespace

OfflineSource::OfflineSource(const CaptureConfig& config, CaptureCounters counters,
                             ProgressCallback progress)
    : filter_(config.bpf_filter),
      snaplen_(config.snaplen),
      progress_step_(config.progress_step_bytes),
      counters_(counters),
      progress_(std::move(progress)) {}

Result<std::unique_ptr<OfflineSource>> OfflineSource::Create(const CaptureConfig& config,
                                                             CaptureCounters counters,
                                                             ProgressCallback progress) {
  if (config.inputs.empty()) {
    return Error(ErrorCode::kInvalidArgument, "offline capture needs at least one input");
  }
  VIGIL_CHECK_OK(config.ValidateHandoff());
  if (config.progress_step_bytes < 4096) {
    return Error(ErrorCode::kInvalidArgument, "capture: progress_step_bytes must be >= 4096");
  }
  // Check the filter's syntax now against Ethernet, so a typo is a startup error rather than a
  // file error repeated for every file. (Per file it is compiled again for the file's link type.)
  if (!config.bpf_filter.empty()) {
    PcapHandle dead(pcap_open_dead(DLT_EN10MB, static_cast<int>(config.snaplen)));
    if (!dead) return Error(ErrorCode::kInternal, "pcap_open_dead failed");
    VIGIL_CHECK_OK(dead.CheckFilter(config.bpf_filter));
  }
  VIGIL_TRY(std::vector<std::string> paths, ExpandInputs(config.inputs));
  std::unique_ptr<OfflineSource> src(new OfflineSource(config, counters, std::move(progress)));
  src->files_.reserve(paths.size());
  for (auto& p : paths) {
    OfflineFileInfo info;
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    info.size_bytes = ec ? 0 : static_cast<uint64_t>(size);
    info.path = std::move(p);
    src->total_bytes_ += info.size_bytes;
    src->files_.push_back(std::move(info));
  }
  src->next_progress_ = src->progress_step_;
  return src;
}

std::string OfflineSource::Describe() const {
  if (files_.size() == 1) return "offline: " + files_[0].path;
  return "offline: " + std::to_string(files_.size()) + " files";
}

Status OfflineSource::OpenNext() {
  current_ = &files_[next_file_++];
  current_offset_ = 0;
  since_sample_ = 0;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  UniqueFile file(std::fopen(current_->path.c_str(), "rb"));
  if (!file) {
    return Error(ErrorCode::kIo, "capture file '" + current_->path + "': " + std::strerror(errno));
  }
  if (!read_buffer_) read_buffer_ = std::make_unique<char[]>(kReadBufferBytes);
  std::setvbuf(file.get(), read_buffer_.get(), _IOFBF, kReadBufferBytes);
  // Nanosecond precision: libpcap scales microsecond files up, so every file yields nanoseconds.
  // On success pcap_close closes the FILE; on failure it is still ours (file closes it).
  PcapHandle h(pcap_fopen_offline_with_tstamp_precision(file.get(), PCAP_TSTAMP_PRECISION_NANO, errbuf));
  if (!h) return Error(ErrorCode::kIo, "capture file '" + current_->path + "': " + errbuf);
  (void)file.release();  // pcap_close closes it now
  current_dlt_ = h.datalink();
  current_->datalink = current_dlt_;
  current_->datalink_name = DatalinkDescription(current_dlt_);
  if (auto st = h.SetFilter(filter_); !st) {
    return Error(st.error().code, "capture file '" + current_->path + "' (link type " +
                                      current_->datalink_name + "): " + st.error().message);
  }
  handle_ = std::move(h);
  counters_.Add(CaptureCounter::kFiles);
  return Ok();
}

void OfflineSource::FinishFile(std::string error) {
  if (current_ == nullptr) return;
  current_->done = true;
  if (!error.empty()) {
    counters_.Add(CaptureCounter::kFileErrors);
    last_error_ = Error(ErrorCode::kCorrupt, error);
    current_->error = std::move(error);
  }
  handle_.Reset();
  done_bytes_ += current_->size_bytes;
  current_offset_ = 0;
  current_ = nullptr;
  ReportProgress(/*force=*/true);
}

void OfflineSource::SampleOffset() {
  since_sample_ = 0;
  if (FILE* f = pcap_file(handle_.get()); f != nullptr) {
    const long pos = std::ftell(f);
    if (pos > 0) {
      current_offset_ = std::min<uint64_t>(static_cast<uint64_t>(pos), current_->size_bytes);
    }
  }
}

void OfflineSource::ReportProgress(bool force) {
  if (!progress_) return;
  const uint64_t done = bytes_done();
  if (!force && done < next_progress_) return;
  next_progress_ = done + progress_step_;
  progress_(done, total_bytes_);
}

Result<ReadStatus> OfflineSource::Read(Frame& frame) {
  for (;;) {
    if (stop_.load(std::memory_order_relaxed)) return ReadStatus::kEnd;
    if (!handle_) {
      if (next_file_ >= files_.size()) return ReadStatus::kEnd;
      if (auto st = OpenNext(); !st) {
        FinishFile(st.error().message);
        return ReadStatus::kFileError;
      }
    }
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &hdr, &data);
    if (rc == 1) {
      uint32_t caplen = hdr->caplen;
      // libpcap bounds caplen by the file's snaplen and its own maximum; we also bound it by
      // ours so that every frame fits a pool overflow buffer.
      if (caplen > snaplen_) caplen = snaplen_;
      if (caplen < hdr->len) counters_.Add(CaptureCounter::kSnaplenTruncated);
      frame.data = data;
      frame.caplen = caplen;
      frame.wirelen = hdr->len;
      frame.datalink = current_dlt_;
      // With nanosecond precision requested, tv_usec holds nanoseconds.
      frame.ts = Timestamp{static_cast<int64_t>(hdr->ts.tv_sec) * kNanosPerSecond +
                           static_cast<int64_t>(hdr->ts.tv_usec)};
      frame.pcap_cnt = ++pcap_cnt_;
      current_->packets++;
      current_->bytes += caplen;
      counters_.Add(CaptureCounter::kPackets);
      counters_.Add(CaptureCounter::kBytes, caplen);
      if (++since_sample_ >= kSampleEveryFrames) {
        SampleOffset();
        ReportProgress(/*force=*/false);
      }
      return ReadStatus::kPacket;
    }
    if (rc == PCAP_ERROR_BREAK) {  // offline: end of file
      FinishFile({});
      continue;
    }
    // PCAP_ERROR: truncated record, bad header, I/O error.
    std::string msg = "capture file '" + current_->path + "': " + handle_.LastError() +
                      " (after " + std::to_string(current_->packets) + " packets of this file)";
    FinishFile(std::move(msg));
    return ReadStatus::kFileError;
  }
}

}  // namespace vigil::sensor
