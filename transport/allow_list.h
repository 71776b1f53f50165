// AllowList: which CURVE client keys a receiver accepts, and the identity each key stands for.
//
// A peer's public key decides its identity: the ZAP handler looks the key up here and tells
// ZeroMQ the identity (ZAP User-Id) and province; the receiver stamps every batch from that
// connection with it and rejects frames that claim another origin.
//
// Source: one file, or a directory whose regular files (not starting with '.') are all read.
// Each line, where a token starting with '#' begins a comment (Z85 keys may contain '#', so a
// valid key in the first position is never taken for one; identities may not start with '#'):
//   <40-char Z85 public key> <identity> [province]
// e.g.
//   rq>7...<40 chars>...    prov-07/sensor-12   prov-07
// A key listed twice is an error (two identities for one key would make origin ambiguous); one
// identity may have several keys (key rotation).
//
//   VIGIL_TRY(auto allow, AllowList::Load("/etc/vigil/clients.d"));
//   if (const PeerIdentity* id = allow.Find(key)) ... id->id, id->province
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "transport/curve_keys.h"
#include "transport/frame.h"

namespace vigil::transport {

struct PeerIdentity {
  std::string id;        // the origin every frame from this key must carry
  std::string province;  // optional: "" when not given
};

struct AllowListLimits {
  size_t max_entries = 100'000;
  size_t max_file_bytes = 16u << 20;
  FrameLimits frame;  // identities must be valid frame origins
};

class AllowList {
 public:
  using Key = std::array<uint8_t, kCurveKeyBinarySize>;

  [[nodiscard]] static Result<AllowList> Load(const std::string& path, const AllowListLimits& limits = {});
  // `source` names the text in error messages ("clients.txt").
  [[nodiscard]] static Result<AllowList> Parse(std::string_view text, std::string_view source,
                                               const AllowListLimits& limits = {});
  // Adds one entry (tests, programmatic setup).
  Status Add(std::string_view public_z85, PeerIdentity identity, const AllowListLimits& limits = {});

  const PeerIdentity* Find(const Key& key) const;
  size_t size() const { return entries_.size(); }

 private:
  Status ParseInto(std::string_view text, std::string_view source, const AllowListLimits& limits);
  std::map<Key, PeerIdentity> entries_;
};

}  // namespace vigil::transport
