// Retention: drops events older than a per-class age, with their index entries and event-id
// mappings, by time range (storage::DeleteKeyRange: whole files dropped, then one range
// tombstone per family), never key by key. The correlator runs it on a timer
// (retention.interval); `vigil query` never does.
//
//   RetentionPolicy p;  p.max_age_ns[size_t(EventClass::kFlow)] = 7 * kNanosPerDay;
//   VIGIL_TRY(RetentionReport r, RunRetention(db, layout, p, now_ns));
//
// Index families are shared by every class, so they are cut at the longest retention of any
// class (an index entry whose event is gone is skipped by readers). Event ids are given in
// arrival order, which follows event time closely but not exactly: the id map is cut at the
// first id whose event is not yet expired (found by binary search), so a few mappings of late
// events can outlive their event by one interval.
#pragma once

#include <array>
#include <cstdint>

#include "core/result.h"
#include "correlator/store/store_layout.h"
#include "storage/db.h"

namespace vigil::correlator {

struct RetentionPolicy {
  // Per class: events older than now - max_age are deleted. 0 keeps the class for ever.
  std::array<int64_t, kEventClassCount> max_age_ns{};
};

struct RetentionReport {
  uint32_t families_cut = 0;  // families that got a range deletion
  int64_t index_cutoff_ns = 0;
  uint64_t event_ids_cut_below = 0;  // ids below this were unmapped
};

[[nodiscard]] Result<RetentionReport> RunRetention(storage::Db& db, const StoreLayout& layout,
                                                   const RetentionPolicy& policy, int64_t now_ns);

}  // namespace vigil::correlator
