// BundleGate: the admission check every receiver of intelligence bundles runs (a sensor before
// it applies a bundle, a provincial correlator before it passes one on): signature against the
// trusted signers, then version against the newest already accepted for the same bundle name.
// Each outcome is counted under `intel.bundles.*` in the caller's CounterRegistry, so refusals
// show up in stats events and `vigil status`.
//
//   CounterRegistry reg;
//   VIGIL_TRY(BundleGate gate, BundleGate::Create(trusted, reg));   // before reg.NewBlock()
//   gate.Bind(reg.NewBlock("intel-control"));
//   Bundle b; BundleError why;
//   switch (gate.Admit(bytes, &b, &why)) { case BundleVerdict::kAccepted: apply(b); ... }
//
// Not thread-safe: one thread (the transport's control callback) admits bundles.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/counters.h"
#include "core/result.h"
#include "rules/bundle/bundle.h"

namespace vigil::rules {

enum class BundleVerdict : uint8_t {
  kAccepted,   // valid and newer than anything accepted under its name: apply it
  kDuplicate,  // valid, same name and version as the current one (a re-delivery): ignore
  kStale,      // valid but older than the current version: refused
  kRefused,    // failed verification (BundleError says why)
};

class BundleGate {
 public:
  // Registers the intel.bundles.* counters in `registry` (before any NewBlock()).
  [[nodiscard]] static Result<BundleGate> Create(TrustedSigners trusted, CounterRegistry& registry);

  // The block the admitting thread counts into (required before Admit).
  void Bind(CounterBlock* block) { block_ = block; }

  // Verifies `text`; on kAccepted the current version of its name becomes b->version. `why`
  // is filled for kRefused (and kStale, with reason kMalformed and a detail).
  BundleVerdict Admit(std::string_view text, Bundle* b, BundleError* why);

  // Seeds the version of a name without counting (bundles loaded from disk at start).
  void Remember(const std::string& name, uint64_t version);
  // Newest accepted version of a name (0: none).
  uint64_t CurrentVersion(const std::string& name) const;

  // "accepted", "duplicate", "stale" or the refusal reason name.
  static std::string_view VerdictName(BundleVerdict v, const BundleError& why);

 private:
  BundleGate(TrustedSigners trusted, CounterGroup group) : trusted_(std::move(trusted)), group_(group) {}
  void Count(uint32_t index);

  TrustedSigners trusted_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;
  std::map<std::string, uint64_t> versions_;
};

}  // namespace vigil::rules
