// QueryControl: the client side of the control socket (control_server.h), used by `vigil status`
// and the tests. Sends one request line and returns the daemon's reply (one JSON document).
//
//   auto reply = QueryControl("/run/vigil/vigil-sensor-eth1.sock", "status", 2000);
//   if (!reply) ... reply.error().code == ErrorCode::kUnavailable: the daemon is not running
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::control {

// Longest reply accepted (a status document with every counter is a few tens of KiB).
constexpr size_t kMaxControlReplyBytes = 16u << 20;

// `request` is sent with a '\n' appended. timeout_ms bounds the connect and the whole exchange.
// Errors: kUnavailable (no daemon on that path, or no reply in time), kPermission (the socket's
// mode refuses us), kInvalidArgument (path not a socket / too long), kLimit, kIo.
[[nodiscard]] Result<std::string> QueryControl(const std::string& path, std::string_view request,
                                               int timeout_ms);

}  // namespace vigil::control
