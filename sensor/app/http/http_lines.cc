// HttpParser: the line-based states: request line, status line, chunk sizes, trailers, resync.
#include <string_view>

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

// A request line as a resynchronising parser accepts it: an upper-case token, a space, a target.
bool LooksLikeRequestLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && i < 24 && line[i] >= 'A' && line[i] <= 'Z') ++i;
  return i >= 3 && i < line.size() && line[i] == ' ' && i + 1 < line.size() && line[i + 1] != ' ';
}

// Bytes libhtp skips before a chunk size.
bool IsChunkSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

constexpr uint64_t kMaxChunkLen = 0x7fffffff;  // libhtp refuses sizes above INT32_MAX

// libhtp's test for a status line (browsers agree roughly): after optional whitespace and NUL
// bytes, "http" in any case. Anything else is a response without status line (read as body).
// Returns the offset of "http", or npos.
size_t StatusLineStart(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (IsWs(line[i]) || line[i] == '\0' || line[i] == '\v' ||
                             line[i] == '\f' || line[i] == '\r')) {
    ++i;
  }
  if (line.size() - i < 4 || !EqualsNoCase(line.substr(i, 4), "http")) return std::string_view::npos;
  return i;
}

bool IsWhitespaceLine(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f') return false;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void HttpParser::HandleLine(Side& s, std::string_view raw, bool truncated) {
  bool after_bare_lf = s.prev_bare_lf;
  if (!s.request) {
    s.prev_bare_lf = !raw.empty() && raw.back() == '\n' && (raw.size() < 2 || raw[raw.size() - 2] != '\r');
  }
  switch (s.state) {
    case State::kLine: {
      std::string_view line = StripEol(raw);
      if (line.empty() && !truncated) return;  // blank lines between messages are skipped
      if (!s.request && !truncated && s.tx == nullptr) {
        // libhtp skips whitespace-only lines before a status line, and a line that is no status
        // line when it is at most 2 bytes or the next line starts with 'H' (junk before the
        // real response): which of the two is only known at the next byte.
        if (IsWhitespaceLine(line)) return;
        if (StatusLineStart(line) == std::string_view::npos) {
          if (line.size() <= 2) return;
          s.junk.assign(raw);
          s.state = State::kJunkLine;
          return;
        }
      }
      if (s.request) {
        ParseRequestLine(s, line, truncated);
        if (truncated && s.tx != nullptr) Raise(s.tx, Direction::kToServer, HttpEvent::kRequestFieldTooLong);
      } else {
        ParseResponseLine(s, line, raw);
        if (truncated && s.tx != nullptr) Raise(s.tx, Direction::kToClient, HttpEvent::kResponseFieldTooLong);
      }
      return;
    }
    case State::kHeaders:
      HandleHeaderLine(s, raw, truncated, after_bare_lf);
      return;
    case State::kBodyChunkLen:
      HandleChunkLen(s, raw);
      return;
    case State::kBodyChunkDataEnd:
      // The CRLF closing the chunk's data; anything else on that line is skipped.
      s.state = State::kBodyChunkLen;
      return;
    case State::kBodyTrailer:
      if (StripEol(raw).empty()) FinishSide(s, true);
      return;  // trailer fields are consumed, not kept
    case State::kResync: {
      std::string_view line = StripEol(raw);
      bool ok = s.request ? LooksLikeRequestLine(line)
                          : StatusLineStart(line) != std::string_view::npos;
      if (ok) {
        s.state = State::kLine;
        HandleLine(s, raw, truncated);
      } else {
        Count(counters_, AppCounter::kHttpIgnoredBytes, raw.size());
      }
      return;
    }
    default:
      return;
  }
}

bool HttpParser::ParseRequestLine(Side& s, std::string_view line, bool truncated) {
  HttpTransaction* tx = NewTx();
  if (tx == nullptr) {
    if (!queue_full_raised_) {
      queue_full_raised_ = true;
      Count(counters_, AppCounter::kHttpTxQueueFull);
      Raise(nullptr, Direction::kToServer, HttpEvent::kTooManyTransactions);
    }
    s.state = State::kIgnore;
    return false;
  }
  s.tx = tx;
  tx->request_started = true;
  tx->request_line.assign(line);

  size_t n = line.size();
  size_t i = 0;
  while (i < n && IsWs(line[i])) ++i;
  if (i > 0) Raise(tx, Direction::kToServer, HttpEvent::kRequestLineLeadingWhitespace);
  size_t m = i;
  while (m < n && !IsWs(line[m])) ++m;
  tx->method.assign(line.substr(i, m - i));
  size_t u = m;
  bool odd_delim = false;
  while (u < n && IsWs(line[u])) {
    if (line[u] != ' ') odd_delim = true;
    ++u;
  }
  if (odd_delim) Raise(tx, Direction::kToServer, HttpEvent::kMethodDelimNonCompliant);
  size_t ue = u;
  while (ue < n && !IsWs(line[ue])) ++ue;
  tx->uri_raw.assign(line.substr(u, ue - u));
  size_t p = ue;
  odd_delim = false;
  while (p < n && IsWs(line[p])) {
    if (line[p] != ' ') odd_delim = true;
    ++p;
  }
  if (odd_delim) Raise(tx, Direction::kToServer, HttpEvent::kUriDelimNonCompliant);
  tx->protocol.assign(Trim(line.substr(p)));

  UriFlags uf = NormalizeUri(tx->uri_raw, cfg_.uri, tx->uri);
  if (uf.double_encoded) Raise(tx, Direction::kToServer, HttpEvent::kDoubleEncodedUri);

  if (tx->method.empty() || tx->uri_raw.empty()) {
    Raise(tx, Direction::kToServer, HttpEvent::kRequestLineInvalid);
  }
  if (tx->protocol.empty() && !truncated) {
    // HTTP/0.9: no headers, no body, and nothing after it on this connection is HTTP/1.x.
    Raise(tx, Direction::kToServer, HttpEvent::kRequestLineMissingProtocol);
    tx->flags |= http_tx_flag::kHttp09;
    BuildHeaderBuffers(tx->request_line, tx->request_headers, "Cookie", tx->request_header,
                       tx->request_header_names, tx->request_start);
    FinishSide(s, true);
    s.state = State::kIgnore;
    return false;
  }
  if (!tx->protocol.starts_with("HTTP/") && !truncated) {
    Raise(tx, Direction::kToServer, HttpEvent::kRequestLineInvalid);
  }
  StartHeaders(s);
  return true;
}

void HttpParser::ParseResponseLine(Side& s, std::string_view line, std::string_view raw) {
  HttpTransaction* tx = s.tx;  // set when a 1xx came first
  if (tx == nullptr) {
    tx = NextUnansweredTx();
    if (tx == nullptr) {
      tx = NewTx();
      if (tx == nullptr) {
        if (!queue_full_raised_) {
          queue_full_raised_ = true;
          Count(counters_, AppCounter::kHttpTxQueueFull);
          Raise(nullptr, Direction::kToClient, HttpEvent::kTooManyTransactions);
        }
        s.state = State::kIgnore;
        return;
      }
      tx->request_started = tx->request_done = true;
      tx->flags |= http_tx_flag::kUnmatchedResponse;
      Raise(tx, Direction::kToClient, HttpEvent::kUnableToMatchResponseToRequest);
    }
    s.tx = tx;
  }
  tx->response_started = true;

  size_t start = StatusLineStart(line);
  if (start == std::string_view::npos) {
    // No status line: an HTTP/0.9 response (or garbage), read as a body until the stream ends.
    if (!(tx->flags & http_tx_flag::kHttp09)) {
      Raise(tx, Direction::kToClient, HttpEvent::kResponseInvalidProtocol);
    }
    s.state = State::kBodyUntilClose;
    Body(s, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
    return;
  }
  tx->response_line.assign(line);
  size_t n = line.size();
  size_t i = start;
  while (i < n && !IsWs(line[i])) ++i;
  tx->response_protocol.assign(line.substr(start, i - start));
  while (i < n && IsWs(line[i])) ++i;
  size_t j = i;
  while (j < n && !IsWs(line[j])) ++j;
  std::string_view status = line.substr(i, j - i);
  if (status.size() == 3 && status[0] >= '1' && status[0] <= '9' && status[1] >= '0' &&
      status[1] <= '9' && status[2] >= '0' && status[2] <= '9') {
    tx->status_code = static_cast<uint16_t>((status[0] - '0') * 100 + (status[1] - '0') * 10 +
                                            (status[2] - '0'));
  } else {
    Raise(tx, Direction::kToClient, HttpEvent::kResponseInvalidStatus);
  }
  while (j < n && IsWs(line[j])) ++j;
  tx->status_message.assign(line.substr(j));
  StartHeaders(s);
}

void HttpParser::FlushHeldResponseLine(Side& s) {
  if (s.lines.pending() == 0) return;
  std::string held(s.lines.held());
  s.lines.Clear();
  std::string_view line = StripEol(held);
  // libhtp: at the end of the stream the unterminated first line is a status line or, when it
  // is none, the body.
  if (IsWhitespaceLine(line)) return;
  ParseResponseLine(s, line, held);
}

// Chunk-size line, read as libhtp reads it: leading whitespace and control bytes (CR, LF, SP,
// HT, VT, FF) skipped, then hex digits; whatever follows the digits (an extension, a stray CR,
// NUL, VT...) is ignored. A line with no digits, or a size over 2^31 - 1, is invalid: a request
// side abandons the body (resync), a response is read as a plain body until the stream closes,
// starting with that very line, since libhtp falls back to identity there too.
void HttpParser::HandleChunkLen(Side& s, std::string_view raw) {
  std::string_view line = raw;
  size_t i = 0;
  while (i < line.size() && IsChunkSpace(line[i])) ++i;
  if (i == line.size()) return;  // blank (or whitespace-only) line between chunks: tolerated
  uint64_t v = 0;
  size_t digits = 0;
  bool ok = true;
  for (; i < line.size(); ++i) {
    int h = HexDigit(line[i]);
    if (h < 0) break;
    v = v * 16 + static_cast<uint64_t>(h);
    if (v > kMaxChunkLen) {
      ok = false;
      break;
    }
    ++digits;
  }
  if (digits == 0) ok = false;
  if (!ok) {
    if (!s.request && s.tx != nullptr) {
      NotChunked(s, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()),
                                             raw.size()));
      return;
    }
    Raise(s, s.tx, HttpEvent::kInvalidRequestChunkLen, HttpEvent::kInvalidResponseChunkLen);
    if (s.tx != nullptr) FinishSide(s, false);
    s.lines.Clear();
    s.state = State::kResync;
    return;
  }
  if (v == 0) {
    s.state = State::kBodyTrailer;
  } else {
    s.remaining = v;
    s.state = State::kBodyChunkData;
  }
}

}  // namespace vigil::sensor
