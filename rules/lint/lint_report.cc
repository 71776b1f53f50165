#include "rules/lint/lint_report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "core/json_writer.h"

namespace vigil::rules::lint {
namespace {

bool Listed(const Finding& f, const ReportOptions& o) { return o.list && f.severity() >= o.list_level; }

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string Counts(size_t errors, size_t warnings, size_t info) {
  return Plural(errors, "error") + ", " + Plural(warnings, "warning") + ", " + std::to_string(info) + " info";
}

void AppendFileLists(const LintResult& r, const ReportOptions& o, std::string* out) {
  // Findings arrive grouped by file already; keep that order, with a header per file.
  size_t i = 0;
  while (i < r.findings.size()) {
    const std::string& file = r.findings[i].file;
    size_t j = i;
    std::array<size_t, 3> by_sev{};
    while (j < r.findings.size() && r.findings[j].file == file) ++by_sev[static_cast<size_t>(r.findings[j++].severity())];
    bool any = false;
    for (size_t k = i; k < j && !any; ++k) any = Listed(r.findings[k], o);
    if (any) {
      *out += "== " + file + ": " + Counts(by_sev[2], by_sev[1], by_sev[0]) + "\n";
      for (size_t k = i; k < j; ++k) {
        if (Listed(r.findings[k], o)) *out += r.findings[k].ToString() + "\n";
      }
    }
    i = j;
  }
}

std::string Location(const Finding& f) {
  std::string s = f.file;
  if (f.line != 0) s += ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
  if (f.sid != 0) s += " [" + std::to_string(f.gid) + ":" + std::to_string(f.sid) + "]";
  return s;
}

}  // namespace

std::vector<CodeSummary> SummarizeByCode(const LintResult& result, size_t examples_per_code) {
  std::vector<CodeSummary> codes(static_cast<size_t>(Code::kCount));
  std::vector<std::map<std::string, size_t>> topics(codes.size());
  for (const Finding& f : result.findings) {
    CodeSummary& c = codes[static_cast<size_t>(f.code)];
    c.code = f.code;
    ++c.count;
    ++topics[static_cast<size_t>(f.code)][f.topic];
    if (c.examples.size() < examples_per_code) c.examples.push_back(&f);
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    codes[i].topics.assign(topics[i].begin(), topics[i].end());
    std::stable_sort(codes[i].topics.begin(), codes[i].topics.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  std::erase_if(codes, [](const CodeSummary& c) { return c.count == 0; });
  std::stable_sort(codes.begin(), codes.end(), [](const CodeSummary& a, const CodeSummary& b) {
    const Severity sa = GetCodeInfo(a.code).severity, sb = GetCodeInfo(b.code).severity;
    return sa != sb ? sa > sb : a.count > b.count;
  });
  return codes;
}

std::string FormatTextReport(const LintResult& r, const ReportOptions& o) {
  std::string out;
  AppendFileLists(r, o, &out);
  const LintStats& s = r.stats;
  out += "\n== summary\n";
  out += Plural(s.files, "file") + ": " + Plural(s.signature_rules, "signature rule") + " (" +
         std::to_string(s.signature_loaded) + " load, " + std::to_string(s.signature_skipped) +
         " skipped as unsupported, " + std::to_string(s.signature_errors) + " rejected), " +
         Plural(s.correlation_rules, "valid correlation rule") + "\n";
  out += "findings: " + Counts(r.Count(Severity::kError), r.Count(Severity::kWarning), r.Count(Severity::kInfo));
  if (o.seconds >= 0) {
    char t[32];
    std::snprintf(t, sizeof(t), "%.2f", o.seconds);
    out += std::string(" (checked in ") + t + " s)";
  }
  out += "\n";
  const std::vector<CodeSummary> codes = SummarizeByCode(r, o.examples_per_code);
  for (const CodeSummary& c : codes) {
    const CodeInfo& info = GetCodeInfo(c.code);
    char head[160];
    std::snprintf(head, sizeof(head), "\n%-22.*s %-7.*s %7zu  ", static_cast<int>(info.name.size()), info.name.data(),
                  static_cast<int>(SeverityName(info.severity).size()), SeverityName(info.severity).data(), c.count);
    out += head;
    out += std::string(info.meaning) + "\n";
    const bool show_topics = !(c.topics.size() == 1 && c.topics.front().first.empty());
    if (show_topics) {
      for (size_t k = 0; k < c.topics.size() && k < o.topics_per_code; ++k) {
        char line[32];
        std::snprintf(line, sizeof(line), "    %7zu  ", c.topics[k].second);
        out += line + (c.topics[k].first.empty() ? std::string("(other)") : c.topics[k].first) + "\n";
      }
      if (c.topics.size() > o.topics_per_code) {
        out += "             ... " + Plural(c.topics.size() - o.topics_per_code, "more topic") + "\n";
      }
    }
    for (const Finding* f : c.examples) out += "      e.g. " + Location(*f) + ": " + f->message + "\n";
  }
  if (o.list && o.list_level > Severity::kInfo && r.Count(Severity::kInfo) > 0) {
    out += "\n(info findings are counted above but not listed; --level info lists them)\n";
  }
  out += r.has_errors() ? "result: FAIL (errors: the sensor will not load those rules)\n" : "result: OK (no errors)\n";
  return out;
}

std::string FormatJsonReport(const LintResult& r, const ReportOptions& o) {
  JsonWriterConfig cfg;
  cfg.initial_capacity = 1 << 16;
  JsonWriter w(cfg);
  w.BeginObject();
  w.KeyArray("findings");
  for (const Finding& f : r.findings) {
    if (!Listed(f, o)) continue;
    w.BeginObject();
    w.KeyString("file", f.file);
    w.KeyUint("line", f.line);
    w.KeyUint("column", f.column);
    w.KeyString("severity", SeverityName(f.severity()));
    w.KeyString("code", GetCodeInfo(f.code).name);
    w.KeyUint("gid", f.gid);
    w.KeyUint("sid", f.sid);
    w.KeyString("message", f.message);
    w.KeyString("topic", f.topic);
    w.EndObject();
  }
  w.EndArray();
  w.KeyObject("summary");
  const LintStats& s = r.stats;
  w.KeyUint("files", s.files);
  w.KeyUint("signature_rules", s.signature_rules);
  w.KeyUint("signature_loaded", s.signature_loaded);
  w.KeyUint("signature_skipped", s.signature_skipped);
  w.KeyUint("signature_errors", s.signature_errors);
  w.KeyUint("correlation_rules", s.correlation_rules);
  w.KeyUint("errors", r.Count(Severity::kError));
  w.KeyUint("warnings", r.Count(Severity::kWarning));
  w.KeyUint("info", r.Count(Severity::kInfo));
  if (o.seconds >= 0) w.KeyDouble("seconds", o.seconds);
  w.KeyArray("by_code");
  for (const CodeSummary& c : SummarizeByCode(r, 0)) {
    w.BeginObject();
    w.KeyString("code", GetCodeInfo(c.code).name);
    w.KeyString("severity", SeverityName(GetCodeInfo(c.code).severity));
    w.KeyUint("count", c.count);
    w.KeyArray("topics");
    for (const auto& [topic, n] : c.topics) {
      w.BeginObject();
      w.KeyString("topic", topic);
      w.KeyUint("count", n);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return std::string(w.view()) + "\n";
}

}  // namespace vigil::rules::lint
