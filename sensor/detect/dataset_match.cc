#include "sensor/detect/dataset_match.h"

namespace vigil::sensor {

bool ChangesDatasets(const rules::Rule& r) {
  for (const rules::BufferMatches& b : r.buffers) {
    for (const rules::PayloadMatch& m : b.matches) {
      const auto* d = std::get_if<rules::DatasetMatch>(&m);
      if (d != nullptr && rules::DatasetChanges(d->command)) return true;
    }
  }
  return false;
}

bool MatchDataset(const rules::DatasetMatch& m, Dataset* set, std::span<const uint8_t> buf,
                  DatasetHits* hits) {
  if (set == nullptr) return false;
  using rules::DatasetCommand;
  switch (m.command) {
    case DatasetCommand::kIsSet: {
      const std::string* ctx = m.match_subdomain ? set->FindSubdomain(buf) : set->Find(buf);
      if (ctx == nullptr) return false;
      if (hits != nullptr && !m.context_key.empty() && !ctx->empty()) hits->Add(m.context_key, ctx);
      return true;
    }
    case DatasetCommand::kIsNotSet:
      return (m.match_subdomain ? set->FindSubdomain(buf) : set->Find(buf)) == nullptr;
    case DatasetCommand::kSet: {
      const int r = set->Add(buf);
      if (r == -2 && hits != nullptr) ++hits->full;
      return r == 1;
    }
    case DatasetCommand::kUnset: return set->Remove(buf) == 1;
  }
  return false;
}

void WriteDatasetContext(std::span<const DatasetHit> hits, JsonWriter& w) {
  if (hits.empty()) return;
  w.BeginObject();
  for (size_t i = 0; i < hits.size(); ++i) {
    bool repeated = false;  // the same context_key twice: the first match is written
    for (size_t j = 0; j < i; ++j) repeated |= hits[j].context_key == hits[i].context_key;
    if (!repeated) w.KeyRaw(hits[i].context_key, *hits[i].context);
  }
  w.EndObject();
}

}  // namespace vigil::sensor
