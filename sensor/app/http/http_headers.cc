// HttpParser: header lines (folding, duplicates, limits) and what the end of a header block
// decides (host, body framing, decompression, 1xx / protocol switch handling).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/app/http/http_parser.h"
#include "sensor/app/http/uri_normalizer.h"

namespace vigil::sensor {
namespace {

bool IsWs(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view v) {
  while (!v.empty() && IsWs(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsWs(v.back())) v.remove_suffix(1);
  return v;
}

// Content-Length: decimal digits with optional surrounding whitespace. For a joined duplicate
// ("10, 10") the first value is used (its duplication is raised separately).
std::optional<uint64_t> ParseContentLength(std::string_view v) {
  if (size_t comma = v.find(','); comma != std::string_view::npos) v = v.substr(0, comma);
  v = Trim(v);
  if (v.empty() || v.size() > 18) return std::nullopt;
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

// True when the comma-separated list holds the token (case-insensitive).
bool HasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (EqualsNoCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive comparison that skips NUL bytes in `a` (libhtp's "nocasenorzero"), so
// "Transfer\0-Encoding" names the header and "chun\0ked" is chunked. `b` is lower case.
// EqualsNoCaseNorZero also lets `a` end in whitespace.
bool StartsNoCaseNorZero(std::string_view a, std::string_view b, size_t* used = nullptr) {
  size_t i = 0, j = 0;
  while (j < b.size()) {
    while (i < a.size() && a[i] == '\0') ++i;
    if (i == a.size() || Lower(a[i]) != b[j]) return false;
    ++i;
    ++j;
  }
  if (used != nullptr) *used = i;
  return true;
}

bool EqualsNoCaseNorZero(std::string_view a, std::string_view b) {
  size_t used = 0;
  if (!StartsNoCaseNorZero(a, b, &used)) return false;
  for (; used < a.size(); ++used) {
    char c = a[used];
    if (c != '\0' && c != ' ' && c != '\t' && c != '\v' && c != '\f') return false;
  }
  return true;
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i < hay.size(); ++i) {
    if (StartsNoCaseNorZero(hay.substr(i), needle)) return true;
  }
  return false;
}

// A response header by name, NUL bytes and trailing whitespace (VT, FF too) in it ignored.
const HttpHeader* FindNoCaseNorZero(const std::vector<HttpHeader>& hs, std::string_view lower) {
  for (const HttpHeader& h : hs) {
    if (EqualsNoCaseNorZero(h.name, lower)) return &h;
  }
  return nullptr;
}

// The coding to undo for a Content-Encoding value. Like libhtp, the value is read as a list of
// tokens separated by commas, semicolons and whitespace, NUL bytes ignored (so "x gzip", ": gzip",
// "identity, gzip", "gz\0ip", "deflate;" and a joined duplicate "gzip, gzip" all decode); the first gzip/x-gzip/deflate/x-deflate token picks the
// decoder, other tokens (identity, unknown, lzma) are ignored. One layer is decoded.
std::optional<BodyDecompressor::Kind> ContentCoding(std::string_view v) {
  size_t i = 0;
  while (i < v.size()) {
    auto sep = [](char c) {
      return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
             c == '\v' || c == '\f';
    };
    while (i < v.size() && sep(v[i])) ++i;
    size_t j = i;
    while (j < v.size() && !sep(v[j])) ++j;
    std::string_view tok = v.substr(i, j - i);
    if (EqualsNoCaseNorZero(tok, "gzip") || EqualsNoCaseNorZero(tok, "x-gzip")) {
      return BodyDecompressor::Kind::kGzip;
    }
    if (EqualsNoCaseNorZero(tok, "deflate") || EqualsNoCaseNorZero(tok, "x-deflate")) {
      return BodyDecompressor::Kind::kDeflate;
    }
    i = j;
  }
  return std::nullopt;
}

std::string_view Value(const HttpHeader* h) { return h != nullptr ? std::string_view(h->value) : std::string_view(); }

}  // namespace

void HttpParser::HandleHeaderLine(Side& s, std::string_view raw, bool truncated) {
  HttpTransaction& tx = *s.tx;
  std::string& rawbuf = s.request ? tx.request_header_raw : tx.response_header_raw;
  std::string_view line = StripEol(raw);
  s.header_bytes += raw.size();
  if (s.header_bytes <= cfg_.max_header_bytes) {
    rawbuf.append(raw);
  } else if (!s.header_bytes_exceeded) {
    s.header_bytes_exceeded = true;
    Raise(s, &tx, HttpEvent::kRequestFieldTooLong, HttpEvent::kResponseFieldTooLong);
  }
  if (line.empty() && !truncated) {
    if (s.request) {
      FinishRequestHeaders(s);
    } else {
      FinishResponseHeaders(s);
    }
    return;
  }
  if (truncated) Raise(s, &tx, HttpEvent::kRequestFieldTooLong, HttpEvent::kResponseFieldTooLong);
  if (s.header_bytes_exceeded || line.empty()) return;

  std::vector<HttpHeader>& hs = s.request ? tx.request_headers : tx.response_headers;
  if (IsWs(line[0])) {
    // obs-fold: the line continues the previous header's value.
    if (!s.have_last_header) {
      Raise(s, &tx, HttpEvent::kInvalidRequestFieldFolding, HttpEvent::kInvalidResponseFieldFolding);
      return;
    }
    std::string_view more = Trim(line);
    if (!more.empty()) {
      std::string& v = hs[s.last_header].value;
      if (!v.empty()) v.push_back(' ');
      v.append(more);
    }
    return;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    Raise(s, &tx, HttpEvent::kRequestFieldMissingColon, HttpEvent::kResponseFieldMissingColon);
    s.have_last_header = false;
    return;
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = Trim(line.substr(colon + 1));
  bool invalid = false;
  if (!name.empty() && IsWs(name.back())) {
    invalid = true;  // "Name : value" — servers disagree on this, which is the point
    name = Trim(name);
  }
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) invalid = true;
  }
  if (name.empty()) invalid = true;
  if (invalid) Raise(s, &tx, HttpEvent::kRequestHeaderInvalid, HttpEvent::kResponseHeaderInvalid);
  if (name.empty()) {
    s.have_last_header = false;
    return;
  }
  if (++s.header_count > cfg_.max_header_count) {
    if (!s.header_count_exceeded) {
      s.header_count_exceeded = true;
      Raise(s, &tx, HttpEvent::kRequestTooManyHeaders, HttpEvent::kResponseTooManyHeaders);
    }
    s.have_last_header = false;
    return;
  }
  AddHeader(s, name, value);
}

void HttpParser::AddHeader(Side& s, std::string_view name, std::string_view value) {
  HttpTransaction& tx = *s.tx;
  std::vector<HttpHeader>& hs = s.request ? tx.request_headers : tx.response_headers;
  for (size_t i = 0; i < hs.size(); ++i) {
    if (!EqualsNoCase(hs[i].name, name)) continue;
    // Repeated header: joined with ", " as libhtp does, so http.header shows one line.
    if (EqualsNoCase(name, "Content-Length")) {
      Raise(s, &tx, HttpEvent::kDuplicateContentLengthFieldInRequest,
            HttpEvent::kDuplicateContentLengthFieldInResponse);
    }
    hs[i].value.append(", ");
    hs[i].value.append(value);
    s.last_header = i;
    s.have_last_header = true;
    return;
  }
  tx.AppendHeader(hs, name, value);
  s.last_header = hs.size() - 1;
  s.have_last_header = true;
}

void HttpParser::FinishRequestHeaders(Side& s) {
  HttpTransaction& tx = *s.tx;
  tx.user_agent = Value(tx.FindRequestHeader("User-Agent"));
  tx.cookie = Value(tx.FindRequestHeader("Cookie"));
  tx.request_content_type = Value(tx.FindRequestHeader("Content-Type"));
  tx.referer = Value(tx.FindRequestHeader("Referer"));
  tx.xff = Value(tx.FindRequestHeader("X-Forwarded-For"));

  // Host: the URI's authority wins (absolute form), else the Host header.
  UriParts parts = SplitUri(tx.uri_raw);
  const HttpHeader* host = tx.FindRequestHeader("Host");
  if (!parts.authority.empty()) {
    HostPort hp = SplitHostPort(parts.authority);
    NormalizeHost(hp.host, tx.host);
    tx.host_port = hp.port;
    if (hp.port_invalid) Raise(&tx, Direction::kToServer, HttpEvent::kInvalidAuthorityPort);
  }
  if (host != nullptr) {
    tx.host_raw = host->value;
    HostPort hp = SplitHostPort(host->value);
    if (hp.host_invalid) Raise(&tx, Direction::kToServer, HttpEvent::kRequestHeaderHostInvalid);
    if (hp.port_invalid) Raise(&tx, Direction::kToServer, HttpEvent::kInvalidAuthorityPort);
    if (parts.authority.empty()) {
      NormalizeHost(hp.host, tx.host);
      tx.host_port = hp.port;
    } else {
      std::string other;
      NormalizeHost(hp.host, other);
      if (other != tx.host) Raise(&tx, Direction::kToServer, HttpEvent::kHostHeaderAmbiguous);
    }
  } else {
    if (!parts.authority.empty()) tx.host_raw = parts.authority;
    if (tx.protocol == "HTTP/1.1" && parts.authority.empty()) {
      Raise(&tx, Direction::kToServer, HttpEvent::kMissingHostHeader);
    }
  }

  BuildHeaderBuffers(tx.request_line, tx.request_headers, "Cookie", tx.request_header,
                     tx.request_header_names, tx.request_start);

  // Body framing: chunked wins over Content-Length (RFC 9112 6.3).
  const HttpHeader* te = tx.FindRequestHeader("Transfer-Encoding");
  const HttpHeader* cl = tx.FindRequestHeader("Content-Length");
  bool chunked = false;
  if (te != nullptr) {
    chunked = HasToken(te->value, "chunked");
    if (!chunked) Raise(&tx, Direction::kToServer, HttpEvent::kInvalidTransferEncodingValueInRequest);
  }
  std::optional<uint64_t> length;
  if (cl != nullptr) {
    length = ParseContentLength(cl->value);
    if (!length) Raise(&tx, Direction::kToServer, HttpEvent::kInvalidContentLengthFieldInRequest);
    tx.request_content_length = length;
  }
  if (chunked) {
    tx.flags |= http_tx_flag::kRequestChunked;
    s.state = State::kBodyChunkLen;
  } else if (length && *length > 0) {
    s.remaining = *length;
    s.state = State::kBodyIdentity;
  } else {
    FinishSide(s, true);
  }
}

void HttpParser::FinishResponseHeaders(Side& s) {
  HttpTransaction& tx = *s.tx;
  uint16_t status = tx.status_code.value_or(0);
  if (status >= 100 && status < 200 && status != 101) {
    // Interim response: forget it and wait for the final one for the same request.
    if (status == 100) {
      if (tx.flags & http_tx_flag::kContinueSeen) {
        Raise(&tx, Direction::kToClient, HttpEvent::k100ContinueAlreadySeen);
      }
      tx.flags |= http_tx_flag::kContinueSeen;
    }
    tx.response_line.clear();
    tx.response_protocol.clear();
    tx.status_code.reset();
    tx.status_message.clear();
    tx.response_headers.clear();
    tx.response_header_raw.clear();
    s.state = State::kLine;
    return;
  }
  tx.location = Value(tx.FindResponseHeader("Location"));
  tx.server = Value(tx.FindResponseHeader("Server"));
  tx.set_cookie = Value(tx.FindResponseHeader("Set-Cookie"));
  tx.response_content_type = Value(tx.FindResponseHeader("Content-Type"));
  tx.content_encoding = Value(FindNoCaseNorZero(tx.response_headers, "content-encoding"));
  BuildHeaderBuffers(tx.response_line, tx.response_headers, "Set-Cookie", tx.response_header,
                     tx.response_header_names, tx.response_start);

  if (status == 101 || (EqualsNoCase(tx.method, "CONNECT") && status >= 200 && status < 300)) {
    FinishSide(s, true);
    IgnoreBoth(&tx);
    return;
  }
  if (EqualsNoCase(tx.method, "HEAD") || status == 204 || status == 304) {
    FinishSide(s, true);
    return;
  }
  const HttpHeader* te = FindNoCaseNorZero(tx.response_headers, "transfer-encoding");
  const HttpHeader* cl = tx.FindResponseHeader("Content-Length");
  bool chunked = false;
  if (te != nullptr) {
    // libhtp reads a response as chunked when "chunked" appears anywhere in the value
    // ("chunkedx", "x chunked", "chunked;"), raising the anomaly unless it is exactly that.
    chunked = ContainsNoCase(te->value, "chunked");
    if (!EqualsNoCase(Trim(te->value), "chunked")) {
      Raise(&tx, Direction::kToClient, HttpEvent::kInvalidTransferEncodingValueInResponse);
    }
  }
  std::optional<uint64_t> length;
  if (cl != nullptr) {
    length = ParseContentLength(cl->value);
    if (!length) Raise(&tx, Direction::kToClient, HttpEvent::kInvalidContentLengthFieldInResponse);
    tx.response_content_length = length;
  }
  if (cfg_.decompress && !tx.content_encoding.empty()) {
    std::optional<BodyDecompressor::Kind> kind = ContentCoding(tx.content_encoding);
    if (kind) {
      decomp_.Start(*kind);
      decompressing_ = true;
      undecoded_.clear();
      tx.flags |= http_tx_flag::kDecompressed;
    }
  }
  if (chunked) {
    if (tx.response_protocol == "HTTP/1.0" || tx.response_protocol == "HTTP/0.9") {
      Raise(&tx, Direction::kToClient, HttpEvent::kResponseChunkedOldProto);
    }
    tx.flags |= http_tx_flag::kResponseChunked;
    s.state = State::kBodyChunkLen;
  } else if (length) {
    if (*length == 0) {
      FinishSide(s, true);
    } else {
      s.remaining = *length;
      s.state = State::kBodyIdentity;
    }
  } else {
    s.state = State::kBodyUntilClose;
  }
}

}  // namespace vigil::sensor
