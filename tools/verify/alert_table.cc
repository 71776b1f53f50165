#include "tools/verify/alert_table.h"

#include <algorithm>
#include <cstdio>

#include "tools/verify/json_lines.h"

namespace vigil::verify {

namespace {

std::string Str(simdjson::dom::element rec, const char* key) {
  std::string_view s;
  return rec[key].get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

std::string Endpoint(simdjson::dom::element rec, const char* ip_key, const char* port_key) {
  std::string ip = Str(rec, ip_key);
  int64_t port = 0;
  if (rec[port_key].get(port) == simdjson::SUCCESS) {
    return ip.find(':') != std::string::npos ? "[" + ip + "]:" + std::to_string(port) : ip + ":" + std::to_string(port);
  }
  return ip;
}

}  // namespace

Result<AlertList> ReadAlerts(const std::string& eve_path) {
  AlertList out;
  auto stats = ReadJsonLines(eve_path, [&](simdjson::dom::element rec) {
    if (Str(rec, "event_type") != "alert") return;
    AlertRow row;
    int64_t v = 0;
    if (rec["pcap_cnt"].get(v) == simdjson::SUCCESS) row.pcap_cnt = v;
    if (rec.at_pointer("/alert/signature_id").get(v) == simdjson::SUCCESS) row.sid = v;
    std::string_view msg;
    if (rec.at_pointer("/alert/signature").get(msg) == simdjson::SUCCESS) row.msg = std::string(msg);
    row.src = Endpoint(rec, "src_ip", "src_port");
    row.dst = Endpoint(rec, "dest_ip", "dest_port");
    out.rows.push_back(std::move(row));
  });
  if (!stats) return stats.error();
  out.malformed_lines = stats->malformed;
  out.first_error = stats->first_error;
  return out;
}

std::string FormatAlertTable(const std::vector<AlertRow>& rows) {
  size_t flow_width = 10;
  for (const AlertRow& r : rows) flow_width = std::max(flow_width, r.src.size() + r.dst.size() + 3);
  flow_width = std::min<size_t>(flow_width, 60);
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%8s  %-10s  %-*s  %s\n", "pcap_cnt", "sid", static_cast<int>(flow_width),
                "src -> dst", "msg");
  std::string s = buf;
  for (const AlertRow& r : rows) {
    const std::string cnt = r.pcap_cnt >= 0 ? std::to_string(r.pcap_cnt) : "-";
    const std::string flow = r.src + " -> " + r.dst;
    std::snprintf(buf, sizeof(buf), "%8s  %-10lld  %-*s  ", cnt.c_str(), static_cast<long long>(r.sid),
                  static_cast<int>(flow_width), flow.c_str());
    s += buf + r.msg + "\n";
  }
  s += std::to_string(rows.size()) + (rows.size() == 1 ? " alert\n" : " alerts\n");
  return s;
}

}  // namespace vigil::verify
