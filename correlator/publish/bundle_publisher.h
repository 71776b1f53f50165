// BundlePublisher: a correlator's intelligence going down the hierarchy. It admits signed
// bundles (rules::BundleGate: signature against intel.trusted-keys, version against the newest
// of the same name), remembers the newest bundle per name, and sends it as a transport control
// message to every origin (sensor or provincial correlator) that has connected to this
// correlator's receiver — now, and again whenever an origin connects or reconnects (hello), so
// origins that come later get every current bundle too.
//
// Bundles come from the national center's publish.dir (PublishDirWatcher) or, on a provincial
// correlator, from its upstream Sender's control messages (the national center's bundles,
// verified again here and passed on to the province's sensors).
//
//   CounterRegistry reg;
//   VIGIL_TRY(auto pub, BundlePublisher::Create(trusted, reg, &log));
//   rx_options.on_hello = [p = pub.get()](std::string_view o) { p->OnHello(o); };
//   VIGIL_TRY(auto rx, Receiver::Start(db, rx_options, sink, &log));
//   pub->SetSender([r = rx.get()](std::string_view o, const ControlMessage& m) { return r->SendControl(o, m); });
//   pub->Offer(bundle_bytes, "publish.dir/x.bundle");
//
// Thread-safe: hellos (receiver thread), the directory watcher and the upstream control
// callback may call it at once. With a Db, every accepted bundle is also stored (column family
// publish.bundles, synced) and restored at the next start (verified again), so a restarted
// province serves its sensors the current bundles even while the national center is away.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "rules/bundle/bundle_gate.h"
#include "storage/db.h"
#include "transport/control_message.h"

namespace vigil::correlator {

using ControlSendFn =
    std::function<Result<uint64_t>(std::string_view origin, const transport::ControlMessage& m)>;

class BundlePublisher {
 public:
  // Registers intel.bundles.* and publish.* counters in `registry` (before its first NewBlock)
  // and takes a counter block from it. `db` (optional, must outlive the publisher): accepted
  // bundles are stored there and the stored ones are restored now.
  [[nodiscard]] static Result<std::unique_ptr<BundlePublisher>> Create(rules::TrustedSigners trusted,
                                                                       CounterRegistry& registry,
                                                                       Logger* log,
                                                                       storage::Db* db = nullptr);

  // Where control messages go (the receiver); until set, origins are only remembered. Setting it
  // sends every current bundle to every origin seen so far.
  void SetSender(ControlSendFn send);
  // An origin connected or reconnected: sends it every current bundle.
  void OnHello(std::string_view origin);
  // Admits a bundle; if accepted, it becomes the newest of its name and goes to every origin.
  rules::BundleVerdict Offer(std::string_view bytes, std::string_view source);

  size_t origins() const;
  size_t bundles() const;

 private:
  struct Latest {
    uint64_t version = 0;
    transport::ControlMessage message;
  };
  BundlePublisher(rules::BundleGate gate, CounterGroup group, CounterBlock* block, Logger* log);
  void SendLocked(const std::string& origin, const Latest& b);
  Status Restore(storage::Db& db);

  mutable std::mutex mu_;
  rules::BundleGate gate_;
  CounterGroup group_;
  CounterBlock* block_;  // written under mu_
  Logger* log_;
  ControlSendFn send_;
  storage::Db* db_ = nullptr;
  storage::ColumnFamily family_;  // publish.bundles: bundle name -> bundle bytes
  std::set<std::string, std::less<>> origins_;
  std::map<std::string, Latest> latest_;  // bundle name -> newest accepted
};

}  // namespace vigil::correlator
