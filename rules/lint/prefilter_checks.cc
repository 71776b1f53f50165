#include "rules/lint/prefilter_checks.h"

#include <string>

#include "rules/lint/pattern_text.h"

namespace vigil::rules::lint {
namespace {

struct ContentCensus {
  size_t usable = 0;   // non-negated, non-empty, in a buffer a prefilter can scan
  size_t negated = 0;
  size_t base64 = 0;   // non-negated contents in base64_data (never prefiltered)
  size_t pcre = 0;
  size_t other = 0;    // byte_*, isdataat, bsize, base64_decode
  size_t dataset = 0;  // dataset lookups (whole-buffer set membership)
};

ContentCensus Count(const Rule& r) {
  ContentCensus c;
  for (const BufferMatches& b : r.buffers) {
    for (const PayloadMatch& m : b.matches) {
      if (const auto* ct = std::get_if<ContentMatch>(&m)) {
        if (ct->negated) ++c.negated;
        else if (b.buffer == BufferId::kBase64Data) ++c.base64;
        else if (!ct->pattern.empty()) ++c.usable;
      } else if (std::holds_alternative<PcreMatch>(m)) {
        ++c.pcre;
      } else if (std::holds_alternative<DatasetMatch>(m)) {
        ++c.dataset;
      } else {
        ++c.other;
      }
    }
  }
  return c;
}

// Why a rule has no prefilter literal: (topic, sentence).
std::pair<std::string, std::string> WhyNoFastPattern(const Rule& r) {
  if (r.buffers.empty()) {
    return {"header checks only",
            "no content, only header checks, and the addresses are too broad for the address index"};
  }
  const ContentCensus c = Count(r);
  if (c.usable == 0 && c.base64 > 0) {
    return {"only base64_data contents", "its contents are all in base64_data, which no prefilter can scan"};
  }
  if (c.usable == 0 && c.pcre > 0 && c.negated == 0) {
    return {"only pcre", "only pcre: add a content with a literal the regex requires"};
  }
  if (c.usable == 0 && c.negated > 0) {
    return {"only negated contents", "only negated contents (their absence matches): add a positive content"};
  }
  if (c.usable == 0 && c.dataset > 0) {
    return {"only dataset lookups", "no content: only dataset lookups, which no literal prefilter can select"};
  }
  if (c.usable == 0) return {"only size/byte checks", "no content: only byte_*/isdataat/size checks"};
  return {"engine chose none", "the engine chose no fast pattern"};
}

// The longest usable content of the rule (nullptr if none), for the short-pattern advice.
const ContentMatch* LongestContent(const Rule& r) {
  const ContentMatch* best = nullptr;
  for (const BufferMatches& b : r.buffers) {
    if (b.buffer == BufferId::kBase64Data) continue;
    b.ForEachContent([&](const ContentMatch& c) {
      if (!c.negated && (best == nullptr || c.pattern.size() > best->pattern.size())) best = &c;
    });
  }
  return best;
}

// The content the chosen literal came from: the first non-negated content of that buffer that
// contains it (a fast_pattern:o,l slice is a substring).
const ContentMatch* SourceOf(const Rule& r, const PrefilterChoice& choice) {
  for (const BufferMatches& b : r.buffers) {
    if (b.buffer != choice.buffer) continue;
    for (const PayloadMatch& m : b.matches) {
      const auto* c = std::get_if<ContentMatch>(&m);
      if (c != nullptr && !c->negated && c->pattern.find(choice.bytes) != std::string::npos) return c;
    }
  }
  return nullptr;
}

}  // namespace

void CheckPrefilter(const RuleContext& ctx, const PrefilterProbe& probe) {
  if (!probe) return;
  const Rule& r = ctx.rule();
  const PrefilterChoice choice = probe(r);
  if (choice.kind == PrefilterChoice::Kind::kAddressIndexed) return;
  if (choice.kind == PrefilterChoice::Kind::kAlwaysCheck) {
    auto [topic, why] = WhyNoFastPattern(r);
    ctx.Report(Code::kNoFastPattern, 0, topic, "no fast pattern: " + why + "; checked on every inspection of its group");
    return;
  }
  if (choice.bytes.size() > kShortFastPatternBytes) return;
  const ContentMatch* src = SourceOf(r, choice);
  const ContentMatch* longest = LongestContent(r);
  std::string msg = "fast pattern \"" + PatternText(choice.bytes) + "\" is " + std::to_string(choice.bytes.size()) +
                    (choice.bytes.size() == 1 ? " byte" : " bytes") + " (" + std::string(BufferName(choice.buffer)) +
                    "): short literals are found in most buffers, so the rule is a candidate almost always";
  if (longest != nullptr && longest->pattern.size() > choice.bytes.size()) {
    msg += choice.explicit_choice ? "; fast_pattern is set on it, but a longer content exists: \""
                                  : "; mark a longer content fast_pattern: \"";
    msg += PatternText(longest->pattern) + "\"";
  } else {
    msg += "; add a longer content";
  }
  std::string topic = std::to_string(choice.bytes.size()) + "-byte pattern";
  if (choice.explicit_choice) topic += " (explicit fast_pattern)";
  ctx.Report(Code::kShortFastPattern, src != nullptr ? src->source_offset : 0, std::move(topic), std::move(msg));
}

}  // namespace vigil::rules::lint
