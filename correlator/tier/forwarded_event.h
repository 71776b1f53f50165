// Forwarding received events to the next tier, keeping where they came from.
//
// A provincial correlator forwards upward not only its own correlated alerts but also the
// events it received in the classes named by `forward-events` (default: alert, correlation), so
// the national center holds every sensor alert. The stored copy of a received event starts with
// the stamp the ingest writer put on it ({"vigil_origin":"<sensor>","vigil_province":"<p>",...});
// the next tier would reject those reserved names (they are its own stamp), so the forwarded
// copy renames them to "vigil_source" and "vigil_source_province". The national tier then
// stamps its own vigil_origin (the provincial correlator) in front:
//
//   {"vigil_origin":"north/correlator","vigil_province":"north",
//    "vigil_source":"north/sensor-1","vigil_source_province":"north","timestamp":...}
//
//   ForwardClasses f;  // alert + correlation
//   VIGIL_TRY(f, ParseForwardClasses({"alert", "correlation"}));
//   std::string out;
//   if (f.Has(EventClass::kAlert) && RestampForUpstream(stored_json, &out)) upstream(out);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "correlator/ingest/event_store_writer.h"

namespace vigil::correlator {

// A set of event classes (one bit per EventClass).
class ForwardClasses {
 public:
  // alert + correlation: every sensor alert and every correlated alert.
  static ForwardClasses Default();
  static ForwardClasses None() { return ForwardClasses(); }
  ForwardClasses& Add(EventClass c) {
    bits_ |= Bit(c);
    return *this;
  }
  bool Has(EventClass c) const { return (bits_ & Bit(c)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::string ToString() const;  // "alert,correlation"

 private:
  static uint32_t Bit(EventClass c) { return 1u << static_cast<uint32_t>(c); }
  uint32_t bits_ = 0;
};

// Class names as `vigil query --class` takes them ("alert", "alerts", "correlation",
// "correlated", "flow"...). An unknown name is an error naming it and the valid ones.
Result<ForwardClasses> ParseForwardClasses(const std::vector<std::string>& names);

// The stored JSON of a received event (stamped by EventStoreWriter) as the next tier must get
// it: the leading "vigil_origin"/"vigil_province" renamed to "vigil_source"/
// "vigil_source_province", the rest byte for byte. False when `stored` does not start with the
// stamp (never for what the writer stored). The caller refuses events that carry their own
// top-level "vigil_source" (a sender's claim: the copy would name two sources).
bool RestampForUpstream(std::string_view stored, std::string* out);

}  // namespace vigil::correlator
