#include "rules/signature/app_options.h"

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

Result<std::vector<NamedFlag>> ParseNamedFlags(std::string_view value, char sep,
                                               std::initializer_list<std::string_view> allowed,
                                               const char* keyword) {
  std::vector<NamedFlag> out;
  for (std::string_view item : SplitTrim(value, sep)) {
    NamedFlag f;
    if (!item.empty() && item[0] == '!') {
      f.negated = true;
      item = Trim(item.substr(1));
    }
    std::string lower;
    ToLower(item, &lower);
    bool ok = false;
    for (std::string_view a : allowed) ok |= a == lower;
    if (!ok) return Bad(std::string(keyword) + ": unknown value '" + std::string(item) + "'");
    f.name = std::move(lower);
    out.push_back(std::move(f));
  }
  return out;
}

Result<TlsVersionOption> ParseTlsVersion(std::string_view value) {
  std::string_view v = Trim(value);
  TlsVersionOption t;
  if (v == "1.0") t.version = 0x0301;
  else if (v == "1.1") t.version = 0x0302;
  else if (v == "1.2") t.version = 0x0303;
  else if (v == "1.3") t.version = 0x0304;
  else if (v == "3.0" || v == "ssl3") t.version = 0x0300;
  else if (v == "2.0" || v == "ssl2") t.version = 0x0200;
  else if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    uint32_t n = 0;
    for (char c : v.substr(2)) {
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0 || n > 0xfff) return Bad("tls.version: bad hex value '" + std::string(v) + "'");
      n = (n << 4) | static_cast<uint32_t>(d);
    }
    t.version = static_cast<uint16_t>(n);
  } else {
    return Bad("tls.version: unknown version '" + std::string(v) + "' (1.0, 1.1, 1.2, 1.3, 0x0303...)");
  }
  return t;
}

Result<StreamSizeOption> ParseStreamSize(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() != 3) return Bad("stream_size takes <server|client|both|either>,<op>,<size>");
  StreamSizeOption s;
  if (parts[0] == "server") s.side = StreamSide::kServer;
  else if (parts[0] == "client") s.side = StreamSide::kClient;
  else if (parts[0] == "both") s.side = StreamSide::kBoth;
  else if (parts[0] == "either") s.side = StreamSide::kEither;
  else return Bad("stream_size: unknown side '" + std::string(parts[0]) + "'");
  VIGIL_TRY(uint64_t n, ParseUnsigned(parts[2], 0xffffffffu));
  std::string_view op = parts[1];
  s.size.value = n;
  if (op == "<") s.size.op = IntOp::kLt;
  else if (op == "<=") s.size.op = IntOp::kLe;
  else if (op == ">") s.size.op = IntOp::kGt;
  else if (op == ">=") s.size.op = IntOp::kGe;
  else if (op == "=") s.size.op = IntOp::kEq;
  else if (op == "!=") s.size.op = IntOp::kNe;
  else return Bad("stream_size: unknown operator '" + std::string(op) + "'");
  return s;
}

}  // namespace

bool IsAppKeyword(std::string_view k) {
  return k == "app-layer-protocol" || k == "app-layer-event" || k == "tls.version" ||
         k == "ssl_version" || k == "ssl_state" || k == "stream_size" || k == "dns.opcode" ||
         IsMqttKeyword(k);
}

Status ApplyAppOption(AppOptions* a, std::string_view k, std::string_view value, bool has_value) {
  if (!has_value || Trim(value).empty()) return Bad("'" + std::string(k) + "' needs a value");
  if (k == "app-layer-protocol") {
    auto parts = SplitTrim(value, ',');
    if (parts.size() > 2) return Bad("app-layer-protocol takes <proto>[,<mode>]");
    AppLayerProtocolOption p;
    std::string_view name = parts[0];
    if (!name.empty() && name[0] == '!') {
      p.negated = true;
      name = Trim(name.substr(1));
    }
    if (!IsIdentifier(name)) return Bad("app-layer-protocol: invalid protocol '" + std::string(name) + "'");
    ToLower(name, &p.protocol);
    if (parts.size() == 2) p.mode = std::string(parts[1]);
    a->app_layer_protocols.push_back(std::move(p));
  } else if (k == "app-layer-event") {
    std::string_view e = Trim(value);
    if (!IsIdentifier(e)) return Bad("app-layer-event: invalid event '" + std::string(e) + "'");
    a->app_layer_events.emplace_back(e);
  } else if (k == "tls.version") {
    if (a->tls_version) return Bad("tls.version given twice");
    VIGIL_TRY(a->tls_version, ParseTlsVersion(value));
  } else if (k == "ssl_version") {
    VIGIL_TRY(a->ssl_versions, ParseNamedFlags(value, ',', {"sslv2", "sslv3", "tls1.0", "tls1.1", "tls1.2", "tls1.3"}, "ssl_version"));
  } else if (k == "ssl_state") {
    VIGIL_TRY(a->ssl_states, ParseNamedFlags(value, '|', {"client_hello", "server_hello", "client_keyx", "server_keyx", "unknown"}, "ssl_state"));
  } else if (IsMqttKeyword(k)) {
    return ApplyMqttOption(&a->mqtt, k, value);
  } else if (k == "dns.opcode") {
    if (a->dns_opcode) return Bad("dns.opcode given twice");
    VIGIL_TRY(a->dns_opcode, ParseIntegerMatch(Trim(value), 15));
  } else if (k == "stream_size") {
    VIGIL_TRY(StreamSizeOption st, ParseStreamSize(value));
    a->stream_sizes.push_back(st);
  } else {
    return Bad("'" + std::string(k) + "' is not an app-layer keyword");
  }
  return Ok();
}

}  // namespace vigil::rules
