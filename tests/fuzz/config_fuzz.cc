// Fuzzes Config::LoadString: arbitrary bytes as a YAML file plus one --set override taken from
// the input. Loading must never crash, hang, leak or throw; every failure must be an Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace {

const vigil::ConfigSchema& Schema() {
  static const vigil::ConfigSchema* schema = [] {
    auto* s = new vigil::ConfigSchema();
    s->Size("flow.memcap", "128mb", "m")
        .Int("flow.hash-size", 65536, 1024, 1 << 24, "h")
        .Duration("flow.timeouts.tcp.established", "600s", "t")
        .Bool("stream.checksum-validation", true, "c")
        .Choice("runmode", "workers", {"workers", "single"}, "r")
        .String("sensor.id", "", "i")
        .List("capture.interfaces", {"eth0"}, "l")
        .Map("vars.address-groups", "g");
    return s;
  }();
  return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The last line, if it contains '=', doubles as a --set override.
  std::vector<std::string> sets;
  size_t nl = in.rfind('\n');
  std::string_view last = nl == std::string_view::npos ? in : in.substr(nl + 1);
  if (last.find('=') != std::string_view::npos) sets.emplace_back(last);
  auto cfg = vigil::Config::LoadString(in, "fuzz.yaml", Schema(), sets);
  if (cfg.ok()) {
    std::string dump = cfg->Dump();
    (void)cfg->GetSize("flow.memcap");
    (void)cfg->GetMap("vars.address-groups");
    if (dump.empty()) __builtin_trap();  // a loaded config always has keys to dump
  } else if (cfg.error().message.empty()) {
    __builtin_trap();  // every error explains itself
  }
  return 0;
}
