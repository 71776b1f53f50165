#include "rules/lint/signature_linter.h"

#include "rules/lint/legacy_syntax_checks.h"
#include "rules/lint/match_bounds_checks.h"
#include "rules/lint/prefilter_checks.h"
#include "rules/lint/rule_context.h"
#include "rules/signature/default_classifications.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules::lint {
namespace {

RuleParserConfig WithoutClassCheck(RuleParserConfig c) {
  c.classifications = nullptr;  // the sensor does not reject unknown classtypes; we warn instead
  return c;
}

// gid and sid of a rule that did not parse, read from its options when they split.
void IdsFromText(std::string_view text, uint32_t* gid, uint32_t* sid) {
  *gid = 1;
  *sid = 0;
  const size_t open = text.find('(');
  std::vector<RawOption> opts;
  RuleError err;
  if (open == std::string_view::npos || !SplitOptions(text, open, &opts, &err)) return;
  for (const RawOption& o : opts) {
    const bool is_sid = EqualsIgnoreCase(o.key, "sid");
    if (!is_sid && !EqualsIgnoreCase(o.key, "gid")) continue;
    if (auto v = ParseUnsigned(o.value, UINT32_MAX)) *(is_sid ? sid : gid) = static_cast<uint32_t>(*v);
  }
  if (*sid == 0) *gid = 0;
}

}  // namespace

SignatureLinter::SignatureLinter(const RuleVariables& vars, SignatureLintConfig config)
    : config_(std::move(config)),
      parser_(vars, WithoutClassCheck(config_.parser)),
      default_classes_(DefaultClassifications()) {}

void SignatureLinter::OnIssue(const ReaderIssue& issue, const RuleFileReader& reader, LintResult* out) const {
  Finding f;
  f.file = reader.files()[issue.where.file_index];
  f.line = issue.where.line;
  f.column = issue.where.column;
  f.code = issue.code == ErrorCode::kNotFound || issue.code == ErrorCode::kIo ? Code::kIoError : Code::kParseError;
  f.message = issue.message;
  f.topic = issue.message.substr(0, 80);
  out->findings.push_back(std::move(f));
  ++out->stats.signature_errors;
}

void SignatureLinter::OnLine(const LogicalLine& line, const RuleFileReader& reader, LintResult* out) {
  const std::string& file = reader.files()[line.file_index];
  ++out->stats.signature_rules;
  RuleParseResult r = parser_.Parse(line.text);
  if (!r.ok()) {
    uint32_t gid = 0, sid = 0;
    IdsFromText(line.text, &gid, &sid);
    Code code = Code::kParseError;
    std::string prefix;
    if (r.error.unsupported()) {
      code = Code::kUnsupported;
      prefix = "rule skipped: ";
      ++out->stats.signature_skipped;
    } else {
      // The parser says "unknown address variable '$X'" / "unknown port variable '$X'".
      if (r.error.message.rfind("unknown ", 0) == 0 && r.error.message.find(" variable '$") != std::string::npos) {
        code = Code::kUnknownVariable;
      }
      ++out->stats.signature_errors;
    }
    std::string topic = code == Code::kUnknownVariable ? r.error.message : r.error.message.substr(0, 80);
    out->findings.push_back(
        MakeFinding(code, line, file, r.error.offset, gid, sid, std::move(topic), prefix + r.error.message));
    return;
  }
  ++out->stats.signature_loaded;
  const Rule& rule = *r.rule;
  const RuleContext ctx(rule, line, file, &out->findings);
  const uint32_t first_line = line.pieces.front().line;
  const uint64_t key = (uint64_t{rule.meta.gid} << 32) | rule.meta.sid;
  auto [it, added] = sids_.emplace(key, Place{file, first_line});
  if (!added) {
    ctx.Report(Code::kDuplicateSid, ctx.KeywordOffset("sid"), "duplicate sid",
               "sid " + std::to_string(rule.meta.sid) + " (gid " + std::to_string(rule.meta.gid) +
                   ") is also defined at " + it->second.file + ":" + std::to_string(it->second.line));
  }
  const ClassificationConfig& classes =
      config_.classifications != nullptr ? *config_.classifications : default_classes_;
  if (!rule.meta.classtype.empty() && classes.Find(rule.meta.classtype) == nullptr) {
    ctx.Report(Code::kUnknownClasstype, ctx.KeywordOffset("classtype"), "classtype " + rule.meta.classtype,
               "classtype '" + rule.meta.classtype + "' is not in the classification config: alerts get no category");
  }
  if (config_.pcre_compile) {
    for (const BufferMatches& b : rule.buffers) {
      for (const PayloadMatch& m : b.matches) {
        const auto* p = std::get_if<PcreMatch>(&m);
        if (p == nullptr) continue;
        if (std::string why = config_.pcre_compile(*p); !why.empty()) {
          ctx.Report(Code::kPcreError, p->source_offset, "pcre does not compile", "pcre does not compile: " + why);
        }
      }
    }
  }
  CheckPrefilter(ctx, config_.probe);
  CheckMatchBounds(ctx);
  CheckFlowDirection(ctx, config_.buffer_side);
  CheckLegacySyntax(ctx);
}

void SignatureLinter::LintFile(const std::string& path, LintResult* out) {
  RuleFileReader reader(config_.reader);
  ++out->stats.files;
  Status st = reader.ReadFile(
      path, [&](const LogicalLine& l) { OnLine(l, reader, out); },
      [&](const ReaderIssue& i) { OnIssue(i, reader, out); });
  if (!st) {
    Finding f;
    f.file = path;
    f.code = Code::kIoError;
    f.message = st.error().message;
    f.topic = "cannot read file";
    out->findings.push_back(std::move(f));
  }
}

void SignatureLinter::LintString(std::string_view text, std::string name, LintResult* out) {
  RuleFileReader reader(config_.reader);
  ++out->stats.files;
  reader.ReadString(
      text, std::move(name), [&](const LogicalLine& l) { OnLine(l, reader, out); },
      [&](const ReaderIssue& i) { OnIssue(i, reader, out); });
}

void SignatureLinter::CheckThresholds(const ThresholdConfig& thresholds, std::string_view source,
                                      LintResult* out) const {
  for (const ThresholdEntry& e : thresholds.entries()) {
    if (e.sig_id == 0) continue;  // every rule (of a generator)
    const uint64_t key = (uint64_t{e.gen_id} << 32) | e.sig_id;
    if (sids_.count(key) != 0) continue;
    Finding f;
    f.file = std::string(source);
    f.line = e.line;
    f.column = 1;
    f.code = Code::kThresholdUnknownSid;
    f.gid = e.gen_id;
    f.sid = e.sig_id;
    f.message = "threshold.config entry for " + std::to_string(e.gen_id) + ":" + std::to_string(e.sig_id) +
                ", which no checked rule file defines";
    f.topic = "entry for an unknown rule";
    out->findings.push_back(std::move(f));
  }
}

}  // namespace vigil::rules::lint
