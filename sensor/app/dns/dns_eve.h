// Mapping of a parsed DnsMessage onto core's EVE payload DnsInfo (core/event.h).
//
// Suricata writes one "query" event per question of a request and one "answer" event per
// response. The DnsInfo views point into the message (and `scratch` for answers), so the
// message must not be recycled before the event is written.
//
//   DnsInfo info;
//   for (size_t i = 0; i < m.questions.size(); ++i) { FillDnsQuery(m, i, info); Write(info); }
//   std::vector<DnsAnswer> scratch;  FillDnsAnswer(m, scratch, info);
#pragma once

#include <vector>

#include "core/event.h"
#include "sensor/app/dns/dns_message.h"

namespace vigil::sensor {

void FillDnsQuery(const DnsMessage& m, size_t question, DnsInfo& out);
// Answers section only (as Suricata's default answer logging); `scratch` is reused storage.
void FillDnsAnswer(const DnsMessage& m, std::vector<DnsAnswer>& scratch, DnsInfo& out);

}  // namespace vigil::sensor
