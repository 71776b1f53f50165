// AlertTable: the alerts of one eve.json as rows an analyst reads (`vigil rules test`):
//
//   pcap_cnt  sid      src → dst                               msg
//         4  2100498  10.0.0.1:80 → 10.0.0.2:41234            GPL ATTACK_RESPONSE id check returned root
//
//   auto rows = ReadAlerts("out/eve.json");
//   std::fputs(FormatAlertTable(*rows).c_str(), stdout);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::verify {

struct AlertRow {
  int64_t pcap_cnt = -1;  // -1 when the alert has none (e.g. raised at flow end)
  int64_t sid = 0;
  std::string msg;
  std::string src;  // "ip:port" (or "ip")
  std::string dst;
};

struct AlertList {
  std::vector<AlertRow> rows;
  size_t malformed_lines = 0;
  std::string first_error;
};

Result<AlertList> ReadAlerts(const std::string& eve_path);
std::string FormatAlertTable(const std::vector<AlertRow>& rows);

}  // namespace vigil::verify
