#include "sensor/intel/intel_updater.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "rules/bundle/indicator.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;

enum UpdaterCounter : uint32_t { kIndicatorsLoaded, kIndicatorLineErrors, kRuleBundlesUnhandled };
constexpr CounterDef kDefs[] = {
    {"intel.indicators.loaded", "indicators applied from accepted bundles (all bundles so far)"},
    {"intel.indicators.bad_lines", "indicator lines skipped in accepted bundles (bad syntax)"},
    {"intel.rules.not_applied", "bundles whose rules were received but not applied (no rule reload)"},
};

}  // namespace

IntelUpdater::IntelUpdater(IntelStore& store, rules::BundleGate gate, CounterGroup group, Logger* log)
    : store_(store), gate_(std::move(gate)), group_(group), log_(log) {}

Result<std::unique_ptr<IntelUpdater>> IntelUpdater::Create(IntelStore& store,
                                                           rules::TrustedSigners trusted,
                                                           Logger* log) {
  if (log == nullptr) return Error(ErrorCode::kInvalidArgument, "intel: no logger");
  VIGIL_TRY(rules::BundleGate gate, rules::BundleGate::Create(std::move(trusted), store.registry()));
  VIGIL_TRY(CounterGroup group, store.registry().Register(kDefs));
  std::unique_ptr<IntelUpdater> u(new IntelUpdater(store, std::move(gate), group, log));
  u->block_ = store.registry().NewBlock("intel-control");
  u->gate_.Bind(u->block_);
  u->thread_ = std::thread([p = u.get()] { p->Run(); });
  return u;
}

IntelUpdater::~IntelUpdater() {
  {
    std::lock_guard lock(qmu_);
    stop_ = true;
  }
  qcv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status IntelUpdater::OfferLater(std::string_view bytes, std::string_view source) {
  {
    std::lock_guard lock(qmu_);
    if (queue_.size() >= kMaxQueued) {
      return Error(ErrorCode::kLimit, "intel: bundle queue full");
    }
    queue_.push_back({std::string(bytes), std::string(source)});
  }
  qcv_.notify_all();
  return Ok();
}

void IntelUpdater::WaitIdle() {
  std::unique_lock lock(qmu_);
  qcv_.wait(lock, [this] { return (queue_.empty() && !busy_) || stop_; });
}

void IntelUpdater::Run() {
  std::unique_lock lock(qmu_);
  for (;;) {
    qcv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;  // what is still queued is sent again by the correlator on reconnect
    Queued q = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Offer(q.bytes, q.source);
    lock.lock();
    busy_ = false;
    qcv_.notify_all();
  }
}

rules::BundleVerdict IntelUpdater::Offer(std::string_view bytes, std::string_view source) {
  std::lock_guard lock(mu_);
  rules::Bundle b;
  rules::BundleError why;
  const rules::BundleVerdict v = gate_.Admit(bytes, &b, &why);
  switch (v) {
    case rules::BundleVerdict::kRefused:
      log_->Warning("intel", "bundle from {} refused ({}): {}", source,
                    rules::BundleRefusalName(why.reason), why.detail);
      return v;
    case rules::BundleVerdict::kStale:
      log_->Warning("intel", "bundle {} from {} refused (stale): {}", b.name, source, why.detail);
      return v;
    case rules::BundleVerdict::kDuplicate:
      log_->Debug("intel", "bundle {} v{} from {} already in use", b.name, b.version, source);
      return v;
    case rules::BundleVerdict::kAccepted:
      break;
  }
  rules::IndicatorParse parse = rules::ParseIndicators(b.indicators);
  for (const rules::LineError& e : parse.errors) {
    log_->Warning("intel", "bundle {} v{}: indicator line {} skipped: {}", b.name, b.version,
                  e.line, e.reason);
  }
  block_->Add(group_[kIndicatorLineErrors], parse.errors.size());
  block_->Add(group_[kIndicatorsLoaded], parse.indicators.size());
  const size_t count = parse.indicators.size();
  store_.Apply(b.name, b.version, b.created, std::move(parse.indicators));
  log_->Notice("intel", "bundle {} v{} from {} applied: {} indicators, {} bytes of rules", b.name,
               b.version, source, count, b.rules.size());
  if (!b.rules.empty()) {
    if (on_rules_) {
      if (auto st = on_rules_(b); !st) {
        log_->Error("intel", "bundle {} v{}: rules not applied: {}", b.name, b.version,
                    st.error().message);
      }
    } else {
      block_->Add(group_[kRuleBundlesUnhandled]);
      log_->Warning("intel", "bundle {} v{}: rules received, rule reload not available", b.name,
                    b.version);
    }
  }
  return v;
}

Result<size_t> IntelUpdater::LoadDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error(ErrorCode::kNotFound, "intel.bundles: '" + dir + "' is not a directory");
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2) && it->path().extension() == ".bundle") files.push_back(it->path());
  }
  if (ec) return Error(ErrorCode::kIo, "intel.bundles: '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  size_t accepted = 0;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      log_->Warning("intel", "cannot read {}", f.string());
      continue;
    }
    if (Offer(bytes, f.string()) == rules::BundleVerdict::kAccepted) ++accepted;
  }
  return accepted;
}

}  // namespace vigil::sensor
