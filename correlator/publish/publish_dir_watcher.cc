#include "correlator/publish/publish_dir_watcher.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace vigil::correlator {
namespace {

namespace fs = std::filesystem;

}  // namespace

PublishDirWatcher::PublishDirWatcher(std::string dir, int64_t poll_ns, BundlePublisher& publisher,
                                     Logger* log)
    : dir_(std::move(dir)), poll_ns_(poll_ns), publisher_(publisher), log_(log) {}

Result<std::unique_ptr<PublishDirWatcher>> PublishDirWatcher::Start(std::string dir, int64_t poll_ns,
                                                                    BundlePublisher& publisher,
                                                                    Logger* log) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error(ErrorCode::kNotFound, "publish.dir '" + dir + "' is not a directory");
  }
  if (poll_ns <= 0) return Error(ErrorCode::kInvalidArgument, "publish.poll must be > 0");
  if (log == nullptr) return Error(ErrorCode::kInvalidArgument, "publish: no logger");
  std::unique_ptr<PublishDirWatcher> w(new PublishDirWatcher(std::move(dir), poll_ns, publisher, log));
  w->Scan();
  w->thread_ = std::thread([p = w.get()] { p->Run(); });
  return w;
}

PublishDirWatcher::~PublishDirWatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PublishDirWatcher::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::nanoseconds(poll_ns_), [this] { return stop_; })) {
    lock.unlock();
    Scan();
    lock.lock();
  }
}

size_t PublishDirWatcher::Scan() {
  std::error_code ec;
  std::vector<std::pair<std::string, Seen>> changed;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (!it->is_regular_file(e2) || it->path().extension() != ".bundle") continue;
    Seen now;
    now.size = it->file_size(e2);
    if (e2) continue;
    now.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       it->last_write_time(e2).time_since_epoch())
                       .count();
    if (e2) continue;
    const std::string path = it->path().string();
    auto s = seen_.find(path);
    if (s != seen_.end() && s->second.size == now.size && s->second.mtime_ns == now.mtime_ns) continue;
    changed.emplace_back(path, now);
  }
  if (ec) {
    if (!warned_unreadable_) log_->Error("publish", "cannot read publish.dir {}: {}", dir_, ec.message());
    warned_unreadable_ = true;
    return 0;
  }
  warned_unreadable_ = false;
  // Several versions at once: in name order.
  std::sort(changed.begin(), changed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [path, st] : changed) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
      log_->Warning("publish", "cannot read {}", path);
      continue;
    }
    seen_[path] = st;
    publisher_.Offer(bytes, path);
  }
  return changed.size();
}

}  // namespace vigil::correlator
