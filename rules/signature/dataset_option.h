// The `dataset` keyword: match the current buffer (after its transforms) against a named set
// shared by every rule and worker, or add it to / remove it from that set (Suricata 6+ and the
// JSON extensions of Suricata 8).
//
//   http.user_agent; dataset:isset,ua-seen,type string,load ua.csv;
//   ip.dst; dataset:isset,bad-ips,type ip,load ips.lst,memcap 10mb,hashsize 4096;
//   http.host; dataset:isset,hosts,type string,load hosts.json,format json,value_key host,
//       context_key bad_host,array_key threat;
//   dns.query; dotprefix; dataset:isset,bad,type string,match subdomain,load domains.lst;
//
// Commands: set (matches when the value was added), unset (matches when it was removed), isset,
// isnotset. Types: string (csv lines are base64), md5 / sha256 (hex; compared with the raw
// digest of to_md5 / to_sha256), ipv4 (4 address bytes), ip (IPv6; IPv4 values are stored as
// Suricata does, 4 bytes then zeros). Options: load <file> (relative: to the rule file's
// directory), save / state <file>, memcap <n>[kb|mb|gb], hashsize <n>, format csv|json|ndjson,
// value_key / array_key (dotted paths into each JSON entry), context_key (name under the
// alert's "context" for the matched entry's JSON), remove_key (drop value_key from that JSON),
// match subdomain (string sets: the buffer or any suffix starting at a '.').
// This file only parses; sensor/detect/dataset_* owns the sets and their files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class DatasetCommand : uint8_t { kSet, kUnset, kIsSet, kIsNotSet };
enum class DatasetType : uint8_t { kString, kMd5, kSha256, kIpv4, kIp };
enum class DatasetFormat : uint8_t { kCsv, kJson, kNdjson };

struct DatasetMatch {
  DatasetCommand command = DatasetCommand::kIsSet;
  std::string name;
  DatasetType type = DatasetType::kString;
  std::string load;   // as written ("" none)
  std::string save;   // save or state file as written ("" none)
  bool state = false; // `state <file>`: load it when present, and save to it
  uint64_t memcap = 0;    // bytes, 0: the engine default
  uint32_t hashsize = 0;  // 0: the engine default
  DatasetFormat format = DatasetFormat::kCsv;
  std::string value_key, array_key, context_key;
  bool remove_key = false;
  bool match_subdomain = false;
  size_t source_offset = 0;
};

Result<DatasetMatch> ParseDataset(std::string_view value);

std::string_view DatasetTypeName(DatasetType t);
std::string_view DatasetCommandName(DatasetCommand c);
// True for set/unset: the keyword changes shared state when evaluated.
inline bool DatasetChanges(DatasetCommand c) {
  return c == DatasetCommand::kSet || c == DatasetCommand::kUnset;
}

}  // namespace vigil::rules
