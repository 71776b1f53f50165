#include "correlator/engine/flat_event.h"

#include <simdjson.h>

namespace vigil {

FlatEvent& FlatEvent::Put(std::string_view path, FieldValue::Kind kind, double num, std::string_view str) {
  const uint64_t h = FieldPath::Hash(path);
  for (Field& f : fields_) {
    if (f.hash == h && f.path == path) {
      f.kind = kind;
      f.num = num;
      f.str = std::string(str);
      return *this;
    }
  }
  fields_.push_back(Field{h, std::string(path), kind, num, std::string(str)});
  return *this;
}

FlatEvent& FlatEvent::Set(std::string_view path, std::string_view value) {
  return Put(path, FieldValue::Kind::kString, 0, value);
}
FlatEvent& FlatEvent::Set(std::string_view path, double value) {
  return Put(path, FieldValue::Kind::kNumber, value, {});
}
FlatEvent& FlatEvent::SetBool(std::string_view path, bool value) {
  return Put(path, FieldValue::Kind::kBool, value ? 1 : 0, {});
}
FlatEvent& FlatEvent::SetNull(std::string_view path) { return Put(path, FieldValue::Kind::kNull, 0, {}); }

FieldValue FlatEvent::Get(const FieldPath& path) const {
  const uint64_t h = path.hash();
  for (const Field& f : fields_) {
    if (f.hash == h && f.path == path.text()) {
      FieldValue v;
      v.kind = f.kind;
      v.num = f.num;
      if (f.kind == FieldValue::Kind::kString) v.str = f.str;
      return v;
    }
  }
  return FieldValue::Missing();
}

namespace {

Status Flatten(simdjson::dom::element el, std::string& path, int depth, FlatEvent& out) {
  using simdjson::dom::element_type;
  if (depth > FlatEvent::kMaxJsonDepth) return Error(ErrorCode::kLimit, "JSON nested too deeply");
  switch (el.type()) {
    case element_type::OBJECT: {
      simdjson::dom::object obj;
      if (el.get(obj) != simdjson::SUCCESS) return Error(ErrorCode::kParse, "bad JSON object");
      for (auto field : obj) {
        const size_t len = path.size();
        if (!path.empty()) path.push_back('.');
        path.append(field.key.data(), field.key.size());
        VIGIL_CHECK_OK(Flatten(field.value, path, depth + 1, out));
        path.resize(len);
      }
      return Ok();
    }
    case element_type::ARRAY:
      return Ok();  // arrays are not matched by rules (see FieldValue::kOther); skipped
    case element_type::STRING:
      out.Set(path, std::string_view(el.get_string().value_unsafe()));
      return Ok();
    case element_type::INT64:
      out.Set(path, static_cast<double>(el.get_int64().value_unsafe()));
      return Ok();
    case element_type::UINT64:
      out.Set(path, static_cast<double>(el.get_uint64().value_unsafe()));
      return Ok();
    case element_type::DOUBLE:
      out.Set(path, el.get_double().value_unsafe());
      return Ok();
    case element_type::BOOL:
      out.SetBool(path, el.get_bool().value_unsafe());
      return Ok();
    case element_type::NULL_VALUE:
      out.SetNull(path);
      return Ok();
  }
  return Ok();
}

}  // namespace

Result<FlatEvent> FlatEvent::FromJson(std::string_view json, uint64_t id) {
  simdjson::dom::parser parser;
  FlatEvent ev;
  VIGIL_CHECK_OK(ev.Parse(json, id, parser));
  return ev;
}

Status FlatEvent::Parse(std::string_view json, uint64_t id, simdjson::dom::parser& parser) {
  fields_.clear();
  type_.clear();
  time_ = Timestamp{};
  simdjson::dom::element root;
  auto err = parser.parse(json.data(), json.size()).get(root);
  if (err) return Error(ErrorCode::kParse, std::string("bad event JSON: ") + simdjson::error_message(err));
  if (!root.is_object()) return Error(ErrorCode::kParse, "bad event JSON: not an object");
  SetId(id);
  std::string path;
  VIGIL_CHECK_OK(Flatten(root, path, 0, *this));
  std::string_view type;
  if (root["event_type"].get(type) == simdjson::SUCCESS) SetType(std::string(type));
  std::string_view ts;
  if (root["timestamp"].get(ts) == simdjson::SUCCESS) {
    auto t = Timestamp::Parse(ts);
    if (!t) return Error(ErrorCode::kParse, "bad event timestamp: " + t.error().message);
    SetTime(*t);
  }
  return Ok();
}

}  // namespace vigil
