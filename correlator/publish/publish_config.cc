#include "correlator/publish/publish_config.h"

namespace vigil::correlator {

void DeclarePublishConfig(ConfigSchema& schema) {
  schema.List("intel.trusted-keys", {},
              "files of ed25519-public keys whose bundles are accepted and passed on (empty: off)")
      .String("publish.dir", "", "directory of signed *.bundle files sent to every connected origin")
      .Duration("publish.poll", "1s", "how often publish.dir is looked at for new or changed bundles");
}

Result<PublishConfig> PublishConfigFromConfig(const Config& config) {
  PublishConfig c;
  VIGIL_TRY(c.trusted_keys, config.GetList("intel.trusted-keys"));
  VIGIL_TRY(c.dir, config.GetString("publish.dir"));
  VIGIL_TRY(c.poll_ns, config.GetDurationNanos("publish.poll"));
  if (!c.enabled() && !c.dir.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "publish.dir is set but intel.trusted-keys is empty: bundles could not be verified");
  }
  if (c.poll_ns <= 0) return Error(ErrorCode::kInvalidArgument, "publish.poll must be > 0");
  return c;
}

Result<std::unique_ptr<Publishing>> Publishing::Prepare(const PublishConfig& config, Logger* log,
                                                        transport::ReceiverOptions& receiver,
                                                        transport::SenderOptions* upstream,
                                                        storage::Db* db) {
  if (!config.enabled()) return std::unique_ptr<Publishing>();
  auto trusted = rules::TrustedSigners::Load(config.trusted_keys);
  if (!trusted) return Error(trusted.error().code, "intel.trusted-keys: " + trusted.error().message);
  std::unique_ptr<Publishing> p(new Publishing());
  p->config_ = config;
  p->log_ = log;
  VIGIL_TRY(p->publisher_, BundlePublisher::Create(std::move(*trusted), p->counters_, log, db));
  BundlePublisher* pub = p->publisher_.get();
  receiver.on_hello = [pub](std::string_view origin) { pub->OnHello(origin); };
  if (upstream != nullptr) {
    // Refused bundles are acknowledged too (counted and logged here): resending cannot fix them.
    upstream->on_control = [pub](const transport::ControlMessageView& m) -> Status {
      pub->Offer(m.body, "upstream");
      return Ok();
    };
  }
  return p;
}

Status Publishing::Start(transport::Receiver& rx) {
  publisher_->SetSender([r = &rx](std::string_view origin, const transport::ControlMessage& m) {
    return r->SendControl(origin, m);
  });
  if (!config_.dir.empty()) {
    VIGIL_TRY(watcher_, PublishDirWatcher::Start(config_.dir, config_.poll_ns, *publisher_, log_));
    log_->Notice("publish", "publishing bundles from {} (every {} ms)", config_.dir,
                 config_.poll_ns / 1'000'000);
  }
  return Ok();
}

void Publishing::Stop() {
  watcher_.reset();
  publisher_->SetSender(nullptr);
}

}  // namespace vigil::correlator
