// IntelUpdater: the sensor's side of intelligence bundles. A bundle (bytes of the
// rules/bundle/bundle.h format) arrives in a transport control message or is read from
// intel.bundles at start; the updater admits it through a rules::BundleGate (signature against
// intel.trusted-keys, version against the one in use), logs and counts every refusal
// (intel.bundles.refused.<reason>), and applies what it accepts: the indicator list goes into
// the IntelStore (atomic swap; bad indicator lines skipped, counted and logged), the rules go to
// the rule-bundle handler when the sensor has one, otherwise they are logged as received.
//
//   IntelStore store;
//   VIGIL_TRY(auto up, IntelUpdater::Create(store, trusted, &log));
//   VIGIL_TRY(size_t n, up->LoadDirectory("/etc/vigil/intel"));     // *.bundle files
//   sender_options.on_control = [&](const ControlMessageView& m) {
//     return up->OfferLater(m.body, "upstream");      // refused bundles are acknowledged too
//   };
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "rules/bundle/bundle.h"
#include "rules/bundle/bundle_gate.h"
#include "sensor/intel/intel_store.h"

namespace vigil::sensor {

// Takes the rules of an accepted bundle (the hot-reload owner's API). Its error is logged.
using RuleBundleHandler = std::function<Status(const rules::Bundle& bundle)>;

class IntelUpdater {
 public:
  // Registers intel.bundles.* and intel.indicators.* in store.registry(): call before any
  // worker takes a counter block from it.
  [[nodiscard]] static Result<std::unique_ptr<IntelUpdater>> Create(IntelStore& store,
                                                                    rules::TrustedSigners trusted,
                                                                    Logger* log);
  // Set before the first Offer (StartIntel does); not thread-safe against Offer.
  void set_rule_handler(RuleBundleHandler h) { on_rules_ = std::move(h); }

  // Admits and applies one bundle. Thread-safe. `source` names where it came from in the log.
  rules::BundleVerdict Offer(std::string_view bytes, std::string_view source);

  // Queues the bundle for Offer on the updater's own thread (verification, parsing and building
  // a large set take a while; the transport's I/O thread must not wait for them). kLimit when
  // kMaxQueued bundles are already waiting: the control message stays unacknowledged and the
  // correlator sends it again later.
  static constexpr size_t kMaxQueued = 8;
  [[nodiscard]] Status OfferLater(std::string_view bytes, std::string_view source);
  // Waits until every queued bundle was offered (tests, shutdown).
  void WaitIdle();
  ~IntelUpdater();

  // Offers every regular file named *.bundle in `dir` (sorted by name). Returns how many were
  // accepted; a missing or unreadable directory is an error, a refused file is not.
  [[nodiscard]] Result<size_t> LoadDirectory(const std::string& dir);

 private:
  IntelUpdater(IntelStore& store, rules::BundleGate gate, CounterGroup group, Logger* log);
  void Run();

  IntelStore& store_;
  std::mutex mu_;
  rules::BundleGate gate_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;
  Logger* log_;
  RuleBundleHandler on_rules_;

  // OfferLater's queue, guarded by qmu_.
  struct Queued {
    std::string bytes;
    std::string source;
  };
  std::mutex qmu_;
  std::condition_variable qcv_;
  std::deque<Queued> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;  // started by Create
};

}  // namespace vigil::sensor
