#include "sensor/detect/dataset_store.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "sensor/detect/dataset_loader.h"

namespace vigil::sensor {
namespace {

std::string_view AsView(std::span<const uint8_t> d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace

Dataset::Dataset(std::string name, rules::DatasetType type, uint64_t memcap, uint32_t hashsize)
    : name_(std::move(name)), type_(type), memcap_(memcap) {
  entries_.reserve(std::min<uint32_t>(hashsize, 1u << 20));
}

bool Dataset::KeyOf(rules::DatasetType type, std::span<const uint8_t> data, uint8_t (&scratch)[16],
                    std::string_view* key) {
  using rules::DatasetType;
  switch (type) {
    case DatasetType::kString:
      *key = AsView(data);
      return true;
    case DatasetType::kMd5:
      if (data.size() != 16) return false;
      *key = AsView(data);
      return true;
    case DatasetType::kSha256:
      if (data.size() != 32) return false;
      *key = AsView(data);
      return true;
    case DatasetType::kIpv4:
      if (data.size() != 4) return false;
      *key = AsView(data);
      return true;
    case DatasetType::kIp:
      if (data.size() == 16) {
        *key = AsView(data);
        return true;
      }
      if (data.size() != 4) return false;
      std::memset(scratch, 0, sizeof(scratch));
      std::memcpy(scratch, data.data(), 4);
      *key = std::string_view(reinterpret_cast<const char*>(scratch), 16);
      return true;
  }
  return false;
}

const std::string* Dataset::FindKey(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

bool Dataset::Contains(std::span<const uint8_t> data) const { return Find(data) != nullptr; }

const std::string* Dataset::Find(std::span<const uint8_t> data) const {
  uint8_t scratch[16];
  std::string_view key;
  if (!KeyOf(type_, data, scratch, &key)) return nullptr;
  std::shared_lock lock(mu_);
  return FindKey(key);
}

const std::string* Dataset::FindSubdomain(std::span<const uint8_t> data) const {
  const std::string_view s = AsView(data);
  std::shared_lock lock(mu_);
  if (const std::string* c = FindKey(s)) return c;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] != '.') continue;
    if (const std::string* c = FindKey(s.substr(i))) return c;
  }
  return nullptr;
}

int Dataset::InsertLocked(std::string_view key, std::string_view context) {
  if (entries_.find(key) != entries_.end()) return 0;
  const uint64_t cost = key.size() + context.size() + kEntryOverhead;
  if (memuse_ + cost > memcap_) {
    full_.fetch_add(1, std::memory_order_relaxed);
    return -2;
  }
  entries_.emplace(std::string(key), std::string(context));
  memuse_ += cost;
  return 1;
}

int Dataset::Add(std::span<const uint8_t> data) {
  uint8_t scratch[16];
  std::string_view key;
  if (read_only_ || !KeyOf(type_, data, scratch, &key)) return -1;
  {
    std::shared_lock lock(mu_);
    if (FindKey(key) != nullptr) return 0;  // the common case stays on the shared lock
  }
  std::unique_lock lock(mu_);
  return InsertLocked(key, {});
}

int Dataset::Remove(std::span<const uint8_t> data) {
  uint8_t scratch[16];
  std::string_view key;
  if (read_only_ || !KeyOf(type_, data, scratch, &key)) return -1;
  {
    std::shared_lock lock(mu_);
    if (FindKey(key) == nullptr) return 0;
  }
  std::unique_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  memuse_ -= it->first.size() + it->second.size() + kEntryOverhead;
  entries_.erase(it);
  return 1;
}

int Dataset::Insert(std::string key, std::string context) {
  std::unique_lock lock(mu_);
  return InsertLocked(key, context);
}

size_t Dataset::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

uint64_t Dataset::memuse() const {
  std::shared_lock lock(mu_);
  return memuse_;
}

std::vector<std::string> Dataset::Keys() const {
  std::vector<std::string> out;
  {
    std::shared_lock lock(mu_);
    out.reserve(entries_.size());
    for (const auto& [k, v] : entries_) out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Dataset*> DatasetStore::Get(const rules::DatasetMatch& m, const std::string& load_path,
                                   const DatasetDefaults& defaults) {
  auto it = sets_.find(m.name);
  if (it != sets_.end()) {
    if (it->second->type() != m.type) {
      return Error(ErrorCode::kInvalidArgument,
                   "dataset '" + m.name + "' is type " + std::string(rules::DatasetTypeName(it->second->type())) +
                       " in an earlier rule, not " + std::string(rules::DatasetTypeName(m.type)));
    }
    if (it->second->read_only() && rules::DatasetChanges(m.command)) {
      return Error(ErrorCode::kInvalidArgument,
                   "dataset '" + m.name + "' was loaded from JSON and is read-only: no set/unset");
    }
    return it->second.get();
  }
  auto set = std::make_unique<Dataset>(m.name, m.type, m.memcap ? m.memcap : defaults.memcap,
                                       m.hashsize ? m.hashsize : defaults.hashsize);
  if (!load_path.empty()) VIGIL_CHECK_OK(LoadDataset(set.get(), m, load_path));
  if (m.format != rules::DatasetFormat::kCsv) set->MakeReadOnly();
  Dataset* raw = set.get();
  sets_.emplace(m.name, std::move(set));
  return raw;
}

const Dataset* DatasetStore::Find(std::string_view name) const {
  auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : it->second.get();
}

uint64_t DatasetStore::full_count() const {
  uint64_t n = 0;
  for (const auto& [name, set] : sets_) n += set->full_count();
  return n;
}

}  // namespace vigil::sensor
