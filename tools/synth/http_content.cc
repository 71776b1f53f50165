#include "tools/synth/http_content.h"

#include <cstdio>
#include <ctime>
#include <iterator>
#include <string_view>

#include <zlib.h>

#include "tools/synth/catalog.h"

namespace vigil::synth {
namespace {

void Append(std::vector<uint8_t>& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

void AppendHeader(std::vector<uint8_t>& out, std::string_view name, std::string_view value) {
  Append(out, name);
  Append(out, ": ");
  Append(out, value);
  Append(out, "\r\n");
}

void AppendNumber(std::vector<uint8_t>& out, uint64_t v, const char* fmt = "%llu") {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned long long>(v));
  out.insert(out.end(), buf, buf + n);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Word(Rng& rng) { return rng.Pick(catalog::Words()); }

// Text of about `len` bytes in the style of `kind`.
void FillText(Rng& rng, HttpBodyKind kind, uint32_t len, std::vector<uint8_t>& out) {
  out.clear();
  std::string_view head, tail;
  switch (kind) {
    case HttpBodyKind::kHtml:
      head = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Portal</title></head>\n<body>\n";
      tail = "</body>\n</html>\n";
      break;
    case HttpBodyKind::kJson:
      head = "{\"items\":[";
      tail = "{\"id\":0}]}\n";
      break;
    default:
      break;
  }
  Append(out, head);
  const size_t stop = len > tail.size() + head.size() ? len - tail.size() : head.size();
  uint64_t n = 0;
  while (out.size() < stop) {
    switch (kind) {
      case HttpBodyKind::kHtml:
        Append(out, "<p class=\"");
        Append(out, Word(rng));
        Append(out, "\">");
        for (int i = 0; i < 12; ++i) {
          Append(out, Word(rng));
          out.push_back(' ');
        }
        Append(out, "</p>\n");
        break;
      case HttpBodyKind::kJson:
        Append(out, "{\"id\":");
        AppendNumber(out, ++n);
        Append(out, ",\"name\":\"");
        Append(out, Word(rng));
        out.push_back(' ');
        Append(out, Word(rng));
        Append(out, "\",\"score\":");
        AppendNumber(out, rng.Below(10000));
        Append(out, "},");
        break;
      case HttpBodyKind::kScript:
        Append(out, "function ");
        Append(out, Word(rng));
        AppendNumber(out, ++n);
        Append(out, "(a,b){var x=\"");
        Append(out, Word(rng));
        Append(out, "\";return a+b+x.length;}\n");
        break;
      default:
        for (int i = 0; i < 10; ++i) {
          Append(out, Word(rng));
          out.push_back(i == 9 ? '\n' : ' ');
        }
        break;
    }
  }
  Append(out, tail);
}

void Put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

// Random bytes of about `len` bytes, wrapped so that image decoders accept them: a PNG whose
// chunks have correct lengths and CRCs, or a baseline JPEG whose entropy-coded segment holds no
// 0xFF (which would start a marker). Other types get plain random bytes.
void FillBinary(Rng& rng, std::string_view content_type, uint32_t len, std::vector<uint8_t>& out) {
  out.clear();
  if (content_type == "image/png") {
    static constexpr uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    out.insert(out.end(), std::begin(kSignature), std::end(kSignature));
    auto chunk = [&](const char* type, const uint8_t* data, uint32_t n, bool random) {
      Put32(out, n);
      const size_t type_at = out.size();
      out.insert(out.end(), type, type + 4);
      const size_t data_at = out.size();
      if (random) {
        out.resize(data_at + n);
        rng.Fill(out.data() + data_at, n);
      } else if (n > 0) {
        out.insert(out.end(), data, data + n);
      }
      const uLong crc = crc32(0, out.data() + type_at, static_cast<uInt>(4 + n));
      Put32(out, static_cast<uint32_t>(crc));
    };
    const uint8_t ihdr[13] = {0, 0, 2, 0, 0, 0, 1, 0x80, 8, 2, 0, 0, 0};  // 512x384, 8-bit RGB
    chunk("IHDR", ihdr, sizeof ihdr, false);
    const uint32_t data = len > 64 ? len - 64 : 16;
    chunk("IDAT", nullptr, data, true);
    chunk("IEND", nullptr, 0, false);
    return;
  }
  if (content_type == "image/jpeg") {
    static constexpr uint8_t kHeader[] = {
        0xFF, 0xD8,                                                          // SOI
        0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00,  // APP0 JFIF 1.1
        0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x80, 0x02, 0x00, 0x03,          // SOF0 512x384, 3 comps
        0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11,    // SOS
        0x00, 0x3F, 0x00};
    out.insert(out.end(), std::begin(kHeader), std::end(kHeader));
    const size_t at = out.size();
    const size_t n = len > sizeof kHeader + 2 ? len - sizeof kHeader - 2 : 16;
    out.resize(at + n);
    rng.Fill(out.data() + at, n);
    for (size_t i = at; i < out.size(); ++i) {
      if (out[i] == 0xFF) out[i] = 0xFE;
    }
    out.push_back(0xFF);  // EOI
    out.push_back(0xD9);
    return;
  }
  out.resize(len);
  rng.Fill(out.data(), out.size());
}

std::string_view ContentType(HttpBodyKind kind, std::string_view uri) {
  switch (kind) {
    case HttpBodyKind::kHtml: return "text/html; charset=utf-8";
    case HttpBodyKind::kJson: return "application/json";
    case HttpBodyKind::kScript: return EndsWith(uri, ".css") ? "text/css" : "application/javascript";
    case HttpBodyKind::kPlain: return "text/plain; charset=utf-8";
    case HttpBodyKind::kBinary:
      if (EndsWith(uri, ".jpg")) return "image/jpeg";
      if (EndsWith(uri, ".png")) return "image/png";
      if (EndsWith(uri, ".ico")) return "image/x-icon";
      return "application/octet-stream";
  }
  return "application/octet-stream";
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 404: return "Not Found";
    default: return "OK";
  }
}

}  // namespace

HttpRequestSpec RandomHttpRequest(Rng& rng, const std::string& host) {
  HttpRequestSpec r;
  r.host = host;
  r.user_agent = std::string(rng.Pick(catalog::UserAgents()));
  const bool tool = r.user_agent.starts_with("curl") || r.user_agent.starts_with("Wget") ||
                    r.user_agent.starts_with("Debian") || r.user_agent.starts_with("Microsoft");
  r.accept_gzip = !tool;
  r.cookie = !tool && rng.Chance(0.4);
  std::string uri(rng.Pick(catalog::UriPaths()));
  if (uri == "/login" || uri == "/api/v1/items" || uri == "/cart") {
    if (rng.Chance(0.6)) {
      r.method = "POST";
      r.body_len = static_cast<uint32_t>(rng.LogRange(16, 4096));
    }
  }
  if (r.method == "GET" && (uri == "/search" || uri == "/products/list" || rng.Chance(0.2))) {
    const int params = 1 + static_cast<int>(rng.Below(3));
    for (int i = 0; i < params; ++i) {
      uri += i == 0 ? '?' : '&';
      uri += rng.Pick(catalog::QueryKeys());
      uri += '=';
      if (rng.Chance(0.5)) {
        uri += std::to_string(rng.Below(100000));
      } else {
        uri += Word(rng);
        uri += '+';
        uri += Word(rng);
      }
    }
  }
  r.uri = std::move(uri);
  return r;
}

HttpResponseSpec RandomHttpResponse(Rng& rng, const HttpRequestSpec& req, uint32_t max_body) {
  HttpResponseSpec s;
  s.keep_alive = req.keep_alive;
  const uint64_t roll = rng.Below(100);
  if (req.method == "GET" && roll < 7) {
    s.status = 301;
    s.location = "https://" + req.host + req.uri;
  } else if (roll >= 92) {
    s.status = 404;
  }
  const std::string_view path = std::string_view(req.uri).substr(0, req.uri.find('?'));
  if (s.status != 200) {
    s.kind = HttpBodyKind::kHtml;
    s.body_len = static_cast<uint32_t>(rng.Range(150, 400));
    s.content_type = ContentType(s.kind, path);
    return s;
  }
  auto cap = [&](uint64_t v) { return static_cast<uint32_t>(v < max_body ? v : max_body); };
  if (EndsWith(path, ".js") || EndsWith(path, ".css")) {
    s.kind = HttpBodyKind::kScript;
    s.body_len = cap(rng.LogRange(1024, 256 * 1024));
  } else if (EndsWith(path, ".jpg") || EndsWith(path, ".png") || EndsWith(path, ".ico") ||
             EndsWith(path, ".exe") || EndsWith(path, "InRelease")) {
    s.kind = HttpBodyKind::kBinary;
    s.body_len = cap(rng.LogRange(1024, max_body));
  } else if (path.starts_with("/api") || req.method == "POST") {
    s.kind = HttpBodyKind::kJson;
    s.body_len = cap(rng.LogRange(64, 16 * 1024));
  } else if (EndsWith(path, ".txt") || EndsWith(path, ".xml") || path.find("ChangeLog") != std::string_view::npos) {
    s.kind = HttpBodyKind::kPlain;
    s.body_len = cap(rng.LogRange(256, 128 * 1024));
  } else {
    s.kind = HttpBodyKind::kHtml;
    s.body_len = cap(rng.LogRange(512, 128 * 1024));
  }
  s.gzip = req.accept_gzip && s.kind != HttpBodyKind::kBinary && s.body_len <= 64 * 1024 && rng.Chance(0.5);
  s.chunked = rng.Chance(0.25);
  s.content_type = ContentType(s.kind, path);
  return s;
}

void WriteHttpRequest(Rng& rng, const HttpRequestSpec& req, std::vector<uint8_t>& out) {
  out.clear();
  Append(out, req.method);
  out.push_back(' ');
  Append(out, req.uri);
  Append(out, " HTTP/1.1\r\n");
  AppendHeader(out, "Host", req.host);
  AppendHeader(out, "User-Agent", req.user_agent);
  AppendHeader(out, "Accept", rng.Pick(catalog::Accepts()));
  if (req.accept_gzip) {
    AppendHeader(out, "Accept-Language", "en-US,en;q=0.9");
    AppendHeader(out, "Accept-Encoding", "gzip, deflate");
  }
  if (req.cookie) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "session=%016llx%08llx; _ga=GA1.2.%llu.%llu",
                  static_cast<unsigned long long>(rng.Next()),
                  static_cast<unsigned long long>(rng.Below(1ull << 32)),
                  static_cast<unsigned long long>(rng.Range(100000000, 999999999)),
                  static_cast<unsigned long long>(rng.Range(1600000000, 1704000000)));
    AppendHeader(out, "Cookie", buf);
  }
  if (req.method == "POST") {
    // application/x-www-form-urlencoded: key=value pairs of words and numbers.
    std::string form;
    while (form.size() < req.body_len) {
      if (!form.empty()) form += '&';
      form += rng.Pick(catalog::QueryKeys());
      form += '=';
      form += Word(rng);
      form += std::to_string(rng.Below(1000));
    }
    AppendHeader(out, "Content-Type", "application/x-www-form-urlencoded");
    AppendHeader(out, "Content-Length", std::to_string(form.size()));
    AppendHeader(out, "Connection", req.keep_alive ? "keep-alive" : "close");
    Append(out, "\r\n");
    Append(out, form);
    return;
  }
  AppendHeader(out, "Connection", req.keep_alive ? "keep-alive" : "close");
  Append(out, "\r\n");
}

Status WriteHttpResponse(Rng& rng, const HttpResponseSpec& resp, int64_t date_s,
                         GzipEncoder& gzip, std::vector<uint8_t>& body,
                         std::vector<uint8_t>& gz, std::vector<uint8_t>& out) {
  // Body first: the headers need its final length.
  if (!resp.fixed_body.empty()) {
    body.assign(resp.fixed_body.begin(), resp.fixed_body.end());
  } else if (resp.status != 200) {
    const char* title = resp.status == 301 ? "301 Moved Permanently" : "404 Not Found";
    char buf[512];
    const int n = std::snprintf(buf, sizeof buf,
                                "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n"
                                "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                                title, title);
    body.assign(buf, buf + n);
  } else if (resp.kind == HttpBodyKind::kBinary) {
    FillBinary(rng, resp.content_type, resp.body_len, body);
  } else {
    FillText(rng, resp.kind, resp.body_len, body);
  }
  const std::vector<uint8_t>* payload = &body;
  if (resp.gzip) {
    VIGIL_CHECK_OK(gzip.Compress(body, gz));
    payload = &gz;
  }

  out.clear();
  char line[64];
  std::snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", resp.status, Reason(resp.status));
  Append(out, line);
  char date[64];
  const time_t t = static_cast<time_t>(date_s);
  tm parts{};
  gmtime_r(&t, &parts);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  AppendHeader(out, "Date", date);
  AppendHeader(out, "Server", rng.Pick(catalog::Servers()));
  AppendHeader(out, "Content-Type", resp.content_type);
  if (resp.status == 301) AppendHeader(out, "Location", resp.location);
  if (resp.gzip) AppendHeader(out, "Content-Encoding", "gzip");
  if (resp.status == 200 && rng.Chance(0.3)) AppendHeader(out, "Cache-Control", "max-age=3600");
  if (resp.chunked) {
    AppendHeader(out, "Transfer-Encoding", "chunked");
  } else {
    AppendHeader(out, "Content-Length", std::to_string(payload->size()));
  }
  AppendHeader(out, "Connection", resp.keep_alive ? "keep-alive" : "close");
  Append(out, "\r\n");
  if (!resp.chunked) {
    out.insert(out.end(), payload->begin(), payload->end());
    return Ok();
  }
  size_t pos = 0;
  while (pos < payload->size()) {
    const size_t n = std::min<size_t>(payload->size() - pos, rng.Range(256, 16384));
    AppendNumber(out, n, "%llx");
    Append(out, "\r\n");
    out.insert(out.end(), payload->begin() + static_cast<std::ptrdiff_t>(pos),
               payload->begin() + static_cast<std::ptrdiff_t>(pos + n));
    Append(out, "\r\n");
    pos += n;
  }
  Append(out, "0\r\n\r\n");
  return Ok();
}

}  // namespace vigil::synth
