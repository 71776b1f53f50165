#include "sensor/pipeline/sensor_config.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <thread>

namespace vigil::sensor {

namespace {

constexpr int64_t kMiB = int64_t{1} << 20;
constexpr int64_t kMaxThreads = 256;  // flow ids keep 8 bits of worker id; more makes no sense

// Suricata's flow-timeouts sections (and what each FlowProto maps to).
constexpr std::array<std::string_view, kFlowProtoCount> kProtoSections = {"tcp", "udp", "icmp",
                                                                          "default"};

std::string DefaultSensorId() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') return "vigil-sensor";
  return std::string(host.data());
}

std::string Timeout(std::string_view proto, std::string_view state) {
  return "flow-timeouts." + std::string(proto) + "." + std::string(state);
}

}  // namespace

std::string_view RunModeName(RunMode m) {
  return m == RunMode::kSingle ? "single" : "workers";
}

ConfigSchema SensorConfigSchema() {
  ConfigSchema s;
  // ---- Process ----
  s.Choice("runmode", "workers", {"workers", "single"},
           "single: one thread does everything; workers: a reader thread feeds `threads` workers "
           "by symmetric flow hash");
  s.Int("threads", 0, 0, kMaxThreads,
        "worker threads in workers mode; 0 = one per core minus one for the reader (at least 1)");
  s.String("sensor-id", "", "this sensor's name in every event (sensor_id); empty = host name");
  s.String("province", "", "the province written in every event (province)");
  s.Bool("checksum-validation", true,
         "verify IPv4/TCP/UDP/ICMP checksums; a packet that fails is counted and not inspected "
         "(-k none sets no)");
  s.Choice("logging.default-log-level", "notice",
           {"error", "warning", "notice", "info", "debug"}, "operator log verbosity (stderr)");

  // ---- Capture (Suricata's pcap: section; one interface) ----
  s.String("pcap.interface", "", "interface for live capture when -i is not given");
  s.String("pcap.bpf-filter", "", "BPF filter (tcpdump syntax), live and offline");
  s.Int("pcap.snaplen", 262144, 64, 262144, "bytes kept per packet");
  s.Bool("pcap.promisc", true, "promiscuous mode (live)");
  s.Size("pcap.buffer-size", "64mb", "kernel capture buffer (live)", kMiB, int64_t{1} << 31);
  s.Bool("pcap.immediate-mode", false,
         "deliver packets at once instead of in kernel blocks (live; costs CPU, see README)");
  s.Duration("pcap.timeout", "100ms", "read timeout: the longest an idle live reader waits",
             kNanosPerMilli, 10 * kNanosPerSecond);
  s.Int("capture.pool-slots", 8192, 2, 1 << 22, "packet buffers between reader and workers");
  s.Int("capture.slot-size", 2048, 64, 262144, "bytes of one packet buffer");
  s.Int("capture.large-slots", 64, 0, 1 << 16, "overflow buffers (snaplen bytes) for big frames");
  s.Int("capture.ring-size", 4096, 2, 1 << 22, "reader -> worker ring capacity per worker");
  s.Choice("capture.queue-full", "auto", {"auto", "block", "drop"},
           "when a worker's ring is full: block (offline default) or drop and count (live default)");

  // ---- Decoder ----
  s.Int("decoder.max-layers", 32, 4, 256, "headers walked per packet");
  s.Int("decoder.max-tunnel-depth", 4, 0, 16, "GRE/VXLAN/IP-in-IP encapsulations decoded");
  s.Int("decoder.max-vlan-tags", 3, 1, 16, "VLAN tags accepted per Ethernet header");
  s.Bool("decoder.gre.enabled", true, "decode GRE tunnels");
  s.Bool("decoder.ipip.enabled", true, "decode IP-in-IP (protocols 4 and 41)");
  s.Bool("decoder.vxlan.enabled", true, "decode VXLAN");
  s.List("decoder.vxlan.ports", {"4789"}, "UDP destination ports taken as VXLAN (up to 4)");

  // ---- Defragmentation ----
  s.Size("defrag.memcap", "32mb", "memory for fragments being reassembled", 4096);
  s.Int("defrag.trackers", 65535, 1, 1 << 24, "datagrams reassembled at once");
  s.Int("defrag.hash-size", 65536, 1, 1 << 28, "tracker hash buckets (power of two)");
  s.Int("defrag.max-frags", 1024, 1, 65536,
        "fragments held per datagram (Suricata: in total; here the memcap bounds the total)");
  s.Duration("defrag.timeout", "60s", "a datagram not completed within this is dropped", 1);
  s.Choice("defrag.policy", "first", {"first", "last", "bsd", "linux"},
           "which fragment's bytes win on overlap");

  // ---- Flows ----
  s.Size("flow.memcap", "128mb", "memory for flows, all workers together", kMiB);
  s.Int("flow.hash-size", 65536, 1, 1 << 30, "flow hash buckets per worker (power of two)");
  s.Int("flow.emergency-recovery", 30, 1, 99,
        "emergency mode ends when this percentage of the flow pool is free again");
  for (size_t i = 0; i < kProtoSections.size(); ++i) {
    const auto& def = flow_defaults::kTimeouts[i];
    const auto& emerg = flow_defaults::kEmergencyTimeouts[i];
    auto secs = [](int64_t ns) { return std::to_string(ns / kNanosPerSecond) + "s"; };
    const std::string_view p = kProtoSections[i];
    s.Duration(Timeout(p, "new"), secs(def.new_ns), "idle timeout of a one-sided flow");
    s.Duration(Timeout(p, "established"), secs(def.established_ns),
               "idle timeout of a flow seen both ways");
    s.Duration(Timeout(p, "emergency-new"), secs(emerg.new_ns), "new timeout in emergency mode");
    s.Duration(Timeout(p, "emergency-established"), secs(emerg.established_ns),
               "established timeout in emergency mode");
    if (p == "tcp") {
      s.Duration(Timeout(p, "closed"), secs(def.closed_ns), "idle timeout of a closed TCP flow");
      s.Duration(Timeout(p, "emergency-closed"), secs(emerg.closed_ns),
                 "closed timeout in emergency mode");
    }
  }

  // ---- TCP stream ----
  s.Bool("stream.midstream", false, "pick up TCP sessions whose handshake was not seen");
  s.Size("stream.memcap", "64mb",
         "memory for TCP session state, all workers together; TCP flows beyond it are not "
         "reassembled",
         kMiB);
  s.Size("stream.reassembly.memcap", "64mb",
         "memory for out-of-order stream bytes, all workers together", 64 * 1024);
  s.Size("stream.reassembly.depth", "1mb", "stream bytes inspected per direction; 0 = no limit");
  s.Size("stream.reassembly.session-memcap", "2mb", "out-of-order bytes one session may hold",
         4096);
  s.Int("stream.reassembly.max-ooo-segments", 1024, 1, 1 << 20,
        "out-of-order buffers per direction");
  s.Choice("stream.reassembly.overlap-policy", "first", {"first", "last"},
           "which bytes win when segments overlap");
  s.Size("stream.reassembly.overlap-check", "64kb",
         "delivered bytes kept per direction to compare retransmissions against; 0 = off");

  // ---- Exception policies (Suricata's keys; sensor/pipeline/exception_policy.h) ----
  s.Bool("simulate-ips", false,
         "run as an IPS (Suricata's --simulate-ips): drop actions block, exception policies "
         "default to drop-flow");
  const std::string kPolicyHelp =
      " (auto, drop-flow, drop-packet, reject, bypass, pass-flow, pass-packet, ignore; "
      "empty = the master switch / mode default)";
  s.String("exception-policy", "", "master switch: the default of every exception policy" + kPolicyHelp);
  s.String("stream.midstream-policy", "", "a TCP session seen without its handshake" + kPolicyHelp);
  s.String("stream.memcap-policy", "", "a TCP session over stream.memcap" + kPolicyHelp);
  s.String("stream.reassembly.memcap-policy", "",
           "stream bytes over stream.reassembly.memcap" + kPolicyHelp);
  s.String("flow.memcap-policy", "", "a packet with no flow left (flow.memcap)" + kPolicyHelp);
  s.String("defrag.memcap-policy", "", "a fragment over defrag.memcap" + kPolicyHelp);
  s.String("app-layer.error-policy", "", "an app-layer parser error" + kPolicyHelp);

  // ---- Output and stats ----
  s.Bool("outputs.eve.enabled", true, "write EVE JSON events");
  s.String("outputs.eve.filename", "eve.json", "EVE file, relative to the log directory (-l)");
  s.Bool("outputs.eve.append", true, "append to an existing EVE file (no: truncate it)");
  s.Size("outputs.eve.batch-size", "64kb",
         "bytes of events a thread collects before writing them to the file", 512, 64 * kMiB);
  s.Bool("outputs.eve.anomaly.enabled", true,
         "write anomaly events (decode, defrag and stream anomalies are counted either way)");
  s.Bool("outputs.eve.alert.enabled", true, "write alert events");
  s.Bool("outputs.eve.http.enabled", true, "write http events (one per transaction)");
  s.Bool("outputs.eve.dns.enabled", true, "write dns events (queries and answers)");
  s.Bool("outputs.eve.tls.enabled", true, "write tls events (one per handshake)");
  s.Bool("outputs.eve.flow.enabled", true, "write flow events when flows end");
  s.Bool("outputs.eve.community-id", true, "write community_id in flow-related events");
  s.Int("outputs.eve.community-id-seed", 0, 0, 65535, "Community ID seed");
  s.Bool("stats.enabled", true, "write periodic and final EVE stats events");
  s.Duration("stats.interval", "8s", "wall time between stats events", kNanosPerSecond);

  // ---- Detection (Suricata's key names) ----
  s.String("default-rule-path", "", "directory that relative rule-files are found in");
  s.List("rule-files", {}, "signature rule files loaded at start (-S replaces, -s adds)");
  s.String("classification-file", "",
           "classification.config for alert category and severity; empty = built-in defaults");
  s.String("reference-config-file", "", "reference.config (accepted; references are not resolved)");
  s.String("threshold-file", "", "threshold.config (threshold, event_filter, suppress); empty = none");
  s.Bool("stream.inline", false, "accepted for Suricata compatibility; Vigil inspects per packet");
  s.Bool("app-layer.protocols.http.enabled", true, "parse HTTP/1.x and inspect http buffers");
  s.Bool("app-layer.protocols.tls.enabled", true, "parse TLS handshakes and inspect tls buffers");
  s.Bool("app-layer.protocols.mqtt.enabled", true, "parse MQTT on port 1883 and inspect mqtt buffers");
  s.Bool("app-layer.protocols.dns.enabled", true, "parse DNS and inspect dns buffers");
  s.Size("app-layer.protocols.http.libhtp.default-config.request-body-limit", "100kb",
         "HTTP request body bytes kept for inspection", 0, int64_t{1} << 30);
  s.Size("app-layer.protocols.http.libhtp.default-config.response-body-limit", "100kb",
         "HTTP response body bytes kept for inspection (after decompression)", 0, int64_t{1} << 30);
  s.Int("app-layer.protocols.http.libhtp.default-config.response-body-decompress-layer-limit", 2,
        1, 8, "Content-Encoding layers undone per HTTP response body");
  s.Int("packet-alert-max", 15, 1, 1000,
        "alerts kept per inspection (Suricata's name); more are counted and dropped");
  s.Int("detect.max-ports-per-rule-group", 64, 1, 65536,
        "rules listing more ports than this go in the any-port group");
  s.Int("detect.min-preferred-fast-pattern", 4, 1, 64,
        "fast patterns shorter than this are avoided when a rule has a longer content");
  s.Int("detect.inspection-recursion-limit", 3000, 1, 1 << 24,
        "content backtracking budget per rule check; past it the rule does not match (counted)");
  s.Int("detect.pcre-match-limit", 3500, 1, 1 << 30, "PCRE2 match limit (Suricata pcre.match-limit)");
  s.Int("detect.pcre-depth-limit", 1500, 1, 1 << 30, "PCRE2 depth limit");
  s.Int("detect.stream-window", 4096, 64, 1 << 24,
        "bytes of earlier stream data kept so a pattern crossing segments matches");
  s.Int("detect.threshold-table-size", 65536, 16, 1 << 24,
        "threshold / detection_filter tracking entries per worker");
  s.Int("detect.xbits-table-size", 65536, 16, 1 << 24,
        "xbits (host / ip_pair bits) entries per worker; when full, new bits are not set (counted)");
  s.String("detect.cache-dir", "", "directory for compiled rule databases; empty = no cache");
  s.Bool("detect.profiling", false, "time every rule check (rule profile; costs two clock reads)");
  s.String("detect.profiling-file", "",
           "append each worker's per-rule profile (JSON lines) to this file at exit; empty = none");

  // ---- Variables for the detection engine ----
  s.Map("vars.address-groups", "named address lists: HOME_NET, EXTERNAL_NET, ...");
  s.Map("vars.port-groups", "named port lists: HTTP_PORTS, ...");
  return s;
}

Result<SensorConfig> BuildSensorConfig(const Config& c) {
  SensorConfig sc;
  // ---- Process ----
  VIGIL_TRY(std::string runmode, c.GetString("runmode"));
  sc.runmode = runmode == "single" ? RunMode::kSingle : RunMode::kWorkers;
  VIGIL_TRY(int64_t threads, c.GetInt("threads"));
  if (sc.runmode == RunMode::kSingle) {
    sc.workers = 1;
  } else if (threads > 0) {
    sc.workers = static_cast<uint32_t>(threads);
  } else {
    const unsigned hw = std::thread::hardware_concurrency();
    sc.workers = hw > 2 ? hw - 1 : 1;
  }
  VIGIL_TRY(sc.sensor_id, c.GetString("sensor-id"));
  if (sc.sensor_id.empty()) sc.sensor_id = DefaultSensorId();
  VIGIL_TRY(sc.province, c.GetString("province"));
  VIGIL_TRY(bool checksums, c.GetBool("checksum-validation"));
  sc.decoder.checksums = checksums ? ChecksumMode::kAll : ChecksumMode::kNone;
  VIGIL_TRY(std::string level, c.GetString("logging.default-log-level"));
  VIGIL_TRY(sc.log_level, ParseLogLevel(level));

  // ---- Capture ----
  CaptureConfig& cap = sc.capture;
  VIGIL_TRY(cap.interface, c.GetString("pcap.interface"));
  VIGIL_TRY(cap.bpf_filter, c.GetString("pcap.bpf-filter"));
  VIGIL_TRY(int64_t snaplen, c.GetInt("pcap.snaplen"));
  cap.snaplen = static_cast<uint32_t>(snaplen);
  VIGIL_TRY(cap.promiscuous, c.GetBool("pcap.promisc"));
  VIGIL_TRY(int64_t buffer, c.GetSize("pcap.buffer-size"));
  cap.buffer_bytes = static_cast<uint32_t>(buffer);
  VIGIL_TRY(cap.immediate_mode, c.GetBool("pcap.immediate-mode"));
  VIGIL_TRY(int64_t timeout_ns, c.GetDurationNanos("pcap.timeout"));
  cap.timeout_ms = static_cast<int>(timeout_ns / kNanosPerMilli);
  VIGIL_TRY(int64_t pool, c.GetInt("capture.pool-slots"));
  cap.pool_slots = static_cast<uint32_t>(pool);
  VIGIL_TRY(int64_t slot, c.GetInt("capture.slot-size"));
  cap.slot_bytes = static_cast<uint32_t>(std::min<int64_t>(slot, snaplen));
  VIGIL_TRY(int64_t large, c.GetInt("capture.large-slots"));
  cap.large_slots = static_cast<uint32_t>(large);
  VIGIL_TRY(int64_t ring, c.GetInt("capture.ring-size"));
  cap.worker_ring_size = static_cast<uint32_t>(ring);
  VIGIL_TRY(std::string qf, c.GetString("capture.queue-full"));
  if (qf == "block") cap.queue_full_policy = QueueFullPolicy::kBlock;
  if (qf == "drop") cap.queue_full_policy = QueueFullPolicy::kDrop;

  // ---- Decoder ----
  DecoderConfig& dec = sc.decoder;
  VIGIL_TRY(int64_t layers, c.GetInt("decoder.max-layers"));
  dec.max_layers = static_cast<uint32_t>(layers);
  VIGIL_TRY(int64_t tdepth, c.GetInt("decoder.max-tunnel-depth"));
  dec.max_tunnel_depth = static_cast<uint32_t>(tdepth);
  VIGIL_TRY(int64_t vlans, c.GetInt("decoder.max-vlan-tags"));
  dec.max_vlan_tags = static_cast<uint32_t>(vlans);
  VIGIL_TRY(dec.decode_gre, c.GetBool("decoder.gre.enabled"));
  VIGIL_TRY(dec.decode_ipip, c.GetBool("decoder.ipip.enabled"));
  VIGIL_TRY(dec.decode_vxlan, c.GetBool("decoder.vxlan.enabled"));
  VIGIL_TRY(ConfigList ports, c.GetList("decoder.vxlan.ports"));
  if (ports.size() > dec.vxlan_ports.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 "decoder.vxlan.ports: at most " + std::to_string(dec.vxlan_ports.size()) +
                     " ports, got " + std::to_string(ports.size()));
  }
  dec.vxlan_ports.fill(0);
  for (size_t i = 0; i < ports.size(); ++i) {
    auto v = ParseConfigInt(ports[i]);
    if (!v || *v < 1 || *v > 65535) {
      return Error(ErrorCode::kInvalidArgument,
                   "decoder.vxlan.ports: expected a port 1..65535, got '" + ports[i] + "'");
    }
    dec.vxlan_ports[i] = static_cast<uint16_t>(*v);
  }

  // ---- Defrag ----
  DefragConfig& df = sc.defrag;
  VIGIL_TRY(int64_t dmem, c.GetSize("defrag.memcap"));
  df.memcap = static_cast<size_t>(dmem);
  VIGIL_TRY(int64_t trackers, c.GetInt("defrag.trackers"));
  df.max_trackers = static_cast<uint32_t>(trackers);
  VIGIL_TRY(int64_t dhash, c.GetInt("defrag.hash-size"));
  df.hash_buckets = static_cast<uint32_t>(dhash);
  VIGIL_TRY(int64_t frags, c.GetInt("defrag.max-frags"));
  df.max_fragments = static_cast<uint32_t>(frags);
  VIGIL_TRY(df.timeout_ns, c.GetDurationNanos("defrag.timeout"));
  VIGIL_TRY(std::string dpol, c.GetString("defrag.policy"));
  VIGIL_TRY(df.policy, ParseDefragPolicy(dpol));

  // ---- Flow ----
  FlowTableConfig& fl = sc.flow;
  VIGIL_TRY(int64_t fmem, c.GetSize("flow.memcap"));
  fl.memcap = static_cast<size_t>(fmem) / sc.workers;
  VIGIL_TRY(int64_t fhash, c.GetInt("flow.hash-size"));
  fl.hash_buckets = static_cast<uint32_t>(fhash);
  VIGIL_TRY(int64_t recovery, c.GetInt("flow.emergency-recovery"));
  fl.emergency_exit_pct = static_cast<uint32_t>(100 - recovery);
  if (fl.emergency_exit_pct >= fl.emergency_enter_pct) {
    fl.emergency_enter_pct = std::min<uint32_t>(100, fl.emergency_exit_pct + 1);
  }
  for (size_t i = 0; i < kProtoSections.size(); ++i) {
    const std::string_view p = kProtoSections[i];
    VIGIL_TRY(fl.timeouts[i].new_ns, c.GetDurationNanos(Timeout(p, "new")));
    VIGIL_TRY(fl.timeouts[i].established_ns, c.GetDurationNanos(Timeout(p, "established")));
    VIGIL_TRY(fl.emergency_timeouts[i].new_ns, c.GetDurationNanos(Timeout(p, "emergency-new")));
    VIGIL_TRY(fl.emergency_timeouts[i].established_ns,
              c.GetDurationNanos(Timeout(p, "emergency-established")));
    if (p == "tcp") {
      VIGIL_TRY(fl.timeouts[i].closed_ns, c.GetDurationNanos(Timeout(p, "closed")));
      VIGIL_TRY(fl.emergency_timeouts[i].closed_ns,
                c.GetDurationNanos(Timeout(p, "emergency-closed")));
    }
  }
  // Ids from (hash, start time): the same capture gives the same flow ids with any number of
  // workers, as Suricata's flow_id does (see FlowTableConfig::flow_id_from_key).
  fl.flow_id_from_key = true;

  // ---- Stream ----
  ReassemblyConfig& st = sc.stream;
  VIGIL_TRY(st.midstream, c.GetBool("stream.midstream"));
  VIGIL_TRY(int64_t smem, c.GetSize("stream.memcap"));
  sc.stream_session_memcap = static_cast<uint64_t>(smem) / sc.workers;
  VIGIL_TRY(int64_t rmem, c.GetSize("stream.reassembly.memcap"));
  st.memcap = static_cast<uint64_t>(rmem) / sc.workers;
  VIGIL_TRY(int64_t depth, c.GetSize("stream.reassembly.depth"));
  st.stream_depth = static_cast<uint64_t>(depth);
  VIGIL_TRY(int64_t ses, c.GetSize("stream.reassembly.session-memcap"));
  st.session_memcap = static_cast<uint64_t>(ses);
  VIGIL_TRY(int64_t ooo, c.GetInt("stream.reassembly.max-ooo-segments"));
  st.max_ooo_segments = static_cast<uint32_t>(ooo);
  VIGIL_TRY(std::string spol, c.GetString("stream.reassembly.overlap-policy"));
  VIGIL_TRY(st.overlap_policy, ParseOverlapPolicy(spol));
  VIGIL_TRY(int64_t check, c.GetSize("stream.reassembly.overlap-check"));
  st.overlap_check_bytes = static_cast<uint32_t>(std::min<int64_t>(check, int64_t{1} << 30));

  // ---- Exception policies ----
  VIGIL_TRY(sc.ips, c.GetBool("simulate-ips"));
  ExceptionPolicySettings eps;
  VIGIL_TRY(eps.master, c.GetString("exception-policy"));
  VIGIL_TRY(eps.midstream, c.GetString("stream.midstream-policy"));
  VIGIL_TRY(eps.stream_memcap, c.GetString("stream.memcap-policy"));
  VIGIL_TRY(eps.reassembly_memcap, c.GetString("stream.reassembly.memcap-policy"));
  VIGIL_TRY(eps.flow_memcap, c.GetString("flow.memcap-policy"));
  VIGIL_TRY(eps.defrag_memcap, c.GetString("defrag.memcap-policy"));
  VIGIL_TRY(eps.app_layer_error, c.GetString("app-layer.error-policy"));
  VIGIL_TRY(sc.exception_policies, ResolveExceptionPolicies(eps, sc.ips, st.midstream));

  // ---- Output / stats ----
  VIGIL_TRY(sc.eve_enabled, c.GetBool("outputs.eve.enabled"));
  VIGIL_TRY(sc.eve_filename, c.GetString("outputs.eve.filename"));
  VIGIL_TRY(sc.eve_append, c.GetBool("outputs.eve.append"));
  VIGIL_TRY(sc.eve_anomaly, c.GetBool("outputs.eve.anomaly.enabled"));
  VIGIL_TRY(int64_t batch, c.GetSize("outputs.eve.batch-size"));
  sc.eve_batch_bytes = static_cast<size_t>(batch);
  VIGIL_TRY(sc.community_id, c.GetBool("outputs.eve.community-id"));
  VIGIL_TRY(int64_t seed, c.GetInt("outputs.eve.community-id-seed"));
  sc.community_id_seed = static_cast<uint16_t>(seed);
  VIGIL_TRY(sc.stats_enabled, c.GetBool("stats.enabled"));
  VIGIL_TRY(sc.stats_interval_ns, c.GetDurationNanos("stats.interval"));

  EveTypes& et = sc.eve_types;
  VIGIL_TRY(et.alert, c.GetBool("outputs.eve.alert.enabled"));
  VIGIL_TRY(et.http, c.GetBool("outputs.eve.http.enabled"));
  VIGIL_TRY(et.dns, c.GetBool("outputs.eve.dns.enabled"));
  VIGIL_TRY(et.tls, c.GetBool("outputs.eve.tls.enabled"));
  VIGIL_TRY(et.flow, c.GetBool("outputs.eve.flow.enabled"));

  // ---- Detection ----
  DetectionSettings& d = sc.detection;
  VIGIL_TRY(d.default_rule_path, c.GetString("default-rule-path"));
  VIGIL_TRY(d.rule_files, c.GetList("rule-files"));
  VIGIL_TRY(d.classification_file, c.GetString("classification-file"));
  VIGIL_TRY(d.reference_config_file, c.GetString("reference-config-file"));
  VIGIL_TRY(d.threshold_file, c.GetString("threshold-file"));
  VIGIL_TRY(d.stream_inline, c.GetBool("stream.inline"));
  VIGIL_TRY(d.app_http, c.GetBool("app-layer.protocols.http.enabled"));
  VIGIL_TRY(d.app_tls, c.GetBool("app-layer.protocols.tls.enabled"));
  VIGIL_TRY(d.app_mqtt, c.GetBool("app-layer.protocols.mqtt.enabled"));
  VIGIL_TRY(d.app_dns, c.GetBool("app-layer.protocols.dns.enabled"));
  {
    constexpr std::string_view kHtp = "app-layer.protocols.http.libhtp.default-config.";
    VIGIL_TRY(int64_t req, c.GetSize(std::string(kHtp) + "request-body-limit"));
    VIGIL_TRY(int64_t resp, c.GetSize(std::string(kHtp) + "response-body-limit"));
    VIGIL_TRY(int64_t ce_layers,
              c.GetInt(std::string(kHtp) + "response-body-decompress-layer-limit"));
    d.http_request_body_limit = static_cast<uint64_t>(req);
    d.http_response_body_limit = static_cast<uint64_t>(resp);
    d.http_decompress_layer_limit = static_cast<uint32_t>(ce_layers);
  }
  auto u32 = [&](std::string_view key, uint32_t& out) -> Status {
    VIGIL_TRY(int64_t v, c.GetInt(key));
    out = static_cast<uint32_t>(v);
    return Ok();
  };
  VIGIL_CHECK_OK(u32("packet-alert-max", d.max_alerts_per_inspection));
  VIGIL_CHECK_OK(u32("detect.max-ports-per-rule-group", d.max_ports_per_rule_group));
  VIGIL_CHECK_OK(u32("detect.min-preferred-fast-pattern", d.min_preferred_fast_pattern));
  VIGIL_CHECK_OK(u32("detect.inspection-recursion-limit", d.inspection_recursion_limit));
  VIGIL_CHECK_OK(u32("detect.pcre-match-limit", d.pcre_match_limit));
  VIGIL_CHECK_OK(u32("detect.pcre-depth-limit", d.pcre_depth_limit));
  VIGIL_CHECK_OK(u32("detect.stream-window", d.stream_window_bytes));
  VIGIL_CHECK_OK(u32("detect.threshold-table-size", d.threshold_table_size));
  VIGIL_CHECK_OK(u32("detect.xbits-table-size", d.xbits_table_size));
  VIGIL_TRY(d.cache_dir, c.GetString("detect.cache-dir"));
  VIGIL_TRY(d.profile_timing, c.GetBool("detect.profiling"));
  VIGIL_TRY(d.profile_file, c.GetString("detect.profiling-file"));

  VIGIL_TRY(sc.address_groups, c.GetMap("vars.address-groups"));
  VIGIL_TRY(sc.port_groups, c.GetMap("vars.port-groups"));
  return sc;
}

Status SensorConfig::Validate() const {
  auto bad = [](std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); };
  if (workers == 0) return bad("threads: at least one worker is needed");
  if (runmode == RunMode::kSingle && workers != 1) return bad("runmode single has one worker");
  VIGIL_CHECK_OK(capture.Validate());
  VIGIL_CHECK_OK(decoder.Validate());
  VIGIL_CHECK_OK(defrag.Validate());
  VIGIL_CHECK_OK(flow.Validate());
  VIGIL_CHECK_OK(stream.Validate());
  if (eve_enabled && eve_filename.empty()) return bad("outputs.eve.filename must not be empty");
  if (stats_interval_ns <= 0) return bad("stats.interval must be positive");
  return Ok();
}

}  // namespace vigil::sensor
