#include "tools/synth/pcap_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vigil::synth {
namespace {
constexpr size_t kStdioBuffer = 1 << 20;  // large writes: one syscall per MiB
}  // namespace

Result<PcapWriter> PcapWriter::Open(const std::string& path) {
  PcapWriter w;
  w.path_ = path;
  w.pcap_.reset(pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnapLen, PCAP_TSTAMP_PRECISION_MICRO));
  if (!w.pcap_) return Error(ErrorCode::kInternal, "pcap_open_dead failed");
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return Error(ErrorCode::kIo, "cannot create " + path + ": " + std::strerror(errno));
  }
  w.buffer_ = std::make_unique<char[]>(kStdioBuffer);
  std::setvbuf(f, w.buffer_.get(), _IOFBF, kStdioBuffer);
  w.dumper_.reset(pcap_dump_fopen(w.pcap_.get(), f));
  if (!w.dumper_) {
    std::fclose(f);
    return Error(ErrorCode::kIo, "pcap_dump_fopen(" + path + "): " + pcap_geterr(w.pcap_.get()));
  }
  return w;
}

void PcapWriter::Write(int64_t ts_ns, std::span<const uint8_t> frame) {
  pcap_pkthdr hdr{};
  hdr.ts.tv_sec = static_cast<time_t>(ts_ns / 1'000'000'000);
  hdr.ts.tv_usec = static_cast<suseconds_t>((ts_ns % 1'000'000'000) / 1'000);
  hdr.caplen = static_cast<bpf_u_int32>(frame.size());
  hdr.len = hdr.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &hdr, frame.data());
  bytes_ += kPcapRecordHeader + frame.size();
  ++packets_;
}

Status PcapWriter::Close() {
  if (!dumper_) return Ok();
  FILE* f = pcap_dump_file(dumper_.get());
  const bool failed = std::fflush(f) != 0 || std::ferror(f) != 0;
  const int err = errno;
  dumper_.reset();
  if (failed) return Error(ErrorCode::kIo, "writing " + path_ + " failed: " + std::strerror(err));
  return Ok();
}

}  // namespace vigil::synth
