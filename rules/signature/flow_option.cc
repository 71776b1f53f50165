#include "rules/signature/flow_option.h"

#include <string>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

template <typename E>
Status SetOnce(E* slot, E v, std::string_view word) {
  if (*slot == v) return Error(ErrorCode::kParse, "flow: '" + std::string(word) + "' repeated");
  if (*slot != E::kAny) {
    return Error(ErrorCode::kParse, "flow: '" + std::string(word) + "' contradicts an earlier word");
  }
  *slot = v;
  return Ok();
}

}  // namespace

Result<FlowOption> ParseFlow(std::string_view value) {
  FlowOption f;
  if (Trim(value).empty()) return Error(ErrorCode::kParse, "flow needs at least one word");
  for (std::string_view w : SplitTrim(value, ',')) {
    std::string lw;
    ToLower(w, &lw);
    Status s;
    if (lw == "established") s = SetOnce(&f.state, FlowState::kEstablished, w);
    else if (lw == "not_established") s = SetOnce(&f.state, FlowState::kNotEstablished, w);
    else if (lw == "stateless") s = SetOnce(&f.state, FlowState::kStateless, w);
    else if (lw == "to_server" || lw == "from_client") s = SetOnce(&f.direction, FlowDirection::kToServer, w);
    else if (lw == "to_client" || lw == "from_server") s = SetOnce(&f.direction, FlowDirection::kToClient, w);
    else if (lw == "only_stream") s = SetOnce(&f.stream, FlowStream::kOnlyStream, w);
    else if (lw == "no_stream") s = SetOnce(&f.stream, FlowStream::kNoStream, w);
    else if (lw == "only_frag") s = SetOnce(&f.frag, FlowFrag::kOnlyFrag, w);
    else if (lw == "no_frag") s = SetOnce(&f.frag, FlowFrag::kNoFrag, w);
    else if (w.empty()) return Error(ErrorCode::kParse, "flow: empty word");
    else return Error(ErrorCode::kParse, "flow: unknown word '" + std::string(w) + "'");
    if (!s) return std::move(s).error();
  }
  return f;
}

}  // namespace vigil::rules
