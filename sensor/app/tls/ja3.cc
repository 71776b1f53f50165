#include "sensor/app/tls/ja3.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace vigil::sensor {
namespace {

template <typename T>
void AppendList(std::string& out, const std::vector<T>& v, bool skip_grease) {
  bool first = true;
  for (T x : v) {
    if (skip_grease && IsGrease(static_cast<uint16_t>(x))) continue;
    if (!first) out.push_back('-');
    out += std::to_string(static_cast<unsigned>(x));
    first = false;
  }
}

std::string DigestHex(std::string_view data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (unsigned i = 0; i < n; ++i) {
    s.push_back(kHex[out[i] >> 4]);
    s.push_back(kHex[out[i] & 0xf]);
  }
  return s;
}

void Hex4(std::string& out, uint16_t v) {
  char b[5];
  std::snprintf(b, sizeof(b), "%04x", v);
  out.append(b, 4);
}

std::string Ja4Version(const ClientHello& ch) {
  uint16_t v = 0;
  for (uint16_t s : ch.supported_versions) {
    if (!IsGrease(s)) v = std::max(v, s);
  }
  if (v == 0) v = ch.legacy_version;
  switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    default: return "00";
  }
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string Md5Hex(std::string_view data) { return DigestHex(data, EVP_md5()); }
std::string Sha256Hex(std::string_view data) { return DigestHex(data, EVP_sha256()); }

std::string Ja3String(const ClientHello& ch) {
  std::string s = std::to_string(ch.legacy_version);
  s.push_back(',');
  AppendList(s, ch.cipher_suites, true);
  s.push_back(',');
  AppendList(s, ch.extensions, true);
  s.push_back(',');
  AppendList(s, ch.supported_groups, true);
  s.push_back(',');
  AppendList(s, ch.ec_point_formats, false);
  return s;
}

std::string Ja3sString(const ServerHello& sh) {
  std::string s = std::to_string(sh.legacy_version);
  s.push_back(',');
  s += std::to_string(sh.cipher_suite);
  s.push_back(',');
  AppendList(s, sh.extensions, true);
  return s;
}

std::string Ja4(const ClientHello& ch) {
  std::vector<uint16_t> ciphers, exts;
  for (uint16_t c : ch.cipher_suites) {
    if (!IsGrease(c)) ciphers.push_back(c);
  }
  size_t ext_count = 0;
  for (uint16_t e : ch.extensions) {
    if (IsGrease(e)) continue;
    ++ext_count;
    if (e != 0x0000 && e != 0x0010) exts.push_back(e);
  }
  std::string a = "t";
  a += Ja4Version(ch);
  a.push_back(ch.sni.empty() ? 'i' : 'd');
  char counts[8];
  std::snprintf(counts, sizeof(counts), "%02zu%02zu", std::min<size_t>(ciphers.size(), 99),
                std::min<size_t>(ext_count, 99));
  a += counts;
  if (ch.alpn.empty() || ch.alpn.front().empty()) {
    a += "00";
  } else {
    const std::string& p = ch.alpn.front();
    char f = p.front(), l = p.back();
    if (IsAlnum(f) && IsAlnum(l)) {
      a.push_back(f);
      a.push_back(l);
    } else {
      // Non-alphanumeric: first hex digit of the first byte and last of the last byte.
      static constexpr char kHex[] = "0123456789abcdef";
      a.push_back(kHex[static_cast<uint8_t>(f) >> 4]);
      a.push_back(kHex[static_cast<uint8_t>(l) & 0xf]);
    }
  }
  std::sort(ciphers.begin(), ciphers.end());
  std::sort(exts.begin(), exts.end());
  std::string b, c;
  for (size_t i = 0; i < ciphers.size(); ++i) {
    if (i) b.push_back(',');
    Hex4(b, ciphers[i]);
  }
  for (size_t i = 0; i < exts.size(); ++i) {
    if (i) c.push_back(',');
    Hex4(c, exts[i]);
  }
  if (!ch.signature_algorithms.empty()) {
    c.push_back('_');
    for (size_t i = 0; i < ch.signature_algorithms.size(); ++i) {
      if (i) c.push_back(',');
      Hex4(c, ch.signature_algorithms[i]);
    }
  }
  std::string hb = ciphers.empty() ? std::string(12, '0') : Sha256Hex(b).substr(0, 12);
  std::string hc = exts.empty() ? std::string(12, '0') : Sha256Hex(c).substr(0, 12);
  return a + "_" + hb + "_" + hc;
}

}  // namespace vigil::sensor
