// libFuzzer target for the Defragmenter: the input is a sequence of fragments, each a small
// header plus its data, fed as IPv4 or IPv6 fragments of a handful of datagram ids so trackers
// collide, overlap, time out and hit limits. Every reassembled packet is checked for
// consistency (lengths, IPv4 checksum) and the memcap is checked after every fragment.
//
// Input: byte 0 picks the config (overlap policy, small memcap, small max_fragments). Then per
// fragment, 8 header bytes:
//   [0] bit0 IPv6, bit1 more-fragments, bits2-3 IPv6 extension headers (0-3),
//       bit4 ip_header_len includes the IPv6 Fragment header, bit5 VLAN 7
//   [1] datagram id (low 2 bits used)   [2..3] offset in 8-byte units (13 bits)
//   [4..5] data length (capped at 4096, and at what the input has left)
//   [6] time step in seconds           [7] data fill byte when the input runs out
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/counters.h"
#include "sensor/decode/packet.h"
#include "sensor/defrag/defragmenter.h"

namespace {

using vigil::CounterRegistry;
using vigil::IpAddress;
using vigil::Timestamp;
using vigil::sensor::DefragAction;
using vigil::sensor::DefragConfig;
using vigil::sensor::Defragmenter;
using vigil::sensor::DefragPolicy;
using vigil::sensor::Packet;

uint16_t Sum(const uint8_t* h, size_t len) {
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < len; i += 2) s += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(s);
}

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  DefragConfig cfg;
  const uint8_t sel = data[0];
  cfg.policy = static_cast<DefragPolicy>(sel & 3);
  cfg.memcap = (sel & 4) ? 64 * vigil::sensor::ChunkPool::kBytesPerChunk : size_t{1} << 20;
  cfg.max_fragments = (sel & 8) ? 4 : 1024;
  cfg.max_trackers = (sel & 16) ? 2 : 1024;
  cfg.hash_buckets = 64;
  cfg.timeout_ns = 10 * vigil::kNanosPerSecond;
  if (!cfg.Validate()) return 0;

  CounterRegistry reg;
  auto group = Defragmenter::RegisterCounters(reg);
  Check(group.ok());
  Defragmenter defrag(cfg, *group, reg.NewBlock("fuzz"));

  const IpAddress src4 = IpAddress::V4(0x0a000001u), dst4 = IpAddress::V4(0x0a000002u);
  uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8}, v6b[16] = {0x20, 0x01, 0x0d, 0xb8};
  v6a[15] = 1;
  v6b[15] = 2;
  const IpAddress src6 = IpAddress::V6(v6a), dst6 = IpAddress::V6(v6b);

  std::vector<uint8_t> buf;
  Timestamp ts = Timestamp::FromSeconds(1000);
  size_t pos = 1;
  while (pos + 8 <= size) {
    const uint8_t* h = data + pos;
    pos += 8;
    const bool v6 = h[0] & 1;
    const bool mf = h[0] & 2;
    const unsigned exts = (h[0] >> 2) & 3;
    const bool incl = h[0] & 16;
    const uint32_t id = h[1] & 3;
    const uint32_t offset = ((uint32_t{h[2]} << 8 | h[3]) & 0x1fff) * 8;
    uint32_t len = (uint32_t{h[4]} << 8 | h[5]) % 4097;
    ts = ts + int64_t{h[6] % 16} * vigil::kNanosPerSecond;

    const size_t hdr = v6 ? 40 + 8 * exts : 20;
    buf.assign(hdr + (v6 ? 8 : 0) + len, h[7]);
    uint8_t* b = buf.data();
    if (v6) {
      b[0] = 0x60;
      b[6] = exts ? 0 : 44;  // hop-by-hop first, then destination options
      for (unsigned i = 0; i < exts; ++i) {
        b[40 + 8 * i] = i + 1 < exts ? 60 : 44;
        b[40 + 8 * i + 1] = 0;
      }
      b[hdr] = 17;
    } else {
      std::memset(b, 0, 20);
      b[0] = 0x45;
      b[9] = 17;
    }
    const size_t dstart = hdr + (v6 ? 8 : 0);
    const size_t avail = size - pos;
    const size_t take = len < avail ? len : avail;
    if (take) std::memcpy(b + dstart, data + pos, take);
    pos += take;

    Packet p;
    p.ts = ts;
    p.ip_version = v6 ? 6 : 4;
    p.src = v6 ? src6 : src4;
    p.dst = v6 ? dst6 : dst4;
    p.is_fragment = true;
    if (h[0] & 32) {
      p.vlan_count = 1;
      p.vlan[0] = 7;
    }
    p.frag.id = id;
    p.frag.offset = offset;
    p.frag.more_fragments = mf;
    p.frag.next_proto = 17;
    p.frag.ip_header = b;
    p.frag.ip_header_len = static_cast<uint16_t>(hdr + (v6 && incl ? 8 : 0));
    p.frag.data = b + dstart;
    p.frag.data_len = len;

    auto r = defrag.Process(p);
    Check(defrag.memuse() <= cfg.memcap);
    if (r.action == DefragAction::kReassembled) {
      const uint8_t* o = r.datagram.data();
      const size_t n = r.datagram.size();
      if (v6) {
        Check(n >= 40 && (size_t{o[4]} << 8 | o[5]) == n - 40);
      } else {
        Check(n >= 20 && (size_t{o[2]} << 8 | o[3]) == n);
        Check(Sum(o, 20) == 0xffff);
        Check(o[6] == 0 && o[7] == 0);
      }
    }
  }
  defrag.Sweep(ts + 11 * vigil::kNanosPerSecond);
  Check(defrag.active_trackers() == 0 && defrag.memuse() == 0);
  return 0;
}
