// EventQuery: reads a correlator's store for analysts (`vigil query`): events of some classes in
// a time range, optionally only those whose indexed field has a value, in time order; the events
// behind a correlated alert; the most frequent values of a field.
//
//   QueryOptions q;  q.from_ns = t0;  q.to_ns = t1;  q.classes = {EventClass::kAlert};
//   q.where = IndexFilter{IndexField::kSrcIp, "10.0.0.1"};
//   VIGIL_CHECK_OK(RunQuery(db, layout, q, [](const QueryRow& r) { Print(r.json); return true; }));
//
// Without a filter the classes' families are merged by key (time) order; with one, each hour
// bucket's index entries for the value are read with one seek, their events ordered by primary
// key (time) and each fetched from its family. Index entries
// whose event retention already deleted are skipped (counted in QueryStats::dangling).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "correlator/store/store_layout.h"
#include "storage/db.h"

namespace vigil::correlator {

struct IndexFilter {
  IndexField field = IndexField::kSrcIp;
  std::string value;
};

struct QueryOptions {
  int64_t from_ns = std::numeric_limits<int64_t>::min();  // inclusive
  int64_t to_ns = std::numeric_limits<int64_t>::max();    // exclusive
  std::vector<EventClass> classes;                        // empty: every class
  std::optional<IndexFilter> where;
  size_t limit = 0;  // 0: no limit
};

struct QueryRow {
  EventClass cls = EventClass::kOther;
  int64_t ts_ns = 0;
  std::string_view key;   // valid during the visit call only
  std::string_view json;  // valid during the visit call only
};

struct QueryStats {
  uint64_t rows = 0;
  uint64_t index_entries = 0;  // index entries read (filtered queries)
  uint64_t dangling = 0;       // index entries whose event is gone
};

// Calls visit for each matching event in time order until it returns false or limit is reached.
[[nodiscard]] Result<QueryStats> RunQuery(const storage::Db& db, const StoreLayout& layout,
                                          const QueryOptions& q,
                                          const std::function<bool(const QueryRow&)>& visit);

// The stored correlated alert whose correlation.alert_id is alert_id (the newest one when several
// correlators' alerts share the id: restrict with origin), and the events it lists as
// contributing, looked up through index.event_id. Fails with kNotFound when no alert has the id.
struct AlertBehind {
  std::string alert_json;
  std::vector<std::pair<EventClass, std::string>> events;  // (class, stored JSON)
  std::vector<uint64_t> missing_ids;                       // listed, but no longer stored
  bool truncated = false;                                  // the alert listed only the first ids
};
[[nodiscard]] Result<AlertBehind> EventsBehind(const storage::Db& db, const StoreLayout& layout,
                                               uint64_t alert_id, std::string_view origin = {});

// Counts the values of a dotted field over events (JSON); Top(n) returns the n most frequent
// (ties by value). Events without the field (or with a non-scalar) are counted in missing().
class TopCounter {
 public:
  explicit TopCounter(std::string field);
  void Add(std::string_view json);
  std::vector<std::pair<std::string, uint64_t>> Top(size_t n) const;
  uint64_t missing() const { return missing_; }

 private:
  std::string field_;
  std::vector<std::pair<std::string, uint64_t>> counts_;  // unsorted; index_ finds entries
  std::unordered_map<std::string, size_t> index_;
  uint64_t missing_ = 0;
};

}  // namespace vigil::correlator
