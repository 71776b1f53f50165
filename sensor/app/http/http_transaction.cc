#include "sensor/app/http/http_transaction.h"

#include "sensor/app/http/uri_normalizer.h"

namespace vigil::sensor {
namespace {

const HttpHeader* Find(const std::vector<HttpHeader>& hs, std::string_view name) {
  for (const HttpHeader& h : hs) {
    if (EqualsNoCase(h.name, name)) return &h;
  }
  return nullptr;
}

}  // namespace

const HttpHeader* HttpTransaction::FindRequestHeader(std::string_view name) const {
  return Find(request_headers, name);
}
const HttpHeader* HttpTransaction::FindResponseHeader(std::string_view name) const {
  return Find(response_headers, name);
}

void HttpTransaction::AppendHeader(std::vector<HttpHeader>& list, std::string_view name,
                                   std::string_view value) {
  if (spare_headers_.empty()) {
    list.push_back(HttpHeader{std::string(name), std::string(value)});
    return;
  }
  list.push_back(std::move(spare_headers_.back()));
  spare_headers_.pop_back();
  list.back().name.assign(name);
  list.back().value.assign(value);
}

void HttpTransaction::Clear() {
  // Keep a bounded number of header objects for reuse (typical messages carry 5..30 headers).
  constexpr size_t kMaxSpare = 64;
  for (auto* list : {&request_headers, &response_headers}) {
    for (HttpHeader& h : *list) {
      if (spare_headers_.size() >= kMaxSpare) break;
      spare_headers_.push_back(std::move(h));
    }
    list->clear();
  }
  id = 0;
  request_started = request_done = response_started = response_done = false;
  flags = 0;
  events = 0;
  request_line.clear();
  method.clear();
  uri_raw.clear();
  uri.clear();
  protocol.clear();
  request_header_raw.clear();
  request_header.clear();
  request_header_names.clear();
  request_start.clear();
  host.clear();
  host_raw = {};
  host_port.reset();
  user_agent = cookie = request_content_type = referer = xff = {};
  request_content_length.reset();
  request_body.clear();
  request_body_len = 0;
  request_body_truncated = false;
  response_line.clear();
  response_protocol.clear();
  status_code.reset();
  status_message.clear();
  response_header_raw.clear();
  response_header.clear();
  response_header_names.clear();
  response_start.clear();
  location = server = set_cookie = response_content_type = content_encoding = {};
  response_content_length.reset();
  response_body.clear();
  response_body_len = 0;
  response_body_truncated = false;
}

void HttpTransaction::FillHttpInfo(HttpInfo& info) const {
  info = HttpInfo{};
  info.hostname = host;
  info.http_port = host_port;
  info.url = uri_raw;  // EVE's "url" is the request target as sent
  info.http_user_agent = user_agent;
  info.xff = xff;
  // Suricata logs the response's content type without parameters.
  std::string_view ct = response_content_type;
  if (size_t semi = ct.find(';'); semi != std::string_view::npos) ct = ct.substr(0, semi);
  while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.remove_suffix(1);
  info.http_content_type = ct;
  info.http_refer = referer;
  info.http_method = method;
  info.protocol = protocol;
  info.status = status_code;
  info.redirect = location;
  if (response_started) info.length = response_body_len;
}

void BuildHeaderBuffers(std::string_view first_line, const std::vector<HttpHeader>& headers,
                        std::string_view skip_cookie_name, std::string& header,
                        std::string& names, std::string& start) {
  header.clear();
  names.clear();
  start.clear();
  start.append(first_line);
  start.append("\r\n");
  names.append("\r\n");
  for (const HttpHeader& h : headers) {
    names.append(h.name);
    names.append("\r\n");
    start.append(h.name);
    start.append(": ");
    start.append(h.value);
    start.append("\r\n");
    if (EqualsNoCase(h.name, skip_cookie_name)) continue;
    header.append(h.name);
    header.append(": ");
    header.append(h.value);
    header.append("\r\n");
  }
  header.append("\r\n");
  names.append("\r\n");
  start.append("\r\n");
}

}  // namespace vigil::sensor
