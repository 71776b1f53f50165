// DnsConfig: the DNS parser's limits, with their defaults and what happens when one is hit.
//
//   DnsConfig cfg;  cfg.max_pointer_jumps = 8;
#pragma once

#include <cstddef>

#include "core/result.h"

namespace vigil::sensor {

struct DnsConfig {
  // Dotted-name text kept per name (RFC 1035: 255 octets on the wire, 253 as text). Longer
  // names are cut here and raise dns.name_too_long.
  size_t max_name_length = 255;
  // Labels kept per name (127 is the most a legal name can have); more raise
  // dns.too_many_labels and the name is cut.
  size_t max_labels = 127;
  // Compression pointers followed per name; one more raises dns.infinite_loop and the name is
  // cut there (legitimate names rarely need more than a handful).
  size_t max_pointer_jumps = 16;
  // Questions plus records decoded per message; the rest of the message is not decoded (and not
  // an anomaly: large zone transfers are legitimate).
  size_t max_records = 256;
  // Parsed messages a flow holds until the consumer drains them; more are counted
  // (app.dns.queue_full) and dropped.
  size_t max_queued_messages = 64;
  // Anomalies a flow keeps between two drains of its AnomalyLog (all are counted regardless).
  size_t max_pending_anomalies = 32;

  [[nodiscard]] Status Validate() const;
};

}  // namespace vigil::sensor
