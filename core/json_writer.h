// JsonWriter: a fast streaming JSON writer for EVE events and other newline-delimited JSON.
//
// Text is appended to one internal std::string that is reused between events: Clear() keeps the
// capacity, so once the buffer has grown to the size of the largest event, writing a field
// allocates nothing. Commas and nesting are handled by a fixed-size state stack (no heap), whose
// depth is limited by JsonWriterConfig::max_depth.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.KeyString("event_type", "alert");
//   w.Key("alert"); w.BeginObject(); w.KeyUint("signature_id", 2016141); w.EndObject();
//   w.EndObject();
//   if (!w.ok()) return w.status();   // misuse or depth limit: the text is not valid JSON
//   sink.Write(w.view()); w.Clear();
//
// Strings are escaped the way Suricata's JsonBuilder escapes them (rust/src/jsonbuilder.rs):
//  - '"' and '\' as \" and \\; \b \f \n \r \t short escapes; other bytes < 0x20 as \u00XX
//    (lowercase hex); '/' is not escaped. We also escape 0x7f (DEL) as \u007f, which Suricata
//    passes raw: both are valid JSON and decode to the same string, but DEL in a terminal is not.
//  - A string that is valid UTF-8 is passed through unchanged (multibyte sequences included).
//  - A string that contains ANY invalid UTF-8 is treated as bytes, exactly as Suricata's
//    try_string_from_bytes does: every byte >= 0x80 in that string (even one that belonged to an
//    otherwise valid sequence) becomes the four characters \xNN (lowercase hex), whose backslash
//    is then escaped, so the JSON text holds "\\xf0" and the decoded value holds "\xf0". Raw
//    invalid bytes never reach the output, so the output is always valid UTF-8.
//    (Like Suricata's, this is ambiguous with a literal "\x41" in the input; we keep the
//    compatible form because EVE consumers already expect it.)
//
// Misuse (a value in an object without a key, EndArray closing an object, nesting deeper than
// max_depth, a second top-level value without Newline()) makes the writer fail: the first error
// is kept in status(), later calls do nothing, and Clear() resets it. No exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

struct JsonWriterConfig {
  // Deepest nesting of objects/arrays accepted; deeper Begin* calls fail the writer.
  // EVE events nest 4 levels at most; stats events nest as deep as counter names. Max 256.
  uint32_t max_depth = 64;
  // Bytes reserved up front so typical events never grow the buffer.
  size_t initial_capacity = 4096;
};

class JsonWriter {
 public:
  static constexpr uint32_t kMaxDepthLimit = 256;

  JsonWriter() : JsonWriter(JsonWriterConfig{}) {}
  explicit JsonWriter(const JsonWriterConfig& config);

  // Empties the text and the nesting state; keeps the buffer's capacity.
  void Clear();

  // ---- Structure ----
  void BeginObject() { Open('{', kObjectFirst); }
  void EndObject() { Close('}', true); }
  void BeginArray() { Open('[', kArrayFirst); }
  void EndArray() { Close(']', false); }
  // Object member name. Must be followed by exactly one value (or Begin*).
  void Key(std::string_view key);

  // ---- Values ----
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  // Shortest round-trip form; NaN and infinities become null (as Suricata does).
  void Double(double v);
  void Bool(bool v);
  void Null();
  // Pre-serialised JSON, appended verbatim. The caller guarantees it is one valid JSON value.
  void Raw(std::string_view json);

  // ---- Shorthands: Key(k) + value ----
  void KeyString(std::string_view k, std::string_view v) { Key(k); String(v); }
  void KeyInt(std::string_view k, int64_t v) { Key(k); Int(v); }
  void KeyUint(std::string_view k, uint64_t v) { Key(k); Uint(v); }
  void KeyDouble(std::string_view k, double v) { Key(k); Double(v); }
  void KeyBool(std::string_view k, bool v) { Key(k); Bool(v); }
  void KeyNull(std::string_view k) { Key(k); Null(); }
  void KeyRaw(std::string_view k, std::string_view json) { Key(k); Raw(json); }
  void KeyObject(std::string_view k) { Key(k); BeginObject(); }
  void KeyArray(std::string_view k) { Key(k); BeginArray(); }
  // String value only when non-empty: EVE omits absent fields rather than writing "".
  void KeyStringIfSet(std::string_view k, std::string_view v) {
    if (!v.empty()) KeyString(k, v);
  }

  // Ends a complete top-level value with '\n' so another one can follow (NDJSON batches).
  void Newline();

  // ---- Result ----
  const std::string& str() const { return out_; }
  std::string_view view() const { return out_; }
  size_t size() const { return out_.size(); }
  size_t capacity() const { return out_.capacity(); }
  uint32_t depth() const { return depth_; }
  // True while every call so far was valid. Complete() also requires all containers closed.
  bool ok() const { return error_ == nullptr; }
  bool Complete() const { return ok() && depth_ == 0 && top_ == kTopDone; }
  Status status() const;

  // Appends s to out as the body of a JSON string (no surrounding quotes), escaped as described
  // above. Exposed for callers that build JSON text by hand and for tests.
  static void AppendEscaped(std::string& out, std::string_view s);

 private:
  enum State : uint8_t {
    kObjectFirst,     // inside {, nothing written yet
    kObjectNth,       // inside {, at least one member written
    kObjectAfterKey,  // inside {, a key was written and its value is due
    kArrayFirst,
    kArrayNth,
  };
  enum Top : uint8_t { kTopEmpty, kTopDone };

  // Writes the separator a value needs in the current state; false on misuse.
  bool BeforeValue();
  void Open(char c, State inner);
  void Close(char c, bool object);
  void Fail(const char* why);

  std::string out_;
  std::array<State, kMaxDepthLimit> stack_{};
  uint32_t depth_ = 0;
  uint32_t max_depth_;
  Top top_ = kTopEmpty;
  const char* error_ = nullptr;  // static text of the first misuse
};

// Whether s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace vigil
