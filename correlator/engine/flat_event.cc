#include "correlator/engine/flat_event.h"

#include <simdjson.h>

namespace vigil {

size_t FlatEvent::Find(uint64_t hash, std::string_view path) const {
  if (used_ <= kIndexedFields) {
    for (size_t s = Slot(hash); slots_[s] != 0; s = (s + 1) & (kSlots - 1)) {
      const Field& f = fields_[slots_[s] - 1];
      if (f.hash == hash && f.path == path) return slots_[s] - 1u;
    }
    return kNotFound;
  }
  for (size_t i = 0; i < used_; ++i) {
    if (fields_[i].hash == hash && fields_[i].path == path) return i;
  }
  return kNotFound;
}

FlatEvent& FlatEvent::Put(std::string_view path, FieldValue::Kind kind, double num, std::string_view str) {
  const uint64_t h = FieldPath::Hash(path);
  if (const size_t i = Find(h, path); i != kNotFound) {
    Field& f = fields_[i];
    f.kind = kind;
    f.num = num;
    f.str.assign(str);
    return *this;
  }
  if (used_ == fields_.size()) fields_.emplace_back();
  Field& f = fields_[used_++];
  f.hash = h;
  f.path.assign(path);
  f.kind = kind;
  f.num = num;
  f.str.assign(str);
  if (used_ <= kIndexedFields) {
    size_t s = Slot(h);
    while (slots_[s] != 0) s = (s + 1) & (kSlots - 1);
    slots_[s] = static_cast<uint8_t>(used_);
  }
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

FlatEvent& FlatEvent::Clear() {
  if (used_ > 0) slots_.fill(0);
  used_ = 0;
  type_.clear();
  time_ = Timestamp{};
  id_ = 0;
  return *this;
}

bool operator==(const FlatEvent& a, const FlatEvent& b) {
  if (a.type_ != b.type_ || a.time_.ns != b.time_.ns || a.id_ != b.id_ || a.used_ != b.used_) return false;
  for (size_t i = 0; i < a.used_; ++i) {
    const FlatEvent::Field& x = a.fields_[i];
    const FlatEvent::Field& y = b.fields_[i];
    if (x.path != y.path || x.kind != y.kind || x.num != y.num || x.str != y.str) return false;
  }
  return true;
}

FieldValue FlatEvent::Get(const FieldPath& path) const {
  const size_t i = Find(path.hash(), path.text());
  if (i == kNotFound) return FieldValue::Missing();
  const Field& f = fields_[i];
  FieldValue v;
  v.kind = f.kind;
  v.num = f.num;
  if (f.kind == FieldValue::Kind::kString) v.str = f.str;
  return v;
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
  Clear();
  simdjson::dom::element root;
  auto err = parser.parse(json.data(), json.size()).get(root);
  if (err) return Error(ErrorCode::kParse, std::string("bad event JSON: ") + simdjson::error_message(err));
  if (!root.is_object()) return Error(ErrorCode::kParse, "bad event JSON: not an object");
  SetId(id);
  std::string path;
  VIGIL_CHECK_OK(Flatten(root, path, 0, *this));
  std::string_view type;
  if (root["event_type"].get(type) == simdjson::SUCCESS) SetType(type);
  std::string_view ts;
  if (root["timestamp"].get(ts) == simdjson::SUCCESS) {
    auto t = Timestamp::Parse(ts);
    if (!t) return Error(ErrorCode::kParse, "bad event timestamp: " + t.error().message);
    SetTime(*t);
  }
  return Ok();
}

}  // namespace vigil
