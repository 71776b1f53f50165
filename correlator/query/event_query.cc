#include "correlator/query/event_query.h"

#include <algorithm>

#include <simdjson.h>

#include "correlator/engine/flat_event.h"
#include "correlator/store/event_id_map.h"
#include "correlator/store/index_postings.h"
#include "storage/key_codec.h"

namespace vigil::correlator {
namespace {

std::vector<EventClass> ClassesOf(const QueryOptions& q) {
  if (!q.classes.empty()) return q.classes;
  std::vector<EventClass> all;
  for (size_t i = 0; i < kEventClassCount; ++i) all.push_back(static_cast<EventClass>(i));
  return all;
}

bool Wanted(const std::vector<EventClass>& classes, EventClass c) {
  return std::find(classes.begin(), classes.end(), c) != classes.end();
}

Result<QueryStats> ScanFamilies(const storage::Db& db, const StoreLayout& layout, const QueryOptions& q,
                                const std::function<bool(const QueryRow&)>& visit) {
  QueryStats st;
  struct Cursor {
    EventClass cls;
    storage::Iterator it;
  };
  std::vector<Cursor> cursors;
  for (EventClass c : ClassesOf(q)) {
    storage::IteratorBounds b{TimeKey(q.from_ns), TimeKey(q.to_ns)};
    Cursor cur{c, db.NewIterator(layout.family(c), std::move(b))};
    cur.it.SeekToFirst();
    cursors.push_back(std::move(cur));
  }
  // k-way merge by key (time first); k <= 9, a linear pick is as fast as a heap.
  for (;;) {
    Cursor* best = nullptr;
    for (auto& c : cursors) {
      if (c.it.Valid() && (!best || c.it.key() < best->it.key())) best = &c;
    }
    if (!best) break;
    const std::string_view key = best->it.key();
    const QueryRow row{best->cls, KeyTime(key),
                       key, best->it.value()};
    ++st.rows;
    if (!visit(row) || (q.limit != 0 && st.rows >= q.limit)) break;
    best->it.Next();
  }
  for (auto& c : cursors) VIGIL_CHECK_OK(c.it.status());
  return st;
}

Result<QueryStats> ScanIndex(const storage::Db& db, const StoreLayout& layout, const QueryOptions& q,
                             const std::function<bool(const QueryRow&)>& visit) {
  QueryStats st;
  const IndexFilter& w = *q.where;
  if (w.value.size() > kMaxIndexValueBytes) return st;  // never indexed
  const std::vector<EventClass> classes = ClassesOf(q);
  // Without bounds, the buckets actually present bound the walk.
  int64_t first = q.from_ns, last = q.to_ns;
  const storage::ColumnFamily cf = layout.family(w.field);
  {
    auto it = db.NewIterator(cf);
    it.SeekToFirst();
    if (!it.Valid()) return st;
    first = std::max(first, KeyTime(it.key()));
    it.SeekToLast();
    last = std::min(last, KeyTime(it.key()) +
                              kIndexBucketNs);
  }
  if (first >= last) return st;
  std::string prefix;
  // One bucket's matching events, ordered by primary key (time first) before they are read:
  // its entries are per batch, and batches overlap in time.
  struct Hit {
    EventClass cls;
    int64_t ts;
    std::string primary;
  };
  std::vector<Hit> hits;
  IndexPostings postings;
  EventLocation loc;
  for (int64_t bucket = IndexBucket(first); bucket < last; bucket += kIndexBucketNs) {
    prefix.clear();
    AppendIndexPrefix(&prefix, bucket, w.value);
    hits.clear();
    auto it = db.NewIterator(cf, {prefix, std::nullopt});
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      if (it.key().compare(0, prefix.size(), prefix) != 0) break;
      if (!postings.Parse(it.key(), it.value()) || postings.value() != w.value) continue;
      for (size_t i = 0; i < postings.size(); ++i) {
        ++st.index_entries;
        const int64_t ts = postings.Time(i);
        if (ts < q.from_ns || ts >= q.to_ns) continue;
        if (!postings.Get(i, &loc) || !Wanted(classes, loc.cls)) continue;
        hits.push_back(Hit{loc.cls, ts, loc.primary});
      }
    }
    VIGIL_CHECK_OK(it.status());
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.primary != b.primary ? a.primary < b.primary : a.cls < b.cls;
    });
    for (const Hit& h : hits) {
      VIGIL_TRY(auto value, db.Get(layout.family(h.cls), h.primary));
      if (!value) {
        ++st.dangling;
        continue;
      }
      ++st.rows;
      if (!visit(QueryRow{h.cls, h.ts, h.primary, *value}) || (q.limit != 0 && st.rows >= q.limit)) {
        return st;
      }
    }
    if (bucket > std::numeric_limits<int64_t>::max() - kIndexBucketNs) break;
  }
  return st;
}

}  // namespace

Result<QueryStats> RunQuery(const storage::Db& db, const StoreLayout& layout, const QueryOptions& q,
                            const std::function<bool(const QueryRow&)>& visit) {
  if (q.from_ns >= q.to_ns) return QueryStats{};
  if (q.where) return ScanIndex(db, layout, q, visit);
  return ScanFamilies(db, layout, q, visit);
}

Result<AlertBehind> EventsBehind(const storage::Db& db, const StoreLayout& layout, uint64_t alert_id,
                                 std::string_view origin) {
  simdjson::dom::parser parser;
  AlertBehind out;
  std::vector<uint64_t> ids;
  bool found = false;
  auto it = db.NewIterator(layout.family(EventClass::kCorrelation));
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    simdjson::dom::element root;
    if (parser.parse(it.value().data(), it.value().size()).get(root)) continue;
    uint64_t id = 0;
    if (root["correlation"]["alert_id"].get(id) || id != alert_id) continue;
    std::string_view o;
    if (!origin.empty() && (root["vigil_origin"].get(o) || o != origin)) continue;
    simdjson::dom::array list;
    std::vector<uint64_t> these;
    if (!root["correlation"]["event_ids"].get(list)) {
      for (auto v : list) {
        uint64_t e = 0;
        if (!v.get(e)) these.push_back(e);
      }
    }
    bool truncated = false;
    if (root["correlation"]["event_ids_truncated"].get(truncated)) truncated = false;
    out.alert_json.assign(it.value());
    out.truncated = truncated;
    ids = std::move(these);
    found = true;  // keep going: the newest (last in time order) wins
  }
  VIGIL_CHECK_OK(it.status());
  if (!found) {
    return Error(ErrorCode::kNotFound, "no correlated alert with alert_id " + std::to_string(alert_id));
  }
  for (uint64_t id : ids) {
    VIGIL_TRY(auto where, LookupEventId(db, layout.event_ids, id));
    if (!where) {
      out.missing_ids.push_back(id);
      continue;
    }
    const EventClass cls = where->cls;
    VIGIL_TRY(auto ev, db.Get(layout.family(cls), where->primary));
    if (!ev) {
      out.missing_ids.push_back(id);
      continue;
    }
    out.events.emplace_back(cls, std::move(*ev));
  }
  return out;
}

TopCounter::TopCounter(std::string field) : field_(std::move(field)) {}

void TopCounter::Add(std::string_view json) {
  auto ev = FlatEvent::FromJson(json, 0);
  FieldValue v = ev ? ev->Get(FieldPath(field_)) : FieldValue::Missing();
  std::string text;
  if (v.is_string()) {
    text.assign(v.str);
  } else if (v.is_number()) {
    char buf[32];
    text.assign(FormatNumber(v.num, buf));
  } else if (v.kind == FieldValue::Kind::kBool) {
    text = v.num != 0 ? "true" : "false";
  } else {
    ++missing_;
    return;
  }
  auto [pos, inserted] = index_.emplace(text, counts_.size());
  if (inserted) counts_.emplace_back(std::move(text), 0);
  ++counts_[pos->second].second;
}

std::vector<std::pair<std::string, uint64_t>> TopCounter::Top(size_t n) const {
  auto v = counts_;
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

}  // namespace vigil::correlator
