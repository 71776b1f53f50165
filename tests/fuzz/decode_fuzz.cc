// libFuzzer target for the packet decoder. The first input byte picks the link type (modulo the
// supported ones), the rest is the frame. The frame is copied into an exactly-sized heap buffer
// so ASan catches any read past caplen. Both checksum modes and a tight layer limit are
// exercised, decided by the top bits of the selector byte.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/counters.h"
#include "sensor/decode/decoder.h"

namespace {

using namespace vigil::sensor;  // NOLINT(google-build-using-namespace)

constexpr int kLinkTypes[] = {link_type::kEthernet, link_type::kLinuxSll, link_type::kLinuxSll2,
                              link_type::kRaw,      link_type::kIpv4,     link_type::kIpv6,
                              link_type::kNull,     link_type::kLoop};

struct Harness {
  vigil::CounterRegistry registry;
  DecoderCounters ids;
  vigil::CounterBlock* block = nullptr;
  DecoderConfig normal;
  DecoderConfig tight;

  Harness() {
    ids = *RegisterDecoderCounters(registry);
    block = registry.NewBlock("fuzz");
    tight.checksums = ChecksumMode::kNone;
    tight.max_layers = 6;
    tight.max_tunnel_depth = 1;
    tight.max_vlan_tags = 1;
    tight.max_ipv6_ext_headers = 2;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness h;  // built once per process; the fuzzer is single-threaded
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const size_t len = size - 1;
  std::unique_ptr<uint8_t[]> frame(new uint8_t[len > 0 ? len : 1]);
  if (len > 0) std::memcpy(frame.get(), data + 1, len);

  Packet p;
  p.data = len > 0 ? frame.get() : nullptr;
  p.caplen = static_cast<uint32_t>(len);
  p.wirelen = p.caplen;
  p.datalink = kLinkTypes[(selector & 0x7f) % std::size(kLinkTypes)];
  Decoder dec((selector & 0x80) ? h.tight : h.normal, h.ids, h.block);
  dec.Decode(p);

  // Everything the decoder points at must lie inside the frame.
  const uint8_t* begin = frame.get();
  const uint8_t* end = begin + len;
  auto inside = [&](const uint8_t* ptr, uint32_t n) {
    if (ptr == nullptr) {
      if (n != 0) __builtin_trap();
      return;
    }
    if (ptr < begin || ptr > end || n > static_cast<size_t>(end - ptr)) __builtin_trap();
  };
  inside(p.l3, p.l3_len);
  inside(p.l4, p.l4_len);
  inside(p.payload, p.payload_len);
  if (p.is_fragment) {
    inside(p.frag.ip_header, p.frag.ip_header_len);
    inside(p.frag.data, p.frag.data_len);
  }
  if (p.event_count > kMaxDecodeEvents || p.vlan_count > 2) __builtin_trap();
  return 0;
}
