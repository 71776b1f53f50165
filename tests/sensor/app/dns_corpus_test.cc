// DNS over UDP on the shared corpus pcaps (../shared/corpus/pcaps): every IPv4 UDP port-53
// payload is parsed by DnsParser, and the number of queries and responses is compared with
// tshark's (skipped when tshark or the corpus is missing). Ethernet/VLAN/IPv4/UDP are decoded by
// hand here: the app layer depends on no other sensor stage.
#include <pcap/pcap.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/counters.h"
#include "sensor/app/dns/dns_parser.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct PipeCloser {
  void operator()(FILE* f) const { pclose(f); }
};

const fs::path kCorpus = "../shared/corpus/pcaps";

long TsharkCount(const fs::path& file, const std::string& filter) {
  std::string cmd = "tshark -n -r '" + file.string() + "' -Y '" + filter +
                    "' -T fields -e frame.number 2>/dev/null | wc -l";
  std::unique_ptr<FILE, PipeCloser> pipe(popen(cmd.c_str(), "r"));
  if (!pipe) return -1;
  long n = -1;
  if (std::fscanf(pipe.get(), "%ld", &n) != 1) return -1;
  return n;
}

// The UDP payload of an Ethernet frame carrying unfragmented IPv4/UDP with port 53 on either
// side; empty otherwise. `to_server` is set when the destination port is 53.
std::span<const uint8_t> DnsPayload(const uint8_t* p, size_t n, bool* to_server) {
  if (n < 14) return {};
  size_t off = 12;
  uint16_t type = static_cast<uint16_t>((p[off] << 8) | p[off + 1]);
  off += 2;
  while ((type == 0x8100 || type == 0x88a8) && n >= off + 4) {
    type = static_cast<uint16_t>((p[off + 2] << 8) | p[off + 3]);
    off += 4;
  }
  if (type != 0x0800 || n < off + 20) return {};
  const uint8_t* ip = p + off;
  size_t ihl = size_t{ip[0] & 0x0fu} * 4;
  size_t total = (size_t{ip[2]} << 8) | ip[3];
  uint16_t frag = static_cast<uint16_t>(((ip[6] << 8) | ip[7]) & 0x3fff);
  if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || frag != 0) return {};
  if (total > n - off || total < ihl + 8) return {};
  const uint8_t* udp = ip + ihl;
  uint16_t sport = static_cast<uint16_t>((udp[0] << 8) | udp[1]);
  uint16_t dport = static_cast<uint16_t>((udp[2] << 8) | udp[3]);
  size_t ulen = (size_t{udp[4]} << 8) | udp[5];
  if (sport != 53 && dport != 53) return {};
  if (ulen < 8 || ulen > total - ihl) return {};
  *to_server = dport == 53;
  return std::span<const uint8_t>(udp + 8, ulen - 8);
}

TEST(DnsCorpus, QueryAndResponseCountsMatchTshark) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark missing";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kCorpus, ec)) {
    if (e.path().extension() == ".pcap") files.push_back(e.path());
  }
  if (files.empty()) GTEST_SKIP() << "no corpus at " << kCorpus;
  long total_queries = 0;
  for (const fs::path& f : files) {
    CounterRegistry registry;
    AppCounters counters = *RegisterAppCounters(registry);
    counters.block = registry.NewBlock("t");
    DnsConfig cfg;
    DnsParser parser(cfg, &counters);
    char err[PCAP_ERRBUF_SIZE];
    std::unique_ptr<pcap_t, PcapCloser> pcap(pcap_open_offline(f.c_str(), err));
    ASSERT_TRUE(pcap) << err;
    ASSERT_EQ(pcap_datalink(pcap.get()), DLT_EN10MB) << f;
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    size_t malformed_queries = 0;
    while (pcap_next_ex(pcap.get(), &hdr, &data) == 1) {
      bool to_server = false;
      auto payload = DnsPayload(data, hdr->caplen, &to_server);
      if (payload.empty()) continue;
      parser.OnDatagram(to_server ? Direction::kToServer : Direction::kToClient, payload);
      parser.Drain([&](const DnsMessage& m) {
        if (!m.is_response() && m.malformed) ++malformed_queries;
        if (!m.is_response()) {
          EXPECT_FALSE(m.questions.empty()) << f;
        }
      });
      parser.anomalies().Clear();
    }
    const std::string base = "udp.port == 53 && ip && !(ip.flags.mf == 1 || ip.frag_offset > 0)";
    long ts_q = TsharkCount(f, base + " && dns.flags.response == 0");
    long ts_r = TsharkCount(f, base + " && dns.flags.response == 1");
    ASSERT_GE(ts_q, 0);
    EXPECT_EQ(static_cast<long>(registry.Total("app.dns.queries")), ts_q) << f;
    EXPECT_EQ(static_cast<long>(registry.Total("app.dns.answers")), ts_r) << f;
    EXPECT_EQ(malformed_queries, 0u) << f;
    EXPECT_EQ(registry.Total("app.dns.malformed"), 0u) << f;
    total_queries += ts_q;
  }
  EXPECT_GT(total_queries, 0);
}

}  // namespace
}  // namespace vigil::sensor
