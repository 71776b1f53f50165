// Dropping root: the daemons start as root to open what needs it (the capture, /run/vigil, ports,
// the database directories) and then, with --user USER[:GROUP], become that user for good.
//
//   VIGIL_TRY(RunAs who, ResolveRunAs("vigil"));          // before anything is opened: typos fail early
//   VIGIL_TRY_STATUS(CheckCanDrop(who));                  // "not root" is an error, not a silent no-op
//   ... open the capture, bind sockets, open the database ...
//   VIGIL_TRY(created, HandOverDirectory(spool_dir, who, created_now));
//   VIGIL_TRY(..., DropPrivileges(who));                  // every thread, irreversibly
//
// DropPrivileges sets the supplementary groups (the user's, from the group database), then the
// group, then the user (real, effective and saved ids), and verifies the result: every id is the
// target, setuid(0)/setgid(0) now fail, and no capability is left in the effective or permitted
// set. glibc applies set*id calls to every thread of the process, so threads started before the
// drop (ZeroMQ I/O threads) are covered too.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

struct RunAs {
  std::string user;   // name as given or found ("vigil"; "#1234" for an id with no passwd entry)
  std::string group;  // group name (or "#id")
  uid_t uid = 0;
  gid_t gid = 0;
  bool has_passwd_entry = false;  // supplementary groups come from initgroups() only then
};

// "USER" (group: the user's primary group), "USER:GROUP", numeric ids allowed for both.
// Errors name what is unknown: "unknown user 'vigl'", "unknown group 'x'".
[[nodiscard]] Result<RunAs> ResolveRunAs(std::string_view spec);

// Error (kPermission) unless the process runs as root: dropping is only possible from root.
[[nodiscard]] Status CheckCanDrop(const RunAs& who);

// Makes sure `dir` (a database or spool directory) stays writable after the drop. A directory
// the target already owns has the root-owned files we just created in it handed over; a
// directory this run created (created_now) is handed over with its files; any other directory
// the target cannot write is an error that says what to run (chown).
[[nodiscard]] Status HandOverDirectory(const std::string& dir, const RunAs& who, bool created_now);

// Becomes `who` for good and verifies it. Call once, from the main thread, after everything
// that needs root is open.
[[nodiscard]] Status DropPrivileges(const RunAs& who);

}  // namespace vigil
