// FragBuilder: builds IPv4/IPv6 fragment Packets by hand for defrag tests (the decoder is not
// linked): real header bytes, FragmentInfo filled the way the decoder fills it.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "core/ip_address.h"
#include "core/time.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor::testing {

struct Ext {  // an IPv6 extension header of the unfragmentable part
  uint8_t type;        // 0 hop-by-hop, 43 routing, 60 destination options
  uint8_t len_units;   // length in 8-octet units beyond the first
};

class FragBuilder {
 public:
  IpAddress src4 = IpAddress::V4(0xc0000201u);  // 192.0.2.1
  IpAddress dst4 = IpAddress::V4(0xc6336402u);  // 198.51.100.2
  IpAddress src6 = *IpAddress::Parse("2001:db8::1");
  IpAddress dst6 = *IpAddress::Parse("2001:db8::2");
  Timestamp ts = Timestamp::FromSeconds(1000);
  uint8_t proto = 17;

  Packet V4(uint16_t id, uint32_t offset, const uint8_t* data, uint32_t len, bool mf,
            uint16_t vlan = 0) {
    std::vector<uint8_t>& b = store_.emplace_back(20 + len);
    b[0] = 0x45;
    b[1] = 0;
    b[2] = static_cast<uint8_t>((20 + len) >> 8);
    b[3] = static_cast<uint8_t>(20 + len);
    b[4] = static_cast<uint8_t>(id >> 8);
    b[5] = static_cast<uint8_t>(id);
    uint16_t fo = static_cast<uint16_t>((mf ? 0x2000 : 0) | ((offset / 8) & 0x1fff));
    b[6] = static_cast<uint8_t>(fo >> 8);
    b[7] = static_cast<uint8_t>(fo);
    b[8] = 64;
    b[9] = proto;
    b[10] = 0xab;  // checksum: not checked, must be recomputed on output
    b[11] = 0xcd;
    std::memcpy(&b[12], src4.data(), 4);
    std::memcpy(&b[16], dst4.data(), 4);
    if (len) std::memcpy(&b[20], data, len);
    Packet p = Base(b, 4, src4, dst4, vlan);
    p.ip_id = id;
    p.frag.id = id;
    p.frag.offset = offset;
    p.frag.more_fragments = mf;
    p.frag.next_proto = proto;
    p.frag.ip_header = b.data();
    p.frag.ip_header_len = 20;
    p.frag.data = b.data() + 20;
    p.frag.data_len = len;
    return p;
  }

  // IPv6 fragment with the given unfragmentable extension headers (zero-filled bodies) before the
  // Fragment header. With include_frag_header, ip_header_len also covers the Fragment header.
  Packet V6(uint32_t id, uint32_t offset, const uint8_t* data, uint32_t len, bool mf,
            const std::vector<Ext>& exts = {}, bool include_frag_header = false) {
    size_t ext_len = 0;
    for (const Ext& e : exts) ext_len += (e.len_units + 1u) * 8u;
    std::vector<uint8_t>& b = store_.emplace_back(40 + ext_len + 8 + len);
    b[0] = 0x60;
    size_t plen = ext_len + 8 + len;
    b[4] = static_cast<uint8_t>(plen >> 8);
    b[5] = static_cast<uint8_t>(plen);
    b[6] = exts.empty() ? 44 : exts[0].type;
    b[7] = 64;
    std::memcpy(&b[8], src6.data(), 16);
    std::memcpy(&b[24], dst6.data(), 16);
    size_t pos = 40;
    for (size_t i = 0; i < exts.size(); ++i) {
      b[pos] = i + 1 < exts.size() ? exts[i + 1].type : 44;
      b[pos + 1] = exts[i].len_units;
      b[pos + 2] = static_cast<uint8_t>(0xe0 + i);  // marker byte to check it is kept
      pos += (exts[i].len_units + 1u) * 8u;
    }
    b[pos] = proto;  // Fragment header
    uint16_t fo = static_cast<uint16_t>((offset / 8) << 3 | (mf ? 1 : 0));
    b[pos + 2] = static_cast<uint8_t>(fo >> 8);
    b[pos + 3] = static_cast<uint8_t>(fo);
    b[pos + 4] = static_cast<uint8_t>(id >> 24);
    b[pos + 5] = static_cast<uint8_t>(id >> 16);
    b[pos + 6] = static_cast<uint8_t>(id >> 8);
    b[pos + 7] = static_cast<uint8_t>(id);
    if (len) std::memcpy(&b[pos + 8], data, len);
    Packet p = Base(b, 6, src6, dst6, 0);
    p.frag.id = id;
    p.frag.offset = offset;
    p.frag.more_fragments = mf;
    p.frag.next_proto = proto;
    p.frag.ip_header = b.data();
    p.frag.ip_header_len = static_cast<uint16_t>(pos + (include_frag_header ? 8 : 0));
    p.frag.data = b.data() + pos + 8;
    p.frag.data_len = len;
    return p;
  }

 private:
  Packet Base(const std::vector<uint8_t>& b, uint8_t version, IpAddress s, IpAddress d,
              uint16_t vlan) {
    Packet p;
    p.data = b.data();
    p.caplen = p.wirelen = static_cast<uint32_t>(b.size());
    p.ts = ts;
    p.ip_version = version;
    p.src = s;
    p.dst = d;
    p.ip_proto = version == 4 ? proto : 44;
    p.l3 = b.data();
    p.l3_len = static_cast<uint32_t>(b.size());
    p.is_fragment = true;
    p.decoded = true;
    if (vlan) {
      p.vlan_count = 1;
      p.vlan[0] = vlan;
    }
    return p;
  }

  std::deque<std::vector<uint8_t>> store_;  // keeps every packet's bytes alive
};

}  // namespace vigil::sensor::testing
