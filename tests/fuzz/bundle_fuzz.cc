// Fuzzes the two parsers of bundles a sensor receives from upstream: the signed bundle envelope
// (VerifyBundle) and the indicator list inside it (ParseIndicators + IndicatorSet lookups).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/bundle/bundle.h"
#include "rules/bundle/indicator.h"
#include "rules/bundle/indicator_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const vigil::rules::TrustedSigners trusted = [] {
    vigil::rules::TrustedSigners t;
    t.Add(vigil::rules::SignerPublicKey{});
    return t;
  }();
  vigil::rules::Bundle b;
  vigil::rules::BundleError err;
  (void)vigil::rules::VerifyBundle(text, trusted, &b, &err);

  vigil::rules::IndicatorParse p = vigil::rules::ParseIndicators(text);
  vigil::rules::IndicatorSet set;
  set.Add(p.indicators, 0);
  for (const vigil::rules::Indicator& ind : p.indicators) {
    (void)set.MatchIp(ind.address);
    (void)set.MatchDomain(ind.value);
    (void)set.MatchExact(ind.type, ind.value);
  }
  return 0;
}
