// HttpEvent: named HTTP anomalies, with Suricata's app-layer-event names ("http.*").
//
// The table doubles as the counter definitions: each event is counted under its own name when a
// parser records it. A transaction keeps the set of events raised while it was parsed
// (HttpTransaction::events), so `app-layer-event:http.missing_host_header` can match on it.
//
//   HttpEventName(HttpEvent::kRequestFieldTooLong) == "http.request_field_too_long"
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/counters.h"

namespace vigil::sensor {

// Index into kHttpEventDefs; keep the two in the same order. At most 64 (a tx keeps a bitmask).
enum class HttpEvent : uint8_t {
  kRequestFieldMissingColon,
  kResponseFieldMissingColon,
  kInvalidRequestChunkLen,
  kInvalidResponseChunkLen,
  kInvalidTransferEncodingValueInRequest,
  kInvalidTransferEncodingValueInResponse,
  kInvalidContentLengthFieldInRequest,
  kInvalidContentLengthFieldInResponse,
  kDuplicateContentLengthFieldInRequest,
  kDuplicateContentLengthFieldInResponse,
  k100ContinueAlreadySeen,
  kUnableToMatchResponseToRequest,
  kInvalidAuthorityPort,
  kRequestHeaderInvalid,
  kResponseHeaderInvalid,
  kMissingHostHeader,
  kHostHeaderAmbiguous,
  kInvalidRequestFieldFolding,
  kInvalidResponseFieldFolding,
  kRequestFieldTooLong,
  kResponseFieldTooLong,
  kRequestHeaderHostInvalid,
  kUriDelimNonCompliant,
  kMethodDelimNonCompliant,
  kRequestLineLeadingWhitespace,
  kResponseInvalidProtocol,
  kResponseInvalidStatus,
  kDoubleEncodedUri,
  kRequestLineInvalid,
  kRequestLineMissingProtocol,
  kGzipDecompressionFailed,
  kCompressionBomb,
  kRequestTooManyHeaders,
  kResponseTooManyHeaders,
  kResponseChunkedOldProto,
  kTooManyTransactions,
  kCount,
};

inline constexpr CounterDef kHttpEventDefs[] = {
    {"http.request_field_missing_colon", "request header line without a colon"},
    {"http.response_field_missing_colon", "response header line without a colon"},
    {"http.invalid_request_chunk_len", "request chunk size line that is not hex (request body abandoned)"},
    {"http.invalid_response_chunk_len", "response chunk size line that is not hex (response body abandoned)"},
    {"http.invalid_transfer_encoding_value_in_request", "request Transfer-Encoding other than chunked"},
    {"http.invalid_transfer_encoding_value_in_response", "response Transfer-Encoding other than chunked"},
    {"http.invalid_content_length_field_in_request", "request Content-Length that is not a number"},
    {"http.invalid_content_length_field_in_response", "response Content-Length that is not a number"},
    {"http.duplicate_content_length_field_in_request", "request with more than one Content-Length"},
    {"http.duplicate_content_length_field_in_response", "response with more than one Content-Length"},
    {"http.100_continue_already_seen", "second 100-Continue response for one request"},
    {"http.unable_to_match_response_to_request", "response with no outstanding request"},
    {"http.invalid_authority_port", "port in the Host header or URI authority is not a number in 1..65535"},
    {"http.request_header_invalid", "request header with an empty name or whitespace before the colon"},
    {"http.response_header_invalid", "response header with an empty name or whitespace before the colon"},
    {"http.missing_host_header", "HTTP/1.1 request without a Host header"},
    {"http.host_header_ambiguous", "URI authority and Host header name different hosts"},
    {"http.invalid_request_field_folding", "request continuation line with no header before it"},
    {"http.invalid_response_field_folding", "response continuation line with no header before it"},
    {"http.request_field_too_long", "request line or header longer than max_line_length, or header block over max_header_bytes"},
    {"http.response_field_too_long", "response line or header longer than max_line_length, or header block over max_header_bytes"},
    {"http.request_header_host_invalid", "Host header that is empty or holds invalid characters"},
    {"http.uri_delim_non_compliant", "URI terminated by a character other than a space"},
    {"http.method_delim_non_compliant", "method terminated by a character other than a space"},
    {"http.request_line_leading_whitespace", "request line starting with whitespace"},
    {"http.response_invalid_protocol", "response line not starting with HTTP/ (treated as an HTTP/0.9 body)"},
    {"http.response_invalid_status", "response status that is not a 3-digit number"},
    {"http.double_encoded_uri", "URI path with a percent-encoded percent sign followed by hex digits"},
    {"http.request_line_invalid", "request line with a protocol that is not HTTP/x.y"},
    {"http.request_line_missing_protocol", "request line without a protocol (HTTP/0.9)"},
    {"http.gzip_decompression_failed", "response body that failed to decompress (kept as far as decoded)"},
    {"http.compression_bomb", "response body decompression stopped: ratio or size cap exceeded"},
    {"http.request_too_many_headers", "request with more than max_header_count headers (rest ignored)"},
    {"http.response_too_many_headers", "response with more than max_header_count headers (rest ignored)"},
    {"http.response_chunked_old_proto", "chunked response with HTTP/1.0 or older"},
    {"http.too_many_transactions", "transaction queue full: parsing of the flow's requests stopped"},
};
static_assert(std::size(kHttpEventDefs) == static_cast<size_t>(HttpEvent::kCount));
static_assert(static_cast<size_t>(HttpEvent::kCount) <= 64);

inline std::string_view HttpEventName(HttpEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kHttpEventDefs) ? kHttpEventDefs[i].name : std::string_view("http.unknown");
}

}  // namespace vigil::sensor
