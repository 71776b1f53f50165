// Indicator: one item of an indicator list (IP address or CIDR, domain, URL, TLS SNI, JA3 hash,
// file hash) as the national center publishes them in bundles.
//
// Text form, one per line (blank lines and `#` comments skipped):
//   ip 198.51.100.7            cidr 203.0.113.0/24         domain evil.example
//   url http://evil.example/x  sni c2.example              ja3 e7d705a3286e19ea42f587b344ee6865
//   md5 <32 hex>  sha1 <40 hex>  sha256 <64 hex>
// An optional trailing `# note` is kept as the indicator's note (shown in alerts).
//
//   IndicatorParse p = ParseIndicators(text);          // never fails as a whole
//   for (const LineError& e : p.errors) log("line {}: {}", e.line, e.reason);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"

namespace vigil::rules {

enum class IndicatorType : uint8_t { kIp, kCidr, kDomain, kUrl, kSni, kJa3, kMd5, kSha1, kSha256 };

std::string_view IndicatorTypeName(IndicatorType t);

struct Indicator {
  IndicatorType type = IndicatorType::kIp;
  std::string value;    // normalised: lowercase domains/hashes, canonical address text
  std::string note;     // free text after `#`, may be empty
  IpAddress address;    // kIp, kCidr: network address (host bits cleared)
  uint8_t prefix = 0;   // kIp: 32 or 128; kCidr: the prefix length
};

struct LineError {
  uint32_t line = 0;
  std::string reason;
};

struct IndicatorParse {
  std::vector<Indicator> indicators;
  std::vector<LineError> errors;  // lines skipped, with the reason
};

// Parses an indicator list. Bad lines are skipped and reported; the rest are kept.
IndicatorParse ParseIndicators(std::string_view text);

// Parses one indicator ("domain evil.example"); the error names the reason.
Result<Indicator> ParseIndicator(std::string_view line);

}  // namespace vigil::rules
