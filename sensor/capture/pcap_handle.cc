#include "sensor/capture/pcap_handle.h"

namespace vigil::sensor {

namespace {
// Frees a compiled BPF program however SetFilter leaves.
class BpfProgramGuard {
 public:
  BpfProgramGuard() = default;
  ~BpfProgramGuard() {
    if (compiled_) pcap_freecode(&prog_);
  }
  BpfProgramGuard(const BpfProgramGuard&) = delete;
  BpfProgramGuard& operator=(const BpfProgramGuard&) = delete;
  bpf_program* get() { return &prog_; }
  void set_compiled() { compiled_ = true; }

 private:
  bpf_program prog_{};
  bool compiled_ = false;
};
}  // namespace

void PcapHandle::Reset() {
  if (p_ != nullptr) {
    pcap_close(p_);
    p_ = nullptr;
  }
}

std::string PcapHandle::LastError() const {
  if (p_ == nullptr) return "no pcap handle";
  const char* e = pcap_geterr(p_);
  return e != nullptr ? std::string(e) : std::string();
}

namespace {
Status Compile(pcap_t* p, const std::string& text, BpfProgramGuard& prog) {
  // optimize=1; the netmask only matters for "ip broadcast", which we cannot know offline.
  if (pcap_compile(p, prog.get(), text.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "BPF filter '" + text + "' does not compile: " + pcap_geterr(p));
  }
  prog.set_compiled();
  return Ok();
}
}  // namespace

Status PcapHandle::CheckFilter(std::string_view expr) {
  if (expr.empty()) return Ok();
  if (p_ == nullptr) return Error(ErrorCode::kInternal, "CheckFilter on a closed pcap handle");
  BpfProgramGuard prog;
  return Compile(p_, std::string(expr), prog);
}

Status PcapHandle::SetFilter(std::string_view expr) {
  if (expr.empty()) return Ok();
  if (p_ == nullptr) return Error(ErrorCode::kInternal, "SetFilter on a closed pcap handle");
  std::string text(expr);  // pcap_compile wants a NUL-terminated string
  BpfProgramGuard prog;
  VIGIL_CHECK_OK(Compile(p_, text, prog));
  if (pcap_setfilter(p_, prog.get()) != 0) {
    return Error(ErrorCode::kIo, "BPF filter '" + text + "' could not be installed: " + LastError());
  }
  return Ok();
}

std::string DatalinkDescription(int dlt) {
  const char* name = pcap_datalink_val_to_name(dlt);
  if (name == nullptr) return "DLT " + std::to_string(dlt);
  std::string s(name);
  if (const char* desc = pcap_datalink_val_to_description(dlt); desc != nullptr) {
    s += " (";
    s += desc;
    s += ")";
  }
  return s;
}

}  // namespace vigil::sensor
