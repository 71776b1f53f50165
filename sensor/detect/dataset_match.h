// MatchDataset: one `dataset` keyword evaluated on one buffer (after its transforms), and the
// JSON contexts (datajson) of the sets a rule evaluation matched, for the alert.
//
//   isset     the buffer is in the set (match subdomain: it or a suffix from a '.');
//   isnotset  it is not (a buffer that cannot be a key of the set's type is "not set");
//   set       the buffer was added now (already present or set full: no match);
//   unset     the buffer was removed now.
// A match of a set whose rule gave `context_key` records (context_key, entry JSON) in `hits`,
// at most kMaxDatasetHits per rule evaluation (more are dropped from the alert, not the match).
// A `set` refused by a full set adds one to hits->full.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "rules/signature/dataset_option.h"
#include "rules/signature/rule.h"
#include "sensor/detect/dataset_store.h"

namespace vigil::sensor {

inline constexpr size_t kMaxDatasetHits = 8;

struct DatasetHit {
  std::string_view context_key;  // the rule's context_key
  const std::string* context = nullptr;  // the entry's JSON
};

// The contexts collected during one rule evaluation. Fixed size: no allocation per packet.
struct DatasetHits {
  std::array<DatasetHit, kMaxDatasetHits> hits{};
  size_t count = 0;
  uint64_t full = 0;  // `set` adds refused because the set was full (the caller counts, resets)
  void Clear() { count = 0; }
  void Add(std::string_view key, const std::string* context) {
    if (count < hits.size()) hits[count++] = DatasetHit{key, context};
  }
  std::span<const DatasetHit> view() const { return {hits.data(), count}; }
};

// True when a rule has a dataset set/unset: its evaluation changes shared state.
bool ChangesDatasets(const rules::Rule& r);

bool MatchDataset(const rules::DatasetMatch& m, Dataset* set, std::span<const uint8_t> buf,
                  DatasetHits* hits);

// Writes {"<context_key>": <entry JSON>, ...} for EVE's alert.context; nothing when empty.
void WriteDatasetContext(std::span<const DatasetHit> hits, JsonWriter& w);

}  // namespace vigil::sensor
