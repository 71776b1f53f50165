#include "sensor/app/http/uri_normalizer.h"

#include <cstddef>

namespace vigil::sensor {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Appends one decoded path byte, applying the separator switches.
void PutPathByte(char c, const UriNormalizeConfig& cfg, std::string& out) {
  if (cfg.backslash_to_slash && c == '\\') c = '/';
  if (cfg.lowercase) c = ToLower(c);
  if (c == '/' && cfg.compress_separators && !out.empty() && out.back() == '/') return;
  out.push_back(c);
}

// %uXXXX as IIS decodes it, reduced to one byte the way libhtp's best-fit mapping does for the
// cases that matter to detection: Latin-1 as is, fullwidth ASCII (U+FF01..U+FF5E) to ASCII.
char UDecode(unsigned code) {
  if (code < 0x100) return static_cast<char>(code);
  if (code >= 0xFF01 && code <= 0xFF5E) return static_cast<char>(code - 0xFEE0);
  return '?';
}

}  // namespace

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

UriParts SplitUri(std::string_view raw) {
  UriParts p;
  std::string_view rest = raw;
  // Absolute form: scheme "://" authority. The scheme is letters, digits, '+', '-', '.'.
  size_t colon = rest.find("://");
  if (colon != std::string_view::npos && colon > 0) {
    bool scheme_ok = true;
    for (size_t i = 0; i < colon; ++i) {
      char c = rest[i];
      bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alpha && !(i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
        scheme_ok = false;
        break;
      }
    }
    if (scheme_ok) {
      p.scheme = rest.substr(0, colon);
      rest.remove_prefix(colon + 3);
      size_t end = rest.find_first_of("/?#");
      if (end == std::string_view::npos) end = rest.size();
      std::string_view auth = rest.substr(0, end);
      size_t at = auth.rfind('@');
      if (at != std::string_view::npos) auth.remove_prefix(at + 1);
      p.authority = auth;
      rest.remove_prefix(end);
    }
  }
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    p.fragment = rest.substr(hash + 1);
    p.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    p.query = rest.substr(q + 1);
    p.has_query = true;
    rest = rest.substr(0, q);
  }
  p.path = rest;
  return p;
}

void NormalizePath(std::string_view path, const UriNormalizeConfig& cfg, std::string& out,
                   UriFlags& flags) {
  size_t start = out.size();
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c != '%' || !cfg.decode_percent) {
      PutPathByte(c, cfg, out);
      continue;
    }
    // %uXXXX
    if (i + 5 < path.size() && (path[i + 1] == 'u' || path[i + 1] == 'U')) {
      int h1 = HexValue(path[i + 2]), h2 = HexValue(path[i + 3]);
      int h3 = HexValue(path[i + 4]), h4 = HexValue(path[i + 5]);
      if (cfg.decode_u_encoding && h1 >= 0 && h2 >= 0 && h3 >= 0 && h4 >= 0) {
        unsigned code = static_cast<unsigned>((h1 << 12) | (h2 << 8) | (h3 << 4) | h4);
        PutPathByte(UDecode(code), cfg, out);
        i += 5;
        continue;
      }
    }
    if (i + 2 < path.size()) {
      int hi = HexValue(path[i + 1]), lo = HexValue(path[i + 2]);
      if (hi >= 0 && lo >= 0) {
        char d = static_cast<char>((hi << 4) | lo);
        if (d == '%' && i + 4 < path.size() && HexValue(path[i + 3]) >= 0 &&
            HexValue(path[i + 4]) >= 0) {
          flags.double_encoded = true;
        }
        if (d == '/' && !cfg.decode_separators) {
          out.append(path.substr(i, 3));
        } else {
          PutPathByte(d, cfg, out);
        }
        i += 2;
        continue;
      }
    }
    // Invalid encoding: kept as is (libhtp's "preserve" default).
    flags.invalid_encoding = true;
    PutPathByte(c, cfg, out);
  }
  if (cfg.remove_dot_segments && out.size() > start) {
    std::string tail = out.substr(start);
    RemoveDotSegments(tail);
    out.resize(start);
    out += tail;
  }
}

void RemoveDotSegments(std::string& path) {
  if (path.empty()) return;
  std::string_view p = path;
  std::string res;
  res.reserve(p.size() + 1);
  bool absolute = p[0] == '/';
  size_t i = absolute ? 1 : 0;
  bool trailing = false;  // the last segment was "." or "..": the result ends with '/'
  while (true) {
    size_t j = p.find('/', i);
    bool last = j == std::string_view::npos;
    if (last) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    if (seg == ".") {
      trailing = true;
    } else if (seg == "..") {
      size_t k = res.rfind('/');
      res.resize(k == std::string::npos ? 0 : k);
      trailing = true;
    } else {
      res.push_back('/');
      res.append(seg);
      trailing = false;
    }
    if (last) break;
    i = j + 1;
  }
  if (trailing) res.push_back('/');
  if (!absolute && !res.empty() && res[0] == '/') res.erase(0, 1);
  path.swap(res);
}

// libhtp url-decodes the query of the normalised URI too (valid %XX only; '+' is kept).
void AppendQuery(std::string_view q, const UriNormalizeConfig& cfg, std::string& out) {
  for (size_t i = 0; i < q.size(); ++i) {
    if (cfg.decode_percent && q[i] == '%' && i + 2 < q.size()) {
      int hi = HexValue(q[i + 1]), lo = HexValue(q[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(q[i]);
  }
}

UriFlags NormalizeUri(std::string_view raw, const UriNormalizeConfig& cfg, std::string& out) {
  out.clear();
  UriFlags flags;
  UriParts parts = SplitUri(raw);
  NormalizePath(parts.path, cfg, out, flags);
  if (parts.has_query) {
    out.push_back('?');
    AppendQuery(parts.query, cfg, out);
  }
  if (parts.has_fragment) {
    out.push_back('#');
    out.append(parts.fragment);
  }
  return flags;
}

HostPort SplitHostPort(std::string_view a) {
  HostPort hp;
  while (!a.empty() && (a.front() == ' ' || a.front() == '\t')) a.remove_prefix(1);
  while (!a.empty() && (a.back() == ' ' || a.back() == '\t')) a.remove_suffix(1);
  std::string_view port;
  bool has_port = false;
  if (!a.empty() && a[0] == '[') {
    size_t close = a.find(']');
    if (close == std::string_view::npos) {
      hp.host = a;
      hp.host_invalid = true;
      return hp;
    }
    hp.host = a.substr(1, close - 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') hp.host_invalid = true;
      port = rest.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = a.rfind(':');
    if (colon != std::string_view::npos) {
      hp.host = a.substr(0, colon);
      port = a.substr(colon + 1);
      has_port = true;
    } else {
      hp.host = a;
    }
  }
  if (has_port) {
    uint32_t v = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    if (ok && v >= 1 && v <= 65535) {
      hp.port = static_cast<uint16_t>(v);
    } else {
      hp.port_invalid = true;
    }
  }
  if (hp.host.empty()) hp.host_invalid = true;
  for (char c : hp.host) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '/' || c == '\\' || c == '@' || c == '?' || c == '#' ||
        c == '"' || c == '<' || c == '>') {
      hp.host_invalid = true;
      break;
    }
  }
  return hp;
}

void NormalizeHost(std::string_view host, std::string& out) {
  out.clear();
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  out.reserve(host.size());
  for (char c : host) out.push_back(ToLower(c));
}

}  // namespace vigil::sensor
