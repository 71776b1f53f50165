// Dataset / DatasetStore: the named sets behind the `dataset` keyword (rules/signature/
// dataset_option.h), shared by every rule that names them and by every worker thread.
//
// A Dataset holds keys of one type: string (any bytes), md5 (16 raw bytes), sha256 (32), ipv4
// (4), ip (16; an IPv4 address is stored as its 4 bytes then 12 zeros, as Suricata does, so an
// ip set matches both ip.src of an IPv4 packet and "::ffff:a.b.c.d" / "a.b.c.d" lines). Each key
// may carry a JSON context (datajson: the entry the key came from), written into the alert.
// Reads take a shared lock and allocate nothing (heterogeneous lookup); set/unset take the
// exclusive lock. The set is bounded by its memcap (key + context bytes + a fixed per-entry
// overhead); an add past it fails and is counted (full_count()).
//
//   DatasetStore store;
//   auto set = store.Get(match, "/rules/ua.csv", DatasetDefaults{});   // creates + loads once
//   if ((*set)->Contains(buf)) ...
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "rules/signature/dataset_option.h"

namespace vigil::sensor {

struct DatasetDefaults {
  uint64_t memcap = 64ull << 20;  // per set, when the rule gives none
  uint32_t hashsize = 4096;       // initial buckets, when the rule gives none
};

class Dataset {
 public:
  // Bytes counted per entry besides key and context (node, hash slot, string headers).
  static constexpr uint64_t kEntryOverhead = 96;

  Dataset(std::string name, rules::DatasetType type, uint64_t memcap, uint32_t hashsize);

  const std::string& name() const { return name_; }
  // A set loaded from JSON carries contexts that alerts point to: it never changes after load
  // (Add / Remove return -1; the store refuses set/unset rules on it).
  bool read_only() const { return read_only_; }
  void MakeReadOnly() { read_only_ = true; }
  rules::DatasetType type() const { return type_; }

  // The key a buffer stands for, in `scratch` or `data` itself; false when the buffer cannot be
  // one (an md5 set and a buffer that is not 16 bytes, an ip set and 5 bytes...).
  static bool KeyOf(rules::DatasetType type, std::span<const uint8_t> data, uint8_t (&scratch)[16],
                    std::string_view* key);

  // Lookups by buffer (normalised with KeyOf). Find returns the entry's context ("" none) or
  // nullptr when absent; the pointer stays valid until that key is removed (loaded JSON sets
  // are read-only, so their contexts live as long as the set).
  bool Contains(std::span<const uint8_t> data) const;
  const std::string* Find(std::span<const uint8_t> data) const;
  // `match subdomain`: the buffer, or any suffix of it that starts at a '.', is in the set.
  const std::string* FindSubdomain(std::span<const uint8_t> data) const;
  // 1: added (removed), 0: already present (absent), -1: not a key of this type, -2: the set
  // is full (add; counted in full_count()).
  int Add(std::span<const uint8_t> data);
  int Remove(std::span<const uint8_t> data);
  // Loading: `key` is already in stored form. Duplicates keep the first context (returns 0).
  int Insert(std::string key, std::string context);

  size_t size() const;
  uint64_t memuse() const;
  uint64_t full_count() const { return full_.load(std::memory_order_relaxed); }
  // The keys in stored form (for save and tests), sorted.
  std::vector<std::string> Keys() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const std::string* FindKey(std::string_view key) const;  // caller holds the lock
  int InsertLocked(std::string_view key, std::string_view context);

  std::string name_;
  rules::DatasetType type_;
  uint64_t memcap_;
  uint64_t memuse_ = 0;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> entries_;
  std::atomic<uint64_t> full_{0};
  bool read_only_ = false;
};

// The sets of one detection engine, by name. Built single-threaded at engine load; after that
// the map is read-only and each Dataset synchronises itself.
class DatasetStore {
 public:
  // The set `m` names, created (and filled from `load_path`, "" none) on first use. A later rule
  // naming the same set must give the same type; its own load file is then not read again.
  Result<Dataset*> Get(const rules::DatasetMatch& m, const std::string& load_path,
                       const DatasetDefaults& defaults);
  const Dataset* Find(std::string_view name) const;
  size_t size() const { return sets_.size(); }
  // Sum of the sets' full_count().
  uint64_t full_count() const;

 private:
  std::map<std::string, std::unique_ptr<Dataset>, std::less<>> sets_;
};

}  // namespace vigil::sensor
