// PcapHandle: sole owner of one libpcap pcap_t; pcap_close() runs in the destructor.
//
// Move-only, so a capture handle can be returned from a factory and stored in a source without a
// chance of double close. Also the one place where libpcap calls that need a second C resource
// (a compiled BPF program) are wrapped, so no caller ever frees a bpf_program by hand.
//
//   char err[PCAP_ERRBUF_SIZE];
//   PcapHandle h(pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err));
//   if (!h) return Error(ErrorCode::kIo, err);
//   if (auto st = h.SetFilter("tcp"); !st) ...
#pragma once

#include <string>
#include <string_view>

#include <pcap/pcap.h>

#include "core/result.h"

namespace vigil::sensor {

class PcapHandle {
 public:
  PcapHandle() = default;
  explicit PcapHandle(pcap_t* p) : p_(p) {}
  ~PcapHandle() { Reset(); }

  PcapHandle(const PcapHandle&) = delete;
  PcapHandle& operator=(const PcapHandle&) = delete;
  PcapHandle(PcapHandle&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  PcapHandle& operator=(PcapHandle&& o) noexcept {
    if (this != &o) {
      Reset();
      p_ = o.p_;
      o.p_ = nullptr;
    }
    return *this;
  }

  pcap_t* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // Closes the handle now (idempotent).
  void Reset();

  // libpcap's message for the last failure on this handle (pcap_geterr).
  std::string LastError() const;

  // Compiles `expr` for this handle's link type and installs it (pcap_compile + pcap_setfilter;
  // works on offline handles too). An empty expression is a no-op. The error quotes the filter
  // and libpcap's message.
  [[nodiscard]] Status SetFilter(std::string_view expr);
  // Compiles `expr` for this handle's link type without installing it: a syntax check that also
  // works on a pcap_open_dead handle.
  [[nodiscard]] Status CheckFilter(std::string_view expr);

  int datalink() const { return pcap_datalink(p_); }

 private:
  pcap_t* p_ = nullptr;
};

// "EN10MB (Ethernet)" for DLT_EN10MB; "DLT 147" for values libpcap has no name for.
std::string DatalinkDescription(int dlt);

}  // namespace vigil::sensor
