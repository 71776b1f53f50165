#include "core/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace vigil {
namespace {

std::optional<unsigned long> ParseId(std::string_view s) {
  unsigned long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  if (v >= 0xffffffffUL) return std::nullopt;  // (uid_t)-1 means "unchanged" to set*id
  return v;
}

// getpwnam_r/getgrnam_r need a buffer whose size sysconf suggests (and may need more).
template <typename Entry, typename Fn>
bool Lookup(Fn fn, Entry& entry, std::vector<char>& buf) {
  buf.resize(16384);
  for (;;) {
    Entry* found = nullptr;
    const int rc = fn(&entry, buf.data(), buf.size(), &found);
    if (rc == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 2);
      continue;
    }
    return rc == 0 && found != nullptr;
  }
}

Error Errno(std::string_view what) { return Error(ErrorCode::kPermission, fmt::format("{}: {}", what, std::strerror(errno))); }

// "CapEff:\t0000000000000000" lines of /proc/self/status: true when both sets are empty (or the
// file cannot be read, as on systems without /proc: the set*id checks still hold).
bool NoCapabilitiesLeft() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("CapEff:") || line.starts_with("CapPrm:")) {
      if (line.find_first_not_of("0\t ", 7) != std::string::npos) return false;
    }
  }
  return true;
}

}  // namespace

Result<RunAs> ResolveRunAs(std::string_view spec) {
  RunAs who;
  const size_t colon = spec.find(':');
  const std::string_view user_part = spec.substr(0, colon);
  const std::string_view group_part = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  if (user_part.empty()) return Error(ErrorCode::kInvalidArgument, "--user: no user name (USER or USER:GROUP)");
  if (colon != std::string_view::npos && group_part.empty()) {
    return Error(ErrorCode::kInvalidArgument, "--user: no group after ':' (USER:GROUP)");
  }
  std::vector<char> buf;
  passwd pw{};
  const std::string user_s(user_part);
  bool found = Lookup(
      [&](passwd* e, char* b, size_t n, passwd** r) { return getpwnam_r(user_s.c_str(), e, b, n, r); }, pw, buf);
  if (!found) {
    if (const auto id = ParseId(user_part)) {
      found = Lookup([&](passwd* e, char* b, size_t n, passwd** r) {
        return getpwuid_r(static_cast<uid_t>(*id), e, b, n, r);
      }, pw, buf);
      if (!found) {
        if (group_part.empty()) {
          return Error(ErrorCode::kNotFound,
                       fmt::format("--user: uid {} has no passwd entry: give its group too (USER:GROUP)", *id));
        }
        who.uid = static_cast<uid_t>(*id);
        who.user = fmt::format("#{}", *id);
      }
    } else {
      return Error(ErrorCode::kNotFound, fmt::format("--user: unknown user '{}'", user_part));
    }
  }
  if (found) {
    who.uid = pw.pw_uid;
    who.gid = pw.pw_gid;
    who.user = pw.pw_name;
    who.has_passwd_entry = true;
  }
  if (!group_part.empty()) {
    struct group gr{};
    const std::string group_s(group_part);
    bool gfound = Lookup(
        [&](struct group* e, char* b, size_t n, struct group** r) { return getgrnam_r(group_s.c_str(), e, b, n, r); },
        gr, buf);
    if (gfound) {
      who.gid = gr.gr_gid;
      who.group = gr.gr_name;
    } else if (const auto id = ParseId(group_part)) {
      who.gid = static_cast<gid_t>(*id);
      who.group = fmt::format("#{}", *id);
    } else {
      return Error(ErrorCode::kNotFound, fmt::format("--user: unknown group '{}'", group_part));
    }
  } else {
    struct group gr{};
    const bool gfound = Lookup(
        [&](struct group* e, char* b, size_t n, struct group** r) { return getgrgid_r(who.gid, e, b, n, r); }, gr,
        buf);
    who.group = gfound ? std::string(gr.gr_name) : fmt::format("#{}", who.gid);
  }
  if (who.uid == 0) {
    return Error(ErrorCode::kInvalidArgument, "--user: the target user is root: nothing would be dropped");
  }
  return who;
}

Status CheckCanDrop(const RunAs& who) {
  if (::geteuid() != 0) {
    return Error(ErrorCode::kPermission,
                 fmt::format("--user {}: only root can change user (running as uid {}); start as root or "
                             "leave out --user",
                             who.user, ::geteuid()));
  }
  return Ok();
}

Status HandOverDirectory(const std::string& dir, const RunAs& who, bool created_now) {
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) return Errno(fmt::format("stat {}", dir));
  const bool owned = st.st_uid == who.uid;
  const bool writable = owned ? (st.st_mode & S_IWUSR) != 0
                              : (st.st_gid == who.gid && (st.st_mode & S_IWGRP) != 0) || (st.st_mode & S_IWOTH) != 0;
  if (!owned && !created_now) {
    if (writable) return Ok();
    return Error(ErrorCode::kPermission,
                 fmt::format("{} is not writable by {} after --user: run 'chown -R {}:{} {}' first", dir, who.user,
                             who.user, who.group, dir));
  }
  if (!owned && ::chown(dir.c_str(), who.uid, who.gid) != 0) return Errno(fmt::format("chown {}", dir));
  // Files root created in it just now (a database's LOCK, LOG, WAL...): flat, as RocksDB keeps them.
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    struct stat fst{};
    const std::string p = e.path().string();
    if (::lstat(p.c_str(), &fst) != 0 || fst.st_uid != 0 || S_ISLNK(fst.st_mode)) continue;
    if (::chown(p.c_str(), who.uid, who.gid) != 0) return Errno(fmt::format("chown {}", p));
  }
  if (ec) return Error(ErrorCode::kIo, fmt::format("cannot list {}: {}", dir, ec.message()));
  return Ok();
}

Status DropPrivileges(const RunAs& who) {
  if (auto st = CheckCanDrop(who); !st) return st;
  if (who.has_passwd_entry) {
    if (::initgroups(who.user.c_str(), who.gid) != 0) return Errno("initgroups");
  } else if (::setgroups(1, &who.gid) != 0) {
    return Errno("setgroups");
  }
  if (::setresgid(who.gid, who.gid, who.gid) != 0) return Errno(fmt::format("setgid {}", who.gid));
  if (::setresuid(who.uid, who.uid, who.uid) != 0) return Errno(fmt::format("setuid {}", who.uid));
  // Verify: all ids are the target and root cannot be regained.
  uid_t ru, eu, su;
  gid_t rg, eg, sg;
  if (::getresuid(&ru, &eu, &su) != 0 || ::getresgid(&rg, &eg, &sg) != 0) return Errno("getresuid");
  if (ru != who.uid || eu != who.uid || su != who.uid || rg != who.gid || eg != who.gid || sg != who.gid) {
    return Error(ErrorCode::kInternal, "privileges not dropped: the ids did not all change");
  }
  if (::setuid(0) == 0 || ::seteuid(0) == 0 || (who.gid != 0 && ::setgid(0) == 0)) {
    return Error(ErrorCode::kInternal, "privileges not dropped: root could be regained");
  }
  if (!NoCapabilitiesLeft()) {
    return Error(ErrorCode::kInternal, "privileges not dropped: capabilities are still held");
  }
  return Ok();
}

}  // namespace vigil
