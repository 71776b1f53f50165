// HttpParser: stream plumbing (dispatch, bodies, gaps, end of stream, transaction queue).
// Line parsing lives in http_lines.cc, header handling in http_headers.cc.
#include "sensor/app/http/http_parser.h"

#include <algorithm>

namespace vigil::sensor {

HttpParser::HttpParser(const HttpConfig& cfg, const AppCounters* counters)
    : cfg_(cfg), counters_(counters) {
  req_.request = true;
  resp_.request = false;
  req_.lines.set_max_length(cfg_.max_line_length);
  resp_.lines.set_max_length(cfg_.max_line_length);
  anomalies_.set_capacity(cfg_.max_pending_anomalies);
}

HttpParser::~HttpParser() = default;

void HttpParser::Reset() {
  while (!queue_.empty()) PopFront();
  for (Side* s : {&req_, &resp_}) {
    bool request = s->request;
    s->lines.Clear();
    s->state = State::kLine;
    s->tx = nullptr;
    s->remaining = 0;
    s->header_bytes = s->header_count = 0;
    s->header_bytes_exceeded = s->header_count_exceeded = false;
    s->have_last_header = false;
    s->saw_content_length = false;
    s->ended = false;
    s->junk.clear();
    s->field.clear();
    s->have_field = s->ws_line_pending = s->eol_pending = s->prev_bare_lf = false;
    s->request = request;
  }
  next_tx_id_ = 0;
  queue_full_raised_ = false;
  decompressing_ = false;
  req_decompressing_ = false;
  anomalies_.Reset();
}

// ---------------------------------------------------------------------------------------------
// Transaction queue

HttpTransaction* HttpParser::NewTx() {
  if (queue_.size() >= cfg_.max_transactions) return nullptr;
  std::unique_ptr<HttpTransaction> tx;
  if (!free_.empty()) {
    tx = std::move(free_.back());
    free_.pop_back();
  } else {
    tx = std::make_unique<HttpTransaction>();
  }
  tx->Clear();
  tx->id = next_tx_id_++;
  queue_.push_back(std::move(tx));
  return queue_.back().get();
}

HttpTransaction* HttpParser::NextUnansweredTx() {
  for (auto& t : queue_) {
    if (!t->response_started && t->request_started) return t.get();
  }
  return nullptr;
}

void HttpParser::PopFront() {
  std::unique_ptr<HttpTransaction> tx = std::move(queue_.front());
  queue_.pop_front();
  // Handing over a transaction still being parsed (DrainAll before the end of the flow) leaves
  // its side without a target: that side resynchronises on the next message.
  for (Side* s : {&req_, &resp_}) {
    if (s->tx != tx.get()) continue;
    s->tx = nullptr;
    s->remaining = 0;
    s->lines.Clear();
    if (s->state != State::kIgnore) s->state = State::kResync;
    if (!s->request) decompressing_ = false;
    if (s->request) req_decompressing_ = false;
  }
  Count(counters_, AppCounter::kHttpTx);
  // Keep a few objects so steady-state keep-alive traffic allocates nothing new.
  if (free_.size() < 4) free_.push_back(std::move(tx));
}

void HttpParser::Raise(HttpTransaction* tx, Direction dir, HttpEvent e) {
  if (tx != nullptr) tx->events |= uint64_t{1} << static_cast<unsigned>(e);
  if (counters_ != nullptr) {
    counters_->Add(e);
    counters_->Add(AppCounter::kHttpAnomalies);
  }
  AppAnomaly a{HttpEventName(e), dir, std::nullopt};
  if (tx != nullptr) a.tx_id = tx->id;
  if (!anomalies_.Push(a)) Count(counters_, AppCounter::kAnomaliesDropped);
}

void HttpParser::Raise(const Side& s, HttpTransaction* tx, HttpEvent req, HttpEvent resp) {
  Raise(tx, DirOf(s), s.request ? req : resp);
}

// ---------------------------------------------------------------------------------------------
// Feeding

void HttpParser::OnData(Direction dir, std::span<const uint8_t> bytes) {
  Side& s = dir == Direction::kToClient ? resp_ : req_;
  if (s.ended) return;
  Process(s, bytes);
}

void HttpParser::Process(Side& s, std::span<const uint8_t> data) {
  while (!data.empty()) {
    switch (s.state) {
      case State::kBodyIdentity:
      case State::kBodyChunkData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(s.remaining, data.size()));
        Body(s, data.first(n));
        data = data.subspan(n);
        s.remaining -= n;
        if (s.remaining == 0) {
          if (s.state == State::kBodyChunkData) {
            s.state = State::kBodyChunkDataEnd;
          } else {
            FinishSide(s, true);
          }
        }
        break;
      }
      case State::kBodyUntilClose:
        Body(s, data);
        return;
      case State::kIgnore:
        Count(counters_, AppCounter::kHttpIgnoredBytes, data.size());
        return;
      case State::kJunkLine:
        ResolveJunkLine(s, data[0] != 'H');
        break;
      default: {
        if (!s.request && s.state == State::kLine && s.tx == nullptr &&
            s.lines.pending() == 0) {
          // An HTTP/0.9 request gets a bare body (no status line, maybe no LF at all).
          HttpTransaction* next = NextUnansweredTx();
          if (next != nullptr && (next->flags & http_tx_flag::kHttp09)) {
            s.tx = next;
            next->response_started = true;
            s.state = State::kBodyUntilClose;
            break;
          }
        }
        if (!s.request && s.state == State::kBodyChunkLen && s.tx != nullptr &&
            NotAChunkSize(s.lines.held(), data, cfg_.max_line_length)) {
          // libhtp's probe: a "chunk size" line starting with a non-hex byte means the body is
          // not chunked after all; it is read until close from that line on. Deciding here
          // rather than at the LF gives the same bytes, and needs no LF to ever come.
          std::string held(s.lines.held());
          s.lines.Clear();
          NotChunked(s, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(held.data()),
                                                 held.size()));
          break;
        }
        if ((s.ws_line_pending || s.eol_pending) && s.state == State::kHeaders) {
          int verdict = s.eol_pending ? DeformedEolVerdict(s.lines.held(), data)
                                      : WsLineVerdict(s.lines.held(), data,
                                                      cfg_.max_line_length);
          if (verdict == 1) {
            // The whitespace line ended the headers: this line is already the body.
            std::string held(s.lines.held());
            s.lines.Clear();
            EndResponseHeaders(s);
            Process(s, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(held.data()),
                                                held.size()));
            break;
          }
          if (verdict == 0) s.ws_line_pending = s.eol_pending = false;
        }
        // libhtp ends response header lines (and status lines) at a lone CR too.
        s.lines.set_cr_ends_line(!s.request &&
                                 (s.state == State::kHeaders || s.state == State::kLine));
        std::string_view line;
        if (!s.lines.Next(data, line)) return;
        HandleLine(s, line, s.lines.truncated());
        break;
      }
    }
  }
}

bool HttpParser::NotAChunkSize(std::string_view held, std::span<const uint8_t> data,
                               size_t max_line) {
  // The line reader keeps at most `max_line` bytes of a line, so a verdict that waited for the
  // first non-space byte past that point would see fewer held bytes when the run arrives in
  // pieces than when it arrives whole. A run of leading whitespace that long is itself the
  // verdict: no chunk size follows within the line limit, and the body is read until close,
  // starting with the run (all of it still held, in any split).
  size_t seen = 0;
  auto verdict = [&seen, max_line](char c, int& out) {
    if (c == '\n') {
      out = 0;  // blank line: HandleChunkLen tolerates it
      return true;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      if (++seen < max_line) return false;
      out = 1;
      return true;
    }
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    out = hex ? 0 : 1;
    return true;
  };
  int out = 0;
  for (char c : held) {
    if (verdict(c, out)) return out == 1;
  }
  for (uint8_t b : data) {
    if (verdict(static_cast<char>(b), out)) return out == 1;
  }
  return false;
}

void HttpParser::ResolveJunkLine(Side& s, bool no_status_follows) {
  s.state = State::kLine;
  if (!no_status_follows) {
    Count(counters_, AppCounter::kHttpIgnoredBytes, s.junk.size());
    s.junk.clear();
    return;
  }
  std::string junk;
  junk.swap(s.junk);
  ParseResponseLine(s, StripEol(junk), junk);  // no status line: a bare body until close
}

void HttpParser::NotChunked(Side& s, std::span<const uint8_t> first) {
  Raise(s, s.tx, HttpEvent::kInvalidRequestChunkLen, HttpEvent::kInvalidResponseChunkLen);
  s.tx->flags &= ~http_tx_flag::kResponseChunked;
  s.state = State::kBodyUntilClose;
  Body(s, first);
}

void HttpParser::StartHeaders(Side& s) {
  s.state = State::kHeaders;
  s.header_bytes = s.header_count = 0;
  s.header_bytes_exceeded = s.header_count_exceeded = false;
  s.have_last_header = false;
  s.saw_content_length = false;
  s.have_field = s.ws_line_pending = s.eol_pending = false;
}

// Marks this side of its transaction done and readies the side for the next message.
void HttpParser::FinishSide(Side& s, bool complete) {
  HttpTransaction* tx = s.tx;
  if (tx != nullptr) {
    if (s.request) {
      req_decompressing_ = false;
      tx->request_done = true;
      if (!complete) tx->flags |= http_tx_flag::kRequestIncomplete;
    } else {
      tx->response_done = true;
      if (!complete) tx->flags |= http_tx_flag::kResponseIncomplete;
      decompressing_ = false;
    }
  }
  s.tx = nullptr;
  s.remaining = 0;
  if (s.state != State::kIgnore && s.state != State::kResync) s.state = State::kLine;
}

void HttpParser::IgnoreBoth(HttpTransaction* tx) {
  if (tx != nullptr) tx->flags |= http_tx_flag::kProtocolSwitch;
  req_.state = State::kIgnore;
  resp_.state = State::kIgnore;
  // A request being parsed when the tunnel opened will never complete.
  if (req_.tx != nullptr && req_.tx != tx) FinishSide(req_, false);
}

void HttpParser::EnterResync(Side& s) {
  if (s.tx != nullptr) {
    s.tx->flags |= s.request ? http_tx_flag::kRequestGap : http_tx_flag::kResponseGap;
    FinishSide(s, false);
  }
  s.lines.Clear();
  s.junk.clear();
  s.state = State::kResync;
}

void HttpParser::OnGap(Direction dir, uint64_t length) {
  Side& s = dir == Direction::kToClient ? resp_ : req_;
  if (s.ended || length == 0) return;
  Count(counters_, AppCounter::kHttpGaps);
  switch (s.state) {
    case State::kBodyIdentity:
    case State::kBodyChunkData: {
      uint64_t n = std::min(length, s.remaining);
      HttpTransaction& tx = *s.tx;
      tx.flags |= s.request ? http_tx_flag::kRequestGap : http_tx_flag::kResponseGap;
      if (s.request) {
        tx.request_body_len += n;
        req_decompressing_ = false;  // a coded stream cannot continue across a hole
      } else {
        tx.response_body_len += n;
        decompressing_ = false;  // the compressed stream cannot continue across a hole
      }
      s.remaining -= n;
      length -= n;
      if (s.remaining == 0) {
        if (s.state == State::kBodyChunkData) {
          s.state = State::kBodyChunkDataEnd;
        } else {
          FinishSide(s, true);
        }
      }
      if (length > 0) EnterResync(s);
      break;
    }
    case State::kBodyUntilClose:
      s.tx->flags |= http_tx_flag::kResponseGap;
      s.tx->response_body_len += length;
      decompressing_ = false;
      break;
    case State::kIgnore:
      break;
    default:
      EnterResync(s);
      break;
  }
}

void HttpParser::OnEnd(Direction dir) {
  Side& s = dir == Direction::kToClient ? resp_ : req_;
  if (s.ended) return;
  s.ended = true;
  if (s.state == State::kHeaders && (s.ws_line_pending || s.eol_pending) &&
      s.lines.pending() > 0) {
    // The stream closed before the line after a whitespace line told anything: that line did
    // not read "token:", so the headers ended before it (libhtp-rs at close).
    std::string held(s.lines.held());
    s.lines.Clear();
    EndResponseHeaders(s);
    Process(s, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(held.data()), held.size()));
  }
  if (s.state == State::kJunkLine) ResolveJunkLine(s, true);
  if (!s.request && s.state == State::kLine && s.tx == nullptr) FlushHeldResponseLine(s);
  if (s.state == State::kBodyUntilClose) {
    FinishSide(s, true);
  } else if (s.tx != nullptr) {
    FinishSide(s, false);
  }
  s.lines.Clear();
  s.state = State::kIgnore;
}

// ---------------------------------------------------------------------------------------------
// Bodies

void HttpParser::Body(Side& s, std::span<const uint8_t> bytes) {
  if (bytes.empty() || s.tx == nullptr) return;
  HttpTransaction& tx = *s.tx;
  if (!s.request) {
    ResponseBody(tx, bytes);
    return;
  }
  RequestBody(tx, bytes);
}

void HttpParser::RequestBody(HttpTransaction& tx, std::span<const uint8_t> bytes) {
  tx.request_body_len += bytes.size();
  if (tx.flags & http_tx_flag::kRequestDecompressed) {
    // A request body with Content-Encoding (libhtp decompresses those too, Suricata 7.0.16+).
    if (!req_decompressing_) return;
    bool passed = req_chain_.passed_through();
    BodyDecompressor::Limits lim{cfg_.decompress_max_output, cfg_.decompress_max_ratio,
                                 cfg_.decompress_ratio_min_output};
    auto st = req_chain_.Feed(bytes, tx.request_body, cfg_.request_body_limit, lim);
    if ((!passed && req_chain_.passed_through()) || st == BodyDecompressor::Status::kError) {
      Raise(&tx, Direction::kToServer, HttpEvent::kGzipDecompressionFailed);
    }
    if (st == BodyDecompressor::Status::kBomb) {
      Count(counters_, AppCounter::kHttpCompressionBombs);
      Raise(&tx, Direction::kToServer, HttpEvent::kCompressionBomb);
    }
    if (st == BodyDecompressor::Status::kFull && !tx.request_body_truncated) {
      tx.request_body_truncated = true;
      Count(counters_, AppCounter::kHttpRequestBodyTruncated);
    }
    if (st != BodyDecompressor::Status::kOk) req_decompressing_ = false;
    return;
  }
  size_t room = tx.request_body.size() < cfg_.request_body_limit
                    ? static_cast<size_t>(cfg_.request_body_limit - tx.request_body.size())
                    : 0;
  if (bytes.size() > room && !tx.request_body_truncated) {
    tx.request_body_truncated = true;
    Count(counters_, AppCounter::kHttpRequestBodyTruncated);
  }
  size_t n = std::min(room, bytes.size());
  tx.request_body.append(reinterpret_cast<const char*>(bytes.data()), n);
}

void HttpParser::StopDecompression(HttpTransaction& tx, BodyDecompressor::Status why) {
  decompressing_ = false;
  switch (why) {
    case BodyDecompressor::Status::kError:
      if (!(tx.flags & http_tx_flag::kDecompressFailed)) {
        tx.flags |= http_tx_flag::kDecompressFailed;
        Raise(&tx, Direction::kToClient, HttpEvent::kGzipDecompressionFailed);
      }
      break;
    case BodyDecompressor::Status::kBomb:
      tx.flags |= http_tx_flag::kCompressionBomb;
      Count(counters_, AppCounter::kHttpCompressionBombs);
      Raise(&tx, Direction::kToClient, HttpEvent::kCompressionBomb);
      break;
    case BodyDecompressor::Status::kFull:
      if (!tx.response_body_truncated) {
        tx.response_body_truncated = true;
        Count(counters_, AppCounter::kHttpResponseBodyTruncated);
      }
      break;
    default:
      break;
  }
}

void HttpParser::ResponseBody(HttpTransaction& tx, std::span<const uint8_t> bytes) {
  tx.response_body_len += bytes.size();
  if (tx.flags & http_tx_flag::kDecompressed) {
    if (!decompressing_) return;  // stopped (done, error, bomb, full, gap): nothing more kept
    size_t before = tx.response_body.size();
    bool passed = chain_.passed_through();
    BodyDecompressor::Limits lim{cfg_.decompress_max_output, cfg_.decompress_max_ratio,
                                 cfg_.decompress_ratio_min_output};
    auto st = chain_.Feed(bytes, tx.response_body, cfg_.response_body_limit, lim);
    if (!passed && chain_.passed_through()) {
      // A layer was not coded after all: its bytes went on raw (libhtp's passthrough).
      tx.flags |= http_tx_flag::kDecompressFailed;
      Raise(&tx, Direction::kToClient, HttpEvent::kGzipDecompressionFailed);
    }
    if (chain_.all_passthrough()) {
      tx.flags &= ~http_tx_flag::kDecompressed;
    } else {
      Count(counters_, AppCounter::kHttpDecompressedBytes,
            tx.response_body.size() >= before ? tx.response_body.size() - before : 0);
    }
    if (st != BodyDecompressor::Status::kOk) StopDecompression(tx, st);
    if (!decompressing_ && chain_.all_passthrough()) {
      // Nothing is decoded any more: later bytes of a passed-through body are kept raw.
      tx.flags &= ~http_tx_flag::kDecompressed;
    }
    return;
  }
  AppendBounded(tx, tx.response_body,
                std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void HttpParser::AppendBounded(HttpTransaction& tx, std::string& body, std::string_view bytes) {
  size_t room = body.size() < cfg_.response_body_limit
                    ? static_cast<size_t>(cfg_.response_body_limit - body.size())
                    : 0;
  if (bytes.size() > room && !tx.response_body_truncated) {
    tx.response_body_truncated = true;
    Count(counters_, AppCounter::kHttpResponseBodyTruncated);
  }
  body.append(bytes.substr(0, std::min(room, bytes.size())));
}

}  // namespace vigil::sensor
