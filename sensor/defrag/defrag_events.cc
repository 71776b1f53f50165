#include "sensor/defrag/defrag_events.h"

namespace vigil::sensor {

namespace {
constexpr std::string_view kNames[kDefragEventCount] = {
    "defrag.ipv4.fragment_overlap",        "defrag.ipv6.fragment_overlap",
    "defrag.ipv4.overlap_different_data",  "defrag.ipv6.overlap_different_data",
    "defrag.ipv4.fragment_too_large",      "defrag.ipv6.fragment_too_large",
    "defrag.ipv4.reassembly_too_large",    "defrag.ipv6.reassembly_too_large",
    "defrag.ipv4.fragment_invalid_length", "defrag.ipv6.fragment_invalid_length",
    "defrag.ipv4.fragment_beyond_end",     "defrag.ipv6.fragment_beyond_end",
    "defrag.ipv4.too_many_fragments",      "defrag.ipv6.too_many_fragments",
    "defrag.ipv4.invalid_header",          "defrag.ipv6.invalid_header",
};
}  // namespace

std::string_view DefragEventName(unsigned bit) {
  return bit < kDefragEventCount ? kNames[bit] : std::string_view();
}

}  // namespace vigil::sensor
