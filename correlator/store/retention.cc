#include "correlator/store/retention.h"

#include <algorithm>
#include <limits>
#include <string>

#include "correlator/store/event_id_map.h"
#include "storage/key_codec.h"
#include "storage/range_delete.h"

namespace vigil::correlator {
namespace {

// The first run of the event-id map starting at or after `id`, and the time of its first event
// (found=false past the last one).
struct IdProbe {
  bool found = false;
  uint64_t id = 0;
  int64_t ts = 0;
};

IdProbe ProbeAtOrAfter(const storage::Db& db, storage::ColumnFamily cf, uint64_t id) {
  IdProbe p;
  auto it = db.NewIterator(cf);
  it.Seek(storage::U64Key(id));
  EventIdRun run;
  if (!it.Valid() || !run.Parse(it.key(), it.value())) return p;
  p.found = true;
  p.id = run.first();
  p.ts = run.Time(0);
  return p;
}

// Whether the run starting exactly at `first` ends with an event before cutoff.
bool LastEventBefore(const storage::Db& db, storage::ColumnFamily cf, uint64_t first, int64_t cutoff) {
  auto it = db.NewIterator(cf);
  it.Seek(storage::U64Key(first));
  EventIdRun run;
  return it.Valid() && run.Parse(it.key(), it.value()) && run.first() == first && run.Time(run.size() - 1) < cutoff;
}

// The smallest id such that the first run starting at or after it begins with an event at or
// after cutoff (or there is none), moved past the last run before it when that run is wholly
// expired: every run below the result is expired (whole runs are cut; a run that straddles
// the cutoff stays). Binary search: ids are roughly in time order.
uint64_t FirstIdNotBefore(const storage::Db& db, storage::ColumnFamily cf, int64_t cutoff) {
  auto first = ProbeAtOrAfter(db, cf, 0);
  if (!first.found || first.ts >= cutoff) return 0;
  auto it = db.NewIterator(cf);
  it.SeekToLast();
  if (!it.Valid() || it.key().size() != 8) return 0;
  uint64_t lo = first.id;                                     // predicate false
  uint64_t hi = storage::DecodeU64BE(it.key().data()) + 1;    // predicate true (nothing after)
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    const auto p = ProbeAtOrAfter(db, cf, mid);
    if (!p.found || p.ts >= cutoff) hi = mid;
    else lo = mid;
  }
  // The run starting at lo is the last to begin before the cutoff: cut it too when its last
  // event is expired as well, else keep it (it straddles the cutoff).
  if (!LastEventBefore(db, cf, lo, cutoff)) return lo;
  const auto next = ProbeAtOrAfter(db, cf, hi);
  return next.found ? next.id : hi;
}

}  // namespace

Result<RetentionReport> RunRetention(storage::Db& db, const StoreLayout& layout,
                                     const RetentionPolicy& policy, int64_t now_ns) {
  RetentionReport r;
  const std::string begin = TimeKey(std::numeric_limits<int64_t>::min());
  int64_t longest = 0;
  bool keep_forever = false;
  for (size_t i = 0; i < kEventClassCount; ++i) {
    const int64_t age = policy.max_age_ns[i];
    if (age <= 0) {
      keep_forever = true;
      continue;
    }
    longest = std::max(longest, age);
    VIGIL_CHECK_OK(storage::DeleteKeyRange(db, layout.events[i], begin, TimeKey(now_ns - age)));
    ++r.families_cut;
  }
  if (keep_forever || longest == 0) return r;  // some class keeps everything: indexes stay

  // Whole hour buckets that end before the cutoff.
  r.index_cutoff_ns = IndexBucket(now_ns - longest);
  for (size_t i = 0; i < kIndexFieldCount; ++i) {
    VIGIL_CHECK_OK(storage::DeleteKeyRange(db, layout.index[i], begin, TimeKey(r.index_cutoff_ns)));
    ++r.families_cut;
  }
  r.event_ids_cut_below = FirstIdNotBefore(db, layout.event_ids, now_ns - longest);
  if (r.event_ids_cut_below > 0) {
    VIGIL_CHECK_OK(storage::DeleteKeyRange(db, layout.event_ids, storage::U64Key(0),
                                           storage::U64Key(r.event_ids_cut_below)));
    ++r.families_cut;
  }
  return r;
}

}  // namespace vigil::correlator
