#include "sensor/inspect/inspect_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "sensor/detect/header_buffer.h"

namespace vigil::sensor {

namespace {

namespace fs = std::filesystem;

constexpr size_t kReportReasons = 15;  // reasons listed per group in the load summary

std::string ResolveRuleFile(const std::string& base, const std::string& file) {
  if (base.empty() || fs::path(file).is_absolute()) return file;
  return (fs::path(base) / file).string();
}

DetectConfig MakeDetectConfig(const SensorConfig& c) {
  const DetectionSettings& d = c.detection;
  DetectConfig cfg;
  cfg.buffer_side = &BufferSide;  // the direction transaction rules alert in (Run)
  cfg.max_alerts_per_inspection = d.max_alerts_per_inspection;
  cfg.max_ports_per_rule_group = d.max_ports_per_rule_group;
  cfg.min_preferred_fast_pattern = d.min_preferred_fast_pattern;
  cfg.inspection_recursion_limit = d.inspection_recursion_limit;
  cfg.pcre_match_limit = d.pcre_match_limit;
  cfg.pcre_depth_limit = d.pcre_depth_limit;
  cfg.stream_window_bytes = d.stream_window_bytes;
  // stream.reassembly.depth 0 means "no limit" in the config; the window wants a number.
  cfg.stream_depth_bytes = c.stream.stream_depth != 0 ? c.stream.stream_depth : UINT64_MAX;
  cfg.threshold_table_size = d.threshold_table_size;
  cfg.xbits_table_size = d.xbits_table_size;
  cfg.cache_dir = d.cache_dir;
  cfg.profile_timing = d.profile_timing;
  return cfg;
}

// A rule's alerts belong to a transaction when it inspects an app-layer buffer, or when it is
// an app-layer header rule (`alert http ... (flow:established; ...)`) without payload keywords.
std::vector<uint8_t> TxScope(const DetectEngine& engine) {
  std::vector<uint8_t> out(engine.rules().size(), 0);
  for (size_t i = 0; i < engine.rules().size(); ++i) {
    const EngineRule& er = engine.rules()[i];
    bool app_buffer = false, packet_buffer = false;
    for (const CompiledList& l : er.lists) {
      // ip.src / ip.dst and the header buffers (ipv4.hdr, tcp.hdr...) are packet buffers
      // (Suricata inspects them per packet).
      if (l.buffer == rules::BufferId::kIpSrc || l.buffer == rules::BufferId::kIpDst ||
          IsPacketHeaderBuffer(l.buffer)) {
        packet_buffer = true;
        continue;
      }
      // base64_data inspects what base64_decode decoded from another list: that list decides.
      if (l.buffer != rules::BufferId::kPacket && l.buffer != rules::BufferId::kBase64Data) {
        app_buffer = true;
      }
    }
    out[i] = app_buffer || (!er.app_proto.empty() && !er.has_pkt_data && !packet_buffer) ? 1 : 0;
  }
  return out;
}

}  // namespace

// Which side of a transaction a buffer belongs to: 1 request (to_server), 2 response
// (to_client), 3 either (http.header, http.cookie, file.data... follow the inspection's direction).
uint8_t BufferSide(rules::BufferId b) {
  using rules::BufferId;
  switch (b) {
    case BufferId::kHttpUri: case BufferId::kHttpUriRaw: case BufferId::kHttpMethod:
    case BufferId::kHttpRequestLine: case BufferId::kHttpRequestBody: case BufferId::kHttpUserAgent:
    case BufferId::kHttpHost: case BufferId::kHttpHostRaw: case BufferId::kHttpAccept:
    case BufferId::kHttpAcceptLang: case BufferId::kHttpAcceptEnc: case BufferId::kHttpReferer:
    case BufferId::kHttpRequestHeader: case BufferId::kDnsQuery: case BufferId::kTlsSni:
    case BufferId::kJa3Hash: case BufferId::kJa3String: case BufferId::kJa4Hash:
      return 1;
    case BufferId::kHttpStatMsg: case BufferId::kHttpStatCode: case BufferId::kHttpResponseLine:
    case BufferId::kHttpResponseBody: case BufferId::kHttpServer: case BufferId::kHttpLocation:
    case BufferId::kHttpResponseHeader: case BufferId::kTlsCerts: case BufferId::kJa3sHash:
    case BufferId::kJa3sString: case BufferId::kTlsSubjectAltName:
      return 2;
    default:
      return 3;
  }
}

namespace {

// The direction a transaction-scoped rule is inspected in, as Suricata derives it from the
// buffers: request buffers only → to_server; any response buffer → to_client (its request
// buffers are inspected then too); else both.
std::vector<uint8_t> AppDirs(const DetectEngine& engine) {
  std::vector<uint8_t> out(engine.rules().size(), 3);
  for (size_t i = 0; i < engine.rules().size(); ++i) {
    bool request = false, response = false;
    for (const CompiledList& l : engine.rules()[i].lists) {
      const uint8_t side = BufferSide(l.buffer);
      request |= side == 1;
      response |= side == 2;
    }
    out[i] = response ? 2 : request ? 1 : 3;
  }
  return out;
}

}  // namespace

rules::RuleVariables MakeRuleVariables(const SensorConfig& config) {
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  for (const auto& [name, value] : config.address_groups) vars.SetAddress(name, value);
  for (const auto& [name, value] : config.port_groups) vars.SetPort(name, value);
  return vars;
}

Result<std::shared_ptr<const InspectContext>> LoadInspectContext(const SensorConfig& config,
                                                                  const RuleSources& sources) {
  const auto t0 = std::chrono::steady_clock::now();
  auto ctx = std::make_shared<InspectContext>();
  const DetectionSettings& d = config.detection;
  ctx->app.detect.http = d.app_http;
  ctx->app.detect.tls = d.app_tls;
  ctx->app.detect.mqtt = d.app_mqtt;
  ctx->app.detect.dns = d.app_dns;
  ctx->app.http.request_body_limit = d.http_request_body_limit;
  ctx->app.http.response_body_limit = d.http_response_body_limit;
  ctx->app.http.decompress_max_layers = d.http_decompress_layer_limit;
  VIGIL_CHECK_OK(ctx->app.Validate());
  ctx->types = config.eve_types;
  ctx->anomaly_events = config.eve_anomaly;
  ctx->ips = config.ips;
  ctx->flow_capacity = config.flow.Capacity();
  const DetectConfig dcfg = MakeDetectConfig(config);
  VIGIL_CHECK_OK(dcfg.Validate());
  ctx->stream_window_bytes = dcfg.stream_window_bytes;
  ctx->stream_depth_bytes = dcfg.stream_depth_bytes;
  ctx->profile_file = d.profile_file;

  if (!sources.replace) {
    for (const std::string& f : d.rule_files) {
      ctx->rule_files.push_back(ResolveRuleFile(d.default_rule_path, f));
    }
  }
  for (const std::string& f : sources.files) ctx->rule_files.push_back(f);
  if (ctx->rule_files.empty() && sources.texts.empty()) {
    ctx->load_report = "rules: none given (app-layer parsing and events only)\n";
    return std::shared_ptr<const InspectContext>(std::move(ctx));
  }

  const rules::RuleVariables vars = MakeRuleVariables(config);
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  for (const std::string& path : ctx->rule_files) {
    std::error_code ec;
    if (!fs::exists(path, ec) || fs::is_directory(path, ec)) {
      return Error(ErrorCode::kNotFound, "rule file " + path + " does not exist");
    }
    VIGIL_CHECK_OK(loader.LoadFile(path, &set));
  }
  for (const RuleSources::Text& t : sources.texts) loader.LoadString(t.rules, t.name, &set);
  // Without a classification-file the engine uses Suricata's stock set
  // (rules::DefaultClassifications()), as Suricata uses its bundled classification.config.
  if (!d.classification_file.empty()) {
    VIGIL_TRY(rules::ClassificationConfig classes,
              rules::ClassificationConfig::LoadFile(d.classification_file));
    ctx->classes = std::make_unique<rules::ClassificationConfig>(std::move(classes));
  }
  ctx->thresholds = std::make_unique<rules::ThresholdConfig>();
  if (!d.threshold_file.empty()) {
    VIGIL_TRY(rules::ThresholdConfig thresholds,
              rules::ThresholdConfig::LoadFile(d.threshold_file, vars));
    *ctx->thresholds = std::move(thresholds);
  }
  VIGIL_TRY(ctx->engine,
            DetectEngine::Build(std::move(set), dcfg, ctx->classes.get(), ctx->thresholds.get()));
  ctx->metadata = BuildAlertMetadata(*ctx->engine);
  ctx->tx_scoped = TxScope(*ctx->engine);
  ctx->app_dirs = AppDirs(*ctx->engine);
  ctx->load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ctx->load_report = fmt::format("rules: {} file(s){} loaded and compiled in {:.2f} s\n",
                                 ctx->rule_files.size(),
                                 sources.texts.empty() ? "" : " and a bundle",
                                 ctx->load_seconds) +
                     MakeLoadReport(*ctx->engine).ToString(kReportReasons);
  return std::shared_ptr<const InspectContext>(std::move(ctx));
}

}  // namespace vigil::sensor
