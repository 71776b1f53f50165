// `vigil query --store DIR [--from T] [--to T] [--class C]... [--where FIELD=VALUE] [--json]
//               [--top FIELD [N]] [--limit N] [--behind ALERT_ID]`
//   reads a correlator's store (read-only: works while the correlator runs, seeing the data as
//   of the start of the query). Lists events in time order as a table or as JSON lines, counts
//   the most frequent values of a field, or shows a correlated alert with the events behind it.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "core/time.h"
#include "correlator/engine/flat_event.h"
#include "correlator/query/event_query.h"
#include "storage/db.h"
#include "tools/vigil/commands.h"

namespace vigil::cli {
namespace {

struct QueryArgs {
  std::string store;
  std::string from, to;
  std::vector<std::string> classes;
  std::string where;
  bool json = false;
  std::vector<std::string> top;
  size_t limit = 0;
  bool limit_set = false;
  int64_t behind = -1;
};

// RFC 3339 ("2024-01-01T12:00:00Z") or integer seconds since the epoch.
Result<int64_t> ParseTime(const std::string& s, const char* what) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 12) {
    return static_cast<int64_t>(std::stoll(s)) * kNanosPerSecond;
  }
  auto t = Timestamp::Parse(s);
  if (!t) {
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " '" + s +
                                                  "': not an RFC 3339 time (2024-01-01T12:00:00Z) or epoch seconds");
  }
  return t->ns;
}

Result<correlator::EventClass> ParseClass(const std::string& given) {
  std::string name = given;
  if (name == "correlated" || name == "correlations") name = "correlation";
  else if (name == "anomalies") name = "anomaly";
  else if (name.size() > 1 && name.back() == 's' && name != "dns" && name != "tls" && name != "stats") name.pop_back();
  correlator::EventClass c;
  if (!correlator::ParseEventClass(name, &c)) {
    return Error(ErrorCode::kInvalidArgument,
                 "unknown --class '" + given +
                     "' (alerts, flows, dns, http, tls, anomalies, stats, correlated, other)");
  }
  return c;
}

// One table line: time, class, src -> dest, and the most telling field of the class.
std::string TableLine(const correlator::QueryRow& r) {
  auto ev = FlatEvent::FromJson(r.json, 0);
  auto get = [&ev](const char* path) -> std::string {
    if (!ev) return "";
    FieldValue v = ev->Get(FieldPath(path));
    if (v.is_string()) return std::string(v.str);
    if (v.is_number()) {
      char buf[32];
      return std::string(FormatNumber(v.num, buf));
    }
    return "";
  };
  std::string what;
  for (const char* p : {"correlation.title", "alert.signature", "dns.rrname", "http.hostname", "tls.sni",
                        "anomaly.event", "proto"}) {
    what = get(p);
    if (!what.empty()) break;
  }
  std::string src = get("src_ip"), dst = get("dest_ip");
  const std::string sp = get("src_port"), dp = get("dest_port");
  if (!sp.empty()) src += ":" + sp;
  if (!dp.empty()) dst += ":" + dp;
  char line[512];
  std::snprintf(line, sizeof line, "%-32s %-11s %-22s %-22s %s", Timestamp{r.ts_ns}.ToEve().c_str(),
                std::string(correlator::EventClassName(r.cls)).c_str(), src.c_str(), dst.c_str(), what.c_str());
  return line;
}

int Run(const QueryArgs& a) {
  auto fail = [](const std::string& msg) {
    std::fprintf(stderr, "vigil query: %s\n", msg.c_str());
    return 1;
  };
  correlator::QueryOptions q;
  if (!a.from.empty()) {
    auto t = ParseTime(a.from, "--from");
    if (!t) return fail(t.error().message);
    q.from_ns = *t;
  }
  if (!a.to.empty()) {
    auto t = ParseTime(a.to, "--to");
    if (!t) return fail(t.error().message);
    q.to_ns = *t;
  }
  if (q.from_ns >= q.to_ns) return fail("--from must be before --to");
  for (const auto& list : a.classes) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      auto c = ParseClass(list.substr(start, comma - start));
      if (!c) return fail(c.error().message);
      q.classes.push_back(*c);
      start = comma + 1;
    }
  }
  if (!a.where.empty()) {
    const size_t eq = a.where.find('=');
    correlator::IndexFilter f;
    if (eq == std::string::npos || !correlator::ParseIndexField(a.where.substr(0, eq), &f.field)) {
      return fail("--where '" + a.where +
                  "': expected FIELD=VALUE with an indexed field (src_ip, dest_ip, signature_id, "
                  "community_id, group_key)");
    }
    f.value = a.where.substr(eq + 1);
    q.where = f;
  }
  size_t top_n = 10;
  if (a.top.size() == 2) {
    try {
      top_n = static_cast<size_t>(std::stoul(a.top[1]));
    } catch (...) {
      return fail("--top " + a.top[0] + " '" + a.top[1] + "': N must be a number");
    }
  }
  q.limit = a.limit_set ? a.limit : (a.top.empty() ? 100 : 0);

  storage::DbOptions o;
  o.path = a.store;
  o.create_if_missing = false;
  o.read_only = true;
  auto db = storage::Db::Open(o);
  if (!db) return fail("cannot open the store " + a.store + ": " + db.error().message);
  auto layout = correlator::StoreLayout::OpenExisting(**db);
  if (!layout) return fail(layout.error().message);

  if (a.behind >= 0) {
    auto b = correlator::EventsBehind(**db, *layout, static_cast<uint64_t>(a.behind));
    if (!b) return fail(b.error().message);
    if (a.json) {
      std::printf("%s\n", b->alert_json.c_str());
      for (const auto& [cls, json] : b->events) std::printf("%s\n", json.c_str());
    } else {
      std::printf("alert: %s\n%zu contributing events%s:\n", b->alert_json.c_str(), b->events.size(),
                  b->truncated ? " (the alert lists only the first ones)" : "");
      for (const auto& [cls, json] : b->events) {
        auto ev = FlatEvent::FromJson(json, 0);
        const int64_t ts = ev ? ev->timestamp().ns : 0;
        std::printf("%s\n", TableLine(correlator::QueryRow{cls, ts, {}, json}).c_str());
      }
    }
    if (!b->missing_ids.empty()) {
      std::fprintf(stderr, "vigil query: %zu contributing events are no longer stored (retention)\n",
                   b->missing_ids.size());
    }
    return 0;
  }

  std::unique_ptr<correlator::TopCounter> top;
  if (!a.top.empty()) top = std::make_unique<correlator::TopCounter>(a.top[0]);
  auto stats = correlator::RunQuery(**db, *layout, q, [&](const correlator::QueryRow& r) {
    if (top) top->Add(r.json);
    else if (a.json) std::printf("%.*s\n", static_cast<int>(r.json.size()), r.json.data());
    else std::printf("%s\n", TableLine(r).c_str());
    return true;
  });
  if (!stats) return fail(stats.error().message);
  if (top) {
    const auto rows = top->Top(top_n);
    if (a.json) {
      for (const auto& [v, n] : rows) {
        JsonWriter w;
        w.BeginObject();
        w.KeyString(a.top[0], v);
        w.Key("count");
        w.Uint(n);
        w.EndObject();
        std::printf("%s\n", w.str().c_str());
      }
    } else {
      for (const auto& [v, n] : rows) std::printf("%10llu  %s\n", static_cast<unsigned long long>(n), v.c_str());
      std::printf("(%llu events scanned, %llu without %s)\n", static_cast<unsigned long long>(stats->rows),
                  static_cast<unsigned long long>(top->missing()), a.top[0].c_str());
    }
  } else if (!a.json && stats->rows == q.limit && q.limit != 0) {
    std::fprintf(stderr, "vigil query: stopped at --limit %zu\n", q.limit);
  }
  return 0;
}

}  // namespace

void AddQueryCommand(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<QueryArgs>();
  CLI::App* cmd = app.add_subcommand("query", "query a correlator's event store");
  cmd->add_option("--store", a->store, "the correlator's RocksDB directory (storage.path)")->required();
  cmd->add_option("--from", a->from, "start time, inclusive (RFC 3339 or epoch seconds)");
  cmd->add_option("--to", a->to, "end time, exclusive (RFC 3339 or epoch seconds)");
  cmd->add_option("--class", a->classes,
                  "event classes, repeatable or comma-separated: alerts flows dns http tls anomalies "
                  "stats correlated other (default: all)");
  cmd->add_option("--where", a->where,
                  "FIELD=VALUE on an indexed field: src_ip, dest_ip, signature_id, community_id, group_key");
  cmd->add_flag("--json", a->json, "print stored events as JSON lines (default: a table)");
  cmd->add_flag("--table", [a](int64_t) { a->json = false; }, "print a table (the default)");
  cmd->add_option("--top", a->top, "FIELD [N]: the N (10) most frequent values of a dotted field")
      ->expected(1, 2);
  cmd->add_option_function<size_t>(
         "--limit", [a](size_t n) { a->limit = n; a->limit_set = true; },
         "stop after N events (default 100 when listing; all for --top)");
  cmd->add_option("--behind", a->behind, "ALERT_ID: a correlated alert and the events behind it");
  cmd->footer(
      "Examples:\n"
      "  vigil query --store /var/lib/vigil/correlator --class alerts --from 2024-05-01T00:00:00Z "
      "--to 2024-05-01T01:00:00Z\n"
      "  vigil query --store DB --where src_ip=198.51.100.7 --json\n"
      "  vigil query --store DB --class flows --top dest_port 20\n"
      "  vigil query --store DB --behind 42");
  cmd->callback([a, &result] { result.exit_code = Run(*a); });
}

}  // namespace vigil::cli
