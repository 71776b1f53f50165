// Regex: one PCRE2 pattern compiled once (JIT where the CPU allows) for the `|re` modifier, and
// MatchScratch, the per-thread mutable state matching needs.
//
// A compiled Regex is immutable and shared read-only by every engine thread; each thread owns a
// MatchScratch (PCRE2 match data and a match context carrying the backtracking limit), so the
// hot path allocates nothing.
//
//   VIGIL_TRY(Regex re, Regex::Compile("^[a-z0-9]{40,}\\.", Regex::kCaseless));
//   MatchScratch scratch;
//   bool hit = re.Match("deadbeef....example.com", scratch);
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/result.h"

namespace vigil {

struct MatchScratchConfig {
  // PCRE2 match limit (backtracking steps) per regex evaluation: a pathological pattern on a
  // long field stops there and counts as "no match" instead of stalling the engine.
  uint32_t regex_match_limit = 100'000;
};

class MatchScratch {
 public:
  MatchScratch() : MatchScratch(MatchScratchConfig{}) {}
  explicit MatchScratch(const MatchScratchConfig& config);

  pcre2_match_data* match_data() const { return data_.get(); }
  pcre2_match_context* context() const { return context_.get(); }
  // Regex evaluations that hit the match limit (or failed otherwise) and were taken as no match.
  uint64_t regex_errors = 0;

 private:
  struct DataFree { void operator()(pcre2_match_data* p) const { pcre2_match_data_free(p); } };
  struct ContextFree { void operator()(pcre2_match_context* p) const { pcre2_match_context_free(p); } };
  std::unique_ptr<pcre2_match_data, DataFree> data_;
  std::unique_ptr<pcre2_match_context, ContextFree> context_;
};

class Regex {
 public:
  enum Flags : uint32_t { kNone = 0, kCaseless = 1, kMultiline = 2, kDotAll = 4 };

  // The error message names the PCRE2 reason and the offset in the pattern.
  static Result<Regex> Compile(std::string_view pattern, uint32_t flags);

  bool Match(std::string_view subject, MatchScratch& scratch) const;
  bool jit() const { return jit_; }

 private:
  struct CodeFree { void operator()(pcre2_code* p) const { pcre2_code_free(p); } };
  std::shared_ptr<pcre2_code> code_;  // shared: compiled rules are copied into rule sets cheaply
  bool jit_ = false;
};

}  // namespace vigil
