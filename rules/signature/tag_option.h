// tag: after an alert, log further packets of the session or host.
//
//   tag:session,5,packets;     tag:host,60,seconds,src;     tag:session;
//
// Defaults follow Suricata: 256 packets for a bare `tag:session`; host tags need src or dst.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class TagScope : uint8_t { kSession, kHost };
enum class TagMetric : uint8_t { kPackets, kSeconds, kBytes };
enum class TagDirection : uint8_t { kNone, kSrc, kDst };

struct TagOption {
  TagScope scope = TagScope::kSession;
  uint32_t count = 256;
  TagMetric metric = TagMetric::kPackets;
  TagDirection direction = TagDirection::kNone;  // host tags only
};

Result<TagOption> ParseTag(std::string_view value);

}  // namespace vigil::rules
