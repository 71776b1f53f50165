#include "correlator/store/event_indexer.h"

#include "storage/key_codec.h"

namespace vigil::correlator {

EventIndexer::EventIndexer(const StoreLayout& layout)
    : layout_(layout),
      paths_{FieldPath("src_ip"), FieldPath("dest_ip"), FieldPath("alert.signature_id"),
             FieldPath("community_id")},
      postings_(layout) {}

Status EventIndexer::AddValue(IndexField field, std::string_view value, const StoredEvent& event,
                              storage::WriteBatch& wb) {
  if (value.empty() || value.size() > kMaxIndexValueBytes) return Ok();
  return postings_.Add(field, value, event.cls, event.key, wb);
}

Status EventIndexer::Add(const StoredEvent& event, const EventView& view, storage::WriteBatch& wb) {
  static_assert(kIndexFieldCount == 5, "the first four fields are read from the event");
  for (size_t i = 0; i < 4; ++i) {
    const FieldValue v = view.Get(paths_[i]);
    if (v.is_string()) {
      VIGIL_CHECK_OK(AddValue(static_cast<IndexField>(i), v.str, event, wb));
    } else if (v.is_number()) {
      char buf[32];
      VIGIL_CHECK_OK(AddValue(static_cast<IndexField>(i), FormatNumber(v.num, buf), event, wb));
    }
  }
  return Ok();
}

Status EventIndexer::MapId(const StoredEvent& event, uint64_t event_id, storage::WriteBatch& wb) {
  if (run_.Add(event_id, event.cls, event.key)) return Ok();
  VIGIL_CHECK_OK(FlushIds(wb));
  if (!run_.Add(event_id, event.cls, event.key)) {
    return Error(ErrorCode::kInvalidArgument, "event id map: primary key too short or too long");
  }
  return Ok();
}

Status EventIndexer::Flush(storage::WriteBatch& wb) {
  VIGIL_CHECK_OK(FlushIds(wb));
  return postings_.Flush(wb);
}

void EventIndexer::Discard() {
  run_.Clear();
  postings_.Discard();
}

Status EventIndexer::FlushIds(storage::WriteBatch& wb) {
  if (run_.empty()) return Ok();
  run_.Encode(&key_, &value_);
  run_.Clear();
  return wb.Put(layout_.event_ids, key_, value_);
}

}  // namespace vigil::correlator
