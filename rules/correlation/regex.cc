#include "rules/correlation/regex.h"

#include <string>

namespace vigil {

MatchScratch::MatchScratch(const MatchScratchConfig& config)
    // One ovector pair is enough: rules ask "does it match", never for groups. PCRE2 returns 0
    // (not an error) when the ovector is too small to hold every group.
    : data_(pcre2_match_data_create(1, nullptr)), context_(pcre2_match_context_create(nullptr)) {
  if (context_) pcre2_set_match_limit(context_.get(), config.regex_match_limit);
}

Result<Regex> Regex::Compile(std::string_view pattern, uint32_t flags) {
  uint32_t options = 0;
  if (flags & kCaseless) options |= PCRE2_CASELESS;
  if (flags & kMultiline) options |= PCRE2_MULTILINE;
  if (flags & kDotAll) options |= PCRE2_DOTALL;
  int err = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options, &err, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof(msg));
    return Error(ErrorCode::kInvalidArgument, "bad regular expression at offset " +
                                                  std::to_string(offset) + ": " +
                                                  reinterpret_cast<const char*>(msg));
  }
  Regex re;
  re.code_ = std::shared_ptr<pcre2_code>(code, CodeFree{});
  // JIT is an optimisation: a CPU or build without it still matches, only slower.
  re.jit_ = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  return re;
}

bool Regex::Match(std::string_view subject, MatchScratch& scratch) const {
  if (!code_ || scratch.match_data() == nullptr) return false;
  // PCRE2 10.42 rejects a null subject pointer even with length 0.
  auto* s = reinterpret_cast<PCRE2_SPTR>(subject.data() != nullptr ? subject.data() : "");
  int rc = jit_ ? pcre2_jit_match(code_.get(), s, subject.size(), 0, 0, scratch.match_data(),
                                  scratch.context())
               : pcre2_match(code_.get(), s, subject.size(), 0, 0, scratch.match_data(),
                             scratch.context());
  if (rc >= 0) return true;
  if (rc != PCRE2_ERROR_NOMATCH) ++scratch.regex_errors;
  return false;
}

}  // namespace vigil
