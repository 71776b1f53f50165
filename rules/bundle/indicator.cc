#include "rules/bundle/indicator.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace vigil::rules {
namespace {

constexpr std::array<std::string_view, 9> kTypeNames = {"ip",  "cidr", "domain", "url",   "sni",
                                                         "ja3", "md5",  "sha1",   "sha256"};
constexpr size_t kMaxValue = 2048;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

// A DNS name: labels of letters, digits, '-', '_' (seen in malware domains), 1..63 bytes each.
bool IsDomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

void ClearHostBits(IpAddress& a, uint8_t prefix) {
  const size_t bits = a.size() * 8;
  for (size_t b = prefix; b < bits; ++b) a.bytes[b / 8] &= static_cast<uint8_t>(~(0x80u >> (b % 8)));
}

Status ParseAddress(std::string_view text, bool cidr, Indicator& out) {
  std::string_view addr = text;
  int prefix = -1;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (!cidr) return Error(ErrorCode::kParse, "an ip indicator has no prefix (use cidr)");
    addr = text.substr(0, slash);
    std::string_view len = text.substr(slash + 1);
    auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
    if (ec != std::errc() || p != len.data() + len.size()) {
      return Error(ErrorCode::kParse, fmt::format("bad prefix length '{}'", len));
    }
  } else if (cidr) {
    return Error(ErrorCode::kParse, "a cidr indicator needs /prefix");
  }
  auto ip = IpAddress::Parse(addr);
  if (!ip) return Error(ErrorCode::kParse, fmt::format("bad address '{}'", addr));
  const int max = ip->is_v4() ? 32 : 128;
  if (prefix < 0) prefix = max;
  if (prefix > max) return Error(ErrorCode::kParse, fmt::format("prefix /{} too long", prefix));
  out.address = *ip;
  out.prefix = static_cast<uint8_t>(prefix);
  ClearHostBits(out.address, out.prefix);
  out.value = cidr ? fmt::format("{}/{}", out.address.ToString(), prefix) : out.address.ToString();
  return Ok();
}

Status Normalise(std::string_view value, Indicator& out) {
  switch (out.type) {
    case IndicatorType::kIp:
      return ParseAddress(value, false, out);
    case IndicatorType::kCidr:
      return ParseAddress(value, true, out);
    case IndicatorType::kDomain:
    case IndicatorType::kSni: {
      std::string v = Lower(value);
      while (!v.empty() && v.back() == '.') v.pop_back();
      if (!IsDomain(v)) return Error(ErrorCode::kParse, fmt::format("bad name '{}'", value));
      out.value = std::move(v);
      return Ok();
    }
    case IndicatorType::kUrl:
      out.value = std::string(value);
      return Ok();
    case IndicatorType::kJa3:
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256: {
      const size_t want = out.type == IndicatorType::kSha1     ? 40
                          : out.type == IndicatorType::kSha256 ? 64
                                                               : 32;
      if (value.size() != want || !IsHex(value)) {
        return Error(ErrorCode::kParse, fmt::format("{} needs {} hex digits",
                                                    IndicatorTypeName(out.type), want));
      }
      out.value = Lower(value);
      return Ok();
    }
  }
  return Error(ErrorCode::kInternal, "unknown indicator type");
}

}  // namespace

std::string_view IndicatorTypeName(IndicatorType t) {
  return kTypeNames[static_cast<size_t>(t)];
}

Result<Indicator> ParseIndicator(std::string_view line) {
  Indicator ind;
  if (const size_t hash = line.find(" #"); hash != std::string_view::npos) {
    ind.note = std::string(Trim(line.substr(hash + 2)));
    line = line.substr(0, hash);
  }
  line = Trim(line);
  const size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) {
    return Error(ErrorCode::kParse, "expected '<type> <value>'");
  }
  const std::string type = Lower(line.substr(0, sp));
  const std::string_view value = Trim(line.substr(sp + 1));
  if (value.empty() || value.size() > kMaxValue) {
    return Error(ErrorCode::kParse, value.empty() ? "empty value" : "value too long");
  }
  if (value.find_first_of(" \t") != std::string_view::npos) {
    return Error(ErrorCode::kParse, "value contains white space");
  }
  size_t i = 0;
  while (i < kTypeNames.size() && kTypeNames[i] != type) ++i;
  if (i == kTypeNames.size()) {
    return Error(ErrorCode::kParse,
                 fmt::format("unknown indicator type '{}' (ip cidr domain url sni ja3 md5 sha1 "
                             "sha256)", type));
  }
  ind.type = static_cast<IndicatorType>(i);
  VIGIL_CHECK_OK(Normalise(value, ind));
  return ind;
}

IndicatorParse ParseIndicators(std::string_view text) {
  IndicatorParse out;
  uint32_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    const std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;
    auto ind = ParseIndicator(t);
    if (!ind) {
      out.errors.push_back({line_no, ind.error().message});
      continue;
    }
    out.indicators.push_back(std::move(*ind));
  }
  return out;
}

}  // namespace vigil::rules
