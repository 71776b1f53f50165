#include "rules/bundle/bundle_gate.h"

#include <fmt/format.h>

namespace vigil::rules {
namespace {

// Index = BundleRefusal value for the refusals, then the other outcomes.
enum GateCounter : uint32_t {
  kRefusedMalformed, kRefusedUnsigned, kRefusedUntrusted, kRefusedBadSignature, kRefusedTooLarge,
  kRefusedStale, kAcceptedCount, kDuplicateCount,
};
constexpr CounterDef kDefs[] = {
    {"intel.bundles.refused.malformed", "bundles refused: not a well-formed bundle"},
    {"intel.bundles.refused.unsigned", "bundles refused: no signature"},
    {"intel.bundles.refused.untrusted_signer", "bundles refused: signed by a key not in intel.trusted-keys"},
    {"intel.bundles.refused.bad_signature", "bundles refused: signature does not match (tampered)"},
    {"intel.bundles.refused.too_large", "bundles refused: larger than 64 MiB"},
    {"intel.bundles.refused.stale", "bundles refused: older version than the one in use"},
    {"intel.bundles.accepted", "bundles verified and accepted (new name or newer version)"},
    {"intel.bundles.duplicate", "bundles received again with the version in use (ignored)"},
};

}  // namespace

Result<BundleGate> BundleGate::Create(TrustedSigners trusted, CounterRegistry& registry) {
  if (trusted.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no trusted bundle signer keys (intel.trusted-keys)");
  }
  VIGIL_TRY(CounterGroup g, registry.Register(kDefs));
  return BundleGate(std::move(trusted), g);
}

void BundleGate::Count(uint32_t index) {
  if (block_ != nullptr) block_->Add(group_[index]);
}

BundleVerdict BundleGate::Admit(std::string_view text, Bundle* b, BundleError* why) {
  if (!VerifyBundle(text, trusted_, b, why)) {
    Count(static_cast<uint32_t>(why->reason));
    return BundleVerdict::kRefused;
  }
  auto [it, inserted] = versions_.try_emplace(b->name, b->version);
  if (!inserted) {
    if (b->version == it->second) {
      Count(kDuplicateCount);
      return BundleVerdict::kDuplicate;
    }
    if (b->version < it->second) {
      Count(kRefusedStale);
      why->reason = BundleRefusal::kMalformed;
      why->detail = fmt::format("version {} is older than version {} in use", b->version, it->second);
      return BundleVerdict::kStale;
    }
    it->second = b->version;
  }
  Count(kAcceptedCount);
  return BundleVerdict::kAccepted;
}

void BundleGate::Remember(const std::string& name, uint64_t version) {
  uint64_t& v = versions_[name];
  if (version > v) v = version;
}

uint64_t BundleGate::CurrentVersion(const std::string& name) const {
  auto it = versions_.find(name);
  return it == versions_.end() ? 0 : it->second;
}

std::string_view BundleGate::VerdictName(BundleVerdict v, const BundleError& why) {
  switch (v) {
    case BundleVerdict::kAccepted: return "accepted";
    case BundleVerdict::kDuplicate: return "duplicate";
    case BundleVerdict::kStale: return "stale";
    case BundleVerdict::kRefused: return BundleRefusalName(why.reason);
  }
  return "?";
}

}  // namespace vigil::rules
