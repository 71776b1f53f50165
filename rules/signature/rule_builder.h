// RuleBuilder: applies a rule's options, in order, to a Rule under construction. This is where
// the list semantics live (which buffer a payload keyword belongs to, which content a modifier
// refines); the keyword parsers it calls only understand their own values.
//
// State kept while building, mirroring Suricata's signature setup:
//   - the current sticky buffer (pkt_data = none) and its pending transforms;
//   - the most recent content (modifiers and legacy buffer modifiers apply to it);
//   - the list of the most recent payload match (where a relative keyword goes when no sticky
//     buffer is active: `content:"a"; http_uri; isdataat:1,relative;` inspects the URI);
//   - byte_extract variables defined so far (a later use of an unknown name is an error).
// Used only by RuleParser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/rule.h"

namespace vigil::rules {

class RuleBuilder {
 public:
  RuleBuilder(Rule* rule, const ClassificationConfig* classifications)
      : rule_(rule), classifications_(classifications) {}

  // `keyword` is lower case. Fails with kUnsupported for keywords Vigil does not implement.
  Status Apply(std::string_view keyword, std::string_view value, bool has_value, size_t offset);
  // Checks that need the whole rule (sid present, classtype known) and drops empty lists.
  Status Finish();

 private:
  static constexpr int kNone = -1;

  int ListFor(BufferId id, const std::vector<Transform>& transforms);
  int CurrentList();
  // The list a non-content payload keyword goes to.
  int TargetList(bool relative, std::optional<BufferId> forced, std::string_view keyword, Status* err);
  void Append(int list, PayloadMatch m, bool is_content);
  Status CheckVar(const IntOrVar& v, std::string_view keyword) const;
  Status ApplyBufferModifier(const BufferInfo& b, std::string_view keyword);
  Status AddContent(std::string_view value, size_t offset, std::optional<BufferId> forced);

  Rule* rule_;
  const ClassificationConfig* classifications_;
  bool sticky_ = false;  // a sticky buffer keyword is active
  BufferId sticky_buffer_ = BufferId::kPacket;
  std::vector<Transform> pending_transforms_;
  int current_list_ = kNone;  // resolved list for the active sticky buffer, or kNone
  int last_content_list_ = kNone;
  size_t last_content_index_ = 0;
  int last_match_list_ = kNone;
  bool fast_pattern_seen_ = false;
};

}  // namespace vigil::rules
