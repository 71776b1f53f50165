// SensorConfig: every stage's config struct, built in one place from the sensor's YAML + --set
// Config (core/config.h). Key names are Suricata's where Suricata has the knob, so a
// suricata-verify `--set stream.midstream=true` means the same thing here; Vigil-only knobs use
// the same dotted, dashed style. sensor/vigil-sensor.yaml documents every key.
//
//   ConfigSchema schema = SensorConfigSchema();
//   VIGIL_TRY(Config cfg, Config::LoadFile(path, schema, set_args));
//   VIGIL_TRY(SensorConfig sc, BuildSensorConfig(cfg));
//   sc.capture.inputs = {"a.pcap"};        // -r / -i come from the command line
//   VIGIL_CHECK_OK(sc.Validate());
//
// Memcaps in the file are totals for the process, as in Suricata; BuildSensorConfig divides the
// per-worker ones (flow.memcap, stream.memcap, stream.reassembly.memcap) by the worker count, so
// a table never holds more than its share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/log.h"
#include "core/result.h"
#include "sensor/capture/capture_config.h"
#include "sensor/decode/decoder_config.h"
#include "sensor/defrag/defrag_config.h"
#include "sensor/flow/flow_table_config.h"
#include "sensor/pipeline/exception_policy.h"
#include "sensor/reassembly/reassembly_config.h"

namespace vigil::sensor {

// Detection and app-layer settings (Suricata's key names), kept as plain values here so the
// pipeline does not depend on the detection engine; sensor/inspect turns them into DetectConfig
// and AppLayerConfig.
struct DetectionSettings {
  std::string default_rule_path;          // default-rule-path: base of relative rule-files
  std::vector<std::string> rule_files;    // rule-files
  std::string classification_file;        // "" = the built-in default classifications
  std::string reference_config_file;      // accepted (references are not resolved)
  std::string threshold_file;             // "" = none
  bool stream_inline = false;             // stream.inline (IDS: accepted; inspection is per packet)
  bool app_http = true;                   // app-layer.protocols.<p>.enabled
  bool app_tls = true;
  bool app_mqtt = true;
  bool app_dns = true;
  // app-layer.protocols.http.libhtp.default-config.{request,response}-body-limit and
  // response-body-decompress-layer-limit (HttpConfig's body limits and decompress_max_layers).
  uint64_t http_request_body_limit = 100 * 1024;
  uint64_t http_response_body_limit = 100 * 1024;
  uint32_t http_decompress_layer_limit = 2;
  uint32_t max_alerts_per_inspection = 15;  // packet-alert-max
  uint32_t max_ports_per_rule_group = 64;
  uint32_t min_preferred_fast_pattern = 4;
  uint32_t inspection_recursion_limit = 3000;
  uint32_t pcre_match_limit = 3500;
  uint32_t pcre_depth_limit = 1500;
  uint32_t stream_window_bytes = 4096;
  uint32_t threshold_table_size = 65536;
  uint32_t xbits_table_size = 65536;
  std::string cache_dir;
  bool profile_timing = false;
  std::string profile_file;  // detect.profiling-file: per-rule profile appended at exit ("" = none)
};

// Which EVE event types are written (outputs.eve.<type>.enabled); every event is counted anyway.
struct EveTypes {
  bool alert = true;
  bool http = true;
  bool dns = true;
  bool tls = true;
  bool flow = true;
};

enum class RunMode : uint8_t {
  kSingle,   // one thread reads, decodes and inspects: simplest, deterministic order of events
  kWorkers,  // one reader thread (capture, decode, defrag) feeding N workers by flow hash
};
std::string_view RunModeName(RunMode m);

struct SensorConfig {
  RunMode runmode = RunMode::kWorkers;
  uint32_t workers = 1;  // resolved (threads: 0 = one per core, minus one for the reader)

  std::string sensor_id;  // default: the host name
  std::string province;

  CaptureConfig capture;     // inputs / interface are set by the caller (-r / -i)
  DecoderConfig decoder;
  DefragConfig defrag;       // one defragmenter, on the reading thread
  FlowTableConfig flow;      // per worker (memcap already divided)
  ReassemblyConfig stream;   // per worker (memcap already divided)
  // Bytes of TCP session state per worker (stream.memcap / workers). TCP flows beyond it are
  // tracked as flows but not reassembled (pipeline.stream_memcap_untracked).
  uint64_t stream_session_memcap = 64ull << 20;

  // IPS mode (simulate-ips) and the resolved exception policies (exception_policy.h).
  bool ips = false;
  ExceptionPolicies exception_policies;

  bool community_id = true;
  uint16_t community_id_seed = 0;

  bool eve_enabled = true;
  std::string eve_filename = "eve.json";  // relative to the log directory (-l)
  bool eve_append = true;
  bool eve_anomaly = true;  // write anomaly events (they are counted either way)
  EveTypes eve_types;
  size_t eve_batch_bytes = 64u << 10;

  bool stats_enabled = true;
  int64_t stats_interval_ns = 8 * kNanosPerSecond;

  LogLevel log_level = LogLevel::kNotice;

  // Named address and port groups for the detection engine (HOME_NET, HTTP_PORTS, ...).
  ConfigMap address_groups;
  ConfigMap port_groups;
  DetectionSettings detection;

  // Every stage's Validate(), plus the pipeline's own checks (an input or an interface, ...).
  [[nodiscard]] Status Validate() const;
};

// The sensor's schema: every key with its type, default, limits and help.
ConfigSchema SensorConfigSchema();

// Builds every stage's config from a loaded Config (defaults for keys it does not set).
[[nodiscard]] Result<SensorConfig> BuildSensorConfig(const Config& config);

}  // namespace vigil::sensor
