#include "rules/signature/rule_parser.h"

#include <vector>

#include "rules/signature/option_lexer.h"
#include "rules/signature/rule_builder.h"

namespace vigil::rules {
namespace {

struct Token {
  std::string_view text;
  size_t offset = 0;
};

// Reads one header token: up to whitespace or '(' outside brackets (lists may contain spaces).
bool NextToken(std::string_view s, size_t* pos, Token* tok) {
  size_t p = *pos;
  while (p < s.size() && IsSpace(s[p])) ++p;
  if (p >= s.size() || s[p] == '(') {
    *pos = p;
    return false;
  }
  size_t start = p;
  int depth = 0;
  while (p < s.size()) {
    char c = s[p];
    if (c == '[') ++depth;
    else if (c == ']') --depth;
    else if (depth <= 0 && (IsSpace(c) || c == '(')) break;
    ++p;
  }
  tok->text = s.substr(start, p - start);
  tok->offset = start;
  *pos = p;
  return true;
}

bool ParseAction(std::string_view t, Action* a) {
  struct Name {
    std::string_view name;
    Action action;
  };
  static constexpr Name kActions[] = {
      {"alert", Action::kAlert},         {"pass", Action::kPass},
      {"drop", Action::kDrop},           {"reject", Action::kReject},
      {"rejectsrc", Action::kRejectSrc}, {"rejectdst", Action::kRejectDst},
      {"rejectboth", Action::kRejectBoth}, {"config", Action::kConfig},
  };
  for (const Name& n : kActions) {
    if (EqualsIgnoreCase(t, n.name)) {
      *a = n.action;
      return true;
    }
  }
  return false;
}

RuleParseResult Fail(ErrorCode code, size_t offset, std::string message) {
  RuleParseResult r;
  r.error = RuleError{code, offset, std::move(message)};
  return r;
}

}  // namespace

RuleParser::RuleParser(const RuleVariables& vars, RuleParserConfig config)
    : vars_(vars), config_(config) {}

Result<std::shared_ptr<const AddressSet>> RuleParser::CompileAddress(std::string_view text) {
  auto it = address_cache_.find(std::string(text));
  if (it != address_cache_.end()) return it->second;
  VIGIL_TRY(AddressSet set, AddressSet::Parse(text, vars_, config_.expression_limits));
  auto shared = std::make_shared<const AddressSet>(std::move(set));
  if (address_cache_.size() < config_.max_cached_expressions) address_cache_.emplace(std::string(text), shared);
  return shared;
}

Result<std::shared_ptr<const PortSet>> RuleParser::CompilePorts(std::string_view text) {
  auto it = port_cache_.find(std::string(text));
  if (it != port_cache_.end()) return it->second;
  VIGIL_TRY(PortSet set, PortSet::Parse(text, vars_, config_.expression_limits));
  auto shared = std::make_shared<const PortSet>(std::move(set));
  if (port_cache_.size() < config_.max_cached_expressions) port_cache_.emplace(std::string(text), shared);
  return shared;
}

RuleParseResult RuleParser::Parse(std::string_view text) {
  if (text.size() > config_.max_rule_length) {
    return Fail(ErrorCode::kLimit, 0,
                "rule is " + std::to_string(text.size()) + " bytes, above the limit of " +
                    std::to_string(config_.max_rule_length));
  }
  Rule rule;
  RuleHeader& h = rule.header;
  size_t pos = 0;
  Token t[7];
  static constexpr const char* kFieldNames[] = {"action", "protocol", "source address", "source port",
                                                "direction", "destination address", "destination port"};
  for (int i = 0; i < 7; ++i) {
    if (!NextToken(text, &pos, &t[i])) {
      return Fail(ErrorCode::kParse, pos,
                  std::string("rule header ends early: missing ") + kFieldNames[i]);
    }
  }
  Token extra;
  if (NextToken(text, &pos, &extra)) {
    return Fail(ErrorCode::kParse, extra.offset,
                "unexpected '" + std::string(extra.text.substr(0, 40)) + "' in the rule header (expected '(')");
  }
  if (pos >= text.size() || text[pos] != '(') {
    return Fail(ErrorCode::kParse, pos, "rule has no options: expected '(' after the header");
  }
  const size_t open_paren = pos;

  if (!ParseAction(t[0].text, &h.action)) {
    return Fail(ErrorCode::kParse, t[0].offset, "unknown action '" + std::string(t[0].text.substr(0, 40)) + "'");
  }
  if (!IsIdentifier(t[1].text)) {
    return Fail(ErrorCode::kParse, t[1].offset, "invalid protocol '" + std::string(t[1].text.substr(0, 40)) + "'");
  }
  ToLower(t[1].text, &h.protocol);

  if (t[4].text == "->") {
    h.direction = Direction::kForward;
  } else if (t[4].text == "<>") {
    h.direction = Direction::kBidirectional;
  } else if (t[4].text == "<-") {
    return Fail(ErrorCode::kParse, t[4].offset, "'<-' is not a direction; swap source and destination and use '->'");
  } else {
    return Fail(ErrorCode::kParse, t[4].offset, "expected '->' or '<>', found '" + std::string(t[4].text.substr(0, 40)) + "'");
  }

  struct AddrField {
    int token;
    std::shared_ptr<const AddressSet>* slot;
    std::string* text;
  };
  for (AddrField f : {AddrField{2, &h.src, &h.src_text}, AddrField{5, &h.dst, &h.dst_text}}) {
    auto r = CompileAddress(t[f.token].text);
    if (!r) return Fail(ErrorCode::kParse, t[f.token].offset, r.error().message);
    *f.slot = std::move(*r);
    *f.text = std::string(t[f.token].text);
  }
  struct PortField {
    int token;
    std::shared_ptr<const PortSet>* slot;
    std::string* text;
  };
  for (PortField f : {PortField{3, &h.src_ports, &h.src_ports_text}, PortField{6, &h.dst_ports, &h.dst_ports_text}}) {
    auto r = CompilePorts(t[f.token].text);
    if (!r) return Fail(ErrorCode::kParse, t[f.token].offset, r.error().message);
    *f.slot = std::move(*r);
    *f.text = std::string(t[f.token].text);
  }

  std::vector<RawOption> options;
  RuleError err;
  if (!SplitOptions(text, open_paren, &options, &err)) {
    RuleParseResult r;
    r.error = std::move(err);
    return r;
  }
  if (options.size() > config_.max_options) {
    return Fail(ErrorCode::kLimit, open_paren, "rule has " + std::to_string(options.size()) +
                                                   " options, above the limit of " + std::to_string(config_.max_options));
  }
  RuleBuilder builder(&rule, config_.classifications);
  std::string key;
  for (const RawOption& o : options) {
    ToLower(o.key, &key);
    Status s = builder.Apply(key, o.value, o.has_value, o.key_offset);
    if (!s) {
      const Error& e = s.error();
      if (e.code == ErrorCode::kUnsupported) return Fail(e.code, o.key_offset, e.message);
      // Keyword parsers usually name themselves; prefix the keyword only when they did not.
      std::string msg = e.message.starts_with(key) ? e.message : key + ": " + e.message;
      return Fail(e.code, o.has_value ? o.value_offset : o.key_offset, std::move(msg));
    }
  }
  Status done = builder.Finish();
  if (!done) return Fail(done.error().code, open_paren, done.error().message);
  RuleParseResult ok;
  ok.rule = std::move(rule);
  return ok;
}

}  // namespace vigil::rules
