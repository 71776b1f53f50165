// --user (core/privileges): resolving USER[:GROUP], refusing when not root, and, as root, a real
// drop in a forked child (so the test process keeps root) that must reach every thread and be
// irreversible. The drop tests need root: they are labelled `root` and skip visibly otherwise.
#include "core/privileges.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "tests/storage/temp_dir.h"

namespace vigil {
namespace {

// The uid of "nobody", the target of the drop tests (present on every Debian system).
constexpr char kNobody[] = "nobody";

// Runs fn in a forked child; returns the child's exit status (fn's return value), or -1 when the
// child died otherwise. The child's messages go to stderr.
template <typename Fn>
int InChild(Fn fn) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// "Uid:\t0\t0\t0\t0" of one thread's /proc status: true when all four are `uid`.
bool ThreadRunsAs(pid_t tid, uid_t uid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("Uid:")) continue;
    const std::string u = std::to_string(uid);
    return line == "Uid:\t" + u + "\t" + u + "\t" + u + "\t" + u;
  }
  return false;
}

TEST(ResolveRunAsTest, KnownUserAndGroup) {
  auto who = ResolveRunAs("nobody:nogroup");
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->user, "nobody");
  EXPECT_EQ(who->group, "nogroup");
  EXPECT_NE(who->uid, 0u);
  auto by_id = ResolveRunAs(std::to_string(who->uid));
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->user, "nobody");
}

TEST(ResolveRunAsTest, ClearErrors) {
  auto r = ResolveRunAs("no-such-user-vigil");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown user 'no-such-user-vigil'"), std::string::npos);
  r = ResolveRunAs("nobody:no-such-group-vigil");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown group 'no-such-group-vigil'"), std::string::npos);
  EXPECT_FALSE(ResolveRunAs("").ok());
  EXPECT_FALSE(ResolveRunAs("nobody:").ok());
  r = ResolveRunAs("root");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("root"), std::string::npos);
  r = ResolveRunAs("4000000");  // an id with no passwd entry needs its group
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("USER:GROUP"), std::string::npos);
}

class DropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (run as root; ctest label 'root')";
    auto who = ResolveRunAs(kNobody);
    ASSERT_TRUE(who.ok()) << who.error().message;
    who_ = *who;
  }
  RunAs who_;
};

TEST_F(DropTest, EveryThreadChangesAndRootCannotBeRegained) {
  const RunAs who = who_;
  const int rc = InChild([&who] {
    // A thread started before the drop, as the daemons' I/O threads are.
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    pid_t tid = 0;
    std::thread t([&] {
      std::unique_lock lock(mu);
      tid = ::gettid();
      cv.notify_all();
      cv.wait(lock, [&] { return done; });
    });
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return tid != 0; });
    }
    auto st = DropPrivileges(who);
    int result = 0;
    if (!st.ok()) {
      std::fprintf(stderr, "drop failed: %s\n", st.error().message.c_str());
      result = 10;
    } else if (::getuid() != who.uid || ::geteuid() != who.uid || ::getegid() != who.gid) {
      result = 11;
    } else if (!ThreadRunsAs(tid, who.uid) || !ThreadRunsAs(::gettid(), who.uid)) {
      result = 12;
    } else if (::setuid(0) == 0 || ::seteuid(0) == 0) {
      result = 13;
    } else if (::open("/etc/shadow", O_RDONLY) >= 0) {
      result = 14;
    }
    {
      std::lock_guard lock(mu);
      done = true;
    }
    cv.notify_all();
    t.join();
    return result;
  });
  EXPECT_EQ(rc, 0) << "10: drop failed, 11: ids, 12: a thread kept root, 13: root regained, 14: root files";
}

TEST_F(DropTest, DroppingTwiceIsRefusedAsNotRoot) {
  const RunAs who = who_;
  const int rc = InChild([&who] {
    if (!DropPrivileges(who).ok()) return 10;
    auto again = DropPrivileges(who);
    if (again.ok()) return 11;
    return again.error().message.find("only root") != std::string::npos ? 0 : 12;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(DropTest, HandOverDirectory) {
  vigil::testing::TempDir dir;
  const std::string fresh = dir.Sub("fresh");
  ASSERT_EQ(::mkdir(fresh.c_str(), 0755), 0);
  { std::ofstream(fresh + "/LOCK") << "x"; }
  ASSERT_TRUE(HandOverDirectory(fresh, who_, /*created_now=*/true).ok());
  struct stat st{};
  ASSERT_EQ(::stat((fresh + "/LOCK").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, who_.uid);
  // An existing root-owned directory is not taken over: the error says what to run.
  const std::string old = dir.Sub("old");
  ASSERT_EQ(::mkdir(old.c_str(), 0755), 0);
  auto r = HandOverDirectory(old, who_, /*created_now=*/false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chown -R nobody:"), std::string::npos) << r.error().message;
  ASSERT_EQ(::stat(old.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
}

TEST(DropNotRootTest, NotRootIsAClearError) {
  auto who = ResolveRunAs(kNobody);
  ASSERT_TRUE(who.ok());
  if (::geteuid() != 0) {
    auto st = CheckCanDrop(*who);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("only root"), std::string::npos);
    return;
  }
  // As root: become nobody first in a child, then the check must refuse.
  const RunAs w = *who;
  EXPECT_EQ(InChild([&w] {
              if (::setresuid(w.uid, w.uid, w.uid) != 0) return 10;
              auto st = CheckCanDrop(w);
              return !st.ok() && st.error().code == ErrorCode::kPermission ? 0 : 11;
            }),
            0);
}

}  // namespace
}  // namespace vigil
