// DetectEngine: a rule set compiled for matching — rules prepared for verification, grouped by
// protocol, direction and port, with one Hyperscan literal database per (group, buffer).
// Immutable after Build(); shared read-only by every worker thread (DetectThread).
//
// Grouping. Each rule applies to some transports (tcp/udp/icmp/other; app-layer protocols map
// to their transports: http → tcp, dns → tcp+udp) and directions (flow:to_server/to_client, else
// both). For each (transport, direction) there is an "any port" group and two port maps: a rule
// whose prefilter buffer is pkt_data (or that has no fast pattern) and whose destination ports
// list at most max_ports_per_rule_group ports is put in the group of each of those ports (keyed
// on the packet's dport); else the same with its source ports (sport); else the any group.
// Ports whose rule lists are equal share one group. Rules whose fast pattern is in an app-layer
// buffer (http.uri, dns.query...) always go in the any group: the app-layer parser already
// selected the protocol, and per-port copies would multiply the large HTTP databases. A packet
// therefore meets at most three groups (dport, sport, any), each scanned per present buffer.
//
//   RuleSet set = ...;  // RuleLoader
//   auto engine = DetectEngine::Build(std::move(set), cfg, &classes, &thresholds);
//   DetectThread worker(**engine, ...);   // one per thread
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/rule_loader.h"
#include "rules/signature/threshold_config.h"
#include "sensor/detect/detect_config.h"
#include "sensor/detect/dataset_store.h"
#include "sensor/detect/fast_pattern.h"
#include "sensor/detect/hs_database.h"
#include "sensor/detect/ip_only_index.h"
#include "sensor/detect/payload_inspector.h"
#include "sensor/detect/pcre_program.h"
#include "sensor/detect/transform_chain.h"
#include "sensor/decode/decode_event.h"

namespace vigil::sensor {

enum Transport : uint8_t { kTransportTcp = 0, kTransportUdp = 1, kTransportIcmp = 2, kTransportOther = 3 };
inline constexpr size_t kTransports = 4;

struct FlowbitOp {
  rules::FlowbitsCommand command = rules::FlowbitsCommand::kSet;
  rules::FlowbitsJoin join = rules::FlowbitsJoin::kSingle;
  std::vector<uint32_t> ids;
};

struct XbitOp {
  rules::FlowbitsCommand command = rules::FlowbitsCommand::kSet;
  uint32_t id = 0;
  rules::XbitsTrack track = rules::XbitsTrack::kIpSrc;
  uint32_t expire_seconds = 0;
};

// flowint: a check (compare / isset / isnotset) or a change (+ - =) of a flow integer.
struct FlowintStep {
  rules::FlowintOp op = rules::FlowintOp::kIsSet;
  uint32_t id = 0;
  uint32_t value = 0;
  int64_t value_id = -1;  // compare / assign with another flowint instead of `value`
};

// One rule, prepared.
struct EngineRule {
  const rules::Rule* rule = nullptr;
  uint8_t transports = 0;  // bit per Transport
  uint8_t dirs = 0;        // 1: to_server, 2: to_client
  std::string app_proto;   // header protocol when it is an app-layer one ("http"), else ""
  bool has_pkt_data = false;  // has a pkt_data list: gated by stream/packet inspection
  // A list needs a buffer a stream call never has (http.header...) and the rule is neither
  // no_stream nor dsize: it can match only a packet call that is not a stream-inspected TCP
  // packet (UDP, untracked TCP). When its fast pattern is on pkt_data, a stream scan drops its
  // hits (RuleGroup::BufferDb::not_in_stream).
  bool packet_calls_only = false;
  bool only_stream = false, no_stream = false;
  std::vector<CompiledList> lists;
  std::vector<FlowbitOp> flowbit_checks, flowbit_actions;
  std::vector<XbitOp> xbit_checks, xbit_actions;
  std::vector<FlowintStep> flowint_checks, flowint_actions;
  std::vector<DecodeEvent> decode_events;  // decode-event names resolved (all must be present)
  uint8_t ip_proto = 0;  // header protocol naming one IP protocol (igmp 2, sctp 132), else 0
  std::optional<FastPattern> fast_pattern;
  // Flowbit-gated (fast pattern in a body buffer: file_data, http.request_body,
  // http.response_body; and a `flowbits:isset`): the rule cannot match unless one of these
  // flowbits is set (all of an isset's names are needed, so one name stands for them; for
  // `isset,a|b` all of a, b). Its literal is in no database: an inspection with that buffer
  // takes it as a candidate when one of them is set on the flow or set/toggled by a candidate
  // (RuleGroup::flowbit_gated), so bodies are not scanned for rules whose flowbits are unset.
  std::vector<uint32_t> gate_bits;
  uint8_t severity = 3;
  std::string_view category;
  std::optional<rules::ThresholdOption> threshold;  // rule's own, or threshold.config's override
  std::optional<rules::ThresholdOption> detection_filter;
  std::vector<const rules::ThresholdEntry*> suppress;
};

struct RuleGroup {
  struct BufferDb {
    rules::BufferId buffer = rules::BufferId::kPacket;
    uint32_t chain = 0;  // 0: the buffer as is; k: DetectEngine::chains()[k - 1] applied to it
    HsDatabase db;
    // Hyperscan id → rules sharing that literal: rule_ids[first[id] .. first[id + 1]).
    std::vector<uint32_t> first;
    std::vector<uint32_t> rule_ids;
    uint32_t max_literal = 0;  // longest literal (bytes): the overlap a partial scan needs
    uint32_t min_literal = 0;  // shortest literal: fewer bytes than this cannot match (no scan)
    // Not kCount: the database also holds the literals of this second buffer, one the pipeline
    // sets to the same bytes as `buffer` (file_data is the HTTP response body to the client,
    // the request body to the server). An inspection where both are the same span scans it
    // once for both; otherwise each buffer's scan keeps only the hits of its own rules
    // (rule_buffer[k]: the buffer of rule_ids[k]'s literal).
    rules::BufferId second = rules::BufferId::kCount;
    std::vector<rules::BufferId> rule_buffer;
    // Non-zero: every literal's content lies within the buffer's first scan_limit bytes
    // (absolute offset/depth or startswith), so only those are scanned. Short bounded
    // literals ("MZ" at depth 2) then cost nothing on the rest of the buffer.
    uint32_t scan_limit = 0;
    // tcp_packet_dbs only: a packet no rule of the database could match on dsize or on the
    // header's app-layer protocol (Evaluate checks both before any content) is not scanned.
    // any_length / any_proto: some rule has no dsize / no app-layer protocol.
    bool any_length = true, any_proto = true;
    std::vector<rules::IntegerMatch> dsizes;  // distinct dsize options of the rules
    uint64_t max_dsize = UINT64_MAX;          // !any_length: the longest payload a dsize accepts
    std::vector<std::string> app_protos;      // distinct header app-layer protocols
    // pkt_data databases holding EngineRule::packet_calls_only rules: per rule_ids entry, 1
    // when a stream call drops that hit (never a candidate there); empty when there is none.
    std::vector<uint8_t> not_in_stream;
  };
  std::vector<uint32_t> rules;   // every rule in the group, ascending
  std::vector<BufferDb> dbs;
  // `dbs` by buffer, so an inspection visits only the buffers it has: db_index[db_first[b] ..
  // db_first[b + 1]) are the entries on buffer b (db_first has BufferId::kCount + 1 entries),
  // except buffers taken from the packet itself (ipv4.hdr .. ip.dst), listed in derived_dbs.
  std::vector<uint32_t> db_first;
  std::vector<uint32_t> db_index;
  std::vector<uint32_t> derived_dbs;
  // For packet calls on a TCP flow whose stream is inspected: the pkt_data databases (per
  // chain) holding only the rules such a call can match (no_stream, dsize). Those calls scan
  // these instead of the pkt_data entries of `dbs`, so a TCP payload is not scanned twice by the
  // whole pkt_data database (once in its stream chunk, once as a packet). Empty when no such rule.
  // Rules with and without dsize are in separate databases, each gated (BufferDb::any_length).
  std::vector<BufferDb> tcp_packet_dbs;
  std::vector<uint32_t> always;  // rules without a fast pattern: checked on every inspection
  // (flowbit id, rule) of the group's flowbit-gated rules (EngineRule::gate_bits), by id.
  std::vector<std::pair<uint32_t, uint32_t>> flowbit_gated;
  IpOnlyIndex ip_only;           // header-only rules found by address instead
  // A port group of a DetectConfig::fold_any_ports port: its unbounded untransformed pkt_data
  // database also holds the any group's literals of that view, so an inspection meeting it does
  // not scan the any group's one (DetectThread::Inspect).
  bool folds_any = false;
};

struct GroupLiterals;  // detect_engine.cc: the literals of one database being assembled

struct DetectStats {
  size_t rules_in = 0;
  size_t rules_compiled = 0;
  size_t rules_skipped = 0;
  std::map<std::string, size_t> skipped_by_reason;
  size_t groups = 0;
  size_t port_groups = 0;
  size_t databases = 0;
  size_t database_bytes = 0;
  size_t patterns = 0;           // literals over all databases (a rule in N groups counts N)
  size_t always_check_rules = 0; // distinct rules without a fast pattern
  size_t always_check_entries = 0;
  size_t ip_only_rules = 0;      // distinct header-only rules prefiltered by address
  size_t pcre_compiled = 0, pcre_jit = 0;
  size_t flowbits = 0, xbits = 0, flowints = 0;
  size_t transform_chains = 0;  // distinct (buffer, transform list) pairs
  // threshold.config rate_filter entries: they change a rule's action in IPS mode; this IDS
  // engine leaves alerts unchanged, so they are counted here rather than silently dropped.
  size_t rate_filters_ignored = 0;
  std::map<size_t, size_t> fast_pattern_lengths;  // length (capped at 32) → rules
  size_t cache_hits = 0, cache_misses = 0;
  double build_seconds = 0;
  std::string ToString() const;
};

class DetectEngine {
 public:
  // Compiles `set`; rules using keywords the engine cannot evaluate are skipped and counted by
  // reason in stats(). `thresholds` may be null; null `classes` means Suricata's default
  // classification set (rules::DefaultClassifications()).
  static Result<std::unique_ptr<DetectEngine>> Build(rules::RuleSet set, const DetectConfig& cfg,
                                                     const rules::ClassificationConfig* classes,
                                                     const rules::ThresholdConfig* thresholds);

  const DetectConfig& config() const { return cfg_; }
  const DetectStats& stats() const { return stats_; }
  // The rule set the engine was built from (rules, files, the parser's summary and diagnostics).
  const rules::RuleSet& rule_set() const { return *set_; }
  const std::vector<EngineRule>& rules() const { return rules_; }
  const std::vector<RuleGroup>& groups() const { return groups_; }
  uint32_t flowbit_count() const { return static_cast<uint32_t>(flowbit_names_.size()); }
  uint32_t flowint_count() const { return static_cast<uint32_t>(flowint_names_.size()); }
  // Interned names by id (sensor/reload carries per-flow state to a new engine by name).
  const std::vector<std::string>& flowbit_names() const { return flowbit_names_; }
  const std::vector<std::string>& flowint_names() const { return flowint_names_; }
  // Transform chains; CompiledList::chain and BufferDb::chain k name chains()[k - 1].
  const std::vector<TransformChain>& chains() const { return chains_; }
  // The `dataset` sets of this engine's rules (shared by all workers; each locks itself).
  const DatasetStore& datasets() const { return datasets_; }
  // Flowbit id by name (tests, debugging); -1 when unknown.
  int64_t FlowbitId(std::string_view name) const;

  // The groups a packet meets: up to three group indices (+1; 0 = none).
  struct GroupSet {
    std::vector<uint16_t> dport, sport;  // 65536 entries each, or empty when no port groups
    uint32_t any = 0;
  };
  const GroupSet& groups_for(Transport t, bool to_server) const { return sets_[t][to_server ? 0 : 1]; }
  // Scratch prototype sized for every database; threads clone it.
  const HsScratch& scratch_prototype() const { return scratch_; }

 private:
  DetectEngine() = default;
  Status Prepare(const rules::ClassificationConfig* classes, const rules::ThresholdConfig* thresholds);
  Status BuildGroups();
  // fold_any: the any group's rules whose unbounded pkt_data literals this port group also
  // scans (RuleGroup::folds_any); null for an ordinary group.
  Result<uint32_t> MakeGroup(std::vector<uint32_t> rule_ids, bool port_group,
                             const std::vector<uint32_t>* fold_any = nullptr);
  Result<RuleGroup::BufferDb> CompileBufferDb(rules::BufferId buffer, uint32_t chain,
                                              const GroupLiterals& lits);

  DetectConfig cfg_;
  std::unique_ptr<rules::RuleSet> set_;
  std::vector<EngineRule> rules_;  // in evaluation order (action, flowbits, priority, sid)
  std::vector<std::unique_ptr<PcreProgram>> pcres_;
  std::vector<std::string> flowbit_names_, xbit_names_, flowint_names_;
  std::vector<TransformChain> chains_;
  DatasetStore datasets_;
  std::vector<RuleGroup> groups_;
  std::array<std::array<GroupSet, 2>, kTransports> sets_;
  HsScratch scratch_;
  DetectStats stats_;
  std::map<std::vector<uint32_t>, uint32_t> group_dedupe_;
  std::vector<uint8_t> placed_always_, placed_ip_only_;  // per rule, for stats
  // Suricata's default classification.config, used when Build() is given none.
  std::unique_ptr<rules::ClassificationConfig> default_classes_;
};

}  // namespace vigil::sensor
