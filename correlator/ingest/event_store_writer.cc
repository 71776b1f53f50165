// EventStoreWriter: validation with simdjson On Demand and the key/value layout (see header).
#include "correlator/ingest/event_store_writer.h"

#include <cstring>
#include <utility>

#include "core/time.h"
#include "correlator/ingest/json_nesting.h"
#include "storage/key_codec.h"

namespace vigil::correlator {
namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view kClassNames[kEventClassCount] = {
    "alert", "flow", "dns", "http", "tls", "anomaly", "stats", "correlation", "other"};
constexpr std::string_view kReasonNames[kRejectReasonCount] = {
    "empty",         "too_large",          "invalid_json", "not_object",      "too_deep",
    "missing_timestamp", "bad_timestamp", "missing_event_type", "bad_event_type", "reserved_field"};

// Counter table: batches, events, stored per class, rejected per reason (in enum order, so the
// id is base + enum value). Literals: the registry keeps string_views.
constexpr CounterDef kDefs[] = {
    {"ingest.batches", "batches handed to the event store"},
    {"ingest.events", "event lines in those batches"},
    {"ingest.stored.alert", "events stored in events.alert"},
    {"ingest.stored.flow", "events stored in events.flow"},
    {"ingest.stored.dns", "events stored in events.dns"},
    {"ingest.stored.http", "events stored in events.http"},
    {"ingest.stored.tls", "events stored in events.tls"},
    {"ingest.stored.anomaly", "events stored in events.anomaly"},
    {"ingest.stored.stats", "events stored in events.stats"},
    {"ingest.stored.correlation", "events stored in events.correlation"},
    {"ingest.stored.other", "events stored in events.other (event_type not a known class)"},
    {"ingest.rejected.empty", "events rejected: empty line"},
    {"ingest.rejected.too_large", "events rejected: longer than ingest.max-event-bytes"},
    {"ingest.rejected.invalid_json", "events rejected: malformed JSON or invalid UTF-8"},
    {"ingest.rejected.not_object", "events rejected: JSON but not an object"},
    {"ingest.rejected.too_deep", "events rejected: nesting deeper than ingest.max-depth"},
    {"ingest.rejected.missing_timestamp", "events rejected: no timestamp field"},
    {"ingest.rejected.bad_timestamp", "events rejected: timestamp not an RFC 3339 string"},
    {"ingest.rejected.missing_event_type", "events rejected: no event_type field"},
    {"ingest.rejected.bad_event_type", "events rejected: event_type not a non-empty string"},
    {"ingest.rejected.reserved_field", "events rejected: carry the reserved field vigil_origin"},
};
constexpr size_t kBatchesId = 0;
constexpr size_t kEventsId = 1;
constexpr size_t kStoredBase = 2;
constexpr size_t kRejectedBase = kStoredBase + kEventClassCount;
static_assert(std::size(kDefs) == kRejectedBase + kRejectReasonCount);

// Appends s as the body of a JSON string (quotes not included).
void AppendJsonEscaped(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    } else {
      out->push_back(ch);
    }
  }
}

// Appends `object` (a JSON object) with the authenticated identity stamped as its first fields:
// "vigil_origin" and, when known, "vigil_province" (the province the allow list gives the
// sender's key: the national tier's view of where an event came from). The event's own fields
// follow byte for byte.
void AppendStamped(std::string* out, std::string_view origin, std::string_view province,
                   std::string_view object) {
  const std::string_view rest = object.substr(object.find('{') + 1);
  out->append("{\"vigil_origin\":\"");
  AppendJsonEscaped(out, origin);
  out->push_back('"');
  if (!province.empty()) {
    out->append(",\"vigil_province\":\"");
    AppendJsonEscaped(out, province);
    out->push_back('"');
  }
  const size_t first = rest.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && rest[first] != '}') out->push_back(',');
  out->append(rest);
}

}  // namespace

std::string_view EventClassName(EventClass c) { return kClassNames[static_cast<size_t>(c)]; }
std::string_view RejectReasonName(RejectReason r) { return kReasonNames[static_cast<size_t>(r)]; }

EventClass ClassifyEventType(std::string_view t) {
  for (size_t i = 0; i + 1 < kEventClassCount; ++i) {
    if (t == kClassNames[i]) return static_cast<EventClass>(i);
  }
  if (t == "netflow") return EventClass::kFlow;
  return EventClass::kOther;
}

bool ParseEventClass(std::string_view name, EventClass* out) {
  for (size_t i = 0; i < kEventClassCount; ++i) {
    if (name == kClassNames[i]) {
      *out = static_cast<EventClass>(i);
      return true;
    }
  }
  return false;
}

EventStoreWriter::EventStoreWriter(EventStoreOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<EventStoreWriter>> EventStoreWriter::Create(storage::Db& db,
                                                                   EventStoreOptions options) {
  if (options.max_event_bytes == 0) {
    return Error(ErrorCode::kInvalidArgument, "ingest.max-event-bytes must be positive");
  }
  std::unique_ptr<EventStoreWriter> w(new EventStoreWriter(std::move(options)));
  for (size_t i = 0; i < kEventClassCount; ++i) {
    VIGIL_TRY(w->families_[i],
              db.OpenFamily(w->options_.family_prefix + std::string(kClassNames[i])));
  }
  VIGIL_TRY(w->rejected_, db.OpenFamily(w->options_.family_prefix + "rejected"));
  VIGIL_TRY(w->group_, w->registry_.Register(kDefs));
  w->block_ = w->registry_.NewBlock("ingest");
  // Allocated once: the largest accepted event plus the padding simdjson reads past the end.
  w->padded_.resize(w->options_.max_event_bytes + simdjson::SIMDJSON_PADDING);
  if (auto e = w->parser_.allocate(w->options_.max_event_bytes, w->options_.max_depth + 1); e) {
    return Error(ErrorCode::kLimit,
                 std::string("simdjson parser allocation failed: ") + simdjson::error_message(e));
  }
  return w;
}

transport::BatchSink EventStoreWriter::Sink() {
  return [this](const transport::ReceivedBatch& b, storage::WriteBatch& wb) { return AddBatch(b, wb); };
}

bool EventStoreWriter::EmitDepthOk(uint32_t depth) {
  if (fields_too_deep_) return false;
  if (depth > sink_depth_) {
    fields_too_deep_ = true;  // as FlatEvent::Parse fails on the stored event: no view
    return false;
  }
  return true;
}

// Walks a whole value so that every token is checked: On Demand only validates what is read,
// and an event stored as valid must be well-formed JSON all the way down.
bool EventStoreWriter::ValidateValue(od::value v, uint32_t depth, bool emit, RejectReason* why) {
  if (depth > options_.max_depth) {
    *why = RejectReason::kTooDeep;
    return false;
  }
  emit = emit && EmitDepthOk(depth);
  od::json_type t;
  if (v.type().get(t)) {
    *why = RejectReason::kInvalidJson;
    return false;
  }
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (v.get_object().get(o)) break;
      for (auto field : o) {
        std::string_view k;
        od::value fv;
        if (field.unescaped_key().get(k) || field.value().get(fv)) {
          *why = RejectReason::kInvalidJson;
          return false;
        }
        const size_t len = path_.size();
        if (emit) {
          if (!path_.empty()) path_.push_back('.');
          path_.append(k);
        }
        const bool ok = ValidateValue(fv, depth + 1, emit, why);
        path_.resize(len);
        if (!ok) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array a;
      if (v.get_array().get(a)) break;
      for (auto elem : a) {
        od::value ev;
        if (elem.get(ev)) {
          *why = RejectReason::kInvalidJson;
          return false;
        }
        if (!ValidateValue(ev, depth + 1, /*emit=*/false, why)) return false;
      }
      return true;
    }
    case od::json_type::number: {
      od::number n;
      if (!v.get_number().get(n)) {
        if (emit) sink_->Number(path_, n.as_double());
        return true;
      }
      break;
    }
    case od::json_type::string: {
      std::string_view s;
      if (!v.get_string().get(s)) {
        if (emit) sink_->String(path_, s);
        return true;
      }
      break;
    }
    case od::json_type::boolean: {
      bool b;
      if (!v.get_bool().get(b)) {
        if (emit) sink_->Bool(path_, b);
        return true;
      }
      break;
    }
    case od::json_type::null: {
      bool n = false;
      if (!v.is_null().get(n) && n) {
        if (emit) sink_->Null(path_);
        return true;
      }
      break;
    }
  }
  *why = RejectReason::kInvalidJson;
  return false;
}

bool EventStoreWriter::Validate(std::string_view line, Parsed* out, RejectReason* why) {
  // Balance first: simdjson On Demand may read past its structural index on an unclosed bracket.
  switch (CheckJsonNesting(line, options_.max_depth, &nesting_)) {
    case NestingResult::kOk: break;
    case NestingResult::kTooDeep: *why = RejectReason::kTooDeep; return false;
    case NestingResult::kUnbalanced: *why = RejectReason::kInvalidJson; return false;
  }
  std::memcpy(padded_.data(), line.data(), line.size());
  od::document doc;
  if (parser_.iterate(padded_.data(), line.size(), padded_.size()).get(doc)) {
    *why = RejectReason::kInvalidJson;  // stage 1: UTF-8 and structural characters
    return false;
  }
  od::json_type t;
  if (doc.type().get(t)) {
    *why = RejectReason::kInvalidJson;
    return false;
  }
  if (t != od::json_type::object) {
    *why = RejectReason::kNotObject;
    // A scalar or array that is itself malformed is reported as such.
    if (t == od::json_type::array) {
      od::value v;
      if (doc.get_value().get(v) || !ValidateValue(v, 1, /*emit=*/false, why)) return false;
    }
    return false;
  }
  od::object obj;
  if (doc.get_object().get(obj)) {
    *why = RejectReason::kInvalidJson;
    return false;
  }
  bool have_ts = false;
  bool have_type = false;
  bool ts_ok = false;
  bool type_ok = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) {
      *why = RejectReason::kInvalidJson;
      return false;
    }
    const bool emit = sink_ != nullptr;
    if (emit) path_.assign(key);
    if (key == "timestamp" && !have_ts) {
      have_ts = true;
      std::string_view s;
      if (!v.get_string().get(s)) {
        if (emit && EmitDepthOk(1)) sink_->String(path_, s);
        auto ts = Timestamp::Parse(s);
        if (ts.ok()) {
          out->ts_ns = ts->ns;
          ts_ok = true;
        }
        continue;
      }
    } else if (key == "event_type" && !have_type) {
      have_type = true;
      std::string_view s;
      if (!v.get_string().get(s)) {
        if (emit && EmitDepthOk(1)) sink_->String(path_, s);
        if (!s.empty()) {
          out->cls = ClassifyEventType(s);
          out->event_type = s;
          type_ok = true;
        }
        continue;
      }
    } else if (key == "vigil_origin" || key == "vigil_province") {
      *why = RejectReason::kReservedField;
      return false;
    }
    if (!ValidateValue(v, 1, emit, why)) return false;
  }
  // Nothing may follow the object: at the end current_location() reports OUT_OF_BOUNDS.
  if (!doc.current_location().error()) {
    *why = RejectReason::kInvalidJson;  // trailing content after the object
    return false;
  }
  // Structure first, then the required fields: a truncated object is invalid JSON even when it
  // also lacks a timestamp.
  if (!have_ts) *why = RejectReason::kMissingTimestamp;
  else if (!ts_ok) *why = RejectReason::kBadTimestamp;
  else if (!have_type) *why = RejectReason::kMissingEventType;
  else if (!type_ok) *why = RejectReason::kBadEventType;
  else return true;
  return false;
}

Status EventStoreWriter::AddBatch(const transport::ReceivedBatch& b, storage::WriteBatch& wb) {
  // Counted into locals and published only on success: a failed batch is resent, and its
  // events would otherwise be counted twice.
  std::array<uint64_t, kEventClassCount> stored{};
  std::array<uint64_t, kRejectReasonCount> rejected{};
  uint64_t events = 0;
  if (b.origin.size() > 0xffff) return Error(ErrorCode::kInvalidArgument, "origin too long");

  uint32_t index = 0;
  size_t start = 0;
  while (start < b.payload.size()) {
    size_t nl = b.payload.find('\n', start);
    if (nl == std::string_view::npos) nl = b.payload.size();
    std::string_view line = b.payload.substr(start, nl - start);
    start = nl + 1;
    const uint32_t idx = index++;
    ++events;

    Parsed p;
    RejectReason why = RejectReason::kInvalidJson;
    bool ok = false;
    if (line.empty()) {
      why = RejectReason::kEmpty;
    } else if (line.size() > options_.max_event_bytes) {
      why = RejectReason::kTooLarge;
    } else {
      if (sink_ != nullptr) {
        // The stored event starts with the stamp (AppendStamped): its fields come first.
        sink_->Begin();
        sink_depth_ = sink_->max_depth();
        fields_too_deep_ = false;
        path_.clear();
        if (EmitDepthOk(1)) {
          sink_->String("vigil_origin", b.origin);
          if (!b.province.empty()) sink_->String("vigil_province", b.province);
        }
      }
      ok = Validate(line, &p, &why);
      if (ok && sink_ != nullptr) sink_->Envelope(p.event_type, p.ts_ns);
    }

    if (ok) {
      // Built in the reused key_/value_ (hot in cache), shown to the observer, then put: the
      // event families are append memtables, so arrival order costs nothing to insert.
      key_.clear();
      AppendEventKey(&key_, p.ts_ns, b.origin, b.seq, idx);
      value_.clear();
      AppendStamped(&value_, b.origin, b.province, line);  // validation guarantees an object
      ++stored[static_cast<size_t>(p.cls)];
      if (observer_) {
        const StoredEvent se{p.cls, p.ts_ns, key_, value_, b.origin, b.province, sink_ != nullptr, fields_too_deep_};
        VIGIL_CHECK_OK(observer_(se, wb));
      }
      VIGIL_CHECK_OK(wb.Put(families_[static_cast<size_t>(p.cls)], key_, value_));
    } else {
      key_.clear();
      storage::PutU16BE(&key_, static_cast<uint16_t>(b.origin.size()));
      key_.append(b.origin);
      storage::PutU64BE(&key_, b.seq);
      storage::PutU32BE(&key_, idx);
      value_.clear();
      value_.append(RejectReasonName(why));
      value_.push_back('\0');
      value_.append(line.substr(0, options_.max_rejected_bytes));
      VIGIL_CHECK_OK(wb.Put(rejected_, key_, value_));
      ++rejected[static_cast<size_t>(why)];
    }
  }

  block_->Add(group_[kBatchesId]);
  block_->Add(group_[kEventsId], events);
  for (size_t i = 0; i < kEventClassCount; ++i) {
    if (stored[i] != 0) block_->Add(group_[kStoredBase + i], stored[i]);
  }
  for (size_t i = 0; i < kRejectReasonCount; ++i) {
    if (rejected[i] != 0) block_->Add(group_[kRejectedBase + i], rejected[i]);
  }
  return Ok();
}

void AppendEventKey(std::string* out, int64_t ts_ns, std::string_view origin, uint64_t seq,
                    uint32_t index) {
  storage::PutI64BE(out, ts_ns);
  storage::PutU16BE(out, static_cast<uint16_t>(origin.size()));
  out->append(origin);
  storage::PutU64BE(out, seq);
  storage::PutU32BE(out, index);
}

Status EventStoreWriter::AddLocalEvent(EventClass cls, int64_t ts_ns, std::string_view origin,
                                       uint64_t seq, uint32_t index, std::string_view json,
                                       storage::WriteBatch& wb, std::string* key_out) {
  if (origin.size() > 0xffff) return Error(ErrorCode::kInvalidArgument, "origin too long");
  std::string key;
  AppendEventKey(&key, ts_ns, origin, seq, index);
  // Stamped like a received event ("vigil_origin" first) so readers treat both alike.
  if (json.find('{') == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument, "local event is not an object");
  }
  std::string value;
  AppendStamped(&value, origin, {}, json);
  VIGIL_CHECK_OK(wb.Put(families_[static_cast<size_t>(cls)], key, value));
  block_->Add(group_[kStoredBase + static_cast<size_t>(cls)]);
  if (key_out) *key_out = std::move(key);
  return Ok();
}

}  // namespace vigil::correlator
