// End to end (issue #8): the demo's topology as real processes on loopback with CURVE keys from
// `vigil keys generate` — a national correlator, two provincial correlators forwarding upward
// (forward-events: alert, correlation) and three sensors (north/sensor-1, north/sensor-2,
// south/sensor-1) — replaying the four corpus pcaps with the ET Open rules plus the demo rules.
// One synthesized capture with a port scan from 185.220.101.15 is replayed in each province too
// (the corpus pcaps share no attacker across provinces).
//
// Checks: every alert in each sensor's eve.json is in the national store exactly once (key:
// sensor, flow_id, signature_id, pcap_cnt, timestamp), stamped with the sensor that raised it
// (vigil_source) and its province, nothing else is there, and the national center raised the
// cross-province campaign alert for the scanner.
//
// Needs ../shared/corpus (fails, saying so, without it) and the built programs ($VIGIL_BINARY_DIR/bin).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/daemon.h"
#include "tests/storage/temp_dir.h"

namespace vigil::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kCorpus = "../shared/corpus";
constexpr const char* kScanner = "185.220.101.15";

std::string BinDir() {
  const char* dir = std::getenv("VIGIL_BINARY_DIR");
  return std::string(dir && *dir ? dir : "build/release") + "/bin";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs a short command to completion; its stdout, or a failure naming the command and stderr.
std::string RunTool(const std::vector<std::string>& argv, const std::string& out_dir,
                    const std::string& name) {
  auto d = Daemon::Start(argv, out_dir + "/" + name + ".out", out_dir + "/" + name + ".err");
  EXPECT_TRUE(d.ok()) << d.error().message;
  if (!d.ok()) return "";
  const int rc = (*d)->Wait(seconds(60));
  EXPECT_EQ(rc, 0) << argv[0] << " (" << name << "): " << ReadFile(out_dir + "/" + name + ".err");
  return ReadFile(out_dir + "/" + name + ".out");
}

struct Sensor {
  std::string id, province;
  std::vector<std::string> pcaps;
};

// Alert key -> how many times it was seen. Checks every alert's stamp on the way.
struct AlertCounts {
  std::map<std::string, int> by_key;
  size_t total = 0;
};

std::string KeyOf(simdjson::dom::element e, std::string_view sensor) {
  auto num = [&](std::initializer_list<const char*> path) -> std::string {
    simdjson::dom::element v = e;
    for (const char* p : path) {
      if (v[p].get(v) != simdjson::SUCCESS) return "?";
    }
    uint64_t u = 0;
    if (v.get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
    int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
    return "?";
  };
  std::string_view ts;
  if (e["timestamp"].get_string().get(ts) != simdjson::SUCCESS) ts = "?";
  return std::string(sensor) + "|" + num({"flow_id"}) + "|" + num({"alert", "signature_id"}) + "|" +
         num({"pcap_cnt"}) + "|" + std::string(ts);
}

// Every JSON line of `text` with event_type "alert", keyed. `stamp_check` sees each one.
template <typename F>
AlertCounts CountAlerts(const std::string& text, F&& stamp_check) {
  AlertCounts c;
  simdjson::dom::parser parser;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    simdjson::dom::element e;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << line.substr(0, 200);
      continue;
    }
    std::string_view type;
    if (e["event_type"].get_string().get(type) != simdjson::SUCCESS || type != "alert") continue;
    std::string_view sensor;
    if (e["sensor_id"].get_string().get(sensor) != simdjson::SUCCESS) sensor = "?";
    stamp_check(e, sensor);
    ++c.by_key[KeyOf(e, sensor)];
    ++c.total;
  }
  return c;
}

TEST(Hierarchy, EverySensorAlertReachesTheNationalStoreOnceAndTheCampaignIsSeen) {
  const fs::path corpus = kCorpus;
  const std::vector<std::string> names = {"mta-2022-01-07-trickbot-ad-lan.pcap", "ndpi-1kxun-http-apps.pcap",
                                          "unit42-2020-06-03-dridex-infection.pcap",
                                          "unit42-2021-01-06-emotet-infection.pcap"};
  for (const auto& n : names) {
    if (!fs::exists(corpus / "pcaps" / n))
      FAIL() << "corpus pcap missing (see tests/README.md): " << (corpus / "pcaps" / n);
  }
  const std::string et_rules = (corpus / "rules" / "et-open.rules").string();
  if (!fs::exists(et_rules)) FAIL() << "corpus rules missing (see tests/README.md): " << et_rules;
  const std::string bin = BinDir();
  testing::TempDir tmp;
  const std::string w = tmp.path();
  auto pcap = [&](int i) { return (corpus / "pcaps" / names[i]).string(); };

  // Keys and allow lists, with the CLI an operator uses.
  auto keygen = [&](const std::string& file, const std::string& id, const std::string& prov) {
    std::vector<std::string> argv = {bin + "/vigil", "keys", "generate", "--out", w + "/" + file};
    if (!id.empty()) argv.insert(argv.end(), {"--identity", id, "--province", prov});
    const std::string out = RunTool(argv, w, "keys-" + file);
    const size_t nl = out.find_last_of('\n', out.size() - 2);
    return out.substr(nl == std::string::npos ? 0 : nl + 1);  // the allow-list line
  };
  keygen("national", "", "");
  std::ofstream(w + "/national.allow")
      << keygen("north", "north/correlator", "north") << keygen("south", "south/correlator", "south");
  const std::vector<Sensor> sensors = {
      {"north/sensor-1", "north", {pcap(0), pcap(1)}},
      {"north/sensor-2", "north", {pcap(2), w + "/campaign-1.pcap"}},
      {"south/sensor-1", "south", {pcap(3), w + "/campaign-2.pcap"}},
  };
  {
    std::ofstream north(w + "/north.allow"), south(w + "/south.allow");
    for (const auto& s : sensors) {
      const std::string file = s.id.substr(0, s.id.find('/')) + "-" + s.id.substr(s.id.find('/') + 1);
      (s.province == "north" ? north : south) << keygen(file, s.id, s.province);
    }
  }
  // The campaign: the same port scan (attack 5) in one capture per province, an hour ago.
  const std::string start = std::to_string(std::time(nullptr) - 3600);
  for (int i = 1; i <= 2; ++i) {
    RunTool({bin + "/vigil-synth", "--out", w + "/campaign-" + std::to_string(i) + ".pcap", "--flows", "40",
             "--attacks", "6", "--seed", std::to_string(i), "--start-time", start, "-q"},
            w, "synth-" + std::to_string(i));
  }
  ASSERT_FALSE(HasFailure());

  // Correlators, on ephemeral loopback ports.
  auto correlator = [&](const std::string& name, std::vector<std::string> sets) -> std::unique_ptr<Daemon> {
    fs::create_directories(w + "/" + name);
    std::vector<std::string> argv = {bin + "/vigil-correlator", "-c", "correlator/vigil-correlator.yaml"};
    sets.insert(
        sets.end(),
        {"listen.bind=tcp://127.0.0.1:*", "listen.curve.secret-key-file=" + w + "/" + name + ".key",
         "listen.curve.allow-list=" + w + "/" + name + ".allow", "storage.path=" + w + "/" + name + "/db",
         "log.file=" + w + "/" + name + "/log", "stats.interval=0", "retention.interval=0",
         "correlation.flush-on-exit=true", "correlation.allowed-lateness=10m"});
    for (const auto& s : sets) argv.insert(argv.end(), {"--set", s});
    auto d = Daemon::Start(argv, w + "/" + name + "/stdout", w + "/" + name + "/stderr");
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? std::move(*d) : nullptr;
  };
  auto endpoint = [&](Daemon& d, const std::string& name) -> std::string {
    auto line = WaitForLine(d, w + "/" + name + "/log", "listening on tcp://", seconds(20));
    EXPECT_TRUE(line.ok()) << (line.ok() ? "" : line.error().message) << "\n"
                           << ReadFile(w + "/" + name + "/stderr");
    if (!line.ok()) return "";
    const size_t at = line->find("tcp://");
    return line->substr(at, line->find(',', at) - at);
  };
  auto national = correlator("national", {"tier=national"});
  ASSERT_TRUE(national);
  const std::string national_ep = endpoint(*national, "national");
  ASSERT_FALSE(national_ep.empty());
  std::map<std::string, std::unique_ptr<Daemon>> provinces;
  std::map<std::string, std::string> province_ep;
  for (const std::string p : {"north", "south"}) {
    provinces[p] = correlator(p, {"tier=province", "forward=true", "upstream.upstream=" + national_ep,
                                  "upstream.origin=" + p + "/correlator",
                                  "upstream.curve.server-public-key-file=" + w + "/national.pub",
                                  "upstream.curve.secret-key-file=" + w + "/" + p + ".key"});
    ASSERT_TRUE(provinces[p]);
    province_ep[p] = endpoint(*provinces[p], p);
    ASSERT_FALSE(province_ep[p].empty());
  }

  // Sensors, all at once; each ends at the end of its captures.
  std::vector<std::unique_ptr<Daemon>> running;
  for (const auto& s : sensors) {
    const std::string file = s.id.substr(0, s.id.find('/')) + "-" + s.id.substr(s.id.find('/') + 1);
    const std::string dir = w + "/" + file;
    fs::create_directories(dir);
    std::vector<std::string> argv = {bin + "/vigil-sensor",
                                     "-c",
                                     "sensor/vigil-sensor.yaml",
                                     "-l",
                                     dir,
                                     "-S",
                                     et_rules,
                                     "-S",
                                     "rules/demo/demo.rules",
                                     "--runmode",
                                     "single",
                                     "--sensor-id",
                                     s.id,
                                     "--province",
                                     s.province,
                                     "--upstream",
                                     province_ep[s.province],
                                     "--upstream-key",
                                     w + "/" + file + ".key",
                                     "--upstream-server-key",
                                     w + "/" + s.province + ".pub",
                                     "--spool",
                                     dir + "/spool",
                                     "--set",
                                     "upstream.origin=" + s.id,
                                     "--set",
                                     "outputs.eve.append=no",
                                     "-q"};
    for (const auto& p : s.pcaps) argv.insert(argv.end(), {"-r", p});
    auto d = Daemon::Start(argv, dir + "/stdout", dir + "/stderr");
    ASSERT_TRUE(d.ok()) << d.error().message;
    running.push_back(std::move(*d));
  }
  for (size_t i = 0; i < running.size(); ++i) {
    const std::string file = sensors[i].id.substr(0, sensors[i].id.find('/')) + "-" +
                             sensors[i].id.substr(sensors[i].id.find('/') + 1);
    EXPECT_EQ(running[i]->Wait(seconds(120)), 0)
        << sensors[i].id << ": " << ReadFile(w + "/" + file + "/stderr");
  }
  // Stop tier by tier: each correlator closes its windows and hands the rest upward first.
  for (auto& [p, d] : provinces)
    EXPECT_EQ(d->Stop(seconds(60)), 0) << p << ": " << ReadFile(w + "/" + p + "/log");
  EXPECT_EQ(national->Stop(seconds(60)), 0) << ReadFile(w + "/national/log");
  ASSERT_FALSE(HasFailure());

  // What the sensors raised.
  AlertCounts raised;
  std::map<std::string, std::string> province_of;
  for (const auto& s : sensors) {
    province_of[s.id] = s.province;
    const std::string file = s.id.substr(0, s.id.find('/')) + "-" + s.id.substr(s.id.find('/') + 1);
    size_t et = 0;
    AlertCounts c = CountAlerts(
        ReadFile(w + "/" + file + "/eve.json"), [&](simdjson::dom::element e, std::string_view id) {
          EXPECT_EQ(id, s.id);
          uint64_t sid = 0;
          if (e["alert"]["signature_id"].get_uint64().get(sid) == simdjson::SUCCESS && sid < 9100000) ++et;
        });
    EXPECT_GT(et, 0u) << s.id << " raised no ET Open alert on its corpus capture";
    for (const auto& [k, n] : c.by_key) raised.by_key[k] += n;
    raised.total += c.total;
  }
  // What the national center holds.
  const std::string stored =
      RunTool({bin + "/vigil", "query", "--store", w + "/national/db", "--class", "alerts", "--json"}, w,
              "query-alerts");
  AlertCounts national_alerts = CountAlerts(stored, [&](simdjson::dom::element e, std::string_view id) {
    std::string_view source, source_province, origin, province;
    ASSERT_EQ(e["vigil_source"].get_string().get(source), simdjson::SUCCESS);
    ASSERT_EQ(e["vigil_source_province"].get_string().get(source_province), simdjson::SUCCESS);
    ASSERT_EQ(e["vigil_origin"].get_string().get(origin), simdjson::SUCCESS);
    ASSERT_EQ(e["vigil_province"].get_string().get(province), simdjson::SUCCESS);
    EXPECT_EQ(source, id) << "the forwarded alert names the sensor that raised it";
    EXPECT_EQ(source_province, province_of[std::string(id)]);
    EXPECT_EQ(province, province_of[std::string(id)]);
    EXPECT_EQ(origin, province_of[std::string(id)] + "/correlator");
  });
  std::printf("sensors raised %zu alerts (%zu keys); the national store holds %zu\n", raised.total,
              raised.by_key.size(), national_alerts.total);
  EXPECT_GT(raised.total, 10u);
  EXPECT_EQ(national_alerts.total, raised.total);
  for (const auto& [k, n] : raised.by_key) {
    auto it = national_alerts.by_key.find(k);
    EXPECT_EQ(it == national_alerts.by_key.end() ? 0 : it->second, n) << "alert " << k;
  }
  for (const auto& [k, n] : national_alerts.by_key) {
    EXPECT_TRUE(raised.by_key.count(k)) << "the national store holds an alert no sensor raised: " << k;
  }

  // The cross-province campaign.
  const std::string corr = RunTool({bin + "/vigil", "query", "--store", w + "/national/db", "--class",
                                    "correlated", "--json", "--where", std::string("src_ip=") + kScanner},
                                   w, "query-correlated");
  EXPECT_NE(corr.find("\"rule_name\":\"vigil_national_multi_province\""), std::string::npos) << corr;
  EXPECT_NE(corr.find("\"vigil_province\":\"north\""), std::string::npos) << corr;
  EXPECT_NE(corr.find("\"vigil_province\":\"south\""), std::string::npos) << corr;
}

}  // namespace
}  // namespace vigil::e2e
