#include "rules/signature/rule_builder.h"

#include <algorithm>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

Status NoValue(std::string_view k, bool has_value) {
  if (has_value) return Bad("'" + std::string(k) + "' takes no value");
  return Ok();
}

Status NeedValue(std::string_view k, std::string_view value, bool has_value) {
  if (!has_value || Trim(value).empty()) return Bad("'" + std::string(k) + "' needs a value");
  return Ok();
}

// pcre /Q names file_data, which Suricata 5 also serves to http.response_body rules; treat the
// two as one for the sticky-buffer conflict check (the sticky buffer wins).
bool SameBuffer(BufferId a, BufferId b) {
  auto body = [](BufferId x) { return x == BufferId::kFileData || x == BufferId::kHttpResponseBody; };
  return a == b || (body(a) && body(b));
}

}  // namespace

int RuleBuilder::ListFor(BufferId id, const std::vector<Transform>& transforms) {
  auto& lists = rule_->buffers;
  for (size_t i = 0; i < lists.size(); ++i) {
    if (lists[i].buffer == id && lists[i].transforms == transforms) return static_cast<int>(i);
  }
  lists.push_back(BufferMatches{id, transforms, {}});
  return static_cast<int>(lists.size() - 1);
}

int RuleBuilder::CurrentList() {
  if (!sticky_) return ListFor(BufferId::kPacket, {});
  if (current_list_ == kNone) current_list_ = ListFor(sticky_buffer_, pending_transforms_);
  return current_list_;
}

int RuleBuilder::TargetList(bool relative, std::optional<BufferId> forced, std::string_view k,
                            Status* err) {
  if (forced) {
    if (sticky_ && !SameBuffer(sticky_buffer_, *forced)) {
      *err = Bad("'" + std::string(k) + "' selects buffer '" + std::string(BufferName(*forced)) +
                 "' while sticky buffer '" + std::string(BufferName(sticky_buffer_)) + "' is active");
      return kNone;
    }
    if (sticky_) return CurrentList();
    return ListFor(*forced, {});
  }
  if (sticky_) return CurrentList();
  if (relative && last_match_list_ != kNone) return last_match_list_;
  return ListFor(BufferId::kPacket, {});
}

void RuleBuilder::Append(int list, PayloadMatch m, bool is_content) {
  auto& matches = rule_->buffers[static_cast<size_t>(list)].matches;
  matches.push_back(std::move(m));
  last_match_list_ = list;
  if (is_content) {
    last_content_list_ = list;
    last_content_index_ = matches.size() - 1;
  }
}

Status RuleBuilder::CheckVar(const IntOrVar& v, std::string_view k) const {
  if (!v.is_var()) return Ok();
  const auto& vars = rule_->byte_extract_vars;
  if (std::find(vars.begin(), vars.end(), v.var) == vars.end()) {
    return Bad("'" + std::string(k) + "' uses '" + v.var + "', which no earlier byte_extract defines");
  }
  return Ok();
}

Status RuleBuilder::AddContent(std::string_view value, size_t offset, std::optional<BufferId> forced) {
  VIGIL_TRY(ContentMatch c, ParseContent(value));
  c.source_offset = offset;
  int list = forced ? ListFor(*forced, {}) : CurrentList();
  Append(list, std::move(c), true);
  return Ok();
}

Status RuleBuilder::ApplyBufferModifier(const BufferInfo& b, std::string_view k) {
  if (last_content_list_ == kNone) return Bad("'" + std::string(k) + "' needs a preceding content");
  auto& from = rule_->buffers[static_cast<size_t>(last_content_list_)];
  if (from.buffer == b.id && from.transforms.empty()) return Ok();  // already there
  if (from.buffer != BufferId::kPacket || !from.transforms.empty()) {
    return Bad("'" + std::string(k) + "' applied to a content that is already in buffer '" +
               std::string(BufferName(from.buffer)) + "'");
  }
  PayloadMatch moved = std::move(from.matches[last_content_index_]);
  from.matches.erase(from.matches.begin() + static_cast<std::ptrdiff_t>(last_content_index_));
  const bool was_last_match = last_match_list_ == last_content_list_;
  int to = ListFor(b.id, {});
  auto& to_matches = rule_->buffers[static_cast<size_t>(to)].matches;
  to_matches.push_back(std::move(moved));
  last_content_list_ = to;
  last_content_index_ = to_matches.size() - 1;
  if (was_last_match) last_match_list_ = to;
  return Ok();
}

Status RuleBuilder::Apply(std::string_view k, std::string_view value, bool has_value, size_t offset) {
  Rule& r = *rule_;
  if (IsMetaKeyword(k)) return ApplyMetaOption(&r.meta, k, value, has_value);

  if (k == "content") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    return AddContent(value, offset, std::nullopt);
  }
  if (k == "uricontent") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (sticky_ && sticky_buffer_ != BufferId::kHttpUri) {
      return Bad("uricontent while sticky buffer '" + std::string(BufferName(sticky_buffer_)) + "' is active");
    }
    return AddContent(value, offset, BufferId::kHttpUri);
  }
  if (IsContentModifier(k)) {
    if (last_content_list_ == kNone) return Bad("'" + std::string(k) + "' needs a preceding content");
    auto& c = std::get<ContentMatch>(
        r.buffers[static_cast<size_t>(last_content_list_)].matches[last_content_index_]);
    VIGIL_CHECK_OK(ApplyContentModifier(&c, k, value, has_value));
    if (k == "fast_pattern") {
      if (fast_pattern_seen_) return Bad("fast_pattern is set on more than one content");
      fast_pattern_seen_ = true;
    }
    for (const auto* v : {&c.offset, &c.depth, &c.distance, &c.within}) {
      if (v->has_value()) VIGIL_CHECK_OK(CheckVar(**v, k));
    }
    return Ok();
  }
  if (const BufferInfo* b = FindBufferModifier(k)) {
    VIGIL_CHECK_OK(NoValue(k, has_value));
    return ApplyBufferModifier(*b, k);
  }
  if (const BufferInfo* b = FindStickyBuffer(k)) {
    VIGIL_CHECK_OK(NoValue(k, has_value));
    sticky_ = b->id != BufferId::kPacket;
    sticky_buffer_ = b->id;
    pending_transforms_.clear();
    current_list_ = kNone;
    return Ok();
  }
  if (IsTransformKeyword(k)) {
    if (!sticky_) return Bad("transform '" + std::string(k) + "' must follow a sticky buffer keyword");
    // A transform after payload keywords (dns.query; content:"a"; dotprefix; content:".b";)
    // starts a new list for the same buffer with the longer transform chain; the earlier
    // keywords keep inspecting the untransformed buffer.
    VIGIL_TRY(Transform t, ParseTransform(k, value, has_value));
    pending_transforms_.push_back(std::move(t));
    current_list_ = kNone;
    return Ok();
  }
  if (k == "pcre") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(PcreMatch p, ParsePcre(value));
    p.source_offset = offset;
    Status err;
    int list = TargetList(p.relative, p.buffer, k, &err);
    if (!err) return err;
    Append(list, std::move(p), false);
    return Ok();
  }
  if (k == "byte_test") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(ByteTestMatch m, ParseByteTest(value));
    VIGIL_CHECK_OK(CheckVar(m.value, k));
    VIGIL_CHECK_OK(CheckVar(m.common.offset, k));
    VIGIL_CHECK_OK(CheckVar(IntOrVar{0, m.common.num_bytes_var}, k));
    m.source_offset = offset;
    Status err;
    int list = TargetList(m.common.relative, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "byte_jump") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(ByteJumpMatch m, ParseByteJump(value));
    VIGIL_CHECK_OK(CheckVar(m.common.offset, k));
    VIGIL_CHECK_OK(CheckVar(IntOrVar{0, m.common.num_bytes_var}, k));
    m.source_offset = offset;
    Status err;
    int list = TargetList(m.common.relative, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "byte_extract") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(ByteExtractMatch m, ParseByteExtract(value));
    auto& vars = r.byte_extract_vars;
    if (std::find(vars.begin(), vars.end(), m.name) != vars.end()) {
      return Bad("byte_extract variable '" + m.name + "' defined twice");
    }
    vars.push_back(m.name);
    m.source_offset = offset;
    Status err;
    int list = TargetList(m.common.relative, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "isdataat") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(IsDataAtMatch m, ParseIsDataAt(value));
    VIGIL_CHECK_OK(CheckVar(m.position, k));
    m.source_offset = offset;
    Status err;
    int list = TargetList(m.relative, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "bsize") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(BsizeMatch m, ParseBsize(value));
    m.source_offset = offset;
    int list = kNone;
    if (sticky_) list = CurrentList();
    else if (last_content_list_ != kNone &&
             r.buffers[static_cast<size_t>(last_content_list_)].buffer != BufferId::kPacket) {
      list = last_content_list_;
    }
    if (list == kNone) return Bad("bsize needs a sticky buffer (it measures the current buffer)");
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "dataset") {
    // Inspects the whole current buffer (after transforms): the sticky buffer's list, else
    // pkt_data. Not relative to, and not moving, the previous match.
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(DatasetMatch m, ParseDataset(value));
    m.source_offset = offset;
    Status err;
    int list = TargetList(false, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "prefilter") {
    // A prefilter-engine hint (Suricata 7/8): which keyword pre-selects the rule. Detection
    // results are the same with or without it, and Vigil picks its own prefilter.
    VIGIL_CHECK_OK(NoValue(k, has_value));
    return Ok();
  }
  if (k == "dsize") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (r.dsize) return Bad("dsize given twice");
    VIGIL_TRY(r.dsize, ParseDsize(value));
    return Ok();
  }
  if (k == "urilen") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (r.urilen) return Bad("urilen given twice");
    VIGIL_TRY(r.urilen, ParseUrilen(value));
    return Ok();
  }
  if (k == "flow") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (r.flow) return Bad("flow given twice");
    VIGIL_TRY(r.flow, ParseFlow(value));
    return Ok();
  }
  if (k == "flowbits") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(FlowbitsOption f, ParseFlowbits(value));
    if (f.command == FlowbitsCommand::kNoAlert) r.noalert = true;
    r.flowbits.push_back(std::move(f));
    return Ok();
  }
  if (k == "xbits") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(XbitsOption x, ParseXbits(value));
    if (x.command == FlowbitsCommand::kNoAlert) r.noalert = true;
    r.xbits.push_back(std::move(x));
    return Ok();
  }
  if (k == "flowint") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(FlowintOption f, ParseFlowint(value));
    r.flowints.push_back(std::move(f));
    return Ok();
  }
  if (k == "tag") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    VIGIL_TRY(TagOption t, ParseTag(value));
    r.tags.push_back(t);
    return Ok();
  }
  if (k == "base64_decode") {
    VIGIL_TRY(Base64DecodeMatch m, ParseBase64Decode(has_value ? value : std::string_view()));
    m.source_offset = offset;
    Status err;
    int list = TargetList(m.relative, std::nullopt, k, &err);
    Append(list, std::move(m), false);
    return Ok();
  }
  if (k == "threshold") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (r.threshold) return Bad("threshold given twice");
    if (r.detection_filter) return Bad("threshold and detection_filter cannot be combined");
    VIGIL_TRY(r.threshold, ParseThreshold(value));
    return Ok();
  }
  if (k == "detection_filter") {
    VIGIL_CHECK_OK(NeedValue(k, value, has_value));
    if (r.detection_filter) return Bad("detection_filter given twice");
    if (r.threshold) return Bad("threshold and detection_filter cannot be combined");
    VIGIL_TRY(r.detection_filter, ParseDetectionFilter(value));
    return Ok();
  }
  if (k == "noalert") {
    VIGIL_CHECK_OK(NoValue(k, has_value));
    r.noalert = true;
    return Ok();
  }
  if (IsHeaderKeyword(k)) return ApplyHeaderOption(&r.header_checks, k, value, has_value);
  if (IsAppKeyword(k)) return ApplyAppOption(&r.app, k, value, has_value);
  return Error(ErrorCode::kUnsupported, "unsupported keyword '" + std::string(k) + "'");
}

Status RuleBuilder::Finish() {
  Rule& r = *rule_;
  if (r.meta.sid == 0) return Bad("rule has no sid");
  if (classifications_ != nullptr && !r.meta.classtype.empty() &&
      classifications_->Find(r.meta.classtype) == nullptr) {
    return Bad("unknown classtype '" + r.meta.classtype + "'");
  }
  for (const BufferMatches& b : r.buffers) {
    for (const PayloadMatch& m : b.matches) {
      const auto* c = std::get_if<ContentMatch>(&m);
      if (c == nullptr) continue;
      if (c->fast_pattern == FastPatternMode::kOnly && c->negated) {
        return Bad("fast_pattern:only cannot be used on a negated content");
      }
    }
  }
  r.buffers.erase(std::remove_if(r.buffers.begin(), r.buffers.end(),
                                 [](const BufferMatches& b) { return b.matches.empty(); }),
                  r.buffers.end());
  return Ok();
}

}  // namespace vigil::rules
