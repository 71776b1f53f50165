#include "sensor/app/dns/dns_eve.h"

#include "sensor/app/dns/dns_names.h"

namespace vigil::sensor {

void FillDnsQuery(const DnsMessage& m, size_t question, DnsInfo& out) {
  out = DnsInfo{};
  out.kind = DnsInfo::Kind::kQuery;
  out.id = m.id;
  out.flags = m.flags;
  if (question < m.questions.size()) {
    out.rrname = m.questions[question].name;
    out.rrtype = m.questions[question].type_name;
  }
}

void FillDnsAnswer(const DnsMessage& m, std::vector<DnsAnswer>& scratch, DnsInfo& out) {
  out = DnsInfo{};
  out.kind = DnsInfo::Kind::kAnswer;
  out.id = m.id;
  out.flags = m.flags;
  if (!m.questions.empty()) {
    out.rrname = m.questions[0].name;
    out.rrtype = m.questions[0].type_name;
  }
  // Codes 0..23 have static names; the header's 4-bit rcode always does except 11..15.
  out.rcode = DnsRcodeName(m.rcode());
  scratch.clear();
  for (const DnsRecord& r : m.answers) {
    scratch.push_back(DnsAnswer{r.name, r.type_name, r.ttl, r.rdata});
  }
  out.answers = scratch;
}

}  // namespace vigil::sensor
