// Publishing configuration of vigil-correlator and its wiring to the transport:
//   intel.trusted-keys  files of ed25519-public keys (vigil bundle keygen's .pub) whose bundles
//                       this correlator accepts and passes on. Empty: publishing off.
//   publish.dir         directory of signed *.bundle files sent to every connected origin
//                       (the national center; "" : none)
//   publish.poll        how often publish.dir is looked at (1s)
// A provincial correlator with forward: true and trusted keys relays the bundles its upstream
// sends (verified again) to its own origins.
//
//   DeclarePublishConfig(schema);
//   VIGIL_TRY(PublishConfig pc, PublishConfigFromConfig(cfg));
//   VIGIL_TRY(auto pub, Publishing::Prepare(pc, &log, rx_options, forward ? &tx_options : nullptr));
//   ... start the sender and the receiver ...
//   VIGIL_CHECK_OK(pub->Start(*receiver));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "correlator/publish/bundle_publisher.h"
#include "correlator/publish/publish_dir_watcher.h"
#include "transport/receiver.h"
#include "transport/sender.h"

namespace vigil::correlator {

struct PublishConfig {
  std::vector<std::string> trusted_keys;
  std::string dir;
  int64_t poll_ns = 1'000'000'000;
  bool enabled() const { return !trusted_keys.empty(); }
};

void DeclarePublishConfig(ConfigSchema& schema);
[[nodiscard]] Result<PublishConfig> PublishConfigFromConfig(const Config& config);

// The publisher with its counters and directory watcher, owned together.
class Publishing {
 public:
  // Null when publishing is off. Otherwise loads the keys, creates the publisher and hooks it
  // into the receiver's hellos and (when `upstream` is given) the upstream's control messages.
  // Both option structs must be used to start their endpoints after this call.
  // `db` (optional): accepted bundles are kept there for the next start.
  [[nodiscard]] static Result<std::unique_ptr<Publishing>> Prepare(const PublishConfig& config, Logger* log,
                                                                   transport::ReceiverOptions& receiver,
                                                                   transport::SenderOptions* upstream,
                                                                   storage::Db* db = nullptr);
  // Sends through `rx` from now on and starts watching publish.dir.
  [[nodiscard]] Status Start(transport::Receiver& rx);
  // Before the receiver goes away: stops the watcher and sends nothing more (bundles arriving
  // from upstream are still admitted and counted).
  void Stop();

  BundlePublisher& publisher() { return *publisher_; }
  const CounterRegistry& counters() const { return counters_; }

 private:
  PublishConfig config_;
  Logger* log_ = nullptr;
  CounterRegistry counters_;
  std::unique_ptr<BundlePublisher> publisher_;
  std::unique_ptr<PublishDirWatcher> watcher_;  // destroyed first (declared last)
};

}  // namespace vigil::correlator
