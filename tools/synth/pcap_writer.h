// PcapWriter: writes Ethernet frames to a classic pcap file through libpcap
// (pcap_open_dead + pcap_dump_fopen + pcap_dump), microsecond timestamps, snaplen 262144.
// Move-only RAII: the pcap_t and the dumper are closed with the writer; call Close() to learn
// whether the final flush succeeded.
//
//   VIGIL_TRY(PcapWriter w, PcapWriter::Open("/tmp/x.pcap"));
//   w.Write(ts_ns, frame_span);
//   VIGIL_CHECK_OK(w.Close());
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <pcap/pcap.h>

#include "core/result.h"

namespace vigil::synth {

class PcapWriter {
 public:
  static constexpr int kSnapLen = 262144;
  static constexpr size_t kPcapFileHeader = 24;
  static constexpr size_t kPcapRecordHeader = 16;

  static Result<PcapWriter> Open(const std::string& path);

  PcapWriter(PcapWriter&&) noexcept = default;
  PcapWriter& operator=(PcapWriter&&) noexcept = default;
  ~PcapWriter() = default;

  // Writes one frame with its full length as captured length. Errors surface at Close().
  void Write(int64_t ts_ns, std::span<const uint8_t> frame);
  // Flushes and closes; reports a write error (disk full...) if any happened.
  Status Close();

  uint64_t bytes_written() const { return bytes_; }  // file size so far, headers included
  uint64_t packets_written() const { return packets_; }

 private:
  struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };
  struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
  };

  PcapWriter() = default;

  // Declaration order matters: the dumper (which owns and fcloses the FILE*) is destroyed
  // first, then the stdio buffer it wrote through, then the pcap_t.
  std::unique_ptr<pcap_t, PcapCloser> pcap_;
  std::unique_ptr<char[]> buffer_;
  std::unique_ptr<pcap_dumper_t, DumperCloser> dumper_;
  std::string path_;
  uint64_t bytes_ = kPcapFileHeader;
  uint64_t packets_ = 0;
};

}  // namespace vigil::synth
