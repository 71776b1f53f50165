#include "rules/correlation/rule_parser.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <optional>
#include <set>
#include <string>

#include "rules/correlation/timespan.h"

namespace vigil {
namespace {

constexpr std::string_view kLevels[] = {"informational", "low", "medium", "high", "critical"};

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto r = std::from_chars(b, s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string Quote(std::string_view s) { return "'" + std::string(s.substr(0, 80)) + "'"; }

// One YAML document of a multi-document text.
struct Chunk {
  std::string_view text;
  int first_line = 0;  // 0-based line of text[0] in the file
};

// Splits at lines that start with "---" (a document marker is always at column 0). Lines before
// the first marker that hold only comments or directives stay with the document that follows.
std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> out;
  size_t start = 0, pos = 0;
  int line = 0, start_line = 0;
  bool content = false;  // the current chunk has something besides comments/directives/blanks
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view l = text.substr(pos, eol - pos);
    const bool marker = l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    if (marker && content) {
      out.push_back({text.substr(start, pos - start), start_line});
      start = pos;
      start_line = line;
      content = false;
    }
    size_t first = l.find_first_not_of(" \t\r");
    if (marker || (first != std::string_view::npos && l[first] != '#' && l[first] != '%')) content = true;
    pos = eol + 1;
    ++line;
  }
  if (start < text.size()) out.push_back({text.substr(start), start_line});
  return out;
}

// Whether a document has anything besides its "---"/"..." markers, comments and blank space.
bool HasContent(std::string_view doc) {
  size_t pos = 0;
  while (pos < doc.size()) {
    size_t eol = doc.find('\n', pos);
    if (eol == std::string_view::npos) eol = doc.size();
    std::string_view l = doc.substr(pos, eol - pos);
    pos = eol + 1;
    if (l.substr(0, 3) == "---" || l.substr(0, 3) == "...") l.remove_prefix(3);
    size_t first = l.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && l[first] != '#' && l[first] != '%') return true;
  }
  return false;
}

// Parses one text; holds the state of that parse.
class Parser {
 public:
  Parser(std::string_view file, const RuleParserConfig& config, ParsedRules& out, std::vector<Error>& errors)
      : file_(file), config_(config), out_(out), errors_(errors) {}

  void Run(std::string_view text) {
    if (text.size() > config_.max_text_bytes) {
      Report({std::string(file_), 1, 1}, "rule file larger than " + std::to_string(config_.max_text_bytes) + " bytes");
      return;
    }
    // Documents are split here and loaded one by one with YAML::Load: yaml-cpp 0.7's LoadAll
    // never returns on some malformed input (e.g. "--- ,a"), found by fuzzing.
    std::vector<Chunk> chunks = SplitDocuments(text);
    if (chunks.size() > config_.max_documents) {
      Report({std::string(file_), 1, 1}, "more than " + std::to_string(config_.max_documents) + " YAML documents");
      return;
    }
    for (const Chunk& chunk : chunks) {
      if (Full()) return;
      line_offset_ = chunk.first_line;
      YAML::Node doc;
      try {
        doc = YAML::Load(std::string(chunk.text));
      } catch (const YAML::Exception& ex) {
        Report(PosOf(ex.mark), "YAML syntax error: " + ex.msg);
        continue;
      } catch (const std::exception& ex) {
        Report({std::string(file_), chunk.first_line + 1, 1}, std::string("cannot parse YAML: ") + ex.what());
        continue;
      }
      if (!doc || doc.IsNull()) {
        // An empty document (a trailing '---') is fine; text that yaml-cpp read as nothing is
        // not valid YAML (it returns null for e.g. "--- ,a" instead of an error).
        if (HasContent(chunk.text)) {
          Report({std::string(file_), chunk.first_line + 1, 1}, "YAML syntax error: the document could not be parsed");
        }
        continue;
      }
      values_ = 0;
      try {
        ParseDocument(doc);
      } catch (const YAML::Exception& ex) {
        Report(PosOf(ex.mark), "YAML error: " + ex.msg);
      } catch (const std::exception& ex) {
        Report(PosOf(doc.Mark()), std::string("cannot read rule: ") + ex.what());
      }
    }
  }

 private:
  bool Full() const { return errors_.size() >= config_.max_errors; }

  SourcePos PosOf(const YAML::Mark& m) const {
    return {std::string(file_), (m.line >= 0 ? m.line + 1 : 1) + line_offset_, m.column >= 0 ? m.column + 1 : 1};
  }
  SourcePos PosOf(const YAML::Node& n) const { return PosOf(n.Mark()); }

  void Report(const SourcePos& pos, const std::string& msg) {
    if (Full()) return;
    errors_.emplace_back(ErrorCode::kInvalidArgument, pos.ToString() + ": " + msg);
  }
  // Records an error and returns false, so checks read `if (!x) return Fail(...)`.
  bool Fail(const YAML::Node& at, const std::string& msg) {
    Report(PosOf(at), msg);
    return false;
  }

  static bool IsQuoted(const YAML::Node& n) { return n.Tag() == "!"; }

  bool Scalar(const YAML::Node& n, std::string_view what, std::string* out) {
    if (!n.IsScalar()) return Fail(n, std::string(what) + " must be a single value");
    *out = n.Scalar();
    return true;
  }

  bool StringList(const YAML::Node& n, std::string_view what, std::vector<std::string>* out,
                  std::vector<SourcePos>* pos = nullptr) {
    if (n.IsScalar()) {
      out->push_back(n.Scalar());
      if (pos) pos->push_back(PosOf(n));
      return true;
    }
    if (!n.IsSequence()) return Fail(n, std::string(what) + " must be a list of names");
    for (const YAML::Node& item : n) {
      if (!item.IsScalar()) return Fail(item, std::string(what) + " entries must be single names");
      out->push_back(item.Scalar());
      if (pos) pos->push_back(PosOf(item));
    }
    return true;
  }

  bool ToRaw(const YAML::Node& n, RawValue* out) {
    if (++values_ > config_.max_values_per_document) {
      return Fail(n, "more than " + std::to_string(config_.max_values_per_document) + " values in one rule");
    }
    if (n.IsNull()) {
      *out = RawValue::Null();
      return true;
    }
    if (!n.IsScalar()) return Fail(n, "a field value must be a number, a string, true/false or null");
    const std::string& s = n.Scalar();
    if (!IsQuoted(n)) {
      if (s == "true" || s == "True" || s == "TRUE") return *out = RawValue::Bool(true), true;
      if (s == "false" || s == "False" || s == "FALSE") return *out = RawValue::Bool(false), true;
      double d;
      if (ParseNumber(s, &d)) return *out = RawValue::Number(d, s), true;
    }
    *out = RawValue::String(s);
    return true;
  }

  void ParseDocument(const YAML::Node& doc) {
    if (!doc.IsMap()) {
      Fail(doc, "a rule document must be a mapping with 'title' and 'detection' or 'correlation'");
      return;
    }
    if (doc["correlation"]) {
      ParseCorrelation(doc);
    } else if (doc["detection"]) {
      ParseDetection(doc);
    } else if (doc["filter"]) {
      Fail(doc, "Sigma filter documents are not supported; put the filter in the rule's condition");
    } else {
      Fail(doc, "not a rule: the document has neither 'detection' nor 'correlation'");
    }
  }

  // title, id, name, level: common to both kinds.
  template <typename Rule>
  bool ParseMeta(const YAML::Node& doc, Rule& r) {
    const YAML::Node title = doc["title"];
    if (!title) return Fail(doc, "missing 'title'");
    if (!Scalar(title, "'title'", &r.title)) return false;
    if (r.title.size() > 256) return Fail(title, "'title' is longer than 256 characters");
    if (const YAML::Node id = doc["id"]) {
      if (!Scalar(id, "'id'", &r.id)) return false;
    }
    if (const YAML::Node name = doc["name"]) {
      if (!Scalar(name, "'name'", &r.name)) return false;
    }
    if (const YAML::Node level = doc["level"]) {
      std::string lv;
      if (!Scalar(level, "'level'", &lv)) return false;
      bool known = false;
      for (auto k : kLevels) known |= (k == lv);
      if (!known) return Fail(level, "unknown level " + Quote(lv) + " (informational, low, medium, high, critical)");
      r.level = lv;
    }
    r.pos = PosOf(doc);
    return true;
  }

  void ParseDetection(const YAML::Node& doc) {
    DetectionRule r;
    if (!ParseMeta(doc, r)) return;
    if (const YAML::Node ls = doc["logsource"]) {
      if (!ParseLogsource(ls, r)) return;
    }
    const YAML::Node det = doc["detection"];
    if (!det.IsMap()) {
      Fail(det, "'detection' must be a mapping of named selections and a 'condition'");
      return;
    }
    std::optional<YAML::Node> cond;
    for (auto it = det.begin(); it != det.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key == "condition") {
        cond.emplace(it->second);
        continue;
      }
      if (key == "timeframe") {
        Fail(it->first, "'timeframe' in a detection is obsolete Sigma: write a correlation rule with a timespan");
        return;
      }
      Selection sel;
      if (!ParseSelection(key, it->second, sel)) return;
      r.selection_names.push_back(key);
      r.selections.push_back(std::move(sel));
    }
    if (!cond) {
      Fail(det, "the detection has no 'condition'");
      return;
    }
    const YAML::Node& cond_node = *cond;
    if (!cond_node.IsScalar()) {
      Fail(cond_node, "'condition' must be one expression such as 'selection and not filter'");
      return;
    }
    auto c = Condition::Parse(cond_node.Scalar(), r.selection_names);
    if (!c) {
      Fail(cond_node, c.error().message);
      return;
    }
    r.condition = std::move(*c);
    out_.detections.push_back(std::move(r));
  }

  bool ParseLogsource(const YAML::Node& ls, DetectionRule& r) {
    if (!ls.IsMap()) return Fail(ls, "'logsource' must be a mapping (product, category, service)");
    std::string category, service;
    for (auto it = ls.begin(); it != ls.end(); ++it) {
      const std::string key = it->first.Scalar();
      std::string value;
      if (!Scalar(it->second, "'logsource." + key + "'", &value)) return false;
      if (key == "product") {
        if (value != "vigil" && value != "suricata") {
          return Fail(it->second, "unknown logsource product " + Quote(value) +
                                      ": Vigil correlates EVE events (product: vigil or suricata)");
        }
      } else if (key == "category") {
        category = value;
      } else if (key == "service") {
        service = value;
      } else if (key != "definition") {
        return Fail(it->first, "unknown logsource key " + Quote(key) + " (product, category, service)");
      }
    }
    const std::string& type = category.empty() ? service : category;
    if (!category.empty() && !service.empty() && category != service) {
      return Fail(ls, "logsource category and service name different event types");
    }
    if (type.empty()) return true;
    for (auto known : KnownEventTypes()) {
      if (known == type) {
        r.event_type = type;
        return true;
      }
    }
    std::string list;
    for (auto known : KnownEventTypes()) list += (list.empty() ? "" : ", ") + std::string(known);
    return Fail(ls, "unknown logsource category " + Quote(type) + " (EVE event types: " + list + ")");
  }

  bool ParseSelection(const std::string& name, const YAML::Node& n, Selection& sel) {
    if (n.IsMap()) {
      sel.alternatives.emplace_back();
      return ParseFieldMap(n, sel.alternatives.back());
    }
    if (n.IsSequence() && n.size() > 0) {
      for (const YAML::Node& item : n) {
        if (!item.IsMap()) {
          return Fail(item, "selection " + Quote(name) +
                                ": keyword lists are not supported; write 'field: value' pairs (a list of maps is ORed)");
        }
        sel.alternatives.emplace_back();
        if (!ParseFieldMap(item, sel.alternatives.back())) return false;
      }
      return true;
    }
    return Fail(n, "selection " + Quote(name) + " must map fields to values, e.g. 'alert.signature_id: 2013028'");
  }

  bool ParseFieldMap(const YAML::Node& map, std::vector<FieldMatcher>& out) {
    if (map.size() == 0) return Fail(map, "empty selection");
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) return Fail(it->first, "a field name must be a string");
      std::vector<RawValue> values;
      const YAML::Node v = it->second;
      if (v.IsSequence()) {
        for (const YAML::Node& item : v) {
          RawValue raw;
          if (!ToRaw(item, &raw)) return false;
          values.push_back(std::move(raw));
        }
        if (values.empty()) return Fail(v, "empty list of values");
      } else {
        RawValue raw;
        if (!ToRaw(v, &raw)) return false;
        values.push_back(std::move(raw));
      }
      auto m = FieldMatcher::Create(it->first.Scalar(), values);
      if (!m) return Fail(it->first, m.error().message);
      out.push_back(std::move(*m));
    }
    return true;
  }

  bool Timespan(const YAML::Node& n, std::string_view what, int64_t* out) {
    std::string s;
    if (!Scalar(n, what, &s)) return false;
    auto t = ParseTimespan(s);
    if (!t) return Fail(n, std::string(what) + ": " + t.error().message);
    *out = *t;
    return true;
  }

  bool Bool(const YAML::Node& n, std::string_view what, bool* out) {
    RawValue raw;
    if (!n.IsScalar() || !ToRaw(n, &raw) || raw.kind != RawValue::Kind::kBool) {
      return Fail(n, std::string(what) + " must be true or false");
    }
    *out = raw.boolean;
    return true;
  }

  bool Number(const YAML::Node& n, std::string_view what, double* out) {
    if (!n.IsScalar() || !ParseNumber(n.Scalar(), out)) return Fail(n, std::string(what) + " must be a number");
    return true;
  }

  void ParseCorrelation(const YAML::Node& doc) {
    CorrelationRule r;
    if (!ParseMeta(doc, r)) return;
    if (doc["detection"]) {
      Fail(doc, "a rule has either 'detection' or 'correlation', not both");
      return;
    }
    r.risk = LevelDefaultRisk(r.level);
    if (const YAML::Node risk = doc["risk"]) {
      double d;
      if (!Number(risk, "'risk'", &d)) return;
      if (d < 0 || d > 100 || d != static_cast<int>(d)) {
        Fail(risk, "'risk' must be a whole number from 0 to 100");
        return;
      }
      r.risk = static_cast<int>(d);
    }
    if (const YAML::Node gen = doc["generate"]) {
      if (!Bool(gen, "'generate'", &r.generate)) return;
    }
    const YAML::Node c = doc["correlation"];
    if (!c.IsMap()) {
      Fail(c, "'correlation' must be a mapping (type, rules, group-by, timespan, condition)");
      return;
    }
    // Nodes are bound when the key is seen (yaml-cpp Node assignment has reference semantics:
    // optional keeps "absent" distinct from "null").
    std::optional<YAML::Node> type_opt, rules_opt, timespan_opt, cond_opt;
    for (auto it = c.begin(); it != c.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node v = it->second;
      if (key == "type") {
        type_opt.emplace(v);
      } else if (key == "rules") {
        rules_opt.emplace(v);
      } else if (key == "group-by") {
        if (!StringList(v, "'group-by'", &r.group_by)) return;
      } else if (key == "timespan") {
        timespan_opt.emplace(v);
      } else if (key == "condition") {
        cond_opt.emplace(v);
      } else if (key == "aliases") {
        if (!ParseAliases(v, r)) return;
      } else if (key == "generate") {
        if (!Bool(v, "'generate'", &r.generate)) return;
      } else if (key == "suppress") {
        if (!Timespan(v, "'suppress'", &r.suppress_ns)) return;
      } else if (key == "periodicity") {
        if (!ParsePeriodicity(v, r)) return;
      } else {
        Fail(it->first, "unknown correlation key " + Quote(key) +
                            " (type, rules, group-by, timespan, condition, aliases, generate, suppress, periodicity)");
        return;
      }
    }
    if (!type_opt) {
      Fail(c, "missing correlation 'type'");
      return;
    }
    const YAML::Node& type_node = *type_opt;
    std::string type;
    if (!Scalar(type_node, "'type'", &type)) return;
    if (!ParseCorrelationType(type, &r.type)) {
      Fail(type_node, "unknown correlation type " + Quote(type) +
                          " (event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, "
                          "value_percentile, absence, periodicity)");
      return;
    }
    if (!rules_opt) {
      Fail(c, "missing correlation 'rules'");
      return;
    }
    const YAML::Node& rules_node = *rules_opt;
    if (!StringList(rules_node, "'rules'", &r.rule_refs, &r.rule_ref_pos)) return;
    if (r.rule_refs.empty()) {
      Fail(rules_node, "'rules' is empty");
      return;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < r.rule_refs.size(); ++i) {
      if (!seen.insert(r.rule_refs[i]).second) {
        Report(r.rule_ref_pos[i], "rule " + Quote(r.rule_refs[i]) + " is listed twice");
        return;
      }
    }
    for (const std::string& g : r.group_by) {
      if (!r.aliases.count(g) && !FieldPath::Valid(g)) {
        Fail(c, "bad group-by field " + Quote(g));
        return;
      }
    }
    if (!timespan_opt) {
      Fail(c, "missing correlation 'timespan'");
      return;
    }
    if (!Timespan(*timespan_opt, "'timespan'", &r.timespan_ns)) return;
    if (cond_opt && !ParseThreshold(*cond_opt, r)) return;
    const YAML::Node& at = cond_opt ? *cond_opt : c;
    if (!r.field.empty() && !r.aliases.count(r.field) && !FieldPath::Valid(r.field)) {
      Fail(at, "bad field name " + Quote(r.field));
      return;
    }
    if (!CheckType(c, at, r)) return;
    out_.correlations.push_back(std::move(r));
  }

  bool ParseAliases(const YAML::Node& n, CorrelationRule& r) {
    if (!n.IsMap()) return Fail(n, "'aliases' must map alias names to {rule: field}");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string alias = it->first.Scalar();
      if (!it->second.IsMap()) return Fail(it->second, "alias " + Quote(alias) + " must map rule names to fields");
      auto& m = r.aliases[alias];
      for (auto jt = it->second.begin(); jt != it->second.end(); ++jt) {
        std::string field;
        if (!Scalar(jt->second, "an alias field", &field)) return false;
        if (!FieldPath::Valid(field)) return Fail(jt->second, "bad field name " + Quote(field));
        m[jt->first.Scalar()] = field;
      }
    }
    return true;
  }

  bool ParsePeriodicity(const YAML::Node& n, CorrelationRule& r) {
    if (!n.IsMap()) return Fail(n, "'periodicity' must be a mapping (min_events, max_jitter, min_interval, max_interval)");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = it->first.Scalar();
      double d;
      if (key == "min_events") {
        if (!Number(it->second, "'min_events'", &d)) return false;
        if (d < 3 || d > 100000 || d != static_cast<uint32_t>(d)) {
          return Fail(it->second, "'min_events' must be a whole number from 3 to 100000");
        }
        r.periodicity.min_events = static_cast<uint32_t>(d);
      } else if (key == "max_jitter") {
        if (!Number(it->second, "'max_jitter'", &d)) return false;
        if (!(d >= 0 && d <= 10)) return Fail(it->second, "'max_jitter' (stddev/mean of the intervals) must be 0..10");
        r.periodicity.max_jitter = d;
      } else if (key == "min_interval") {
        if (!Timespan(it->second, "'min_interval'", &r.periodicity.min_interval_ns)) return false;
      } else if (key == "max_interval") {
        if (!Timespan(it->second, "'max_interval'", &r.periodicity.max_interval_ns)) return false;
      } else {
        return Fail(it->first, "unknown periodicity key " + Quote(key) +
                                   " (min_events, max_jitter, min_interval, max_interval)");
      }
    }
    return true;
  }

  bool ParseThreshold(const YAML::Node& n, CorrelationRule& r) {
    if (!n.IsMap()) return Fail(n, "correlation 'condition' must be a mapping such as {gte: 10}");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key == "field") {
        if (!Scalar(it->second, "'field'", &r.field)) return false;
        continue;
      }
      if (key == "percentile") {
        if (!Number(it->second, "'percentile'", &r.percentile)) return false;
        if (!(r.percentile >= 0 && r.percentile <= 100)) return Fail(it->second, "'percentile' must be 0..100");
        continue;
      }
      int op = -1;
      for (int k = 0; k < Threshold::kOpCount; ++k) {
        if (Threshold::OpName(static_cast<Threshold::Op>(k)) == key) op = k;
      }
      if (op < 0) {
        return Fail(it->first, "unknown condition key " + Quote(key) + " (gt, gte, lt, lte, eq, neq, field, percentile)");
      }
      if (!Number(it->second, "condition '" + key + "'", &r.condition.value[op])) return false;
      r.condition.has[op] = true;
    }
    return true;
  }

  // Per-type requirements, with the reason in the message.
  // at: the condition node when there is one, else the correlation section.
  bool CheckType(const YAML::Node& c, const YAML::Node& at, CorrelationRule& r) {
    using T = CorrelationType;
    const Threshold& th = r.condition;
    const bool lower = th.has[Threshold::kGt] || th.has[Threshold::kGte] || th.has[Threshold::kEq];
    switch (r.type) {
      case T::kEventCount:
      case T::kValueCount:
        if (th.empty()) return Fail(at, std::string(CorrelationTypeName(r.type)) + " needs a 'condition' such as {gte: 10}");
        if (!lower || th.Test(0)) {
          return Fail(at, "the condition needs a lower bound (gt, gte or eq) above zero: counts are evaluated as "
                          "events arrive; to alert on missing events use type: absence");
        }
        if (r.type == T::kValueCount && r.field.empty()) return Fail(at, "value_count needs 'field' in its condition");
        break;
      case T::kValueSum:
      case T::kValueAvg:
      case T::kValuePercentile:
        if (r.field.empty()) return Fail(at, std::string(CorrelationTypeName(r.type)) + " needs 'field' in its condition");
        if (th.empty()) return Fail(at, std::string(CorrelationTypeName(r.type)) + " needs a threshold such as {gt: 1000}");
        break;
      case T::kTemporal:
      case T::kTemporalOrdered: {
        if (r.rule_refs.size() < 2) return Fail(c, std::string(CorrelationTypeName(r.type)) + " needs at least two rules");
        const double n = static_cast<double>(r.rule_refs.size());
        if (th.empty()) {
          r.condition.has[Threshold::kGte] = true;
          r.condition.value[Threshold::kGte] = n;
        } else if (r.type == T::kTemporalOrdered && !th.Test(n)) {
          return Fail(at, "temporal_ordered fires on the complete sequence of its rules; this condition never holds for it");
        } else if (!lower || th.Test(0)) {
          return Fail(at, "the condition (number of different rules seen) needs a lower bound above zero");
        }
        break;
      }
      case T::kAbsence:
        if (r.rule_refs.size() != 2) return Fail(c, "absence takes exactly two rules: the trigger, then the one expected to follow");
        if (!th.empty()) return Fail(at, "absence takes no condition: it fires when the second rule does not follow in time");
        break;
      case T::kPeriodicity:
        if (!th.empty()) return Fail(at, "periodicity takes no condition: use the 'periodicity' settings");
        if (r.periodicity.max_interval_ns == 0 || r.periodicity.max_interval_ns > r.timespan_ns) {
          r.periodicity.max_interval_ns = r.timespan_ns;
        }
        if (r.periodicity.min_interval_ns > r.periodicity.max_interval_ns) {
          return Fail(c, "periodicity min_interval is longer than max_interval or the timespan");
        }
        break;
    }
    if (!r.field.empty() && !r.NeedsValue()) {
      return Fail(at, "'field' is only used by value_count, value_sum, value_avg and value_percentile");
    }
    return true;
  }

  std::string_view file_;
  const RuleParserConfig& config_;
  ParsedRules& out_;
  std::vector<Error>& errors_;
  size_t values_ = 0;
  int line_offset_ = 0;  // first line of the current document in the file (0-based)
};

}  // namespace

const std::vector<std::string_view>& KnownEventTypes() {
  static const std::vector<std::string_view> kTypes = {
      "alert", "anomaly", "correlation", "dns", "fileinfo", "flow", "http", "netflow", "smtp", "ssh", "stats", "tls"};
  return kTypes;
}

void ParseRuleText(std::string_view file, std::string_view text, const RuleParserConfig& config,
                   ParsedRules& out, std::vector<Error>& errors) {
  Parser p(file, config, out, errors);
  p.Run(text);
}

}  // namespace vigil
