// Never-match checks: rules whose own keywords contradict each other, so the sensor spends time
// on them and they can never alert.
//
//   dsize-conflict     dsize matches no size, or allows fewer payload bytes than the pkt_data
//                      contents need (`dsize:<10; content:"twenty-bytes-long..."`)
//   bsize-conflict     bsize allows fewer bytes than the contents of its buffer need
//   urilen-conflict    urilen allows fewer bytes than the http.uri contents need
//   isdataat-conflict  isdataat:!N while a content needs more than N bytes; isdataat:N while a
//                      size keyword allows at most N
//   after-endswith     a relative content (distance >= 0) or isdataat:N,relative (N > 0) after a
//                      content with endswith: nothing can follow the end of the buffer
//   flow-conflict      flow:to_server with a response buffer (http.stat_code...), or
//                      flow:to_client with request buffers (http.uri...) and no response buffer
//                      (the sensor inspects a rule with a response buffer on the response;
//                      which buffer is on which side comes from the sensor: BufferSideFn)
//
// "Needs" is a lower bound on the buffer length: for each positive content the smallest end it
// can have (offset/startswith, or previous end + distance for relative ones), and isdataat:N.
// Values taken from byte_extract variables are unknown and count as 0, so the bound is never
// too high: a warning here is a real contradiction.
#pragma once

#include "rules/lint/prefilter_probe.h"
#include "rules/lint/rule_context.h"

namespace vigil::rules::lint {

void CheckMatchBounds(const RuleContext& ctx);
// Off when `side` is empty.
void CheckFlowDirection(const RuleContext& ctx, const BufferSideFn& side);

}  // namespace vigil::rules::lint
