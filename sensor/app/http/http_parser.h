// HttpParser: the per-flow HTTP/1.x parser, fed the reassembled bytes of both directions.
//
// Requests (to_server) and responses (to_client) are parsed by two independent state machines;
// each request opens a transaction, and each response is paired with the oldest transaction that
// has no response yet, so keep-alive and pipelining pair in order. Bodies are framed by
// Content-Length, chunked transfer coding, or (responses only) the end of the stream; HEAD
// responses have none, nor have 1xx, 204 and 304 ones that state no framing (libhtp). A
// 100-Continue is skipped over; 101 Switching Protocols (without framing) and a 2xx answer to
// CONNECT end HTTP parsing of the flow (the tunnel's bytes are ignored).
// Gaps inside a body are counted as body bytes; a gap anywhere else closes the transaction in
// progress and the side resynchronises on the next line that looks like a request or status line.
//
// Transactions live in a small bounded queue. The consumer inspects them in progress through
// tx_count()/tx(i) and takes finished ones with DrainCompleted(); at flow end DrainAll() hands
// over everything, finished or not.
//
//   HttpParser http(cfg.http, &counters);
//   http.OnData(Direction::kToServer, bytes);
//   http.DrainCompleted([&](const HttpTransaction& tx) { Inspect(tx); LogHttp(tx); });
//   ... at flow end:  http.OnEnd(...); http.DrainAll(...);  then http.Reset() for reuse.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/app/app_counters.h"
#include "sensor/app/app_parser.h"
#include "sensor/app/http/body_decoder_chain.h"
#include "sensor/app/http/body_decompressor.h"
#include "sensor/app/http/http_config.h"
#include "sensor/app/http/http_event.h"
#include "sensor/app/http/http_transaction.h"
#include "sensor/app/http/line_reader.h"

namespace vigil::sensor {

class HttpParser final : public AppParser {
 public:
  // `cfg` and `counters` must outlive the parser; counters may be null.
  HttpParser(const HttpConfig& cfg, const AppCounters* counters);
  ~HttpParser() override;

  void OnData(Direction dir, std::span<const uint8_t> bytes) override;
  void OnGap(Direction dir, uint64_t length) override;
  void OnEnd(Direction dir) override;
  void Reset() override;
  AppProto proto() const override { return AppProto::kHttp; }

  // Transactions held, oldest first, finished or in progress.
  size_t tx_count() const { return queue_.size(); }
  const HttpTransaction& tx(size_t i) const { return *queue_[i]; }

  // Hands each finished transaction at the front of the queue to fn(const HttpTransaction&),
  // oldest first, then recycles it. Returns how many were handed over.
  template <typename F>
  size_t DrainCompleted(F&& fn) {
    size_t n = 0;
    while (!queue_.empty() && queue_.front()->done()) {
      fn(static_cast<const HttpTransaction&>(*queue_.front()));
      PopFront();
      ++n;
    }
    return n;
  }
  // Hands every transaction (finished or not) to fn, oldest first; for the end of a flow.
  template <typename F>
  size_t DrainAll(F&& fn) {
    size_t n = 0;
    while (!queue_.empty()) {
      fn(static_cast<const HttpTransaction&>(*queue_.front()));
      PopFront();
      ++n;
    }
    return n;
  }

 private:
  enum class State : uint8_t {
    kLine,             // request / status line (blank lines before it are skipped)
    kHeaders,
    kBodyIdentity,     // `remaining` bytes of Content-Length body
    kBodyChunkLen,
    kBodyChunkData,    // `remaining` bytes of the current chunk
    kBodyChunkDataEnd, // the CRLF after chunk data
    kBodyTrailer,      // trailer lines after the last chunk
    kBodyUntilClose,   // response body ends with the stream
    kJunkLine,         // a response line that is no status line, held in `junk`: the next
                       // byte decides (an 'H' drops it, anything else starts a bare body)
    kResync,           // after a gap: skip lines until one looks like a request/status line
    kIgnore,           // not parsed any more (tunnel, queue full, HTTP/0.9, ended)
  };

  struct Side {
    bool request = true;  // which side this is
    State state = State::kLine;
    LineReader lines;
    HttpTransaction* tx = nullptr;  // transaction being parsed on this side
    uint64_t remaining = 0;
    size_t header_bytes = 0;
    size_t header_count = 0;
    bool header_bytes_exceeded = false;
    bool header_count_exceeded = false;
    bool have_last_header = false;  // folding target exists
    size_t last_header = 0;
    bool saw_content_length = false;
    bool ended = false;
    std::string junk;  // kJunkLine's line, terminator included (at most max_line_length)
    // Response headers: the logical field being assembled from folded lines (bounded by
    // max_header_bytes), and whether a whitespace-only line waits for the next line's verdict.
    std::string field;
    bool have_field = false;
    bool ws_line_pending = false;
    // "\n\r\r\n" seen after a field: one end of line if a blank line follows (the headers end
    // there), else the end of the headers itself (libhtp-rs' deformed end of line).
    bool eol_pending = false;
    bool prev_bare_lf = false;  // the last response line ended in LF without CR
  };

  void Process(Side& s, std::span<const uint8_t> data);
  void HandleLine(Side& s, std::string_view raw, bool truncated);
  // `after_bare_lf`: the previous line of this side ended in LF without CR.
  void HandleHeaderLine(Side& s, std::string_view raw, bool truncated, bool after_bare_lf);
  // End of the response stream in kLine: a partial line held is a status line or a bare body.
  void FlushHeldResponseLine(Side& s);
  void HeaderField(Side& s, std::string_view line);  // "Name: value", unfolded
  void ResponseHeaderLine(Side& s, std::string_view line);
  void FlushResponseField(Side& s);
  void EndResponseHeaders(Side& s);
  // After a whitespace-only response header line: 0 when the next line (its first bytes in
  // `held` + `data`) reads "token:" or is blank (the whitespace line is ignored), 1 when it
  // does not (the headers ended), -1 when more bytes are needed. A line whose first `max_line`
  // bytes give no verdict gets 1 (no "token:" within the line limit): the line reader
  // would cut it there, so waiting longer would make the verdict and the body bytes
  // depend on where the stream is split.
  static int WsLineVerdict(std::string_view held, std::span<const uint8_t> data, size_t max_line);
  // After "\n\r\r\n" in response headers: 0 when a blank line follows (one deformed end of
  // line), 1 when anything else does (the headers ended), -1 when no byte is there yet.
  static int DeformedEolVerdict(std::string_view held, std::span<const uint8_t> data);
  void AddHeader(Side& s, std::string_view name, std::string_view value);
  void FinishRequestHeaders(Side& s);
  void FinishResponseHeaders(Side& s);
  bool ParseRequestLine(Side& s, std::string_view line, bool truncated);  // false: 0.9/no tx
  void ParseResponseLine(Side& s, std::string_view line, std::string_view raw);
  void HandleChunkLen(Side& s, std::string_view raw);  // raw: terminator included
  // True when the chunk-size line begun in `held` + `data` starts (after whitespace) with a byte
  // that is not a hex digit, or when its leading whitespace alone reaches `max_line` bytes (the
  // line reader would cut the line there: deciding at that byte keeps the verdict and the body
  // bytes independent of where the stream is split).
  static bool NotAChunkSize(std::string_view held, std::span<const uint8_t> data, size_t max_line);
  // A response turned out not to be chunked: read until close, starting with `first`.
  void NotChunked(Side& s, std::span<const uint8_t> first);
  // Resolves kJunkLine: dropped, or (no_status_follows) the start of a body without headers.
  void ResolveJunkLine(Side& s, bool no_status_follows);
  void Body(Side& s, std::span<const uint8_t> bytes);
  void ResponseBody(HttpTransaction& tx, std::span<const uint8_t> bytes);
  void RequestBody(HttpTransaction& tx, std::span<const uint8_t> bytes);
  void StopDecompression(HttpTransaction& tx, BodyDecompressor::Status why);
  // Appends to a response body up to the response body limit (counts a truncation).
  void AppendBounded(HttpTransaction& tx, std::string& body, std::string_view bytes);
  void FinishSide(Side& s, bool complete);
  void StartHeaders(Side& s);
  void EnterResync(Side& s);
  void IgnoreBoth(HttpTransaction* tx);

  HttpTransaction* NewTx();
  HttpTransaction* NextUnansweredTx();
  void PopFront();
  void Raise(HttpTransaction* tx, Direction dir, HttpEvent e);
  void Raise(const Side& s, HttpTransaction* tx, HttpEvent req, HttpEvent resp);
  static Direction DirOf(const Side& s) {
    return s.request ? Direction::kToServer : Direction::kToClient;
  }

  const HttpConfig& cfg_;
  const AppCounters* counters_;
  Side req_;
  Side resp_;
  std::deque<std::unique_ptr<HttpTransaction>> queue_;
  std::vector<std::unique_ptr<HttpTransaction>> free_;  // recycled, capacity kept
  uint64_t next_tx_id_ = 0;
  bool queue_full_raised_ = false;
  BodyDecoderChain chain_;  // Content-Encoding layers of resp_.tx's body
  bool decompressing_ = false;  // chain_ is active for resp_.tx
  BodyDecoderChain req_chain_;  // Content-Encoding layers of req_.tx's body
  bool req_decompressing_ = false;
};

}  // namespace vigil::sensor
