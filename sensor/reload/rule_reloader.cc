#include "sensor/reload/rule_reloader.h"

#include <chrono>

namespace vigil::sensor {

namespace {

// While retired contexts wait for the last worker to let go, the thread looks again this often.
constexpr auto kCollectEvery = std::chrono::milliseconds(100);

enum : uint32_t { kGeneration, kRules, kLoadedAt, kReloads, kFailures };
constexpr CounterDef kCounterDefs[] = {
    {"detect.ruleset.generation", "live rule set: 1 = loaded at start, +1 per successful reload"},
    {"detect.ruleset.rules", "rules compiled into the live rule set"},
    {"detect.ruleset.loaded_at", "when the live rule set went live (Unix seconds)"},
    {"detect.ruleset.reloads", "successful rule reloads (SIGHUP, bundles)"},
    {"detect.ruleset.reload_failures", "rule reloads that failed; the previous rules stayed live"},
};

}  // namespace

RuleReloader::RuleReloader(SensorConfig config, RuleSources sources,
                           std::shared_ptr<const InspectContext> initial,
                           RuleReloaderOptions options)
    : config_(std::move(config)),
      sources_(std::move(sources)),
      options_(std::move(options)),
      slot_(std::make_shared<InspectContextSlot>(initial)) {
  live_ = MakeRulesetInfo(*initial, {}, {}, {}, slot_->generation());
  if (auto ids = registry_.Register(kCounterDefs); ids) ids_ = *ids;  // fails only on a name clash
  block_ = registry_.NewBlock("reload");
  {
    std::lock_guard lock(mu_);
    UpdateCounters();
  }
  if (options_.log != nullptr) options_.log->Notice("rules", "{}", live_.Describe());
  thread_ = std::thread([this] { Loop(); });
}

RuleReloader::~RuleReloader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

WorkerPluginFactory RuleReloader::PluginFactory() const { return MakeInspectPluginFactory(slot_); }

Status RuleReloader::Request(RuleSource source) {
  {
    std::lock_guard lock(mu_);
    if (stop_) return Error(ErrorCode::kUnavailable, "rule reloader is shutting down");
    if (source.kind == RuleSource::Kind::kBundle) {
      want_bundle_ = Bundle{std::move(source.rules), std::move(source.bundle_id),
                            std::move(source.version)};
    } else {
      want_files_ = true;
    }
  }
  cv_.notify_all();
  return Ok();
}

Result<RulesetInfo> RuleReloader::ReloadNow(const RuleSource& source) {
  std::optional<Bundle> bundle;
  if (source.kind == RuleSource::Kind::kBundle) {
    bundle = Bundle{source.rules, source.bundle_id, source.version};
  }
  auto r = Build(std::move(bundle));
  Report(r);
  return r;
}

Result<RulesetInfo> RuleReloader::Build(std::optional<Bundle> incoming) {
  std::lock_guard build(build_mu_);
  // Files only: the live bundle stays (read under build_mu_, so a bundle that went live
  // meanwhile is not undone).
  const std::optional<Bundle>& bundle = incoming ? incoming : bundle_;
  RuleSources sources = sources_;
  if (bundle) sources.texts.push_back({"bundle " + bundle->id + " " + bundle->version, bundle->rules});
  auto ctx = LoadInspectContext(config_, sources);
  if (!ctx) {
    std::lock_guard lock(mu_);
    ++failures_;
    UpdateCounters();
    return std::move(ctx).error();
  }
  RulesetInfo info = bundle ? MakeRulesetInfo(**ctx, bundle->rules, bundle->version, bundle->id, 0)
                            : MakeRulesetInfo(**ctx, {}, {}, {}, 0);
  if (incoming) bundle_ = std::move(incoming);
  {
    // Publish and record under one lock, so Live() never names rules that are not the slot's.
    std::lock_guard lock(mu_);
    info.generation = slot_->Publish(std::move(*ctx));
    info.loaded_at = WallClock().Now();
    live_ = info;
    ++reloads_;
    UpdateCounters();
  }
  cv_.notify_all();  // the thread collects the old context once workers let go
  return info;
}

void RuleReloader::Report(const Result<RulesetInfo>& r) {
  if (options_.log != nullptr) {
    if (r) {
      options_.log->Notice("rules", "{}", r->Describe());
    } else {
      options_.log->Warning("rules", "reload failed, generation {} stays live: {}",
                            Live().generation, r.error().message);
    }
  }
  if (options_.on_reload) options_.on_reload(r);
}

void RuleReloader::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    const bool work = want_files_ || want_bundle_.has_value();
    if (stop_) break;
    if (!work) {
      if (slot_->retired() > 0) {
        cv_.wait_for(lock, kCollectEvery);
        lock.unlock();
        slot_->Collect();
        lock.lock();
      } else {
        cv_.wait(lock);
      }
      continue;
    }
    std::optional<Bundle> want = std::move(want_bundle_);
    want_bundle_.reset();
    want_files_ = false;
    building_ = true;
    lock.unlock();
    // The outcome is logged and handed to on_reload by ReloadNow.
    (void)ReloadNow(want ? RuleSource::Bundle(std::move(want->rules), std::move(want->id),
                                              std::move(want->version))
                         : RuleSource::Files());
    slot_->Collect();
    lock.lock();
    building_ = false;
    cv_.notify_all();
  }
}

RulesetInfo RuleReloader::Live() const {
  std::lock_guard lock(mu_);
  return live_;
}

uint64_t RuleReloader::reloads() const {
  std::lock_guard lock(mu_);
  return reloads_;
}

uint64_t RuleReloader::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

uint64_t RuleReloader::pending() const {
  std::lock_guard lock(mu_);
  return (want_files_ || want_bundle_ ? 1 : 0) + (building_ ? 1 : 0);
}

void RuleReloader::UpdateCounters() {
  if (ids_.size() != std::size(kCounterDefs)) return;
  block_->Set(ids_[kGeneration], live_.generation);
  block_->Set(ids_[kRules], live_.rules);
  block_->Set(ids_[kLoadedAt], static_cast<uint64_t>(live_.loaded_at.seconds()));
  block_->Set(ids_[kReloads], reloads_);
  block_->Set(ids_[kFailures], failures_);
}

std::vector<std::pair<std::string, std::string>> RuleReloader::StatsTexts() const {
  std::lock_guard lock(mu_);
  return {{"detect.ruleset.sha256", live_.hash},
          {"detect.ruleset.version", live_.version},
          {"detect.ruleset.bundle_id", live_.bundle_id}};
}

}  // namespace vigil::sensor
