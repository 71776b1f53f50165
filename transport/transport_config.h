// Transport configuration keys: declares them in a ConfigSchema (core/config_schema.h) under a
// caller-chosen prefix and builds SenderOptions / ReceiverOptions from a loaded Config, reading
// the key files and the allow list the keys name. The sensor declares a sender; a provincial
// correlator declares a receiver (from its sensors) and a sender (to the national level) under
// two different prefixes.
//
//   ConfigSchema schema;
//   DeclareSenderConfig(schema, "transport");            // transport.upstream, transport.origin...
//   DeclareReceiverConfig(schema, "listen");              // listen.bind, listen.curve.allow-list...
//   VIGIL_TRY(auto cfg, Config::LoadFile(path, schema));
//   VIGIL_TRY(SenderOptions so, SenderOptionsFromConfig(cfg, "transport"));
//
// Defaults are those of SenderOptions / ReceiverOptions / SpoolOptions (one source of truth is
// the struct; transport_config_test checks the declared defaults equal them).
#pragma once

#include <string>
#include <string_view>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/result.h"
#include "transport/receiver.h"
#include "transport/sender.h"

namespace vigil::transport {

// <prefix>.upstream, .origin, .insecure, .curve.server-public-key-file, .curve.secret-key-file,
// .batch.max-events, .batch.max-bytes, .batch.linger, .window, .spool-group-batches,
// .ack-timeout, .heartbeat-interval, .peer-timeout, .reconnect-interval, .max-pending-bytes,
// .max-frame-bytes, .spool.max-bytes, .spool.full-policy, .spool.sync
void DeclareSenderConfig(ConfigSchema& schema, std::string_view prefix);
// <prefix>.bind, .insecure, .curve.secret-key-file, .curve.allow-list, .max-frame-bytes,
// .max-staged-batches, .sync, .receive-hwm, .control.max-pending, .control.resend
void DeclareReceiverConfig(ConfigSchema& schema, std::string_view prefix);

// "<prefix>.<key>": the full path of a key declared under a prefix.
std::string PrefixedKey(std::string_view prefix, std::string_view key);

// Reads the keys (and, unless insecure, the key files / allow list they name). The control
// handler is not configuration: the caller sets on_control.
[[nodiscard]] Result<SenderOptions> SenderOptionsFromConfig(const Config& config, std::string_view prefix);
[[nodiscard]] Result<ReceiverOptions> ReceiverOptionsFromConfig(const Config& config, std::string_view prefix);

}  // namespace vigil::transport
