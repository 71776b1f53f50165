// Helpers for the inspection tests (on top of tests/sensor/pipeline's): a pcap builder that writes exact TCP conversations and UDP
// datagrams (so each test knows every packet's pcap_cnt), an in-process sensor run with rules
// from a string, and EVE parsing with simdjson.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_plugin.h"
#include "sensor/output/memory_sink.h"
#include "sensor/pipeline/pipeline.h"
#include "sensor/pipeline/sensor_config.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/packet_builder.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"
#include "tools/synth/pcap_writer.h"

namespace vigil::sensor::inspect_test {

namespace fs = std::filesystem;

// Paths, temporary directories and shell commands come from the pipeline tests' helpers.
using pipeline_test::BinaryDir;
using pipeline_test::CommandResult;
using pipeline_test::RunCommand;
using pipeline_test::ShellQuote;
using pipeline_test::SourceDir;
using pipeline_test::TempDir;

inline fs::path CorpusDir() { return SourceDir() / ".." / "shared" / "corpus"; }

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
}

// Writes packets one by one; Count() is the pcap_cnt of the last packet written.
class PcapBuilder {
 public:
  explicit PcapBuilder(const std::string& path) : builder_({.vlan = 0, .pad_min_frame = true}) {
    auto w = synth::PcapWriter::Open(path);
    EXPECT_TRUE(w.ok());
    if (w.ok()) writer_.emplace(std::move(*w));
  }
  ~PcapBuilder() { Close(); }
  void Close() {
    if (writer_) {
      EXPECT_TRUE(writer_->Close().ok());
      writer_.reset();
    }
  }
  uint64_t count() const { return count_; }

  void Tcp(const IpAddress& src, const IpAddress& dst, uint16_t sport, uint16_t dport,
           uint32_t seq, uint32_t ack, uint8_t flags, std::string_view payload) {
    synth::TcpSegment seg{.src_port = sport, .dst_port = dport, .seq = seq, .ack = ack,
                          .flags = flags, .window = 65535};
    frames_.Clear();
    builder_.Tcp(frames_, Next(), Route(src, dst), synth::IpFields{.id = ++ip_id_}, seg,
                 Bytes(payload));
    Flush();
  }
  void Udp(const IpAddress& src, const IpAddress& dst, uint16_t sport, uint16_t dport,
           std::span<const uint8_t> payload) {
    frames_.Clear();
    builder_.Udp(frames_, Next(), Route(src, dst), synth::IpFields{.id = ++ip_id_}, sport, dport,
                 payload);
    Flush();
  }

 private:
  static std::span<const uint8_t> Bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
  }
  static synth::IpRoute Route(const IpAddress& src, const IpAddress& dst) {
    synth::IpRoute r;
    r.src_mac.b = {0x02, 0, 0, 0, 0, 1};
    r.dst_mac.b = {0x02, 0, 0, 0, 0, 2};
    r.src = src;
    r.dst = dst;
    return r;
  }
  int64_t Next() { return ts_ += 1'000'000; }  // 1 ms apart
  void Flush() {
    for (size_t i = 0; i < frames_.size(); ++i) {
      writer_->Write(frames_.record(i).ts_ns, frames_.frame(i));
      ++count_;
    }
  }

  synth::PacketBuilder builder_;
  synth::FlowPackets frames_;
  std::optional<synth::PcapWriter> writer_;
  int64_t ts_ = 1'700'000'000'000'000'000;
  uint32_t ip_id_ = 0;
  uint64_t count_ = 0;
};

// One TCP connection with explicit segments: handshake, data in either direction (one segment
// per call, ACKed by the peer), FIN teardown.
class TcpConn {
 public:
  TcpConn(PcapBuilder& pcap, const char* client, const char* server, uint16_t cport,
          uint16_t sport)
      : pcap_(pcap), c_(*IpAddress::Parse(client)), s_(*IpAddress::Parse(server)),
        cport_(cport), sport_(sport) {}
  void Handshake() {
    pcap_.Tcp(c_, s_, cport_, sport_, cseq_++, 0, synth::kTcpSyn, "");
    pcap_.Tcp(s_, c_, sport_, cport_, sseq_++, cseq_, synth::kTcpSyn | synth::kTcpAck, "");
    pcap_.Tcp(c_, s_, cport_, sport_, cseq_, sseq_, synth::kTcpAck, "");
  }
  // Returns the pcap_cnt of the data segment.
  uint64_t ToServer(std::string_view data, bool ack = true) {
    pcap_.Tcp(c_, s_, cport_, sport_, cseq_, sseq_, synth::kTcpAck | synth::kTcpPsh, data);
    const uint64_t n = pcap_.count();
    cseq_ += static_cast<uint32_t>(data.size());
    if (ack) pcap_.Tcp(s_, c_, sport_, cport_, sseq_, cseq_, synth::kTcpAck, "");
    return n;
  }
  uint64_t ToClient(std::string_view data, bool ack = true) {
    pcap_.Tcp(s_, c_, sport_, cport_, sseq_, cseq_, synth::kTcpAck | synth::kTcpPsh, data);
    const uint64_t n = pcap_.count();
    sseq_ += static_cast<uint32_t>(data.size());
    if (ack) pcap_.Tcp(c_, s_, cport_, sport_, cseq_, sseq_, synth::kTcpAck, "");
    return n;
  }
  void Close() {
    pcap_.Tcp(c_, s_, cport_, sport_, cseq_++, sseq_, synth::kTcpFin | synth::kTcpAck, "");
    pcap_.Tcp(s_, c_, sport_, cport_, sseq_++, cseq_, synth::kTcpFin | synth::kTcpAck, "");
    pcap_.Tcp(c_, s_, cport_, sport_, cseq_, sseq_, synth::kTcpAck, "");
  }

 private:
  PcapBuilder& pcap_;
  IpAddress c_, s_;
  uint16_t cport_, sport_;
  uint32_t cseq_ = 1000, sseq_ = 5000;
};

// One parsed EVE line: the fields the tests look at.
struct EveEvent {
  std::string type;
  std::string json;  // the raw line
  uint64_t pcap_cnt = 0;
  uint64_t sid = 0;
  std::string app_proto;
};

struct RunResult {
  std::vector<EveEvent> events;
  std::string load_report;
  bool ok = false;
  std::string error;

  std::vector<EveEvent> Of(std::string_view type) const {
    std::vector<EveEvent> out;
    for (const auto& e : events) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }
  std::vector<uint64_t> AlertSids() const {
    std::vector<uint64_t> out;
    for (const auto& e : events) {
      if (e.type == "alert") out.push_back(e.sid);
    }
    return out;
  }
  size_t CountSid(uint64_t sid) const {
    size_t n = 0;
    for (const auto& e : events) n += e.type == "alert" && e.sid == sid;
    return n;
  }
  const EveEvent* FirstAlert(uint64_t sid) const {
    for (const auto& e : events) {
      if (e.type == "alert" && e.sid == sid) return &e;
    }
    return nullptr;
  }
};

inline std::vector<EveEvent> ParseEve(const std::vector<std::string>& lines) {
  std::vector<EveEvent> out;
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    EveEvent e;
    e.json = line;
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    std::string_view sv;
    if (doc["event_type"].get(sv) == simdjson::SUCCESS) e.type = std::string(sv);
    uint64_t u = 0;
    if (doc["pcap_cnt"].get(u) == simdjson::SUCCESS) e.pcap_cnt = u;
    if (doc["alert"]["signature_id"].get(u) == simdjson::SUCCESS) e.sid = u;
    if (doc["app_proto"].get(sv) == simdjson::SUCCESS) e.app_proto = std::string(sv);
    out.push_back(std::move(e));
  }
  return out;
}

// Runs the sensor in-process (runmode single) over `pcap` with `rules` (text) and extra --set
// strings; threshold/classification text go to files when given.
inline RunResult RunSensor(const std::string& pcap, const std::string& rules,
                           std::vector<std::string> sets = {}, const std::string& threshold = "",
                           const std::string& classification = "") {
  RunResult r;
  TempDir dir;
  const std::string rule_file = dir / "test.rules";
  WriteFile(rule_file, rules);
  sets.push_back("runmode=single");
  sets.push_back("sensor-id=test");
  sets.push_back("stats.enabled=no");
  sets.push_back("checksum-validation=no");
  if (!threshold.empty()) {
    WriteFile(dir / "threshold.config", threshold);
    sets.push_back("threshold-file=" + (dir / "threshold.config"));
  }
  if (!classification.empty()) {
    WriteFile(dir / "classification.config", classification);
    sets.push_back("classification-file=" + (dir / "classification.config"));
  }
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), sets);
  if (!cfg.ok()) {
    r.error = cfg.error().message;
    return r;
  }
  auto sc = BuildSensorConfig(*cfg);
  if (!sc.ok()) {
    r.error = sc.error().message;
    return r;
  }
  sc->capture.inputs = {pcap};
  RuleSources sources;
  sources.replace = true;
  if (!rules.empty()) sources.files = {rule_file};
  auto ctx = LoadInspectContext(*sc, sources);
  if (!ctx.ok()) {
    r.error = ctx.error().message;
    return r;
  }
  r.load_report = (*ctx)->load_report;
  MemorySink sink;
  PipelineOptions options;
  options.plugins = MakeInspectPluginFactory(*ctx);
  auto summary = RunOffline(*sc, sink, options);
  if (!summary.ok()) {
    r.error = summary.error().message;
    return r;
  }
  r.events = ParseEve(sink.Lines());
  r.ok = true;
  return r;
}

}  // namespace vigil::sensor::inspect_test
