#include "sensor/detect/detect_engine.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "rules/signature/default_classifications.h"
#include "sensor/detect/dataset_loader.h"
#include "sensor/detect/db_cache.h"
#include "sensor/detect/header_buffer.h"

namespace vigil::sensor {
namespace {

using rules::BufferId;
using rules::Rule;

constexpr uint8_t Bit(Transport t) { return static_cast<uint8_t>(1u << t); }

// Header protocol → transports and the app-layer protocol it requires (if any).
bool MapProtocol(const std::string& p, uint8_t* transports, std::string* app) {
  const uint8_t tcp = Bit(kTransportTcp), udp = Bit(kTransportUdp);
  app->clear();
  if (p == "tcp" || p == "tcp-pkt" || p == "tcp-stream") { *transports = tcp; return true; }
  if (p == "udp") { *transports = udp; return true; }
  if (p == "igmp" || p == "sctp") { *transports = Bit(kTransportOther); return true; }  // + EngineRule::ip_proto
  if (p == "icmp" || p == "icmpv4" || p == "icmpv6") { *transports = Bit(kTransportIcmp); return true; }
  if (p == "ip" || p == "pkthdr") {
    *transports = tcp | udp | Bit(kTransportIcmp) | Bit(kTransportOther);
    return true;
  }
  static constexpr std::string_view kUdpOnly[] = {"snmp", "tftp", "ntp", "dhcp", "ikev2", "ike", "quic"};
  static constexpr std::string_view kBoth[] = {"dns", "krb5", "dcerpc", "nfs", "sip"};
  static constexpr std::string_view kTcp[] = {
      "http", "http1", "http2", "tls", "ssl", "ssh", "ftp", "ftp-data", "smtp", "imap", "pop3",
      "smb", "rdp", "rfb", "mqtt", "modbus", "dnp3", "enip", "irc", "telnet", "pgsql", "ldap",
      "websocket", "bittorrent-dht", "ja3"};
  *app = p;
  if (*app == "ssl") *app = "tls";
  if (*app == "http1") *app = "http";
  for (auto n : kUdpOnly) if (p == n) { *transports = udp; return true; }
  for (auto n : kBoth) if (p == n) { *transports = tcp | udp; return true; }
  for (auto n : kTcp) if (p == n) { *transports = tcp; return true; }
  app->clear();
  return false;
}

// The transports a packet accepted by `ip_proto` can have (as DetectThread maps ip_proto to a
// transport): `alert ip ... (ip_proto:41;)` meets only the "other" groups, not every TCP packet.
uint8_t IpProtoTransports(const rules::IntegerMatch& ip_proto) {
  uint8_t mask = 0;
  for (uint32_t v = 0; v < 256; ++v) {
    if (!ip_proto.Matches(v)) continue;
    mask |= v == 6 ? Bit(kTransportTcp) : v == 17 ? Bit(kTransportUdp)
            : (v == 1 || v == 58) ? Bit(kTransportIcmp) : Bit(kTransportOther);
  }
  return mask;
}

bool IsRelative(const rules::PayloadMatch& m) {
  if (const auto* c = std::get_if<rules::ContentMatch>(&m)) return c->relative();
  if (const auto* p = std::get_if<rules::PcreMatch>(&m)) return p->relative;
  if (const auto* b = std::get_if<rules::ByteTestMatch>(&m)) return b->common.relative;
  if (const auto* b = std::get_if<rules::ByteJumpMatch>(&m)) return b->common.relative;
  if (const auto* b = std::get_if<rules::ByteExtractMatch>(&m)) return b->common.relative;
  if (const auto* d = std::get_if<rules::IsDataAtMatch>(&m)) return d->relative;
  if (const auto* b = std::get_if<rules::Base64DecodeMatch>(&m)) return b->relative;
  return false;
}

size_t PortCount(const rules::PortSet& p) {
  size_t n = 0;
  for (const auto& r : p.ranges().ranges()) n += static_cast<size_t>(r.hi - r.lo) + 1;
  return n;
}

int ActionRank(rules::Action a) {
  switch (a) {
    case rules::Action::kPass: return 0;  // Suricata's default action-order: pass, drop, reject, alert
    case rules::Action::kDrop: return 1;
    case rules::Action::kReject: case rules::Action::kRejectSrc: case rules::Action::kRejectDst:
    case rules::Action::kRejectBoth: return 2;
    default: return 3;
  }
}

// The directions a transaction-scoped rule can alert in, from its buffers (`side`: 1 request,
// 2 response, 3 either; the app layer's table): any response buffer → to_client, else request
// buffers → to_server. The pipeline drops such a rule's alerts in the other direction anyway;
// only rules whose match changes nothing else (no flowbits/xbits/flowint changes, no
// threshold counting, not pass) are restricted, so no alert changes and the other direction's
// databases lose their literals. 3 (no restriction) without `side` or for any other rule.
uint8_t TransactionSide(const EngineRule& er, uint8_t (*side)(BufferId)) {
  if (side == nullptr || !er.flowbit_actions.empty() || !er.xbit_actions.empty() ||
      ChangesDatasets(*er.rule) ||
      !er.flowint_actions.empty() || er.threshold || er.detection_filter ||
      er.rule->header.action == rules::Action::kPass) {
    return 3;
  }
  bool app = false, request = false, response = false;
  for (const CompiledList& l : er.lists) {
    if (l.buffer != BufferId::kPacket && l.buffer != BufferId::kBase64Data) app = true;
    const uint8_t s = side(l.buffer);
    request |= s == 1;
    response |= s == 2;
  }
  if (!app) return 3;
  return response ? 2 : request ? 1 : 3;
}

// EngineRule::gate_bits: for a rule whose fast pattern is in a body buffer (large, so worth
// not scanning for rules that cannot match), the flowbits one of which must be set for it to
// match: one name of an all-names isset (`isset,a` or `isset,a&b`), else every name of an
// any-name one (`isset,a|b`). Empty: no such isset, the literal goes into a database.
std::vector<uint32_t> GateBits(const EngineRule& er) {
  const BufferId b = er.fast_pattern->buffer;
  if (b != BufferId::kFileData && b != BufferId::kHttpRequestBody && b != BufferId::kHttpResponseBody)
    return {};
  const FlowbitOp* any_of = nullptr;
  for (const FlowbitOp& op : er.flowbit_checks) {
    if (op.command != rules::FlowbitsCommand::kIsSet || op.ids.empty()) continue;
    if (op.join != rules::FlowbitsJoin::kOr) return {op.ids.front()};
    if (any_of == nullptr) any_of = &op;
  }
  return any_of != nullptr ? any_of->ids : std::vector<uint32_t>();
}

bool IsBitCheck(rules::FlowbitsCommand c) {
  return c == rules::FlowbitsCommand::kIsSet || c == rules::FlowbitsCommand::kIsNotSet;
}

int FlowbitsRank(const Rule& r) {
  bool sets = false, checks = false;
  for (const auto& f : r.flowbits) {
    if (f.is_check()) checks = true;
    else if (f.command != rules::FlowbitsCommand::kNoAlert) sets = true;
  }
  for (const auto& x : r.xbits) {
    if (IsBitCheck(x.command)) checks = true;
    else if (x.command != rules::FlowbitsCommand::kNoAlert) sets = true;
  }
  for (const auto& f : r.flowints) (f.is_check() ? checks : sets) = true;
  // Setters first so a bit set by one rule is visible to a checker in the same packet.
  if (sets && !checks) return 0;
  if (sets && checks) return 1;
  if (checks) return 2;
  return 3;
}

// Keywords the rule parser accepts but the engine cannot evaluate: the skip reason, or "".
std::string UnsupportedReason(const Rule& r) {
  for (const rules::XbitsOption& x : r.xbits)
    if (x.track == rules::XbitsTrack::kTx) return "xbits track tx";
  const rules::AppOptions& app = r.app;
  if (app.tls_version) return "tls.version (TLS state not passed to detection)";
  if (!app.ssl_versions.empty()) return "ssl_version (TLS state not passed to detection)";
  if (!app.ssl_states.empty()) return "ssl_state (TLS state not passed to detection)";
  for (const rules::AppLayerProtocolOption& p : app.app_layer_protocols) {
    if (!p.mode.empty() && p.mode != "final" && p.mode != "either")
      return "app-layer-protocol mode '" + p.mode + "' (only the detected protocol is known)";
  }
  return {};
}

// decode-event names → the decoder's events; the skip reason for an unknown name, or "".
std::string ResolveDecodeEvents(const rules::HeaderOptions& h, std::vector<DecodeEvent>* out) {
  for (const rules::DecodeEventOption& e : h.decode_events) {
    std::optional<DecodeEvent> id = DecodeEventFromName(e.name);
    if (!id) return "decode-event '" + e.name + "' (not an event of this decoder)";
    out->push_back(*id);
  }
  return {};
}

// A stable text key for a (buffer, transform list) pair.
std::string ChainKey(const rules::BufferMatches& b) {
  std::string k = std::to_string(static_cast<unsigned>(b.buffer));
  for (const rules::Transform& t : b.transforms) {
    k += '|';
    k += std::to_string(static_cast<unsigned>(t.kind));
    k += ':';
    k += t.argument;
  }
  return k;
}

}  // namespace

std::string DetectStats::ToString() const {
  std::ostringstream o;
  o << "rules: " << rules_in << " in, " << rules_compiled << " compiled, " << rules_skipped
    << " skipped\n";
  for (const auto& [reason, n] : skipped_by_reason) o << "  skipped " << n << ": " << reason << "\n";
  o << "groups: " << groups << " (" << port_groups << " port groups), databases: " << databases
    << " (" << database_bytes / 1024 << " KiB, " << patterns << " patterns)\n";
  o << "always-check rules: " << always_check_rules << " (" << always_check_entries
    << " group entries); address-indexed header-only rules: " << ip_only_rules << "\n";
  o << "pcre: " << pcre_compiled << " compiled, " << pcre_jit << " JIT; flowbits: " << flowbits
    << ", xbits: " << xbits << ", flowints: " << flowints << "; transform chains: " << transform_chains
    << "\n";
  if (rate_filters_ignored) o << "threshold.config rate_filter entries ignored (IDS mode): " << rate_filters_ignored << "\n";
  o << "cache: " << cache_hits << " hits, " << cache_misses << " misses; build " << build_seconds << " s\n";
  o << "fast pattern lengths:";
  for (const auto& [len, n] : fast_pattern_lengths) o << " " << len << (len == 32 ? "+" : "") << ":" << n;
  o << "\n";
  return o.str();
}

int64_t DetectEngine::FlowbitId(std::string_view name) const {
  for (size_t i = 0; i < flowbit_names_.size(); ++i)
    if (flowbit_names_[i] == name) return static_cast<int64_t>(i);
  return -1;
}

Result<std::unique_ptr<DetectEngine>> DetectEngine::Build(rules::RuleSet set, const DetectConfig& cfg,
                                                          const rules::ClassificationConfig* classes,
                                                          const rules::ThresholdConfig* thresholds) {
  if (Status st = cfg.Validate(); !st) return std::move(st).error();
  auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<DetectEngine> e(new DetectEngine());
  e->cfg_ = cfg;
  e->set_ = std::make_unique<rules::RuleSet>(std::move(set));
  if (Status st = e->Prepare(classes, thresholds); !st) return std::move(st).error();
  if (Status st = e->BuildGroups(); !st) return std::move(st).error();
  e->stats_.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return e;
}

Status DetectEngine::Prepare(const rules::ClassificationConfig* classes,
                             const rules::ThresholdConfig* thresholds) {
  if (classes == nullptr) {
    default_classes_ = std::make_unique<rules::ClassificationConfig>(rules::DefaultClassifications());
    classes = default_classes_.get();
  }
  struct Names {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string>* names;
    uint32_t operator()(const std::string& n) {
      auto [it, added] = ids.emplace(n, static_cast<uint32_t>(names->size()));
      if (added) names->push_back(n);
      return it->second;
    }
  };
  Names intern{{}, &flowbit_names_}, intern_xbit{{}, &xbit_names_}, intern_int{{}, &flowint_names_};
  std::unordered_map<std::string, uint32_t> chain_ids;
  auto intern_chain = [&](const rules::BufferMatches& b) -> Result<uint32_t> {
    std::string key = ChainKey(b);
    if (auto it = chain_ids.find(key); it != chain_ids.end()) return it->second;
    VIGIL_TRY(TransformChain c, TransformChain::Compile(b.buffer, b.transforms));
    chains_.push_back(std::move(c));
    uint32_t id = static_cast<uint32_t>(chains_.size());
    chain_ids.emplace(std::move(key), id);
    return id;
  };
  std::vector<EngineRule> prepared;
  stats_.rules_in = set_->rules.size();
  auto skip = [&](const std::string& reason) {
    ++stats_.rules_skipped;
    ++stats_.skipped_by_reason[reason];
  };
  for (const Rule& r : set_->rules) {
    EngineRule er;
    er.rule = &r;
    if (r.header.action == rules::Action::kConfig) { skip("config action"); continue; }
    if (!MapProtocol(r.header.protocol, &er.transports, &er.app_proto)) {
      skip("protocol '" + r.header.protocol + "'");
      continue;
    }
    if (r.header_checks.ip_proto) er.transports &= IpProtoTransports(*r.header_checks.ip_proto);
    if (r.header.protocol == "igmp") er.ip_proto = 2;
    if (r.header.protocol == "sctp") er.ip_proto = 132;
    if (std::string why = UnsupportedReason(r); !why.empty()) { skip(why); continue; }
    if (std::string why = ResolveDecodeEvents(r.header_checks, &er.decode_events); !why.empty()) {
      skip(why);
      continue;
    }
    if (r.byte_extract_vars.size() > kMaxByteExtractVars) { skip("too many byte_extract variables"); continue; }
    er.dirs = 3;
    if (r.flow) {
      if (r.flow->direction == rules::FlowDirection::kToServer) er.dirs = 1;
      if (r.flow->direction == rules::FlowDirection::kToClient) er.dirs = 2;
      er.only_stream = r.flow->stream == rules::FlowStream::kOnlyStream;
      er.no_stream = r.flow->stream == rules::FlowStream::kNoStream;
    }
    // Suricata's tcp-pkt / tcp-stream header protocols: packet payloads only / the stream only.
    if (r.header.protocol == "tcp-pkt") er.no_stream = true;
    if (r.header.protocol == "tcp-stream") er.only_stream = true;
    auto slot = [&](const rules::IntOrVar& v) -> int8_t {
      if (!v.is_var()) return -1;
      for (size_t k = 0; k < r.byte_extract_vars.size(); ++k)
        if (r.byte_extract_vars[k] == v.var) return static_cast<int8_t>(k);
      return -1;
    };
    auto name_slot = [&](const std::string& n) -> int8_t {
      if (n.empty()) return -1;
      return slot(rules::IntOrVar{0, n});
    };
    std::string reason;
    for (const rules::BufferMatches& b : r.buffers) {
      CompiledList cl;
      cl.buffer = b.buffer;
      if (!b.transforms.empty()) {
        if (b.buffer == BufferId::kBase64Data) { reason = "transform on base64_data"; break; }
        auto chain = intern_chain(b);
        if (!chain) { reason = "transform: " + chain.error().message; break; }
        cl.chain = *chain;
      }
      cl.src = &b;
      cl.pcre.assign(b.matches.size(), nullptr);
      cl.relative_next.assign(b.matches.size(), 0);
      cl.vars.resize(b.matches.size());
      cl.sets.assign(b.matches.size(), nullptr);
      for (size_t k = 0; k < b.matches.size(); ++k) {
        const rules::PayloadMatch& m = b.matches[k];
        if (k + 1 < b.matches.size()) cl.relative_next[k] = IsRelative(b.matches[k + 1]) ? 1 : 0;
        CompiledList::VarSlots& vs = cl.vars[k];
        if (const auto* c = std::get_if<rules::ContentMatch>(&m)) {
          if (c->offset) vs.a = slot(*c->offset);
          if (c->depth) vs.b = slot(*c->depth);
          if (c->distance) vs.c = slot(*c->distance);
          if (c->within) vs.d = slot(*c->within);
        } else if (const auto* p = std::get_if<rules::PcreMatch>(&m)) {
          auto prog = PcreProgram::Compile(*p);
          if (!prog) { reason = "pcre does not compile"; break; }
          ++stats_.pcre_compiled;
          if (prog->jit()) ++stats_.pcre_jit;
          pcres_.push_back(std::make_unique<PcreProgram>(std::move(*prog)));
          cl.pcre[k] = pcres_.back().get();
        } else if (const auto* bt = std::get_if<rules::ByteTestMatch>(&m)) {
          vs.a = slot(bt->common.offset);
          vs.b = slot(bt->value);
          vs.nbytes = name_slot(bt->common.num_bytes_var);
        } else if (const auto* bj = std::get_if<rules::ByteJumpMatch>(&m)) {
          vs.a = slot(bj->common.offset);
          vs.nbytes = name_slot(bj->common.num_bytes_var);
        } else if (const auto* be = std::get_if<rules::ByteExtractMatch>(&m)) {
          vs.a = slot(be->common.offset);
          vs.store = name_slot(be->name);
        } else if (const auto* d = std::get_if<rules::IsDataAtMatch>(&m)) {
          vs.a = slot(d->position);
        } else if (const auto* ds = std::get_if<rules::DatasetMatch>(&m)) {
          const std::string& file = r.file_index < set_->files.size() ? set_->files[r.file_index] : std::string();
          auto got = datasets_.Get(*ds, ds->load.empty() ? std::string() : DatasetFilePath(ds->load, file),
                                   DatasetDefaults{});
          if (!got) { reason = got.error().message; break; }
          cl.sets[k] = *got;
          cl.has_dataset = true;
        }
      }
      if (!reason.empty()) break;
      if (b.buffer == BufferId::kPacket && cl.chain == 0) er.has_pkt_data = true;
      er.lists.push_back(std::move(cl));
    }
    if (!reason.empty()) { skip(reason); continue; }
    if (!er.no_stream && !r.dsize) {
      // A stream call's BufferSet has pkt_data only; View() adds ip.src / ip.dst and
      // base64_data. Any other buffer is absent there, and Evaluate fails such a list.
      for (const CompiledList& l : er.lists) {
        if (l.buffer != BufferId::kPacket && l.buffer != BufferId::kBase64Data &&
            l.buffer != BufferId::kIpSrc && l.buffer != BufferId::kIpDst) {
          er.packet_calls_only = true;
        }
      }
    }
    for (const rules::FlowbitsOption& f : r.flowbits) {
      if (f.command == rules::FlowbitsCommand::kNoAlert) continue;
      FlowbitOp op{f.command, f.join, {}};
      for (const std::string& n : f.names) op.ids.push_back(intern(n));
      (f.is_check() ? er.flowbit_checks : er.flowbit_actions).push_back(std::move(op));
    }
    for (const rules::XbitsOption& x : r.xbits) {
      if (x.command == rules::FlowbitsCommand::kNoAlert) continue;
      XbitOp op{x.command, intern_xbit(x.name), x.track, x.expire_seconds};
      (IsBitCheck(x.command) ? er.xbit_checks : er.xbit_actions).push_back(op);
    }
    for (const rules::FlowintOption& f : r.flowints) {
      FlowintStep st{f.op, intern_int(f.name), f.value, -1};
      if (!f.value_var.empty()) st.value_id = intern_int(f.value_var);
      (f.is_check() ? er.flowint_checks : er.flowint_actions).push_back(st);
    }
    er.fast_pattern = ChooseFastPattern(r, cfg_.min_preferred_fast_pattern);
    if (er.fast_pattern)
      er.fast_pattern = PrefilterLiteral(r, std::move(*er.fast_pattern), cfg_.min_preferred_fast_pattern);
    if (er.fast_pattern) er.gate_bits = GateBits(er);
    if (!r.meta.classtype.empty()) {
      if (const rules::Classification* c = classes->Find(r.meta.classtype)) {
        er.severity = c->priority;
        er.category = c->description;
      }
    }
    if (r.meta.priority) er.severity = *r.meta.priority;
    er.threshold = r.threshold;
    er.detection_filter = r.detection_filter;
    if (thresholds) {
      for (const rules::ThresholdEntry& t : thresholds->entries()) {
        bool gid_ok = t.gen_id == 0 || t.gen_id == r.meta.gid;
        bool sid_ok = t.sig_id == 0 || t.sig_id == r.meta.sid;
        if (!gid_ok || !sid_ok) continue;
        if (t.kind == rules::ThresholdEntryKind::kSuppress) er.suppress.push_back(&t);
        // threshold.config replaces the rule's own threshold (Suricata's documented behaviour);
        // a global (sid 0) entry only applies to rules without one.
        if (t.kind == rules::ThresholdEntryKind::kThreshold && (t.sig_id != 0 || !er.threshold))
          er.threshold = t.limits;
      }
    }
    er.dirs &= TransactionSide(er, cfg_.buffer_side);
    prepared.push_back(std::move(er));
  }
  if (thresholds) {
    for (const rules::ThresholdEntry& t : thresholds->entries())
      if (t.kind == rules::ThresholdEntryKind::kRateFilter) ++stats_.rate_filters_ignored;
  }
  stats_.flowbits = flowbit_names_.size();
  stats_.xbits = xbit_names_.size();
  stats_.flowints = flowint_names_.size();
  stats_.transform_chains = chains_.size();
  std::vector<size_t> order(prepared.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](size_t i) {
    const Rule& r = *prepared[i].rule;
    return std::make_tuple(ActionRank(r.header.action), FlowbitsRank(r), prepared[i].severity,
                           r.meta.sid, r.meta.gid);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  rules_.reserve(prepared.size());
  for (size_t i : order) {
    const EngineRule& er = prepared[i];
    if (er.fast_pattern) ++stats_.fast_pattern_lengths[std::min<size_t>(er.fast_pattern->bytes.size(), 32)];
    rules_.push_back(std::move(prepared[i]));
  }
  stats_.rules_compiled = rules_.size();
  return Ok();
}

// The literals of one (buffer, transform chain) database being assembled for a group.
struct GroupLiterals {
  std::vector<HsLiteral> lits;
  std::map<std::pair<std::string, bool>, uint32_t> index;  // identical literals share an id
  std::vector<std::vector<uint32_t>> rules;                // id → rules
  int64_t max_bound = 0;  // bounded databases: the largest FastPattern::bound

  void Add(const FastPattern& fp, uint32_t rule_index) {
    max_bound = std::max(max_bound, fp.bound);
    auto [it, added] = index.emplace(std::make_pair(fp.bytes, fp.nocase),
                                     static_cast<uint32_t>(lits.size()));
    if (added) {
      lits.push_back({fp.bytes, fp.nocase, it->second});
      rules.emplace_back();
    }
    rules[it->second].push_back(rule_index);
  }
  // Adds every literal of `o` with its rules (identical literals share an id).
  void Merge(const GroupLiterals& o) {
    for (const HsLiteral& l : o.lits) {
      auto [it, added] = index.emplace(std::make_pair(l.bytes, l.nocase), static_cast<uint32_t>(lits.size()));
      if (added) {
        lits.push_back({l.bytes, l.nocase, it->second});
        rules.emplace_back();
      }
      const std::vector<uint32_t>& from = o.rules[l.id];
      rules[it->second].insert(rules[it->second].end(), from.begin(), from.end());
    }
  }
};

namespace {

// (buffer, transform chain, bounded) → literals. Bounded: every fast pattern lies within the
// first kBoundedScanBytes of the buffer (FastPattern::bound), so that database scans only them.
using LiteralsByView = std::map<std::tuple<BufferId, uint32_t, bool>, GroupLiterals>;
constexpr int64_t kBoundedScanBytes = 1024;

bool Bounded(const FastPattern& fp) { return fp.bound >= 0 && fp.bound <= kBoundedScanBytes; }

// A stream chunk scanned with a carry starts (longest literal - 1) bytes before its new bytes,
// so one long literal makes every chunk rescan that much of the kept tail. In the databases
// stream chunks scan, a longer literal is replaced by its last kStreamLiteralBytes bytes: every
// occurrence of the literal contains that suffix, so the rule is still a candidate wherever it
// was (verification is exact), and the overlap stays under kStreamLiteralBytes. A literal
// wholly in the kept tail has its suffix there too, found by an earlier scan (StreamCarry).
// Hyperscan also scans such a database faster (ET 2018 on synthetic HTTP: about -8 % packet
// CPU with a cap of 32..48, none with 64); caps under 32 make its compile markedly slower.
constexpr size_t kStreamLiteralBytes = 40;

GroupLiterals SuffixLiterals(const GroupLiterals& l, size_t max_bytes) {
  GroupLiterals out;
  out.max_bound = l.max_bound;
  for (const HsLiteral& lit : l.lits) {
    const std::string_view b = lit.bytes;
    const std::string suffix(b.size() > max_bytes ? b.substr(b.size() - max_bytes) : b);
    // Literals with the same suffix become one pattern with both rule lists.
    auto [it, added] = out.index.emplace(std::make_pair(suffix, lit.nocase),
                                         static_cast<uint32_t>(out.lits.size()));
    if (added) {
      out.lits.push_back({suffix, lit.nocase, it->second});
      out.rules.emplace_back();
    }
    const std::vector<uint32_t>& from = l.rules[lit.id];
    out.rules[it->second].insert(out.rules[it->second].end(), from.begin(), from.end());
  }
  return out;
}

// Packet-only rules whose dsize accepts no payload longer than this form their own database,
// which the dsize gate skips for every longer packet (most packets of a bulk transfer are
// full-sized); the other dsize rules (dsize:>0, 1300<>1500...) stay in a second one.
constexpr uint64_t kSmallDsizeBytes = 256;

// The largest payload length `d` accepts; UINT64_MAX when it has no upper bound.
uint64_t DsizeMax(const rules::IntegerMatch& d) {
  switch (d.op) {
    case rules::IntOp::kEq: case rules::IntOp::kLe: return d.value;
    case rules::IntOp::kLt: return d.value == 0 ? 0 : d.value - 1;
    case rules::IntOp::kRange: return d.max == 0 ? 0 : d.max - 1;
    default: return UINT64_MAX;
  }
}

// Fills g.db_first / db_index / derived_dbs from g.dbs (RuleGroup).
void IndexByBuffer(RuleGroup& g) {
  constexpr size_t kBuffers = static_cast<size_t>(BufferId::kCount);
  g.db_first.assign(kBuffers + 1, 0);
  for (const RuleGroup::BufferDb& db : g.dbs) {
    if (!IsPacketDerivedBuffer(db.buffer)) ++g.db_first[static_cast<size_t>(db.buffer) + 1];
    if (db.second != BufferId::kCount) ++g.db_first[static_cast<size_t>(db.second) + 1];
  }
  for (size_t b = 0; b < kBuffers; ++b) g.db_first[b + 1] += g.db_first[b];
  g.db_index.assign(g.db_first[kBuffers], 0);
  std::vector<uint32_t> next(g.db_first.begin(), g.db_first.end() - 1);
  for (uint32_t i = 0; i < g.dbs.size(); ++i) {
    const BufferId b = g.dbs[i].buffer;
    if (IsPacketDerivedBuffer(b)) g.derived_dbs.push_back(i);
    else g.db_index[next[static_cast<size_t>(b)]++] = i;
    if (g.dbs[i].second != BufferId::kCount) g.db_index[next[static_cast<size_t>(g.dbs[i].second)]++] = i;
  }
}

}  // namespace

Result<RuleGroup::BufferDb> DetectEngine::CompileBufferDb(BufferId buffer, uint32_t chain,
                                                          const GroupLiterals& l) {
  DbCache cache(cfg_.cache_dir);
  RuleGroup::BufferDb bdb;
  bdb.buffer = buffer;
  bdb.chain = chain;
  std::string key = cache.enabled() ? DbCache::Key(l.lits) : std::string();
  bool loaded = false;
  if (cache.enabled()) {
    if (auto db = cache.Load(key)) {
      bdb.db = std::move(*db);
      loaded = true;
      ++stats_.cache_hits;
    } else {
      ++stats_.cache_misses;
    }
  }
  if (!loaded) {
    VIGIL_TRY(HsDatabase db, HsDatabase::CompileLiterals(l.lits));
    bdb.db = std::move(db);
    if (cache.enabled()) (void)cache.Store(key, bdb.db);  // a cache write failure only costs time
  }
  for (const auto& rs : l.rules) {
    bdb.first.push_back(static_cast<uint32_t>(bdb.rule_ids.size()));
    bdb.rule_ids.insert(bdb.rule_ids.end(), rs.begin(), rs.end());
  }
  bdb.first.push_back(static_cast<uint32_t>(bdb.rule_ids.size()));
  bdb.min_literal = UINT32_MAX;
  for (const HsLiteral& lit : l.lits) {
    bdb.max_literal = std::max(bdb.max_literal, static_cast<uint32_t>(lit.bytes.size()));
    bdb.min_literal = std::min(bdb.min_literal, static_cast<uint32_t>(lit.bytes.size()));
  }
  if (Status st = scratch_.Grow(bdb.db); !st) return std::move(st).error();
  ++stats_.databases;
  stats_.database_bytes += bdb.db.Size();
  stats_.patterns += l.lits.size();
  return bdb;
}

Result<uint32_t> DetectEngine::MakeGroup(std::vector<uint32_t> ids, bool port_group,
                                         const std::vector<uint32_t>* fold_any) {
  // A folded group's key is its rules, a marker no rule index reaches, then the folded rules:
  // it never aliases the same rule list unfolded or folded with another direction's any group.
  std::vector<uint32_t> dedupe_key = ids;
  if (fold_any) {
    dedupe_key.push_back(UINT32_MAX);
    dedupe_key.insert(dedupe_key.end(), fold_any->begin(), fold_any->end());
  }
  if (auto it = group_dedupe_.find(dedupe_key); it != group_dedupe_.end()) return it->second;
  RuleGroup g;
  g.rules = ids;
  g.folds_any = fold_any != nullptr;
  LiteralsByView per_buffer;   // (buffer, transform chain) → literals
  // The pkt_data literals of rules a TCP packet call can match, without and with dsize.
  LiteralsByView packet_only, packet_only_sized, packet_only_small;
  for (uint32_t ri : ids) {
    const EngineRule& er = rules_[ri];
    if (!er.fast_pattern) {
      const rules::RuleHeader& h = er.rule->header;
      const rules::AddressSet* key =
          er.lists.empty() ? IpOnlyIndex::ChooseSet(h.src.get(), h.dst.get()) : nullptr;
      if (key) {
        g.ip_only.Add(ri, *key);
        placed_ip_only_[ri] = 1;
      } else {
        g.always.push_back(ri);
        placed_always_[ri] = 1;
      }
      continue;
    }
    if (!er.gate_bits.empty()) {
      for (uint32_t bit : er.gate_bits) g.flowbit_gated.emplace_back(bit, ri);
      continue;
    }
    const std::tuple<BufferId, uint32_t, bool> view{er.fast_pattern->buffer,
                                                    er.lists[er.fast_pattern->list].chain,
                                                    Bounded(*er.fast_pattern)};
    per_buffer[view].Add(*er.fast_pattern, ri);
    // On a packet of a TCP flow whose stream is inspected, pkt_data rules run only when they
    // are no_stream or dsize rules (DetectThread::Evaluate): those alone form the packet-only
    // database that such packets scan instead of the whole pkt_data one.
    if (std::get<0>(view) == BufferId::kPacket && !er.only_stream && (er.no_stream || er.rule->dsize)) {
      LiteralsByView& into = !er.rule->dsize ? packet_only
                             : DsizeMax(*er.rule->dsize) <= kSmallDsizeBytes ? packet_only_small
                                                                             : packet_only_sized;
      into[view].Add(*er.fast_pattern, ri);
    }
  }
  if (fold_any) {
    const std::tuple<BufferId, uint32_t, bool> whole{BufferId::kPacket, 0, false};
    for (uint32_t ri : *fold_any) {
      const EngineRule& er = rules_[ri];
      if (!er.fast_pattern) continue;
      const std::tuple<BufferId, uint32_t, bool> view{er.fast_pattern->buffer,
                                                      er.lists[er.fast_pattern->list].chain,
                                                      Bounded(*er.fast_pattern)};
      if (view == whole) per_buffer[view].Add(*er.fast_pattern, ri);
    }
  }
  // Buffers the pipeline sets to the same bytes (file_data and the HTTP body of its side): one
  // database for both (BufferDb::second), so those bytes are scanned once.
  std::map<std::tuple<BufferId, uint32_t, bool>, BufferId> second;
  constexpr std::pair<BufferId, BufferId> kSameBytes[] = {
      {BufferId::kFileData, BufferId::kHttpResponseBody}, {BufferId::kFileData, BufferId::kHttpRequestBody}};
  for (const auto& [a, b] : kSameBytes) {
    const std::tuple<BufferId, uint32_t, bool> va{a, 0, false}, vb{b, 0, false};
    const auto ia = per_buffer.find(va), ib = per_buffer.find(vb);
    if (ia == per_buffer.end() || ib == per_buffer.end() || second.count(va)) continue;
    ia->second.Merge(ib->second);
    per_buffer.erase(ib);
    second[va] = b;
  }
  const std::tuple<BufferId, uint32_t, bool> stream_view{BufferId::kPacket, 0, false};
  for (auto& [view, l] : per_buffer) {
    // The stream-scanned database (unbounded, untransformed pkt_data) holds long literals as
    // their last kStreamLiteralBytes bytes (SuffixLiterals).
    VIGIL_TRY(RuleGroup::BufferDb bdb,
              CompileBufferDb(std::get<0>(view), std::get<1>(view),
                              view == stream_view ? SuffixLiterals(l, kStreamLiteralBytes) : l));
    if (std::get<2>(view)) bdb.scan_limit = static_cast<uint32_t>(l.max_bound);
    if (auto it = second.find(view); it != second.end()) {
      bdb.second = it->second;
      for (uint32_t ri : bdb.rule_ids)
        bdb.rule_buffer.push_back(rules_[ri].fast_pattern->buffer);
    }
    if (std::get<0>(view) == BufferId::kPacket &&
        std::any_of(bdb.rule_ids.begin(), bdb.rule_ids.end(),
                    [&](uint32_t ri) { return rules_[ri].packet_calls_only; })) {
      for (uint32_t ri : bdb.rule_ids) bdb.not_in_stream.push_back(rules_[ri].packet_calls_only ? 1 : 0);
    }
    g.dbs.push_back(std::move(bdb));
  }
  IndexByBuffer(g);
  for (LiteralsByView* m : {&packet_only, &packet_only_sized, &packet_only_small}) {
    for (auto& [view, l] : *m) {
    VIGIL_TRY(RuleGroup::BufferDb bdb, CompileBufferDb(std::get<0>(view), std::get<1>(view), l));
    if (std::get<2>(view)) bdb.scan_limit = static_cast<uint32_t>(l.max_bound);
    // Gates: a packet whose length no rule accepts (dsize), or whose flow's protocol no rule
    // names, skips the scan (Evaluate would reject every candidate before its contents).
    bdb.any_length = bdb.any_proto = false;
    bdb.max_dsize = 0;
    for (const auto& rs : l.rules) {
      for (uint32_t ri : rs) {
        const EngineRule& er = rules_[ri];
        if (!er.rule->dsize) bdb.any_length = true;
        else if (std::find(bdb.dsizes.begin(), bdb.dsizes.end(), *er.rule->dsize) == bdb.dsizes.end())
          bdb.dsizes.push_back(*er.rule->dsize);
        bdb.max_dsize = !er.rule->dsize ? UINT64_MAX : std::max(bdb.max_dsize, DsizeMax(*er.rule->dsize));
        if (er.app_proto.empty()) bdb.any_proto = true;
        else if (std::find(bdb.app_protos.begin(), bdb.app_protos.end(), er.app_proto) ==
                 bdb.app_protos.end())
          bdb.app_protos.push_back(er.app_proto);
      }
    }
    g.tcp_packet_dbs.push_back(std::move(bdb));
    }
  }
  std::sort(g.flowbit_gated.begin(), g.flowbit_gated.end());
  g.ip_only.Finish();
  stats_.always_check_entries += g.always.size();
  if (groups_.size() >= 65535) return Error(ErrorCode::kLimit, "detect: more than 65535 rule groups");
  groups_.push_back(std::move(g));
  ++stats_.groups;
  if (port_group) ++stats_.port_groups;
  uint32_t id = static_cast<uint32_t>(groups_.size());  // stored +1; 0 means none
  group_dedupe_.emplace(std::move(dedupe_key), id);
  return id;
}

Status DetectEngine::BuildGroups() {
  placed_always_.assign(rules_.size(), 0);
  placed_ip_only_.assign(rules_.size(), 0);
  for (size_t t = 0; t < kTransports; ++t) {
    for (int d = 0; d < 2; ++d) {
      std::vector<uint32_t> any;
      std::unordered_map<uint16_t, std::vector<uint32_t>> dport, sport;
      for (uint32_t ri = 0; ri < rules_.size(); ++ri) {
        const EngineRule& er = rules_[ri];
        if (!(er.transports & (1u << t)) || !(er.dirs & (1u << d))) continue;
        const rules::RuleHeader& h = er.rule->header;
        bool port_groupable = (t == kTransportTcp || t == kTransportUdp) &&
                              (!er.fast_pattern || er.fast_pattern->buffer == BufferId::kPacket);
        auto specific = [&](const std::shared_ptr<const rules::PortSet>& p) {
          return p && !p->is_any() && PortCount(*p) <= cfg_.max_ports_per_rule_group;
        };
        auto add_ports = [&](const rules::PortSet& p, auto& map) {
          for (const auto& r : p.ranges().ranges())
            for (uint32_t port = r.lo; port <= r.hi; ++port) map[static_cast<uint16_t>(port)].push_back(ri);
        };
        if (port_groupable && h.direction == rules::Direction::kBidirectional) {
          // `<>`: a packet matches only when one of its ports is in the listed set, so the
          // rule goes in the group of each listed port as destination and as source.
          const auto& listed = specific(h.dst_ports) ? h.dst_ports : h.src_ports;
          if (specific(listed)) {
            add_ports(*listed, dport);
            add_ports(*listed, sport);
          } else {
            any.push_back(ri);
          }
        } else if (port_groupable && specific(h.dst_ports)) add_ports(*h.dst_ports, dport);
        else if (port_groupable && specific(h.src_ports)) add_ports(*h.src_ports, sport);
        else any.push_back(ri);
      }
      GroupSet& gs = sets_[t][d];
      const bool fold = (t == kTransportTcp || t == kTransportUdp) && !any.empty();
      // Folded: the server's port, the destination to the server and the source to the client.
      auto& server_ports = d == 0 ? dport : sport;
      if (fold) {
        // A busy port gets a (folded) port group even when no rule lists it.
        for (uint16_t p : cfg_.fold_any_ports) server_ports[p];
      }
      const std::vector<uint32_t> any_rules = any;
      if (!any.empty()) { VIGIL_TRY(gs.any, MakeGroup(std::move(any), false)); }
      auto fill = [&](std::unordered_map<uint16_t, std::vector<uint32_t>>& m,
                      std::vector<uint16_t>& table) -> Status {
        if (m.empty()) return Ok();
        table.assign(65536, 0);
        // Deterministic order so group numbering (and the cache) is stable.
        std::vector<uint16_t> ports;
        for (auto& [p, v] : m) ports.push_back(p);
        std::sort(ports.begin(), ports.end());
        for (uint16_t p : ports) {
          const bool folded = fold && &m == &server_ports && std::find(cfg_.fold_any_ports.begin(), cfg_.fold_any_ports.end(),
                                                p) != cfg_.fold_any_ports.end();
          VIGIL_TRY(uint32_t id, MakeGroup(std::move(m[p]), true, folded ? &any_rules : nullptr));
          table[p] = static_cast<uint16_t>(id);
        }
        return Ok();
      };
      if (Status st = fill(dport, gs.dport); !st) return st;
      if (Status st = fill(sport, gs.sport); !st) return st;
    }
  }
  stats_.always_check_rules = static_cast<size_t>(std::count(placed_always_.begin(), placed_always_.end(), 1));
  stats_.ip_only_rules = static_cast<size_t>(std::count(placed_ip_only_.begin(), placed_ip_only_.end(), 1));
  return Ok();
}

}  // namespace vigil::sensor
