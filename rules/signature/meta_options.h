// Meta keywords: what a rule is called and how its alerts are labelled. They do not affect
// matching.
//
//   msg:"ET MALWARE ..."; sid:2000001; rev:3; gid:1; classtype:trojan-activity; priority:1;
//   reference:url,example.org/x; metadata:created_at 2020_01_01, signature_severity Major;
//   target:dest_ip;
//
// sid is required (the rule parser checks); sid, rev, gid, msg, classtype, priority and target
// may each appear once. reference and metadata repeat and accumulate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vigil::rules {

struct Reference {
  std::string system;  // "url", "cve", "md5", ...
  std::string id;      // everything after the first ','
};

enum class Target : uint8_t { kNone, kSrcIp, kDestIp };

struct RuleMeta {
  std::string msg;
  uint32_t sid = 0;
  uint32_t rev = 0;
  uint32_t gid = 1;
  std::string classtype;
  std::optional<uint8_t> priority;
  std::vector<Reference> references;
  std::vector<std::pair<std::string, std::string>> metadata;  // key, value (may be empty)
  Target target = Target::kNone;
};

bool IsMetaKeyword(std::string_view keyword);
// Applies one meta keyword (lower-case `keyword`) to `meta`.
Status ApplyMetaOption(RuleMeta* meta, std::string_view keyword, std::string_view value,
                       bool has_value);

}  // namespace vigil::rules
