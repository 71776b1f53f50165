#include "sensor/defrag/defrag_config.h"

#include <string>

#include "sensor/defrag/chunk_pool.h"

namespace vigil::sensor {

std::string_view DefragPolicyName(DefragPolicy p) {
  switch (p) {
    case DefragPolicy::kFirst: return "first";
    case DefragPolicy::kLast: return "last";
    case DefragPolicy::kBsd: return "bsd";
    case DefragPolicy::kLinux: return "linux";
  }
  return "?";
}

Result<DefragPolicy> ParseDefragPolicy(std::string_view name) {
  for (auto p : {DefragPolicy::kFirst, DefragPolicy::kLast, DefragPolicy::kBsd,
                 DefragPolicy::kLinux}) {
    if (DefragPolicyName(p) == name) return p;
  }
  return Error(ErrorCode::kInvalidArgument,
               "defrag: unknown overlap policy '" + std::string(name) +
                   "' (expected first, last, bsd or linux)");
}

Status DefragConfig::Validate() const {
  auto bad = [](std::string m) { return Error(ErrorCode::kInvalidArgument, "defrag: " + m); };
  // Room for a few small datagrams; anything less is a configuration mistake.
  if (memcap < 16 * ChunkPool::kBytesPerChunk) {
    return bad("memcap must be at least " + std::to_string(16 * ChunkPool::kBytesPerChunk) +
               " bytes");
  }
  if (max_trackers == 0) return bad("max_trackers must be at least 1");
  if (hash_buckets == 0 || (hash_buckets & (hash_buckets - 1)) != 0 || hash_buckets > (1u << 28)) {
    return bad("hash_buckets must be a power of two up to 2^28");
  }
  if (timeout_ns <= 0) return bad("timeout must be positive");
  if (max_fragments == 0 || max_fragments > 65536) return bad("max_fragments must be 1..65536");
  if (max_datagram_size < 8 || max_datagram_size > 65535) {
    return bad("max_datagram_size must be 8..65535");
  }
  return Ok();
}

}  // namespace vigil::sensor
