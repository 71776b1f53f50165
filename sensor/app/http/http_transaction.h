// HttpTransaction: one HTTP/1.x request and its response, with every buffer detection inspects.
//
// The parser fills a transaction as bytes arrive and hands it to the consumer when both sides are
// done (or at flow end, finished or not). All buffers are owned strings bounded by HttpConfig;
// the few `string_view` fields (user_agent, cookie, ...) point into the header list and stay
// valid as long as the transaction is not cleared, which is why it is neither copyable nor
// movable. The parser recycles transaction objects (Clear() keeps capacity).
//
// Buffers and the Suricata sticky buffers they serve:
//   method (http.method), uri (http.uri, normalised), uri_raw (http.uri.raw), protocol
//   (http.protocol), host (http.host: lowercased, port and trailing dots stripped), host_raw
//   (http.host.raw), user_agent, cookie (http.cookie: Cookie / Set-Cookie), request_content_type,
//   referer, request_line (http.request_line), request_header (http.header: "Name: value\r\n"
//   per header without Cookie, then "\r\n"), request_header_raw (http.header.raw),
//   request_header_names (http.header_names: "\r\nName1\r\nName2\r\n\r\n"), request_start
//   (http.start), request_body (http.request_body, bounded); and on the response side
//   response_line (http.response_line), status_code (http.stat_code), status_message
//   (http.stat_msg), location, server, response_header/_raw/_names/_start, response_body
//   (http.response_body: decompressed, bounded).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "sensor/app/http/http_event.h"

namespace vigil::sensor {

struct HttpHeader {
  std::string name;   // as first seen
  std::string value;  // duplicates joined with ", "; folded lines joined with " "
};

namespace http_tx_flag {
inline constexpr uint32_t kRequestGap = 1u << 0;         // request bytes lost
inline constexpr uint32_t kResponseGap = 1u << 1;        // response bytes lost
inline constexpr uint32_t kRequestIncomplete = 1u << 2;  // request side ended before completion
inline constexpr uint32_t kResponseIncomplete = 1u << 3; // response missing or cut short
inline constexpr uint32_t kHttp09 = 1u << 4;             // request without a protocol
inline constexpr uint32_t kUnmatchedResponse = 1u << 5;  // response with no request
inline constexpr uint32_t kDecompressed = 1u << 6;       // response_body is decompressed
inline constexpr uint32_t kDecompressFailed = 1u << 7;
inline constexpr uint32_t kCompressionBomb = 1u << 8;
inline constexpr uint32_t kProtocolSwitch = 1u << 9;     // 101 / CONNECT 2xx: tunnel follows
inline constexpr uint32_t kRequestChunked = 1u << 10;
inline constexpr uint32_t kResponseChunked = 1u << 11;
inline constexpr uint32_t kContinueSeen = 1u << 12;      // a 100-Continue preceded the response
inline constexpr uint32_t kRequestDecompressed = 1u << 13;  // request_body is decompressed
}  // namespace http_tx_flag

struct HttpTransaction {
  HttpTransaction() = default;
  HttpTransaction(const HttpTransaction&) = delete;
  HttpTransaction& operator=(const HttpTransaction&) = delete;

  uint64_t id = 0;  // per flow, from 0 (Suricata's tx_id)
  bool request_started = false;
  bool request_done = false;
  bool response_started = false;
  bool response_done = false;
  uint32_t flags = 0;   // http_tx_flag bits
  uint64_t events = 0;  // bit i set: HttpEvent i was raised on this transaction

  // ---- request ----
  std::string request_line;
  std::string method;
  std::string uri_raw;
  std::string uri;
  std::string protocol;
  std::vector<HttpHeader> request_headers;
  std::string request_header_raw;
  std::string request_header;
  std::string request_header_names;
  std::string request_start;
  std::string host;      // normalised
  std::string_view host_raw;
  std::optional<uint16_t> host_port;
  std::string_view user_agent;
  std::string_view cookie;
  std::string_view request_content_type;
  std::string_view referer;
  std::string_view xff;
  std::optional<uint64_t> request_content_length;
  std::string request_body;        // first request_body_limit bytes (de-chunked)
  uint64_t request_body_len = 0;   // all body bytes seen (de-chunked, gaps included)
  bool request_body_truncated = false;

  // ---- response ----
  std::string response_line;
  std::string response_protocol;
  std::optional<uint16_t> status_code;
  std::string status_message;
  std::vector<HttpHeader> response_headers;
  std::string response_header_raw;
  std::string response_header;
  std::string response_header_names;
  std::string response_start;
  std::string_view location;
  std::string_view server;
  std::string_view set_cookie;
  std::string_view response_content_type;
  std::string_view content_encoding;
  std::optional<uint64_t> response_content_length;
  std::string response_body;       // first response_body_limit bytes, decompressed if encoded
  uint64_t response_body_len = 0;  // body bytes on the wire (de-chunked, gaps included)
  bool response_body_truncated = false;

 private:
  std::vector<HttpHeader> spare_headers_;  // cleared headers whose strings keep their buffers

 public:
  bool done() const { return request_done && response_done; }
  bool HasEvent(HttpEvent e) const { return (events >> static_cast<unsigned>(e)) & 1u; }
  const HttpHeader* FindRequestHeader(std::string_view name) const;
  const HttpHeader* FindResponseHeader(std::string_view name) const;

  // Back to an empty transaction; strings and vectors keep their capacity (header objects are
  // kept aside and reused, so steady keep-alive traffic does not allocate per header).
  void Clear();
  // Appends a header to `list` (request_headers or response_headers), reusing a spare object.
  void AppendHeader(std::vector<HttpHeader>& list, std::string_view name, std::string_view value);
  // Fills the EVE payload; `info` points into this transaction.
  void FillHttpInfo(HttpInfo& info) const;
};

// Builds header, header_names and start buffers from a header list, as Suricata lays them out.
// `skip_cookie_name` names the header left out of the normalised header buffer ("Cookie" for
// requests, "Set-Cookie" for responses).
void BuildHeaderBuffers(std::string_view first_line, const std::vector<HttpHeader>& headers,
                        std::string_view skip_cookie_name, std::string& header,
                        std::string& names, std::string& start);

}  // namespace vigil::sensor
