#include "rules/correlation/field_matcher.h"

#include <charconv>
#include <cstring>

namespace vigil {
namespace {

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualFold(std::string_view a, std::string_view lowered, bool fold) {
  if (a.size() != lowered.size()) return false;
  if (!fold) return a == lowered;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lowered[i]) return false;
  }
  return true;
}

bool StartsFold(std::string_view s, std::string_view p, bool fold) {
  return s.size() >= p.size() && EqualFold(s.substr(0, p.size()), p, fold);
}
bool EndsFold(std::string_view s, std::string_view p, bool fold) {
  return s.size() >= p.size() && EqualFold(s.substr(s.size() - p.size()), p, fold);
}
bool ContainsFold(std::string_view s, std::string_view p, bool fold) {
  if (p.empty()) return true;
  if (!fold) return s.find(p) != std::string_view::npos;
  if (s.size() < p.size()) return false;
  const char first = p[0];
  for (size_t i = 0; i + p.size() <= s.size(); ++i) {
    if (Lower(s[i]) == first && EqualFold(s.substr(i, p.size()), p, true)) return true;
  }
  return false;
}

bool HasWildcard(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      ++i;
      continue;
    }
    if (s[i] == '*' || s[i] == '?') return true;
  }
  return false;
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) ++i;
    out.push_back(s[i]);
  }
  return out;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool InNetwork(const IpAddress& a, const IpAddress& net, uint8_t prefix) {
  if (a.family != net.family) return false;
  const uint8_t full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.bytes.data(), net.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (net.bytes[full] & mask);
}

constexpr std::string_view kKnownModifiers =
    "contains, startswith, endswith, re (with i, m, s), cidr, gt, gte, lt, lte, all, exists, cased";

}  // namespace

bool FieldMatcher::GlobMatch(std::string_view pat, std::string_view s, bool fold) {
  size_t p = 0, i = 0;
  size_t star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    if (p < pat.size()) {
      const char c = pat[p];
      if (c == '*') {
        star_p = ++p;
        star_i = i;
        continue;
      }
      if (c == '?') {
        ++p;
        ++i;
        continue;
      }
      char lit = c;
      size_t len = 1;
      if (c == '\\' && p + 1 < pat.size() &&
          (pat[p + 1] == '*' || pat[p + 1] == '?' || pat[p + 1] == '\\')) {
        lit = pat[p + 1];
        len = 2;
      }
      if ((fold ? Lower(s[i]) : s[i]) == lit) {
        p += len;
        ++i;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

Result<FieldMatcher> FieldMatcher::Create(std::string_view key, const std::vector<RawValue>& raw) {
  FieldMatcher m;
  // Split "field|mod|mod".
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t bar = key.find('|', start);
    parts.push_back(key.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (!FieldPath::Valid(parts[0])) {
    return Error(ErrorCode::kInvalidArgument,
                 "bad field name '" + std::string(parts[0].substr(0, 64)) +
                     "': expected a dotted path such as alert.signature_id");
  }
  m.path_ = FieldPath(std::string(parts[0]));

  MatchOp op = MatchOp::kEquals;
  bool have_op = false;
  uint32_t re_flags = Regex::kNone;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view mod = parts[i];
    MatchOp next = MatchOp::kEquals;
    if (mod == "all") { m.all_ = true; continue; }
    if (mod == "cased") { m.cased_ = true; continue; }
    if (op == MatchOp::kRegex && (mod == "i" || mod == "m" || mod == "s")) {
      re_flags |= mod == "i" ? Regex::kCaseless : mod == "m" ? Regex::kMultiline : Regex::kDotAll;
      continue;
    }
    if (mod == "contains") next = MatchOp::kContains;
    else if (mod == "startswith") next = MatchOp::kStartsWith;
    else if (mod == "endswith") next = MatchOp::kEndsWith;
    else if (mod == "re") next = MatchOp::kRegex;
    else if (mod == "cidr") next = MatchOp::kCidr;
    else if (mod == "gt") next = MatchOp::kGt;
    else if (mod == "gte") next = MatchOp::kGte;
    else if (mod == "lt") next = MatchOp::kLt;
    else if (mod == "lte") next = MatchOp::kLte;
    else if (mod == "exists") next = MatchOp::kExists;
    else {
      return Error(ErrorCode::kInvalidArgument, "unknown field modifier '" +
                                                    std::string(mod.substr(0, 32)) + "' (known: " +
                                                    std::string(kKnownModifiers) + ")");
    }
    if (have_op) {
      return Error(ErrorCode::kInvalidArgument,
                   "conflicting field modifiers on '" + std::string(parts[0]) + "': '" +
                       std::string(mod) + "' after another matching modifier");
    }
    op = next;
    have_op = true;
  }
  if (raw.empty()) {
    return Error(ErrorCode::kInvalidArgument, "field '" + m.path_.text() + "' has an empty list of values");
  }
  if (op == MatchOp::kExists && (raw.size() != 1 || raw[0].kind != RawValue::Kind::kBool)) {
    return Error(ErrorCode::kInvalidArgument, "'|exists' takes exactly one value: true or false");
  }

  for (const RawValue& r : raw) {
    Value v;
    v.op = op;
    if (op == MatchOp::kExists) {
      v.flag = r.boolean;
    } else if (r.kind == RawValue::Kind::kNull) {
      if (op != MatchOp::kEquals) {
        return Error(ErrorCode::kInvalidArgument, "null cannot be used with a field modifier");
      }
      v.op = MatchOp::kNull;
    } else if (op == MatchOp::kGt || op == MatchOp::kGte || op == MatchOp::kLt || op == MatchOp::kLte) {
      double d = r.num;
      if (r.kind != RawValue::Kind::kNumber && !ParseDouble(r.text, &d)) {
        return Error(ErrorCode::kInvalidArgument,
                     "'" + m.path_.text() + "': numeric comparison needs a number, got '" + r.text + "'");
      }
      v.has_num = true;
      v.num = d;
    } else if (op == MatchOp::kRegex) {
      if (r.kind != RawValue::Kind::kString) {
        return Error(ErrorCode::kInvalidArgument, "'|re' needs a string pattern");
      }
      auto re = Regex::Compile(r.text, re_flags);
      if (!re) return Error(ErrorCode::kInvalidArgument, "'" + m.path_.text() + "': " + re.error().message);
      v.regex = std::move(*re);
    } else if (op == MatchOp::kCidr) {
      std::string_view t = r.text;
      size_t slash = t.find('/');
      auto addr = IpAddress::Parse(t.substr(0, slash));
      int prefix = -1;
      if (addr) {
        const int max = addr->is_v4() ? 32 : 128;
        prefix = max;
        if (slash != std::string_view::npos) {
          std::string_view p = t.substr(slash + 1);
          auto res = std::from_chars(p.data(), p.data() + p.size(), prefix);
          if (res.ec != std::errc() || res.ptr != p.data() + p.size() || prefix < 0 || prefix > max) prefix = -1;
        }
      }
      if (prefix < 0) {
        return Error(ErrorCode::kInvalidArgument, "'|cidr' needs a network such as 10.0.0.0/8, got '" +
                                                      r.text.substr(0, 64) + "'");
      }
      v.net = *addr;
      v.prefix = static_cast<uint8_t>(prefix);
    } else if (r.kind == RawValue::Kind::kBool && op == MatchOp::kEquals) {
      v.op = MatchOp::kBool;
      v.flag = r.boolean;
    } else {
      // String-like ops. Numbers keep their numeric value for exact comparison with number fields.
      std::string text = r.text;
      if (r.kind == RawValue::Kind::kNumber) {
        v.has_num = true;
        v.num = r.num;
        char buf[32];
        text = std::string(FormatNumber(r.num, buf));
      } else if (op == MatchOp::kEquals) {
        v.has_num = ParseDouble(text, &v.num);
      }
      if (!m.cased_) text = LowerCopy(text);
      if (r.kind == RawValue::Kind::kString && HasWildcard(text)) {
        // A wildcard turns every string op into a glob anchored the op's way.
        if (op == MatchOp::kContains) text = "*" + text + "*";
        else if (op == MatchOp::kStartsWith) text += "*";
        else if (op == MatchOp::kEndsWith) text = "*" + text;
        v.op = MatchOp::kGlob;
        v.has_num = false;
      } else {
        text = Unescape(text);
      }
      v.text = std::move(text);
    }
    m.values_.push_back(std::move(v));
  }
  return m;
}

bool FieldMatcher::MatchOne(const Value& v, const FieldValue& f, MatchScratch& scratch) const {
  using K = FieldValue::Kind;
  const bool fold = !cased_;
  switch (v.op) {
    case MatchOp::kExists:
      return (f.kind != K::kMissing) == v.flag;
    case MatchOp::kNull:
      return f.kind == K::kMissing || f.kind == K::kNull;
    case MatchOp::kBool:
      if (f.kind == K::kBool) return (f.num != 0) == v.flag;
      return f.kind == K::kString && EqualFold(f.str, v.flag ? "true" : "false", true);
    case MatchOp::kGt:
    case MatchOp::kGte:
    case MatchOp::kLt:
    case MatchOp::kLte: {
      double d;
      if (f.kind == K::kNumber) d = f.num;
      else if (f.kind != K::kString || !ParseDouble(f.str, &d)) return false;
      switch (v.op) {
        case MatchOp::kGt: return d > v.num;
        case MatchOp::kGte: return d >= v.num;
        case MatchOp::kLt: return d < v.num;
        default: return d <= v.num;
      }
    }
    case MatchOp::kCidr:
      return false;  // never reached: MatchValue hands |cidr lists to MatchNetworks (one parse)
    default:
      break;
  }
  // String-like ops: a number field is compared by value or by its text.
  std::string_view s;
  char buf[32];
  if (f.kind == K::kString) {
    s = f.str;
  } else if (f.kind == K::kNumber) {
    if (v.op == MatchOp::kEquals && v.has_num) return f.num == v.num;
    s = FormatNumber(f.num, buf);
  } else if (f.kind == K::kBool) {
    s = f.num != 0 ? "true" : "false";
  } else {
    return false;
  }
  switch (v.op) {
    case MatchOp::kEquals: return EqualFold(s, v.text, fold);
    case MatchOp::kContains: return ContainsFold(s, v.text, fold);
    case MatchOp::kStartsWith: return StartsFold(s, v.text, fold);
    case MatchOp::kEndsWith: return EndsFold(s, v.text, fold);
    case MatchOp::kGlob: return GlobMatch(v.text, s, fold);
    case MatchOp::kRegex: return v.regex.Match(s, scratch);
    default: return false;
  }
}

bool FieldMatcher::uses_regex() const {
  for (const Value& v : values_) {
    if (v.op == MatchOp::kRegex) return true;
  }
  return false;
}

bool FieldMatcher::MatchValue(const FieldValue& f, MatchScratch& scratch) const {
  if (values_.front().op == MatchOp::kCidr) return MatchNetworks(f);  // a modifier applies to every value
  if (all_) {
    for (const Value& v : values_) {
      if (!MatchOne(v, f, scratch)) return false;
    }
    return true;
  }
  for (const Value& v : values_) {
    if (MatchOne(v, f, scratch)) return true;
  }
  return false;
}

bool FieldMatcher::MatchNetworks(const FieldValue& f) const {
  // The field's address is parsed once for the whole list of networks.
  IpAddress a;
  if (f.kind != FieldValue::Kind::kString || !IpAddress::TryParse(f.str, &a)) return false;
  for (const Value& v : values_) {
    const bool in = InNetwork(a, v.net, v.prefix);
    if (in != all_) return in;  // any: the first inside; all: the first outside
  }
  return all_;
}

}  // namespace vigil
