// Legacy syntax (info): spellings Suricata still accepts but has replaced, so analysts can
// modernise rules before a future engine drops them. The rule still loads and behaves the same.
//
//   uricontent:"x";                 → http.uri; content:"x";
//   content:"x"; http_uri;          → http.uri; content:"x";   (every http_* / legacy modifier)
//   pcre:"/x/U";                    → http.uri; pcre:"/x/";    (buffer-selecting pcre flags)
//   dns_query; / file_data;         → dns.query; / file.data;  (old sticky-buffer names)
#pragma once

#include "rules/lint/rule_context.h"

namespace vigil::rules::lint {

void CheckLegacySyntax(const RuleContext& ctx);

}  // namespace vigil::rules::lint
