#include "correlator/publish/bundle_publisher.h"

#include <vector>

#include "storage/iterator.h"

namespace vigil::correlator {
namespace {

enum PublishCounter : uint32_t { kSent, kSendErrors, kOrigins, kStoreErrors };
constexpr CounterDef kDefs[] = {
    {"publish.sent", "bundle control messages handed to the transport (one per origin and bundle)"},
    {"publish.send_errors", "bundle control messages the transport refused (pending limit, bad id)"},
    {"publish.origins", "origins that connected since start (each gets every current bundle)"},
    {"publish.store_errors", "accepted bundles that could not be stored for the next start"},
};
constexpr std::string_view kFamily = "publish.bundles";
constexpr size_t kMaxOrigins = 65536;  // as the receiver's own route table

}  // namespace

BundlePublisher::BundlePublisher(rules::BundleGate gate, CounterGroup group, CounterBlock* block,
                                 Logger* log)
    : gate_(std::move(gate)), group_(group), block_(block), log_(log) {
  gate_.Bind(block_);
}

Result<std::unique_ptr<BundlePublisher>> BundlePublisher::Create(rules::TrustedSigners trusted,
                                                                 CounterRegistry& registry,
                                                                 Logger* log, storage::Db* db) {
  if (log == nullptr) return Error(ErrorCode::kInvalidArgument, "publish: no logger");
  VIGIL_TRY(rules::BundleGate gate, rules::BundleGate::Create(std::move(trusted), registry));
  VIGIL_TRY(CounterGroup group, registry.Register(kDefs));
  CounterBlock* block = registry.NewBlock("publish");
  std::unique_ptr<BundlePublisher> p(new BundlePublisher(std::move(gate), group, block, log));
  if (db != nullptr) {
    VIGIL_TRY(p->family_, db->OpenFamily(kFamily));
    VIGIL_CHECK_OK(p->Restore(*db));
    p->db_ = db;  // set after Restore: restoring does not write the bundles back
  }
  return p;
}

Status BundlePublisher::Restore(storage::Db& db) {
  std::vector<std::string> stored;
  {
    storage::Iterator it = db.NewIterator(family_);
    for (it.SeekToFirst(); it.Valid(); it.Next()) stored.emplace_back(it.value());
    VIGIL_CHECK_OK(it.status());
  }
  size_t restored = 0;
  for (const std::string& bytes : stored) {
    // Verified again: the trusted keys may have changed since it was stored.
    restored += Offer(bytes, "the store (publish.bundles)") == rules::BundleVerdict::kAccepted;
  }
  if (!stored.empty()) log_->Notice("publish", "{} of {} stored bundle(s) restored", restored, stored.size());
  return Ok();
}

void BundlePublisher::SendLocked(const std::string& origin, const Latest& b) {
  if (!send_) return;
  auto r = send_(origin, b.message);
  if (r) {
    block_->Add(group_[kSent]);
    log_->Info("publish", "bundle {} v{} sent to {}", b.message.bundle_id, b.version, origin);
  } else {
    block_->Add(group_[kSendErrors]);
    log_->Warning("publish", "bundle {} v{} not sent to {}: {}", b.message.bundle_id, b.version,
                  origin, r.error().message);
  }
}

void BundlePublisher::SetSender(ControlSendFn send) {
  std::lock_guard lock(mu_);
  send_ = std::move(send);
  for (const std::string& o : origins_) {
    for (const auto& [name, b] : latest_) SendLocked(o, b);
  }
}

void BundlePublisher::OnHello(std::string_view origin) {
  std::lock_guard lock(mu_);
  auto it = origins_.find(origin);
  if (it == origins_.end()) {
    if (origins_.size() >= kMaxOrigins) return;
    it = origins_.emplace(origin).first;
    block_->Add(group_[kOrigins]);
    log_->Info("publish", "origin {} connected", origin);
  }
  for (const auto& [name, b] : latest_) SendLocked(*it, b);
}

rules::BundleVerdict BundlePublisher::Offer(std::string_view bytes, std::string_view source) {
  std::lock_guard lock(mu_);
  rules::Bundle b;
  rules::BundleError why;
  const rules::BundleVerdict v = gate_.Admit(bytes, &b, &why);
  if (v == rules::BundleVerdict::kRefused || v == rules::BundleVerdict::kStale) {
    log_->Warning("publish", "bundle from {} refused ({}): {}", source,
                  rules::BundleGate::VerdictName(v, why), why.detail);
    return v;
  }
  if (v == rules::BundleVerdict::kDuplicate) return v;
  Latest& l = latest_[b.name];
  l.version = b.version;
  l.message.kind = b.rules.empty() ? transport::ControlKind::kIndicatorList
                                   : transport::ControlKind::kRuleBundle;
  l.message.version = b.version;
  l.message.bundle_id = b.name;
  l.message.body.assign(bytes);
  log_->Notice("publish", "bundle {} v{} from {} accepted: sending to {} origin(s)", b.name,
               b.version, source, origins_.size());
  if (db_ != nullptr) {
    if (auto st = db_->Put(family_, b.name, bytes, storage::Durability::kSync); !st) {
      block_->Add(group_[kStoreErrors]);
      log_->Error("publish", "bundle {} v{} not stored for the next start: {}", b.name, b.version,
                  st.error().message);
    }
  }
  for (const std::string& o : origins_) SendLocked(o, l);
  return v;
}

size_t BundlePublisher::origins() const {
  std::lock_guard lock(mu_);
  return origins_.size();
}

size_t BundlePublisher::bundles() const {
  std::lock_guard lock(mu_);
  return latest_.size();
}

}  // namespace vigil::correlator
