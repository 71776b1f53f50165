// ControlRequest: what a client may ask a daemon on its control socket. The wire format is one
// text line (at most kMaxControlRequestBytes, terminated by '\n' or the end of the stream):
//
//   status        the live report: program, version, uptime, counters, live rule set (JSON)
//   ping          {"pong":true,...}: is the daemon alive?
//   help          the list of requests
//
// A request is exactly one word (a "\r\n" ending is accepted; spaces or arguments are not).
// Requests come from outside the process (any local
// user allowed to open the socket), so ParseControlRequest accepts arbitrary bytes and returns an
// Error (sent back as {"error": ...}) for anything else; it never reads past the input.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace vigil::control {

constexpr size_t kMaxControlRequestBytes = 256;

enum class ControlVerb { kStatus, kPing, kHelp };

struct ControlRequest {
  ControlVerb verb = ControlVerb::kStatus;
};

std::string_view ControlVerbName(ControlVerb verb);

// Parses one request line (with or without its '\n'; a "\r\n" ending is accepted too).
[[nodiscard]] Result<ControlRequest> ParseControlRequest(std::string_view line);

// The text of the `help` reply's "requests" array entries, in order.
inline constexpr std::string_view kControlHelp[] = {
    "status: counters, uptime, version and live rule set (JSON)",
    "ping: checks that the daemon answers",
    "help: this list",
};

}  // namespace vigil::control
