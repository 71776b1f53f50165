#include "core/community_id.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace vigil {
namespace {

constexpr uint8_t kIcmp = 1;
constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kIcmp6 = 58;
constexpr uint8_t kSctp = 132;

// Request/reply counterparts from the spec; -1 = one-way type.
int IcmpCounterpart(uint8_t type) {
  switch (type) {
    case 8: return 0;     // echo -> echo reply
    case 0: return 8;
    case 13: return 14;   // timestamp
    case 14: return 13;
    case 15: return 16;   // information
    case 16: return 15;
    case 10: return 9;    // router solicitation -> advertisement
    case 9: return 10;
    case 17: return 18;   // address mask
    case 18: return 17;
    default: return -1;
  }
}

int Icmp6Counterpart(uint8_t type) {
  switch (type) {
    case 128: return 129;  // echo request -> reply
    case 129: return 128;
    case 130: return 131;  // MLD listener query -> report
    case 131: return 130;
    case 133: return 134;  // router solicitation -> advertisement
    case 134: return 133;
    case 135: return 136;  // neighbour solicitation -> advertisement
    case 136: return 135;
    case 139: return 140;  // node information query -> response
    case 140: return 139;
    case 144: return 145;  // home agent address discovery request -> reply
    case 145: return 144;
    default: return -1;
  }
}

}  // namespace

Status CommunityIdV1(const IpAddress& src, const IpAddress& dst, uint8_t proto, uint16_t sport,
                     uint16_t dport, uint16_t seed, char* out) {
  if (src.family == 0 || src.family != dst.family) {
    return Error(ErrorCode::kInvalidArgument, "community id: addresses unset or of mixed families");
  }
  const size_t alen = src.size();
  bool has_ports = proto == kTcp || proto == kUdp || proto == kSctp || proto == kIcmp ||
                   proto == kIcmp6;
  bool one_way = false;
  if (proto == kIcmp || proto == kIcmp6) {
    // sport carries the ICMP type, dport the code.
    int peer = proto == kIcmp ? IcmpCounterpart(static_cast<uint8_t>(sport))
                              : Icmp6Counterpart(static_cast<uint8_t>(sport));
    if (peer >= 0) {
      dport = static_cast<uint16_t>(peer);
    } else {
      one_way = true;
    }
  }
  if (!has_ports) {
    sport = 0;
    dport = 0;
  }
  const IpAddress* a = &src;
  const IpAddress* b = &dst;
  int cmp = std::memcmp(src.data(), dst.data(), alen);
  if (!(one_way || cmp < 0 || (cmp == 0 && sport < dport))) {
    std::swap(a, b);
    std::swap(sport, dport);
  }

  uint8_t buf[2 + 16 + 16 + 2 + 4];
  size_t n = 0;
  buf[n++] = static_cast<uint8_t>(seed >> 8);
  buf[n++] = static_cast<uint8_t>(seed);
  std::memcpy(buf + n, a->data(), alen);
  n += alen;
  std::memcpy(buf + n, b->data(), alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;
  if (has_ports) {
    buf[n++] = static_cast<uint8_t>(sport >> 8);
    buf[n++] = static_cast<uint8_t>(sport);
    buf[n++] = static_cast<uint8_t>(dport >> 8);
    buf[n++] = static_cast<uint8_t>(dport);
  }
  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(buf, n, digest);
  // 20 bytes -> 28 base64 characters + NUL written by EVP_EncodeBlock.
  unsigned char b64[32];
  int len = EVP_EncodeBlock(b64, digest, SHA_DIGEST_LENGTH);
  if (len != 28) return Error(ErrorCode::kInternal, "community id: base64 failed");
  out[0] = '1';
  out[1] = ':';
  std::memcpy(out + 2, b64, 28);
  return Ok();
}

Result<std::string> CommunityIdV1String(const IpAddress& src, const IpAddress& dst, uint8_t proto,
                                        uint16_t sport, uint16_t dport, uint16_t seed) {
  std::string s(kCommunityIdLength, '\0');
  VIGIL_CHECK_OK(CommunityIdV1(src, dst, proto, sport, dport, seed, s.data()));
  return s;
}

}  // namespace vigil
