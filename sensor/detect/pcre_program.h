// PcreProgram: one rule's `pcre:` compiled once at load with PCRE2 (JIT when available) and
// shared read-only; PcreScratch: a worker's match data and match context (limits).
//
//   auto p = PcreProgram::Compile(rule_pcre);      // Result<PcreProgram>
//   PcreScratch s(cfg.pcre_match_limit, cfg.pcre_depth_limit);
//   PcreResult r = p->Match(s, buf, start);        // kMatch with [begin, end)
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <memory>
#include <span>

#include "core/result.h"
#include "rules/signature/pcre_option.h"

namespace vigil::sensor {

enum class PcreOutcome : uint8_t { kMatch, kNoMatch, kLimit, kError };

struct PcreResult {
  PcreOutcome outcome = PcreOutcome::kNoMatch;
  size_t begin = 0;
  size_t end = 0;
};

class PcreScratch {
 public:
  PcreScratch(uint32_t match_limit, uint32_t depth_limit);
  ~PcreScratch();
  PcreScratch(const PcreScratch&) = delete;
  PcreScratch& operator=(const PcreScratch&) = delete;

  pcre2_match_data* data() const { return data_; }
  pcre2_match_context* limited() const { return limited_; }
  pcre2_match_context* unlimited() const { return unlimited_; }

 private:
  pcre2_match_data* data_ = nullptr;
  pcre2_match_context* limited_ = nullptr;    // Suricata's pcre.match-limit
  pcre2_match_context* unlimited_ = nullptr;  // rules with the O flag
  pcre2_jit_stack* jit_stack_ = nullptr;
};

class PcreProgram {
 public:
  static Result<PcreProgram> Compile(const rules::PcreMatch& m);
  PcreProgram(PcreProgram&&) noexcept = default;
  PcreProgram& operator=(PcreProgram&&) noexcept = default;

  // Searches `buf` from `start`; [begin, end) is capture `group` (0: the whole match). A match
  // whose group did not participate is kNoMatch.
  PcreResult Match(PcreScratch& s, std::span<const uint8_t> buf, size_t start,
                   uint32_t group = 0) const;
  bool jit() const { return jit_; }
  uint32_t capture_count() const;

 private:
  PcreProgram() = default;
  struct CodeFree { void operator()(pcre2_code* c) const { pcre2_code_free(c); } };
  std::unique_ptr<pcre2_code, CodeFree> code_;
  bool jit_ = false;
  bool override_limit_ = false;
};

}  // namespace vigil::sensor
