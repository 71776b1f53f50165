// PublishDirWatcher: the national center's (or a province's own) publication point. A thread
// looks at publish.dir every publish.poll (1 s by default) and offers each *.bundle file that is
// new or changed (size or modification time) to the BundlePublisher, which verifies it and
// sends it to every connected origin. Write bundles with `vigil bundle sign --out DIR/x.bundle`
// (it writes a temporary file and renames it), or copy them in as *.tmp and rename.
//
//   VIGIL_TRY(auto w, PublishDirWatcher::Start("/var/lib/vigil/publish", 1s, *publisher, &log));
//   ...                       // stopped and joined by the destructor
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/log.h"
#include "core/result.h"
#include "correlator/publish/bundle_publisher.h"

namespace vigil::correlator {

class PublishDirWatcher {
 public:
  // Fails if `dir` is not a directory. The first scan runs before Start returns.
  [[nodiscard]] static Result<std::unique_ptr<PublishDirWatcher>> Start(std::string dir,
                                                                        int64_t poll_ns,
                                                                        BundlePublisher& publisher,
                                                                        Logger* log);
  ~PublishDirWatcher();
  PublishDirWatcher(const PublishDirWatcher&) = delete;
  PublishDirWatcher& operator=(const PublishDirWatcher&) = delete;

  // One pass over the directory (the thread calls it every poll); returns files offered.
  size_t Scan();

 private:
  PublishDirWatcher(std::string dir, int64_t poll_ns, BundlePublisher& publisher, Logger* log);
  void Run();

  struct Seen {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
  };
  std::string dir_;
  int64_t poll_ns_;
  BundlePublisher& publisher_;
  Logger* log_;
  std::map<std::string, Seen> seen_;  // scanning thread only
  bool warned_unreadable_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil::correlator
