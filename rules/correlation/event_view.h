// EventView: the read-only view of one event that correlation rules are evaluated against.
//
// Rules address event fields by dotted paths into the EVE JSON ("alert.signature_id",
// "dns.rrname", "src_ip"). A FieldPath is split and hashed once, when the rule is compiled, so
// looking a field up on the hot path costs no parsing and no allocation. The correlator's ingest
// layer implements EventView over its simdjson document; correlator/engine/flat_event.h is a
// simple implementation for tests, benchmarks and the engine's own correlation events.
//
//   class MyEvent : public EventView {
//     FieldValue Get(const FieldPath& p) const override { ... look p.segments() up ... }
//     ...
//   };
//   FieldValue v = ev.Get(path);
//   if (v.is_string()) Use(v.str);
//
// Values returned by Get() are views into the event: valid while the event is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace vigil {

// A dotted field path, pre-split and hashed. Segments are the parts between dots; a path never
// has empty segments (the parser rejects "a..b").
class FieldPath {
 public:
  FieldPath() = default;
  explicit FieldPath(std::string text);

  const std::string& text() const { return text_; }
  const std::vector<std::string>& segments() const { return segments_; }
  // FNV-1a of text(): implementations may key their field tables by it (see FlatEvent).
  uint64_t hash() const { return hash_; }
  bool empty() const { return text_.empty(); }

  static uint64_t Hash(std::string_view text);
  // True when text is a usable path: non-empty, no empty segment, printable ASCII, <= 256 bytes.
  static bool Valid(std::string_view text);

  friend bool operator==(const FieldPath& a, const FieldPath& b) { return a.text_ == b.text_; }

 private:
  std::string text_;
  std::vector<std::string> segments_;
  uint64_t hash_ = 0;
};

// One field's value as seen through an EventView. Objects and arrays are reported as kOther:
// rules match scalar fields only.
struct FieldValue {
  enum class Kind : uint8_t { kMissing, kNull, kBool, kNumber, kString, kOther };
  Kind kind = Kind::kMissing;
  double num = 0;         // kNumber; kBool as 0/1
  std::string_view str;   // kString

  static FieldValue Missing() { return {}; }
  static FieldValue Null() { return {Kind::kNull, 0, {}}; }
  static FieldValue Bool(bool b) { return {Kind::kBool, b ? 1.0 : 0.0, {}}; }
  static FieldValue Number(double d) { return {Kind::kNumber, d, {}}; }
  static FieldValue String(std::string_view s) { return {Kind::kString, 0, s}; }

  bool missing() const { return kind == Kind::kMissing; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_number() const { return kind == Kind::kNumber; }
};

class EventView {
 public:
  virtual ~EventView() = default;
  // EVE "event_type": "alert", "flow", "dns", "http", "tls", "anomaly", "correlation", ...
  virtual std::string_view event_type() const = 0;
  // Event time (EVE "timestamp"): every window and timer in the correlator runs on it.
  virtual Timestamp timestamp() const = 0;
  // An identifier of the event assigned by the ingest layer (e.g. its storage sequence number);
  // correlated alerts list the ids of the events that contributed to them.
  virtual uint64_t id() const = 0;
  virtual FieldValue Get(const FieldPath& path) const = 0;

  // Conveniences over Get().
  std::string_view GetString(const FieldPath& p) const {
    FieldValue v = Get(p);
    return v.is_string() ? v.str : std::string_view();
  }
  bool GetNumber(const FieldPath& p, double* out) const {
    FieldValue v = Get(p);
    if (!v.is_number()) return false;
    *out = v.num;
    return true;
  }
};

// Writes the canonical text of a number field: integers without a fraction ("443"), others in
// the shortest round-trip form. Used where a rule compares a number with a string, and for keys.
std::string_view FormatNumber(double d, char (&buf)[32]);

}  // namespace vigil
