#include "rules/lint/match_bounds_checks.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "rules/lint/pattern_text.h"

namespace vigil::rules::lint {
namespace {

int64_t ValueOr0(const std::optional<IntOrVar>& v) { return v && !v->is_var() ? v->value : 0; }

// The largest length an IntegerMatch allows, or nullopt when it has no upper bound.
std::optional<uint64_t> MaxAllowed(const IntegerMatch& m) {
  switch (m.op) {
    case IntOp::kEq:
    case IntOp::kLe: return m.value;
    case IntOp::kLt: return m.value == 0 ? 0 : m.value - 1;
    case IntOp::kRange: return m.max == 0 ? 0 : m.max - 1;
    default: return std::nullopt;
  }
}

// True when no length satisfies the match ("<0", an exclusive range with nothing inside).
bool MatchesNothing(const IntegerMatch& m) {
  if (m.op == IntOp::kLt) return m.value == 0;
  if (m.op == IntOp::kRange) return m.max <= m.value || m.max - m.value <= 1;
  return false;
}

size_t OffsetOf(const PayloadMatch& m) {
  return std::visit([](const auto& x) { return x.source_offset; }, m);
}

// An upper bound on the length of one buffer, and the keyword that sets it.
struct UpperBound {
  uint64_t max = 0;
  Code code = Code::kDsizeConflict;
  size_t offset = 0;
  std::string keyword;  // "dsize:<10"
};

// The smallest buffer length the positive matches of a list need, and which match needs it.
struct LowerBound {
  int64_t min = 0;
  size_t offset = 0;
  std::string what;  // "content \"abc\" (offset 4 + 3 bytes)"
};

LowerBound MinimumLength(const BufferMatches& b) {
  LowerBound lb;
  int64_t prev_end = 0;  // smallest possible end of the previous match
  auto need = [&](int64_t n, size_t offset, std::string what) {
    if (n > lb.min) lb = {n, offset, std::move(what)};
  };
  for (const PayloadMatch& m : b.matches) {
    if (const auto* c = std::get_if<ContentMatch>(&m)) {
      if (c->negated) continue;
      const auto len = static_cast<int64_t>(c->pattern.size());
      int64_t start = 0;
      std::string where;
      if (c->relative()) {
        start = std::max<int64_t>(0, prev_end + ValueOr0(c->distance));
        where = "after the previous match";
      } else if (c->offset) {
        start = ValueOr0(c->offset);
        where = "at offset " + std::to_string(start);
      }
      prev_end = start + len;
      need(prev_end, c->source_offset,
           "content \"" + PatternText(c->pattern) + "\" (" + std::to_string(len) + " bytes" +
               (where.empty() ? "" : ", " + where) + ")");
    } else if (const auto* p = std::get_if<PcreMatch>(&m)) {
      if (!p->relative) prev_end = 0;
    } else if (const auto* d = std::get_if<IsDataAtMatch>(&m)) {
      if (d->negated || d->position.is_var()) continue;
      const int64_t at = (d->relative ? prev_end : 0) + d->position.value;
      if (!d->relative) need(at + 1, d->source_offset, "isdataat:" + std::to_string(d->position.value));
      else if (d->position.value > 0) need(at, d->source_offset, "isdataat:" + std::to_string(d->position.value) + ",relative");
    } else if (const auto* j = std::get_if<ByteJumpMatch>(&m)) {
      if (!j->common.relative || j->from_beginning || j->from_end) prev_end = 0;
    } else if (const auto* e = std::get_if<ByteExtractMatch>(&m)) {
      if (!e->common.relative) prev_end = 0;
    }
  }
  return lb;
}

std::vector<UpperBound> UpperBounds(const RuleContext& ctx, const BufferMatches& b) {
  const Rule& r = ctx.rule();
  std::vector<UpperBound> out;
  if (b.transforms.empty() && b.buffer == BufferId::kPacket && r.dsize) {
    if (auto mx = MaxAllowed(*r.dsize))
      out.push_back({*mx, Code::kDsizeConflict, ctx.KeywordOffset("dsize"), "dsize:" + r.dsize->ToString()});
  }
  if (b.transforms.empty() && r.urilen &&
      b.buffer == (r.urilen->raw ? BufferId::kHttpUriRaw : BufferId::kHttpUri)) {
    if (auto mx = MaxAllowed(r.urilen->length))
      out.push_back({*mx, Code::kUrilenConflict, ctx.KeywordOffset("urilen"), "urilen:" + r.urilen->length.ToString()});
  }
  for (const PayloadMatch& m : b.matches) {
    if (const auto* bs = std::get_if<BsizeMatch>(&m)) {
      if (auto mx = MaxAllowed(bs->size))
        out.push_back({*mx, Code::kBsizeConflict, bs->source_offset, "bsize:" + bs->size.ToString()});
    } else if (const auto* d = std::get_if<IsDataAtMatch>(&m)) {
      if (d->negated && !d->relative && !d->position.is_var()) {
        out.push_back({static_cast<uint64_t>(d->position.value), Code::kIsdataatConflict, d->source_offset,
                       "isdataat:!" + std::to_string(d->position.value)});
      }
    }
  }
  return out;
}

void CheckAfterEndswith(const RuleContext& ctx, const BufferMatches& b) {
  const ContentMatch* ends = nullptr;  // the previous match, when it is an endswith content
  for (const PayloadMatch& m : b.matches) {
    if (const auto* c = std::get_if<ContentMatch>(&m)) {
      if (c->negated) continue;
      const bool forward = c->relative() && !(c->distance && (c->distance->is_var() || c->distance->value < 0));
      if (ends != nullptr && forward) {
        ctx.Report(Code::kAfterEndswith, c->source_offset, "content after endswith",
                   "content \"" + PatternText(c->pattern) + "\" must follow \"" + PatternText(ends->pattern) +
                       "\", which ends the buffer (endswith): it can never match");
      }
      ends = c->endswith ? c : nullptr;
    } else if (const auto* d = std::get_if<IsDataAtMatch>(&m)) {
      if (ends != nullptr && d->relative && !d->negated && !d->position.is_var() && d->position.value > 0) {
        ctx.Report(Code::kAfterEndswith, d->source_offset, "isdataat after endswith",
                   "isdataat:" + std::to_string(d->position.value) + ",relative after \"" +
                       PatternText(ends->pattern) + "\", which ends the buffer (endswith): it can never match");
      }
    } else {
      ends = nullptr;
    }
  }
}

const char* ConflictTopic(Code c) {
  switch (c) {
    case Code::kDsizeConflict: return "dsize vs content";
    case Code::kBsizeConflict: return "bsize vs content";
    case Code::kUrilenConflict: return "urilen vs http.uri content";
    default: return "isdataat:! vs content";
  }
}

}  // namespace

void CheckMatchBounds(const RuleContext& ctx) {
  const Rule& r = ctx.rule();
  if (r.dsize && MatchesNothing(*r.dsize)) {
    ctx.Report(Code::kDsizeConflict, ctx.KeywordOffset("dsize"), "dsize matches no size",
               "dsize:" + r.dsize->ToString() + " matches no payload size: the rule can never match");
  }
  if (r.urilen && MatchesNothing(r.urilen->length)) {
    ctx.Report(Code::kUrilenConflict, ctx.KeywordOffset("urilen"), "urilen matches no length",
               "urilen:" + r.urilen->length.ToString() + " matches no length: the rule can never match");
  }
  for (const BufferMatches& b : r.buffers) {
    CheckAfterEndswith(ctx, b);
    for (const PayloadMatch& m : b.matches) {
      const auto* bs = std::get_if<BsizeMatch>(&m);
      if (bs != nullptr && MatchesNothing(bs->size)) {
        ctx.Report(Code::kBsizeConflict, bs->source_offset, "bsize matches no size",
                   "bsize:" + bs->size.ToString() + " matches no buffer size: the rule can never match");
      }
    }
    const LowerBound need = MinimumLength(b);
    if (need.min == 0) continue;
    for (const UpperBound& ub : UpperBounds(ctx, b)) {
      if (static_cast<uint64_t>(need.min) <= ub.max) continue;
      const bool isdataat_need = need.what.rfind("isdataat", 0) == 0;
      ctx.Report(ub.code, ub.offset, isdataat_need ? "size vs isdataat" : ConflictTopic(ub.code),
                 ub.keyword + " allows at most " + std::to_string(ub.max) + " bytes of " +
                     std::string(BufferName(b.buffer)) + ", but " + need.what + " needs at least " +
                     std::to_string(need.min) + ": the rule can never match");
    }
  }
}

// A rule with a response buffer is inspected when the response is seen (its request buffers
// too); one with request buffers only, when the request is seen. flow: must agree.
void CheckFlowDirection(const RuleContext& ctx, const BufferSideFn& side) {
  if (!side) return;
  const Rule& r = ctx.rule();
  const BufferMatches* request = nullptr;
  const BufferMatches* response = nullptr;
  for (const BufferMatches& b : r.buffers) {
    if (b.matches.empty()) continue;
    const TxSide s = side(b.buffer);
    if (s == TxSide::kRequest && request == nullptr) request = &b;
    if (s == TxSide::kResponse && response == nullptr) response = &b;
  }
  const FlowDirection dir = r.flow ? r.flow->direction : FlowDirection::kAny;
  auto name = [](const BufferMatches* b) { return std::string(BufferName(b->buffer)); };
  if (dir == FlowDirection::kToServer && response != nullptr) {
    ctx.Report(Code::kFlowConflict, OffsetOf(response->matches.front()), "to_server with response buffer",
               "flow:to_server, but " + name(response) + " is only inspected on responses: the rule can never match");
  } else if (dir == FlowDirection::kToClient && request != nullptr && response == nullptr) {
    ctx.Report(Code::kFlowConflict, OffsetOf(request->matches.front()), "to_client with request buffer",
               "flow:to_client, but " + name(request) + " is only inspected on requests: the rule can never match");
  }
}

}  // namespace vigil::rules::lint
