#include "tools/verify/requirements.h"

#include <cctype>
#include <tuple>

namespace vigil::verify {

namespace {

bool ReadInt(std::string_view s, size_t* pos, int* out) {
  size_t i = *pos;
  int v = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && v < 100000) {
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == *pos) return false;
  *pos = i;
  *out = v;
  return true;
}

// Missing parts compare as 0 (run.py's default for everything but `version:`).
std::tuple<int, int, int> Triple(const SuricataVersion& v) {
  return {v.major, v.minor.value_or(0), v.patch.value_or(0)};
}

}  // namespace

std::optional<SuricataVersion> SuricataVersion::Parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  SuricataVersion v;
  size_t pos = 0;
  if (!ReadInt(text, &pos, &v.major)) return std::nullopt;
  int n = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (ReadInt(text, &pos, &n)) {
      v.minor = n;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        if (ReadInt(text, &pos, &n)) v.patch = n;
      }
    }
  }
  return v;
}

std::string SuricataVersion::ToString() const {
  std::string s = std::to_string(major);
  if (minor) s += "." + std::to_string(*minor);
  if (patch) s += "." + std::to_string(*patch);
  return s;
}

void Requirements::Add(std::string key, std::string value) {
  if (key == "min-version" || key == "lt-version" || key == "gt-version" || key == "version") {
    versions_.emplace_back(std::move(key), std::move(value));
  } else {
    unchecked_.push_back(value.empty() ? key : key + " " + value);
  }
}

std::optional<std::string> Requirements::Unsatisfied(const SuricataVersion& running) const {
  for (const auto& [key, text] : versions_) {
    const auto want = SuricataVersion::Parse(text);
    if (!want) return "requires " + key + " '" + text + "' (not a version)";
    bool ok = true;
    if (key == "min-version") ok = Triple(running) >= Triple(*want);
    if (key == "lt-version") ok = Triple(running) < Triple(*want);
    if (key == "gt-version") ok = Triple(running) > Triple(*want);
    if (key == "version") {
      ok = running.major == want->major && (!want->minor || !running.minor || *want->minor == *running.minor) &&
           (!want->patch || !running.patch || *want->patch == *running.patch);
    }
    if (!ok) return "requires " + key + " " + text + " (emulating " + running.ToString() + ")";
  }
  return std::nullopt;
}

}  // namespace vigil::verify
