// libFuzzer target for sensor/app/dns: the input is parsed as one DNS message (UDP), then as a
// DNS-over-TCP stream fed whole and in pieces; both feedings must yield identical messages.
// Invariants: names within max_name_length, records within max_records, queue bounded.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sensor/app/dns/dns_eve.h"
#include "sensor/app/dns/dns_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

std::string Describe(const DnsConfig& cfg, const DnsMessage& m) {
  std::string s = std::to_string(m.id) + "/" + std::to_string(m.flags) + "/" +
                  std::to_string(m.events) + "/" + std::to_string(m.malformed);
  size_t n = m.questions.size() + m.answers.size() + m.authorities.size() + m.additionals.size();
  FUZZ_CHECK(n <= cfg.max_records);
  for (auto& q : m.questions) {
    FUZZ_CHECK(q.name.size() <= cfg.max_name_length || q.name == "<root>");
    s += " q:" + q.name + ":" + q.type_name;
  }
  for (const auto* sec : {&m.answers, &m.authorities, &m.additionals}) {
    for (auto& r : *sec) {
      FUZZ_CHECK(r.name.size() <= cfg.max_name_length || r.name == "<root>");
      s += " r:" + r.name + ":" + r.type_name + ":" + r.rdata;
    }
  }
  DnsInfo info;
  std::vector<DnsAnswer> scratch;
  FillDnsAnswer(m, scratch, info);
  FillDnsQuery(m, 0, info);
  return s;
}

std::vector<std::string> RunTcp(const DnsConfig& cfg, const uint8_t* data, size_t size, size_t piece) {
  DnsParser p(cfg, nullptr);
  std::vector<std::string> out;
  for (size_t i = 0; i < size; i += piece) {
    p.OnData(Direction::kToServer, std::span<const uint8_t>(data + i, std::min(piece, size - i)));
    FUZZ_CHECK(p.message_count() <= cfg.max_queued_messages);
    p.Drain([&](const DnsMessage& m) { out.push_back(Describe(cfg, m)); });
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DnsConfig cfg;
  if (size > 0 && (data[0] & 1)) {
    cfg.max_name_length = 20;
    cfg.max_labels = 3;
    cfg.max_pointer_jumps = 2;
    cfg.max_records = 4;
    cfg.max_queued_messages = 2;
  }
  DnsMessage m;
  ParseDnsMessage(std::span<const uint8_t>(data, size), cfg, m);
  Describe(cfg, m);

  DnsParser udp(cfg, nullptr);
  udp.OnDatagram(Direction::kToClient, std::span<const uint8_t>(data, size));
  udp.Drain([&](const DnsMessage& msg) { Describe(cfg, msg); });

  // The queue bound drops messages depending on how often the consumer drains (per call here),
  // so the split comparison runs with a queue that cannot fill; the bound is checked above.
  DnsConfig roomy = cfg;
  roomy.max_queued_messages = size + 1;
  RunTcp(cfg, data, size, 3);
  std::vector<std::string> whole = RunTcp(roomy, data, size, size + 1);
  std::vector<std::string> ones = RunTcp(roomy, data, size, 1);
  FUZZ_CHECK(whole == ones);
  std::vector<std::string> odd = RunTcp(roomy, data, size, 7);
  FUZZ_CHECK(whole == odd);
  return 0;
}
