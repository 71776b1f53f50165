#include "sensor/detect/pcre_program.h"

#include <string>

namespace vigil::sensor {

PcreScratch::PcreScratch(uint32_t match_limit, uint32_t depth_limit) {
  // 32 pairs is more than any ET pcre captures; the ovector is read for group 0 (pcre) or 1
  // (pcrexform).
  data_ = pcre2_match_data_create(32, nullptr);
  limited_ = pcre2_match_context_create(nullptr);
  unlimited_ = pcre2_match_context_create(nullptr);
  jit_stack_ = pcre2_jit_stack_create(32 * 1024, 512 * 1024, nullptr);
  if (limited_) {
    pcre2_set_match_limit(limited_, match_limit);
    pcre2_set_depth_limit(limited_, depth_limit);
    if (jit_stack_) pcre2_jit_stack_assign(limited_, nullptr, jit_stack_);
  }
  if (unlimited_ && jit_stack_) pcre2_jit_stack_assign(unlimited_, nullptr, jit_stack_);
}

PcreScratch::~PcreScratch() {
  pcre2_match_data_free(data_);
  pcre2_match_context_free(limited_);
  pcre2_match_context_free(unlimited_);
  pcre2_jit_stack_free(jit_stack_);
}

Result<PcreProgram> PcreProgram::Compile(const rules::PcreMatch& m) {
  uint32_t opts = 0;
  if (m.caseless) opts |= PCRE2_CASELESS;
  if (m.dotall) opts |= PCRE2_DOTALL;
  if (m.multiline) opts |= PCRE2_MULTILINE;
  if (m.extended) opts |= PCRE2_EXTENDED;
  if (m.anchored) opts |= PCRE2_ANCHORED;
  if (m.dollar_endonly) opts |= PCRE2_DOLLAR_ENDONLY;
  if (m.ungreedy) opts |= PCRE2_UNGREEDY;
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(m.regex.data()), m.regex.size(),
                                   opts, &errcode, &erroff, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(errcode, buf, sizeof(buf));
    return Error(ErrorCode::kParse, "pcre: " + std::string(reinterpret_cast<char*>(buf)) +
                                        " at offset " + std::to_string(erroff));
  }
  PcreProgram p;
  p.code_.reset(code);
  p.jit_ = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  p.override_limit_ = m.override_limit;
  return p;
}

uint32_t PcreProgram::capture_count() const {
  uint32_t n = 0;
  pcre2_pattern_info(code_.get(), PCRE2_INFO_CAPTURECOUNT, &n);
  return n;
}

PcreResult PcreProgram::Match(PcreScratch& s, std::span<const uint8_t> buf, size_t start,
                              uint32_t group) const {
  PcreResult r;
  if (start > buf.size()) return r;
  // PCRE2 wants a non-null subject even when empty.
  static constexpr uint8_t kEmpty = 0;
  PCRE2_SPTR subject = buf.empty() ? &kEmpty : buf.data();
  int rc = pcre2_match(code_.get(), subject, buf.size(), start, 0, s.data(),
                       override_limit_ ? s.unlimited() : s.limited());
  if (rc >= 0) {
    if (group >= pcre2_get_ovector_count(s.data())) return r;
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data());
    if (ov[2 * group] == PCRE2_UNSET) return r;
    r.outcome = PcreOutcome::kMatch;
    r.begin = ov[2 * group];
    r.end = ov[2 * group + 1];
    return r;
  }
  if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return r;
  r.outcome = (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
               rc == PCRE2_ERROR_JIT_STACKLIMIT)
                  ? PcreOutcome::kLimit
                  : PcreOutcome::kError;
  return r;
}

}  // namespace vigil::sensor
