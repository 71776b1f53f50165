// FlatEvent: a simple EventView that holds its fields as a flat list of (dotted path, value).
//
// Used by tests and benchmarks, and by the engine itself for the correlation events it feeds
// back into its rules (chaining). Lookups compare the path's precomputed hash over a short
// vector, which for EVE-sized events (tens of fields) is faster than a hash map. The ingest
// layer implements EventView over simdjson directly and does not need this.
//
//   FlatEvent ev;
//   ev.SetType("flow").SetTime(Timestamp::FromSeconds(100)).SetId(7)
//     .Set("src_ip", "10.0.0.1").Set("dest_port", 443.0);
//   VIGIL_TRY(FlatEvent parsed, FlatEvent::FromJson(line, /*id=*/8));
#pragma once

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

  FlatEvent& SetType(std::string type) { type_ = std::move(type); return *this; }
  FlatEvent& SetTime(Timestamp t) { time_ = t; return *this; }
  FlatEvent& SetId(uint64_t id) { id_ = id; return *this; }
  FlatEvent& Set(std::string_view path, std::string_view value);
  FlatEvent& Set(std::string_view path, const char* value) { return Set(path, std::string_view(value)); }
  FlatEvent& Set(std::string_view path, double value);
  FlatEvent& SetBool(std::string_view path, bool value);
  FlatEvent& SetNull(std::string_view path);

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

  size_t field_count() const { return fields_.size(); }

 private:
  struct Field {
    uint64_t hash;
    std::string path;
    FieldValue::Kind kind;
    double num;
    std::string str;
  };
  FlatEvent& Put(std::string_view path, FieldValue::Kind kind, double num, std::string_view str);

  std::string type_;
  Timestamp time_;
  uint64_t id_ = 0;
  std::vector<Field> fields_;
};

}  // namespace vigil
