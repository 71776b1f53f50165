#include "rules/signature/classification_config.h"

#include <cstdio>
#include <memory>

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes) {
  struct Closer {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<FILE, Closer> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error(ErrorCode::kNotFound, "cannot open '" + path + "'");
  std::string out;
  char buf[65536];
  for (;;) {
    size_t n = std::fread(buf, 1, sizeof(buf), f.get());
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      return Error(ErrorCode::kLimit, "'" + path + "' is larger than the limit of " +
                                          std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, n);
  }
  if (std::ferror(f.get())) return Error(ErrorCode::kIo, "error reading '" + path + "'");
  return out;
}

Result<ClassificationConfig> ClassificationConfig::LoadFile(const std::string& path) {
  VIGIL_TRY(std::string text, ReadTextFile(path, 16u << 20));
  return Parse(text, path);
}

Result<ClassificationConfig> ClassificationConfig::Parse(std::string_view text, std::string_view source) {
  ClassificationConfig cfg;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    std::string_view t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      return Error(ErrorCode::kParse, std::string(source) + ":" + std::to_string(line_no) + ": " + why);
    };
    if (!t.starts_with("config")) return fail("expected 'config classification: name,description,priority'");
    std::string_view rest = Trim(t.substr(6));
    if (!rest.starts_with("classification")) return fail("expected 'config classification:'");
    rest = Trim(rest.substr(14));
    if (rest.empty() || rest[0] != ':') return fail("expected ':' after 'config classification'");
    rest = Trim(rest.substr(1));
    auto parts = SplitTrim(rest, ',');
    if (parts.size() != 3) return fail("expected name,description,priority (3 fields), found " + std::to_string(parts.size()));
    if (parts[0].empty()) return fail("empty classification name");
    for (char c : parts[0]) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) return fail("invalid classification name '" + std::string(parts[0]) + "'");
    }
    auto prio = ParseUnsigned(parts[2], 255);
    if (!prio || *prio == 0) return fail("priority must be a number 1..255, not '" + std::string(parts[2]) + "'");
    Classification c{std::string(parts[0]), std::string(parts[1]), static_cast<uint8_t>(*prio)};
    if (cfg.Find(c.name) != nullptr) {
      cfg.warnings_.push_back(std::string(source) + ":" + std::to_string(line_no) + ": classification '" +
                              c.name + "' redefined; the later entry wins");
    }
    cfg.Add(std::move(c));
  }
  return cfg;
}

}  // namespace vigil::rules
