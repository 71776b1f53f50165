// Helpers for the intel tests: signing keys, signed bundles and the tampered variants a
// receiver must refuse.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "rules/bundle/bundle.h"
#include "rules/bundle/bundle_keys.h"

namespace vigil::intel_test {

inline rules::SigningKey NewKey() {
  auto k = rules::SigningKey::Generate();
  EXPECT_TRUE(k.ok());
  return k.ok() ? *k : rules::SigningKey{};
}

inline rules::TrustedSigners Trust(const rules::SigningKey& k) {
  rules::TrustedSigners t;
  t.Add(k.public_key);
  return t;
}

inline std::string Signed(const rules::SigningKey& k, const std::string& name, uint64_t version,
                          const std::string& indicators, const std::string& rules_text = "") {
  rules::Bundle b;
  b.name = name;
  b.version = version;
  b.created = "2026-11-24T00:00:00Z";
  b.indicators = indicators;
  b.rules = rules_text;
  auto text = rules::SignBundle(std::move(b), k);
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message);
  return text.ok() ? *text : std::string();
}

// The same bundle with one indicator changed after signing (an attacker on the way).
inline std::string Tampered(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(from.size(), to.size());  // same length: the section sizes stay right
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Without its signature line.
inline std::string Unsigned(const std::string& text) {
  const size_t at = text.rfind("signature ");
  return at == std::string::npos ? text : text.substr(0, at);
}

}  // namespace vigil::intel_test
