// FlatEvent: a simple EventView that holds its fields as a flat list of (dotted path, value).
//
// The correlator pipeline's view of every received event (filled by the ingest's validation
// pass through correlator/tier/flat_event_sink.h, or parsed from the stored JSON on replay), the
// engine's own correlation events it feeds back into its rules (chaining), tests and benchmarks.
// Lookups go through a small open-addressing index keyed by the path's precomputed hash; field
// buffers are kept across events, so a reused FlatEvent allocates nothing in steady state.
//
//   FlatEvent ev;
//   ev.SetType("flow").SetTime(Timestamp::FromSeconds(100)).SetId(7)
//     .Set("src_ip", "10.0.0.1").Set("dest_port", 443.0);
//   VIGIL_TRY(FlatEvent parsed, FlatEvent::FromJson(line, /*id=*/8));
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "rules/correlation/event_view.h"

namespace vigil {

class FlatEvent final : public EventView {
 public:
  // Nesting deeper than this in FromJson is an error (EVE nests 4 levels).
  static constexpr int kMaxJsonDepth = 32;

  // Assigns in place: a reused view keeps its buffer (no allocation per event).
  FlatEvent& SetType(std::string_view type) {
    type_.assign(type);
    return *this;
  }
  FlatEvent& SetTime(Timestamp t) { time_ = t; return *this; }
  FlatEvent& SetId(uint64_t id) { id_ = id; return *this; }
  FlatEvent& Set(std::string_view path, std::string_view value);
  FlatEvent& Set(std::string_view path, const char* value) { return Set(path, std::string_view(value)); }
  FlatEvent& Set(std::string_view path, double value);
  FlatEvent& SetBool(std::string_view path, bool value);
  FlatEvent& SetNull(std::string_view path);
  // Drops every field, the type, time and id (keeps the buffers for reuse).
  FlatEvent& Clear();

  // Parses one EVE JSON object: nested objects become dotted paths, arrays are kept as
  // FieldValue::kOther, "event_type" and "timestamp" fill the envelope.
  static Result<FlatEvent> FromJson(std::string_view json, uint64_t id);
  // The same into this event (its previous fields dropped), with a caller-owned parser reused
  // across events: what a hot loop should use (FromJson allocates a parser per call).
  Status Parse(std::string_view json, uint64_t id, simdjson::dom::parser& parser);

  std::string_view event_type() const override { return type_; }
  Timestamp timestamp() const override { return time_; }
  uint64_t id() const override { return id_; }
  FieldValue Get(const FieldPath& path) const override;

  size_t field_count() const { return used_; }
  // Same type, time, id and fields (paths, kinds and values) in the same order.
  friend bool operator==(const FlatEvent& a, const FlatEvent& b);

 private:
  struct Field {
    uint64_t hash;
    std::string path;
    FieldValue::Kind kind;
    double num;
    std::string str;
  };
  FlatEvent& Put(std::string_view path, FieldValue::Kind kind, double num, std::string_view str);
  // Index of the field with this path in fields_[0, used_), or kNotFound.
  size_t Find(uint64_t hash, std::string_view path) const;
  static size_t Slot(uint64_t hash) { return (hash ^ (hash >> 29)) & (kSlots - 1); }

  static constexpr size_t kNotFound = ~size_t{0};
  // An open-addressing index over the first kIndexedFields fields (load at most 3/4): rules
  // look up several fields per event, and a scan compares every field's hash. Larger events
  // fall back to the scan.
  static constexpr size_t kSlots = 64;
  static constexpr size_t kIndexedFields = 48;

  std::string type_;
  Timestamp time_;
  uint64_t id_ = 0;
  // fields_[0, used_) are the event's; the rest keep their string buffers for the next Parse,
  // so re-parsing into the same FlatEvent allocates nothing once it has seen a large event.
  std::vector<Field> fields_;
  size_t used_ = 0;
  std::array<uint8_t, kSlots> slots_{};  // 0: empty, else index in fields_ + 1
};

}  // namespace vigil
