// FlatEventSink: fills a FlatEvent from the fields the EventStoreWriter sends while it validates
// an event (EventFieldSink), so the pipeline's view of a received event comes from the ingest
// pass instead of a second parse of the stored JSON. The fields arrive in the order and under
// the paths FlatEvent::Parse would give the stored event, so both views are the same.
//
//   FlatEvent view;
//   FlatEventSink sink(view);
//   writer->SetFieldSink(&sink);   // each stored event: view holds it when the observer runs
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "correlator/engine/flat_event.h"
#include "correlator/ingest/event_store_writer.h"

namespace vigil::correlator {

class FlatEventSink final : public EventFieldSink {
 public:
  explicit FlatEventSink(FlatEvent& view) : view_(view) {}

  uint32_t max_depth() const override { return FlatEvent::kMaxJsonDepth; }
  void Begin() override { view_.Clear(); }
  void String(std::string_view path, std::string_view value) override { view_.Set(path, value); }
  void Number(std::string_view path, double value) override { view_.Set(path, value); }
  void Bool(std::string_view path, bool value) override { view_.SetBool(path, value); }
  void Null(std::string_view path) override { view_.SetNull(path); }
  void Envelope(std::string_view event_type, int64_t ts_ns) override {
    view_.SetType(event_type).SetTime(Timestamp{ts_ns});
  }

 private:
  FlatEvent& view_;
};

}  // namespace vigil::correlator
