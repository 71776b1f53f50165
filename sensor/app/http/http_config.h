// HttpConfig: every limit and normalisation switch of the HTTP/1.x parser, with its default.
//
// Immutable after load; one instance is shared read-only by every worker's parsers. Defaults
// follow Suricata/libhtp where they have one (100 KiB body limits, libhtp's 18000-byte hard
// field limit and its IDS-personality URI decoding); Validate() rejects values that cannot work.
//
//   HttpConfig cfg;                       // defaults
//   cfg.response_body_limit = 1 << 20;
//   if (auto s = cfg.Validate(); !s) return s.error();
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/result.h"

namespace vigil::sensor {

// How `http.uri` is derived from `http.uri.raw` (the path part; the query string is kept raw as
// libhtp does). Defaults are libhtp's IDS personality, minus lowercasing, which Suricata turns off
// so that `http.uri` stays case-sensitive.
struct UriNormalizeConfig {
  bool decode_percent = true;       // %XX in the path is decoded (invalid encodings kept as is)
  bool decode_u_encoding = true;    // IIS %uXXXX: 00XX -> byte, fullwidth ASCII -> ASCII, else '?'
  bool decode_separators = true;    // %2F decodes to '/' (off: kept as "%2F")
  bool backslash_to_slash = true;   // '\' is a path separator
  bool compress_separators = true;  // "//" -> "/"
  bool remove_dot_segments = true;  // RFC 3986 5.2.4: "/a/./b/../c" -> "/a/c"
  bool lowercase = false;           // lowercase the path
};

struct HttpConfig {
  // Request line, response line, header line or chunk-size line: longer lines are cut to this
  // length (the rest of the line is skipped) and raise http.{request,response}_field_too_long.
  size_t max_line_length = 18000;
  // Headers kept per request or response; more raise http.*_too_many_headers and are skipped.
  size_t max_header_count = 1024;
  // Bytes of one header block kept (raw buffer and parsing); beyond it the remaining header lines
  // are skipped and http.*_field_too_long is raised once.
  size_t max_header_bytes = 64 * 1024;
  // Body bytes kept per transaction for inspection (Suricata's request-body-limit /
  // response-body-limit). The rest is counted (body_len) but not kept; 0 keeps nothing.
  uint64_t request_body_limit = 100 * 1024;
  uint64_t response_body_limit = 100 * 1024;  // applies to the decompressed body
  // Transactions a flow may hold at once (requests waiting for responses or for the consumer).
  // When full, http.too_many_transactions is raised and the flow's requests are no longer parsed.
  size_t max_transactions = 64;

  // Response bodies with Content-Encoding gzip, x-gzip or deflate are decompressed.
  bool decompress = true;
  // Decompression of one body stops (http.compression_bomb) once it has produced this many
  // bytes... Decompression also stops quietly at response_body_limit, so this cap matters when
  // the body limit is raised above it (Suricata's compression-bomb-limit, 1 MiB).
  uint64_t decompress_max_output = 1024 * 1024;
  // ... or once output / input exceeds this ratio after at least decompress_ratio_min_output
  // bytes of output, checked at every 4 KiB of output (0 disables the ratio check). Real pages
  // compress 3:1 to 20:1; a single deflate layer tops out near 1032:1, so a body of zeros is
  // caught early.
  uint32_t decompress_max_ratio = 200;
  uint64_t decompress_ratio_min_output = 64 * 1024;
  // Content-Encoding layers undone per body ("gzip, deflate" is two); tokens past this are
  // ignored (Suricata's response-body-decompress-layer-limit, default 2; at most 8). Each layer
  // has the caps above, so the work per body is bounded by layers x decompress_max_output.
  size_t decompress_max_layers = 2;

  UriNormalizeConfig uri;

  // Anomalies a flow keeps between two drains of its AnomalyLog (all are counted regardless).
  size_t max_pending_anomalies = 32;

  [[nodiscard]] Status Validate() const;
};

}  // namespace vigil::sensor
