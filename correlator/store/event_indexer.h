// EventIndexer: adds the index entries and the event-id mapping of one stored event to the
// write batch that stores the event (so an event and its index entries commit atomically).
//
//   EventIndexer ix(layout);
//   VIGIL_CHECK_OK(ix.MapId(stored, event_id, wb));                 // index.event_id (run)
//   VIGIL_CHECK_OK(ix.Add(stored, view, wb));                       // src_ip, dest_ip, ...
//   VIGIL_CHECK_OK(ix.AddValue(IndexField::kGroupKey, "src_ip=10.0.0.1", stored, wb));
//   VIGIL_CHECK_OK(ix.Flush(wb));   // before wb is written: the run of its ids, the postings
//
// Indexed: src_ip, dest_ip, alert.signature_id, community_id (when present as a scalar and at
// most kMaxIndexValueBytes long). Numbers are indexed by their canonical text ("2100498").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "correlator/store/event_id_map.h"
#include "correlator/store/index_postings.h"
#include "correlator/store/store_layout.h"
#include "rules/correlation/event_view.h"
#include "storage/write_batch.h"

namespace vigil::correlator {

class EventIndexer {
 public:
  explicit EventIndexer(const StoreLayout& layout);

  // Index postings for the indexed fields the event has (index_postings.h: collected per batch,
  // put into wb when an event of another batch comes or by Flush).
  Status Add(const StoredEvent& event, const EventView& view, storage::WriteBatch& wb);
  // Maps event_id to [class][primary key] in index.event_id: every stored event has one, in
  // arrival order (the correlator replays events after its last checkpoint from it). Ids are
  // collected into runs (event_id_map.h); a run is put into wb when the next id does not
  // continue it, or by Flush, which the caller must call before wb is written.
  Status MapId(const StoredEvent& event, uint64_t event_id, storage::WriteBatch& wb);
  // Puts the pending id run and index postings (if any) into wb.
  Status Flush(storage::WriteBatch& wb);
  // Drops them (their batch failed and will not be written).
  void Discard();
  // A posting of `field` with an explicit value (group keys of correlated alerts).
  Status AddValue(IndexField field, std::string_view value, const StoredEvent& event, storage::WriteBatch& wb);

 private:
  const StoreLayout& layout_;
  FieldPath paths_[4];
  std::string key_;  // reused
  std::string value_;  // reused
  EventIdRunBuilder run_;
  IndexPostingsBuilder postings_;

  Status FlushIds(storage::WriteBatch& wb);
};

}  // namespace vigil::correlator
