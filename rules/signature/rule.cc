#include "rules/signature/rule.h"

namespace vigil::rules {

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kAlert: return "alert";
    case Action::kPass: return "pass";
    case Action::kDrop: return "drop";
    case Action::kReject: return "reject";
    case Action::kRejectSrc: return "rejectsrc";
    case Action::kRejectDst: return "rejectdst";
    case Action::kRejectBoth: return "rejectboth";
    case Action::kConfig: return "config";
  }
  return "?";
}

size_t Rule::ContentCount() const {
  size_t n = 0;
  for (const BufferMatches& b : buffers) b.ForEachContent([&n](const ContentMatch&) { ++n; });
  return n;
}

const ContentMatch* Rule::ExplicitFastPattern(BufferId* buffer) const {
  for (const BufferMatches& b : buffers) {
    for (const PayloadMatch& m : b.matches) {
      const auto* c = std::get_if<ContentMatch>(&m);
      if (c != nullptr && c->fast_pattern != FastPatternMode::kAuto) {
        if (buffer != nullptr) *buffer = b.buffer;
        return c;
      }
    }
  }
  return nullptr;
}

}  // namespace vigil::rules
