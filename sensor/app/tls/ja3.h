// TLS client/server fingerprints: JA3 and JA3S (Salesforce) with their MD5, and JA4 (FoxIO).
//
// JA3 = "SSLVersion,Ciphers,Extensions,EllipticCurves,EcPointFormats": decimal values, list items
// joined by '-', GREASE values (RFC 8701) left out of every list. JA3S = "SSLVersion,Cipher,
// Extensions" of the ServerHello. The hash is the lowercase hex MD5 of the string (OpenSSL).
// JA4 = "t" + version + ("d"|"i") + cipher count + extension count + ALPN first/last char, "_",
// the first 12 hex digits of SHA-256 over the sorted ciphers, "_", and of SHA-256 over the sorted
// extensions (without SNI and ALPN) + "_" + signature algorithms in order.
//
//   std::string s = Ja3String(ch);          // "771,4865-4866,0-10-11,29-23,0"
//   std::string h = Md5Hex(s);              // 32 hex digits
#pragma once

#include <string>
#include <string_view>

#include "sensor/app/tls/tls_hello.h"

namespace vigil::sensor {

std::string Ja3String(const ClientHello& ch);
std::string Ja3sString(const ServerHello& sh);
std::string Ja4(const ClientHello& ch);

// Lowercase hex digests (OpenSSL EVP).
std::string Md5Hex(std::string_view data);
std::string Sha256Hex(std::string_view data);

}  // namespace vigil::sensor
