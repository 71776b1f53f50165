// flow: which flows and which direction a rule applies to.
//
//   flow:established,to_server;     flow:to_client,only_stream;     flow:stateless;
//
// Words: established, not_established, stateless; to_server/from_client, to_client/from_server;
// only_stream/no_stream; only_frag/no_frag. Contradictions (to_server with to_client,
// established with not_established or stateless, only_ with no_ of the same kind) and repeats
// are errors.
#pragma once

#include "core/result.h"

namespace vigil::rules {

enum class FlowDirection : uint8_t { kAny, kToServer, kToClient };
enum class FlowState : uint8_t { kAny, kEstablished, kNotEstablished, kStateless };
enum class FlowStream : uint8_t { kAny, kOnlyStream, kNoStream };
enum class FlowFrag : uint8_t { kAny, kOnlyFrag, kNoFrag };

struct FlowOption {
  FlowDirection direction = FlowDirection::kAny;
  FlowState state = FlowState::kAny;
  FlowStream stream = FlowStream::kAny;
  FlowFrag frag = FlowFrag::kAny;
  friend bool operator==(const FlowOption&, const FlowOption&) = default;
};

Result<FlowOption> ParseFlow(std::string_view value);

}  // namespace vigil::rules
