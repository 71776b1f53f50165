// HttpContent: builds HTTP/1.1 request and response bytes as browsers and servers send them.
// Requests: GET or POST with Host, User-Agent, Accept, Accept-Language, Accept-Encoding, Cookie
// (sometimes), Content-Type + Content-Length bodies for POST, Connection. Responses: 200 / 301 /
// 404 with Date, Server, Content-Type, Content-Length or chunked Transfer-Encoding, and gzip
// Content-Encoding for some text bodies. The flow generator sends these over a TcpConversation.
//
//   HttpRequestSpec req = RandomHttpRequest(rng, "www.example.com");
//   WriteHttpRequest(rng, req, bytes);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/synth/gzip_encoder.h"
#include "tools/synth/rng.h"

namespace vigil::synth {

struct HttpRequestSpec {
  std::string method = "GET";
  std::string host;
  std::string uri = "/";
  std::string user_agent;
  bool cookie = false;
  bool keep_alive = true;
  bool accept_gzip = true;  // sends Accept-Encoding: gzip
  uint32_t body_len = 0;  // POST form body length
};

enum class HttpBodyKind { kHtml, kJson, kScript, kBinary, kPlain };

struct HttpResponseSpec {
  int status = 200;
  HttpBodyKind kind = HttpBodyKind::kHtml;
  uint32_t body_len = 0;   // before compression
  bool chunked = false;
  bool gzip = false;
  bool keep_alive = true;
  std::string content_type = "text/html";
  std::string location;    // 301 only
  std::string fixed_body;  // used verbatim when not empty (attack responses)
};

// A plausible request for host: method, path and query, User-Agent, cookie, POST body size.
HttpRequestSpec RandomHttpRequest(Rng& rng, const std::string& host);
// A plausible response to req; body sizes up to max_body.
HttpResponseSpec RandomHttpResponse(Rng& rng, const HttpRequestSpec& req, uint32_t max_body);

void WriteHttpRequest(Rng& rng, const HttpRequestSpec& req, std::vector<uint8_t>& out);
// date_s: the Date header's time (epoch seconds). body_scratch/gz_scratch are reused buffers.
Status WriteHttpResponse(Rng& rng, const HttpResponseSpec& resp, int64_t date_s,
                         GzipEncoder& gzip, std::vector<uint8_t>& body_scratch,
                         std::vector<uint8_t>& gz_scratch, std::vector<uint8_t>& out);

}  // namespace vigil::synth
