// URI and host normalisation for HTTP: how `http.uri` and `http.host` are derived from the raw
// request target and Host header, following libhtp (Suricata's HTTP library) semantics.
//
// `http.uri` = normalised path + "?" + query (valid %XX decoded, as libhtp's normalised URI;
// '+' kept) (+ "#" + raw fragment). For an absolute-form
// target ("http://host:81/a") the scheme and authority are left out, as with Suricata's default
// uri-include-all: no. The path is percent-decoded (all %XX, not only unreserved characters, as
// libhtp does), %uXXXX-decoded, backslashes become slashes, "//" is compressed and dot segments
// are removed; each step is a switch in UriNormalizeConfig.
//
//   std::string uri;
//   UriFlags f = NormalizeUri("/a/./b/../%63%2F/x?q=%41", cfg.uri, uri);  // uri == "/a/c/x?q=A"
//
// The host is lowercased, its port stripped and trailing dots removed:
//   HostPort hp = SplitHostPort("WWW.Example.COM.:8080");  // host "WWW.Example.COM.", port 8080
//   NormalizeHost(hp.host, out);                            // "www.example.com"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sensor/app/http/http_config.h"

namespace vigil::sensor {

// The parts of a request target. `authority` is set only for the absolute form.
struct UriParts {
  std::string_view scheme;
  std::string_view authority;  // userinfo stripped
  std::string_view path;
  std::string_view query;      // without '?'
  std::string_view fragment;   // without '#'
  bool has_query = false;
  bool has_fragment = false;
};

UriParts SplitUri(std::string_view raw);

struct UriFlags {
  bool double_encoded = false;  // "%25" followed by two hex digits in the path
  bool invalid_encoding = false;
};

// Writes the normalised URI of `raw` into `out` (cleared first).
UriFlags NormalizeUri(std::string_view raw, const UriNormalizeConfig& cfg, std::string& out);

// Normalises a path alone (decoding, separators, dot segments); appends to `out`.
void NormalizePath(std::string_view path, const UriNormalizeConfig& cfg, std::string& out,
                   UriFlags& flags);

// RFC 3986 remove_dot_segments on `path`, in place.
void RemoveDotSegments(std::string& path);

struct HostPort {
  std::string_view host;  // without brackets for IPv6 literals
  std::optional<uint16_t> port;
  bool port_invalid = false;  // a port was given but is not 1..65535
  bool host_invalid = false;  // empty, or characters no host name has
};

// Splits "host", "host:port", "[v6]" or "[v6]:port" (surrounding whitespace ignored).
HostPort SplitHostPort(std::string_view authority);

// Lowercases and removes trailing dots; writes into `out` (cleared first).
void NormalizeHost(std::string_view host, std::string& out);

// Case-insensitive ASCII comparison.
bool EqualsNoCase(std::string_view a, std::string_view b);

}  // namespace vigil::sensor
