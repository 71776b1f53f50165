// libFuzzer target for the synthesizer's flag parsers (the only outside input vigil-synth
// reads): ParseByteSize, ParseMix and ParseImpairments must never crash and must return values
// in range when they succeed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tools/synth/synth_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto b = vigil::synth::ParseByteSize(text); b && *b > 1'000'000'000'000'000ull) std::abort();
  (void)vigil::synth::ParseMix(text);
  if (auto i = vigil::synth::ParseImpairments(text)) {
    for (double p : {i->reorder, i->retransmit, i->overlap, i->fragment}) {
      if (!(p >= 0 && p <= 1)) std::abort();
    }
  }
  return 0;
}
