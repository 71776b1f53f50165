#include "tools/synth/der_certificate.h"

#include <ctime>
#include <initializer_list>

namespace vigil::synth {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Tlv(uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n < 0x100) {
    out.push_back(0x81);
    out.push_back(static_cast<uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<uint8_t>(n >> 8));
    out.push_back(static_cast<uint8_t>(n));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes Seq(std::initializer_list<Bytes> parts) { return Tlv(0x30, Cat(parts)); }
Bytes Str(uint8_t tag, std::string_view s) { return Tlv(tag, Bytes(s.begin(), s.end())); }

// A positive DER INTEGER of n random bytes (leading bit cleared, first byte non-zero).
Bytes RandomInteger(Rng& rng, size_t n) {
  Bytes v(n);
  rng.Fill(v.data(), n);
  v[0] = static_cast<uint8_t>((v[0] & 0x7F) | 0x01);
  return Tlv(0x02, v);
}

Bytes Name(std::string_view cn) {
  const Bytes oid_o = {0x06, 0x03, 0x55, 0x04, 0x0A};
  const Bytes oid_cn = {0x06, 0x03, 0x55, 0x04, 0x03};
  return Seq({Tlv(0x31, Seq({oid_o, Str(0x0C, "Vigil Synthetic")})),
              Tlv(0x31, Seq({oid_cn, Str(0x0C, cn)}))});
}

Bytes UtcTime(int64_t epoch_s) {
  const time_t t = static_cast<time_t>(epoch_s);
  tm parts{};
  gmtime_r(&t, &parts);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &parts);
  return Str(0x17, buf);
}

}  // namespace

void WriteSelfSignedCertificate(Rng& rng, std::string_view host, int64_t not_before_s,
                                std::vector<uint8_t>& out) {
  const Bytes ecdsa_sha256 = Seq({{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02}});
  const Bytes ec_public_key = {0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
  const Bytes prime256v1 = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
  const Bytes oid_san = {0x06, 0x03, 0x55, 0x1D, 0x11};

  Bytes point(66);  // BIT STRING: 0 unused bits, 0x04 (uncompressed), X, Y
  rng.Fill(point.data() + 2, 64);
  point[0] = 0x00;
  point[1] = 0x04;
  const Bytes spki = Seq({Seq({ec_public_key, prime256v1}), Tlv(0x03, point)});
  const Bytes san = Seq({oid_san, Tlv(0x04, Seq({Str(0x82, host)}))});
  const int64_t start = not_before_s - static_cast<int64_t>(rng.Range(1, 300)) * 86400;
  const Bytes tbs = Seq({
      Tlv(0xA0, Tlv(0x02, {0x02})),  // version v3
      RandomInteger(rng, 16),        // serial
      ecdsa_sha256,
      Name(host),                    // issuer (self-signed)
      Seq({UtcTime(start), UtcTime(start + 398 * 86400)}),
      Name(host),                    // subject
      spki,
      Tlv(0xA3, Seq({san})),         // extensions
  });
  Bytes sig = Seq({RandomInteger(rng, 32), RandomInteger(rng, 32)});
  sig.insert(sig.begin(), 0x00);  // BIT STRING unused-bits octet
  out = Seq({tbs, ecdsa_sha256, Tlv(0x03, sig)});
}

}  // namespace vigil::synth
