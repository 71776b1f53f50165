// HttpParser: header lines (folding, duplicates, limits) and what the end of a header block
// decides (host, body framing, decompression, 1xx / protocol switch handling).
#include <algorithm>
#include <array>
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

// RFC 9110 tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Trims SP, HT, VT, FF and CR (libhtp-rs' "special whitespace") from both ends.
std::string_view TrimSpecial(std::string_view v) {
  auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; };
  while (!v.empty() && sp(v.front())) v.remove_prefix(1);
  while (!v.empty() && sp(v.back())) v.remove_suffix(1);
  return v;
}

// "token" [SP/HT] ":" — how libhtp-rs tells a new field from a folded value.
bool LooksLikeFieldStart(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && IsTokenChar(v[i])) ++i;
  if (i == 0) return false;
  while (i < v.size() && IsWs(v[i])) ++i;
  return i < v.size() && v[i] == ':';
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

bool ContentSep(char c) {
  return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

// The codings to undo for a Content-Encoding value, in decoding order; returns how many.
// As libhtp: a value that is exactly one coding (NULs and case ignored) is one layer; otherwise
// the value is a list of tokens (separated by commas, semicolons, whitespace incl. VT/FF) and
// every token is a layer, up to `max_layers` tokens: one containing "gzip" is gzip, one
// containing "deflate" is deflate (so "x gzip", "\xa0gzip", "gz\0ip", "deflate;" decode), others
// (identity, unknown) count as a layer but decode nothing. A joined duplicate ("gzip, gzip")
// is two layers. The list is undone from its last token back to its first.
size_t ContentCodings(std::string_view v, size_t max_layers,
                      std::array<BodyDecompressor::Kind, BodyDecoderChain::kMaxLayers>& out) {
  if (EqualsNoCaseNorZero(v, "gzip") || EqualsNoCaseNorZero(v, "x-gzip")) {
    out[0] = BodyDecompressor::Kind::kGzip;
    return 1;
  }
  if (EqualsNoCaseNorZero(v, "deflate") || EqualsNoCaseNorZero(v, "x-deflate")) {
    out[0] = BodyDecompressor::Kind::kDeflate;
    return 1;
  }
  max_layers = std::min(max_layers, out.size());
  size_t layers = 0, n = 0;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && ContentSep(v[i])) ++i;
    size_t j = i;
    while (j < v.size() && !ContentSep(v[j])) ++j;
    if (j == i) break;
    if (++layers > max_layers) break;  // libhtp: "Too many response content encoding layers"
    std::string_view tok = v.substr(i, j - i);
    if (ContainsNoCase(tok, "gzip")) {
      out[n++] = BodyDecompressor::Kind::kGzip;
    } else if (ContainsNoCase(tok, "deflate")) {
      out[n++] = BodyDecompressor::Kind::kDeflate;
    }
    i = j;
  }
  std::reverse(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

std::string_view Value(const HttpHeader* h) { return h != nullptr ? std::string_view(h->value) : std::string_view(); }

}  // namespace

void HttpParser::HandleHeaderLine(Side& s, std::string_view raw, bool truncated,
                                  bool after_bare_lf) {
  HttpTransaction& tx = *s.tx;
  std::string& rawbuf = s.request ? tx.request_header_raw : tx.response_header_raw;
  std::string_view line = StripEol(raw);
  // libhtp-rs reads "\n\r" as one response end of line: the CR opening the next line is the
  // tail of the previous one's. "\n\r\r\n" is decided by what follows (see eol_pending).
  bool deformed_eol = false;
  if (!s.request && after_bare_lf && !line.empty() && line[0] == '\r') {
    line.remove_prefix(1);
    deformed_eol = line.empty() && !truncated;
  }
  s.header_bytes += raw.size();
  if (s.header_bytes <= cfg_.max_header_bytes) {
    rawbuf.append(raw);
  } else if (!s.header_bytes_exceeded) {
    s.header_bytes_exceeded = true;
    Raise(s, &tx, HttpEvent::kRequestFieldTooLong, HttpEvent::kResponseFieldTooLong);
  }
  if (deformed_eol) {
    s.eol_pending = true;
    return;
  }
  if (line.empty() && !truncated) {
    if (s.request) {
      FinishRequestHeaders(s);
    } else {
      EndResponseHeaders(s);
    }
    return;
  }
  if (truncated) Raise(s, &tx, HttpEvent::kRequestFieldTooLong, HttpEvent::kResponseFieldTooLong);
  if (s.header_bytes_exceeded || line.empty()) return;
  if (!s.request) {
    ResponseHeaderLine(s, line);
    return;
  }

  std::vector<HttpHeader>& hs = tx.request_headers;
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
  HeaderField(s, line);
}

// Response header lines are joined into one logical field before parsing, as libhtp-rs does:
// a folded line continues the field, except that a folded line that itself reads "token:" starts
// a new field (" Transfer-Encoding: chunked" after another header is that header), and a name
// still waiting for its colon takes the folded lines that bring it ("Transfer-Encoding" /
// " :" / " chunked"). A line of only spaces/tabs ends the headers unless the next line reads
// "token:" (decided in Process at that line's first bytes).
void HttpParser::ResponseHeaderLine(Side& s, std::string_view line) {
  HttpTransaction& tx = *s.tx;
  size_t colon = s.have_field ? s.field.find(':') : std::string::npos;
  if (colon != std::string::npos && Trim(std::string_view(s.field).substr(colon + 1)).empty()) {
    // "Name:" with nothing after it: libhtp-rs' deformed separator runs over line ends and
    // whitespace, so the next non-blank line, folded or not, is the value ("Name:\n\0chunked").
    std::string_view more = TrimSpecial(line);
    if (!more.empty()) s.field.append(more);
    return;
  }
  if (!IsWs(line[0])) {
    FlushResponseField(s);
    s.field.assign(line);
    s.have_field = true;
    return;
  }
  std::string_view more = Trim(line);
  bool field_has_colon = s.have_field && s.field.find(':') != std::string::npos;
  if (more.empty()) {
    if (!s.have_field || field_has_colon) s.ws_line_pending = true;
    return;
  }
  if (s.have_field && (!field_has_colon || !LooksLikeFieldStart(more))) {
    if (!s.field.empty()) s.field.push_back(' ');
    s.field.append(more);
    return;
  }
  if (!s.have_field && !LooksLikeFieldStart(more)) {
    Raise(&tx, Direction::kToClient, HttpEvent::kInvalidResponseFieldFolding);
  }
  FlushResponseField(s);
  s.field.assign(more);
  s.have_field = true;
}

void HttpParser::FlushResponseField(Side& s) {
  if (!s.have_field) return;
  s.have_field = false;
  HeaderField(s, s.field);
}

void HttpParser::EndResponseHeaders(Side& s) {
  s.ws_line_pending = false;
  FlushResponseField(s);
  FinishResponseHeaders(s);
}

int HttpParser::WsLineVerdict(std::string_view held, std::span<const uint8_t> data,
                              size_t max_line) {
  int phase = 0;  // 0: leading SP/HT, 1: token chars, 2: SP/HT before the colon
  size_t seen = 0;
  auto step = [&phase, &seen, max_line](char c) -> int {
    if (++seen > max_line) return 1;  // the line reader keeps no more of this line
    if (phase == 0 && IsWs(c)) return -1;
    if (phase <= 1 && IsTokenChar(c)) {
      phase = 1;
      return -1;
    }
    if (IsWs(c)) {
      phase = 2;
      return -1;
    }
    if (c == ':') return 0;                                // "token:" — a field follows
    if (phase == 0 && (c == '\r' || c == '\n')) return 0;  // a blank line follows
    return 1;
  };
  for (char c : held) {
    if (int v = step(c); v >= 0) return v;
  }
  for (uint8_t b : data) {
    if (int v = step(static_cast<char>(b)); v >= 0) return v;
  }
  return -1;
}

int HttpParser::DeformedEolVerdict(std::string_view held, std::span<const uint8_t> data) {
  char c;
  if (!held.empty()) {
    c = held[0];
  } else if (!data.empty()) {
    c = static_cast<char>(data[0]);
  } else {
    return -1;
  }
  return c == '\r' || c == '\n' ? 0 : 1;
}

void HttpParser::HeaderField(Side& s, std::string_view line) {
  HttpTransaction& tx = *s.tx;
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
  const HttpHeader* ce = FindNoCaseNorZero(tx.request_headers, "content-encoding");
  if (cfg_.decompress && ce != nullptr && (chunked || (length && *length > 0))) {
    std::array<BodyDecompressor::Kind, BodyDecoderChain::kMaxLayers> kinds{};
    size_t n = ContentCodings(ce->value, cfg_.decompress_max_layers, kinds);
    if (n > 0) {
      req_chain_.Start(std::span(kinds.data(), n), cfg_.request_body_limit);
      req_decompressing_ = true;
      tx.flags |= http_tx_flag::kRequestDecompressed;
    }
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
  const HttpHeader* te = FindNoCaseNorZero(tx.response_headers, "transfer-encoding");
  const HttpHeader* cl = tx.FindResponseHeader("Content-Length");
  // libhtp: a 1xx, 204 or 304 "has no body", but one that states a framing (Transfer-Encoding
  // or Content-Length) gets its body read as browsers do ("Unexpected Response body"); a 101
  // that does is no protocol switch, and a 100 with a Content-Length above 0 is no interim.
  bool framed = te != nullptr || cl != nullptr;
  bool interim = status >= 100 && status < 200 && status != 101 && !framed;
  if (status == 100 && te == nullptr && cl != nullptr) {
    std::optional<uint64_t> n = ParseContentLength(cl->value);
    interim = !n || *n == 0;
  }
  if (interim) {
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

  if ((status == 101 && !framed) ||
      (EqualsNoCase(tx.method, "CONNECT") && status >= 200 && status < 300)) {
    FinishSide(s, true);
    IgnoreBoth(&tx);
    return;
  }
  if (EqualsNoCase(tx.method, "HEAD") || (!framed && (status == 204 || status == 304))) {
    FinishSide(s, true);
    return;
  }
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
    std::array<BodyDecompressor::Kind, BodyDecoderChain::kMaxLayers> kinds{};
    size_t n = ContentCodings(tx.content_encoding, cfg_.decompress_max_layers, kinds);
    if (n > 0) {
      chain_.Start(std::span(kinds.data(), n), cfg_.response_body_limit);
      decompressing_ = true;
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
