#include "sensor/detect/transform_chain.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>

#include "rules/signature/option_lexer.h"

namespace vigil::sensor {
namespace {

using rules::TransformKind;

bool IsSpace(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
uint8_t Lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c; }
uint8_t Upper(uint8_t c) { return (c >= 'a' && c <= 'z') ? static_cast<uint8_t>(c - 32) : c; }
int Hex(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Error Unsupported(std::string m) { return Error(ErrorCode::kUnsupported, std::move(m)); }

// from_base64 options: "bytes N, offset N, mode rfc4648|rfc2045|strict", all optional.
Status ParseFromBase64(std::string_view arg, uint32_t* bytes, uint32_t* offset, Base64Mode* mode) {
  if (rules::Trim(arg).empty()) return Ok();
  for (std::string_view field : rules::SplitTrim(arg, ',')) {
    size_t sp = field.find(' ');
    std::string_view name = field.substr(0, sp);
    std::string_view val = sp == std::string_view::npos ? std::string_view() : rules::Trim(field.substr(sp));
    if (name == "mode") {
      if (val == "rfc4648") *mode = Base64Mode::kRfc4648;
      else if (val == "rfc2045") *mode = Base64Mode::kRfc2045;
      else if (val == "strict") *mode = Base64Mode::kStrict;
      else return Error(ErrorCode::kParse, "from_base64: unknown mode '" + std::string(val) + "'");
      continue;
    }
    if (name != "bytes" && name != "offset") {
      return Error(ErrorCode::kParse, "from_base64: unknown option '" + std::string(field) + "'");
    }
    uint32_t n = 0;
    auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), n);
    if (ec != std::errc() || p != val.data() + val.size()) {
      // A byte_extract variable is valid Suricata but not supported here.
      return Unsupported("from_base64 with a non-numeric " + std::string(name));
    }
    (name == "bytes" ? *bytes : *offset) = n;
  }
  return Ok();
}

}  // namespace

TransformScratch::TransformScratch(PcreScratch* pcre) : pcre_(pcre), md_ctx_(EVP_MD_CTX_new()) {}
TransformScratch::~TransformScratch() { EVP_MD_CTX_free(md_ctx_); }

TransformChain::TransformChain(TransformChain&&) noexcept = default;
TransformChain& TransformChain::operator=(TransformChain&&) noexcept = default;
TransformChain::~TransformChain() = default;

Result<TransformChain> TransformChain::Compile(rules::BufferId buffer,
                                               const std::vector<rules::Transform>& transforms) {
  TransformChain c;
  c.buffer_ = buffer;
  for (const rules::Transform& t : transforms) {
    Step st;
    st.kind = t.kind;
    switch (t.kind) {
      case TransformKind::kToMd5:
      case TransformKind::kToSha1:
      case TransformKind::kToSha256: {
        const char* name = t.kind == TransformKind::kToMd5 ? "MD5" : t.kind == TransformKind::kToSha1 ? "SHA1" : "SHA256";
        st.md = std::shared_ptr<EVP_MD>(EVP_MD_fetch(nullptr, name, nullptr), EVP_MD_free);
        break;
      }
      case TransformKind::kXor:
        if (t.argument.empty()) return Unsupported("xor without a key");
        st.key = t.argument;
        break;
      case TransformKind::kPcreXform: {
        rules::PcreMatch m;
        m.regex = t.argument;
        auto prog = PcreProgram::Compile(m);
        if (!prog) return Error(ErrorCode::kParse, "pcrexform: " + prog.error().message);
        if (prog->capture_count() < 1) return Error(ErrorCode::kParse, "pcrexform needs a capture group");
        st.pcre = std::make_unique<PcreProgram>(std::move(*prog));
        break;
      }
      case TransformKind::kFromBase64:
        VIGIL_CHECK_OK(ParseFromBase64(t.argument, &st.b64_bytes, &st.b64_offset, &st.b64_mode));
        break;
      default: break;
    }
    if (st.md == nullptr && (t.kind == TransformKind::kToMd5 || t.kind == TransformKind::kToSha1 ||
                             t.kind == TransformKind::kToSha256)) {
      return Unsupported("digest not available in this OpenSSL");
    }
    c.steps_.push_back(std::move(st));
  }
  return c;
}

void TransformChain::Run(const Step& st, std::span<const uint8_t> in, TransformScratch& s,
                         std::vector<uint8_t>* out) {
  const size_t n = in.size();
  size_t w = 0;
  switch (st.kind) {
    case TransformKind::kDotPrefix:
      if (n == 0) break;
      out->resize(n + 1);
      (*out)[0] = '.';
      std::copy(in.begin(), in.end(), out->begin() + 1);
      w = n + 1;
      break;
    case TransformKind::kStripWhitespace:
      out->resize(n);
      for (uint8_t c : in)
        if (!IsSpace(c)) (*out)[w++] = c;
      break;
    case TransformKind::kCompressWhitespace: {
      out->resize(n);
      bool in_space = false;
      for (uint8_t c : in) {
        if (IsSpace(c)) {
          if (!in_space) (*out)[w++] = ' ';
          in_space = true;
        } else {
          (*out)[w++] = c;
          in_space = false;
        }
      }
      break;
    }
    case TransformKind::kToLowercase:
    case TransformKind::kToUppercase:
      out->resize(n);
      for (uint8_t c : in) (*out)[w++] = st.kind == TransformKind::kToLowercase ? Lower(c) : Upper(c);
      break;
    case TransformKind::kToMd5:
    case TransformKind::kToSha1:
    case TransformKind::kToSha256: {
      out->resize(EVP_MAX_MD_SIZE);
      unsigned len = 0;
      if (s.md_ctx_ && EVP_DigestInit_ex(s.md_ctx_, st.md.get(), nullptr) == 1 &&
          EVP_DigestUpdate(s.md_ctx_, in.data(), n) == 1 &&
          EVP_DigestFinal_ex(s.md_ctx_, out->data(), &len) == 1) {
        w = len;
      }
      break;
    }
    case TransformKind::kUrlDecode:
      out->resize(n);
      for (size_t i = 0; i < n; ++i) {
        uint8_t c = in[i];
        if (c == '%' && i + 2 < n && Hex(in[i + 1]) >= 0 && Hex(in[i + 2]) >= 0) {
          (*out)[w++] = static_cast<uint8_t>(Hex(in[i + 1]) * 16 + Hex(in[i + 2]));
          i += 2;
        } else {
          (*out)[w++] = c == '+' ? ' ' : c;
        }
      }
      break;
    case TransformKind::kHeaderLowercase: {
      out->resize(n);
      bool in_name = true;
      for (uint8_t c : in) {
        if (c == '\n') in_name = true;
        else if (in_name && c == ':') in_name = false;
        (*out)[w++] = in_name ? Lower(c) : c;
      }
      break;
    }
    case TransformKind::kStripPseudoHeaders: {
      out->resize(n);
      size_t i = 0;
      while (i < n) {
        size_t eol = i;
        while (eol < n && in[eol] != '\n') ++eol;
        size_t next = eol < n ? eol + 1 : n;
        if (in[i] != ':') {
          std::copy(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(next),
                    out->begin() + static_cast<std::ptrdiff_t>(w));
          w += next - i;
        }
        i = next;
      }
      break;
    }
    case TransformKind::kXor:
      out->resize(n);
      for (size_t i = 0; i < n; ++i)
        (*out)[w++] = in[i] ^ static_cast<uint8_t>(st.key[i % st.key.size()]);
      break;
    case TransformKind::kPcreXform: {
      PcreResult r = st.pcre->Match(*s.pcre_, in, 0, 1);
      std::span<const uint8_t> src = in;
      if (r.outcome == PcreOutcome::kMatch) src = in.subspan(r.begin, r.end - r.begin);
      out->assign(src.begin(), src.end());
      w = src.size();
      break;
    }
    case TransformKind::kFromBase64: {
      if (st.b64_offset >= n) break;
      std::span<const uint8_t> src = in.subspan(st.b64_offset);
      if (st.b64_bytes != 0 && st.b64_bytes < src.size()) src = src.first(st.b64_bytes);
      out->resize(src.size() / 4 * 3 + 3);
      w = Base64Decode(src, st.b64_mode, *out);
      break;
    }
  }
  out->resize(w);
}

void TransformChain::Apply(std::span<const uint8_t> in, TransformScratch& s,
                           std::vector<uint8_t>* out) const {
  if (steps_.empty()) {
    out->assign(in.begin(), in.end());
    return;
  }
  // Steps alternate between `out` and the scratch vector so that the last one writes `out`.
  std::span<const uint8_t> cur = in;
  const size_t n = steps_.size();
  for (size_t i = 0; i < n; ++i) {
    std::vector<uint8_t>* dst = ((n - 1 - i) % 2 == 0) ? out : &s.tmp_;
    Run(steps_[i], cur, s, dst);
    cur = std::span<const uint8_t>(dst->data(), dst->size());
  }
}

}  // namespace vigil::sensor
