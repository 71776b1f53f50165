#include "sensor/intel/intel_store.h"

namespace vigil::sensor {
namespace {

constexpr CounterDef kMatchDefs[] = {
    {"intel.lookups", "indicator lookups (flow addresses, dns/http/tls names and hashes)"},
    {"intel.matches", "indicator matches (each raised an intel alert)"},
};

}  // namespace

IntelStore::IntelStore() {
  auto g = registry_.Register(kMatchDefs);
  if (g) matches_ = *g;  // cannot fail: a fresh registry and unique literal names
}

void IntelStore::Apply(const std::string& name, uint64_t version, const std::string& created,
                       std::vector<rules::Indicator> indicators) {
  std::lock_guard wlock(write_mu_);
  Held& h = bundles_[name];
  h.version = version;
  h.created = created;
  h.indicators = std::move(indicators);

  auto snap = std::make_shared<IntelSnapshot>();
  snap->bundles.reserve(bundles_.size());
  for (const auto& [n, b] : bundles_) {
    snap->set.Add(b.indicators, static_cast<uint32_t>(snap->bundles.size()));
    snap->bundles.push_back({n, b.version, b.created, b.indicators.size()});
  }
  std::lock_guard lock(mu_);
  snap->generation = generation_.load(std::memory_order_relaxed) + 1;
  current_ = std::move(snap);
  generation_.store(current_->generation, std::memory_order_release);
}

std::shared_ptr<const IntelSnapshot> IntelStore::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

void IntelView::Refresh() {
  snap_ = store_.Current();
  seen_ = snap_ ? snap_->generation : 0;
}

}  // namespace vigil::sensor
