// DistinctCounter: how many distinct values a value_count window holds, kept as the window
// slides (Add when an entry enters, Remove when it leaves).
//
// Values are 64-bit hashes of the field's text. Up to kSmall distinct values live in a short
// vector scanned linearly; past that, in an open-addressing table (linear probing, backward-
// shift deletion, load at most 1/2) of (value, occurrences) cells: no allocation per new value,
// and a probe touches one or two cache lines. A port scan's window holds thousands of distinct
// ports, entering and leaving at the event rate.
//
//   DistinctCounter d;  d.Add(h1); d.Add(h1); d.Add(h2);  // d.size() == 2
//   d.Remove(h1);                                       // still 2: h1 occurs once more
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vigil {

class DistinctCounter {
 public:
  static constexpr size_t kSmall = 32;

  void Add(uint64_t h) {
    if (cells_.empty()) {
      for (auto& [k, n] : small_) {
        if (k == h) {
          ++n;
          return;
        }
      }
      if (small_.size() < kSmall) {
        small_.emplace_back(h, 1);
        return;
      }
      Rehash(kSmall * 4);
      for (const auto& [k, n] : small_) Insert(k, n);
      small_.clear();
    }
    Cell& c = cells_[Probe(h)];
    if (c.count == 0) {
      c.value = h;
      if (++used_ * 2 > cells_.size()) {
        c.count = 1;
        Rehash(cells_.size() * 2);
        return;
      }
    }
    ++c.count;
  }

  void Remove(uint64_t h) {
    if (cells_.empty()) {
      for (size_t i = 0; i < small_.size(); ++i) {
        if (small_[i].first == h && --small_[i].second == 0) {
          small_[i] = small_.back();
          small_.pop_back();
          return;
        }
      }
      return;
    }
    size_t i = Probe(h);
    if (cells_[i].count == 0 || --cells_[i].count != 0) return;
    --used_;
    // Backward shift: pull later cells of the probe run into the hole unless their home slot
    // lies cyclically in (hole, their position].
    const size_t mask = cells_.size() - 1;
    for (size_t j = (i + 1) & mask; cells_[j].count != 0; j = (j + 1) & mask) {
      const size_t home = Home(cells_[j].value);
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      cells_[i] = cells_[j];
      cells_[j].count = 0;
      i = j;
    }
  }

  size_t size() const { return cells_.empty() ? small_.size() : used_; }

  // Empties the counter and gives its memory back (an idle group keeps nothing).
  void clear() {
    small_.clear();
    small_.shrink_to_fit();
    cells_.clear();
    cells_.shrink_to_fit();
    used_ = 0;
  }

 private:
  struct Cell {
    uint64_t value = 0;
    uint32_t count = 0;  // 0: empty
  };

  size_t Home(uint64_t h) const {
    // The values are already hashes; mixing the high bits in guards against poorly spread ones.
    return static_cast<size_t>(h ^ (h >> 32)) & (cells_.size() - 1);
  }
  // The cell holding h, or the empty cell where it would go.
  size_t Probe(uint64_t h) const {
    const size_t mask = cells_.size() - 1;
    size_t i = Home(h);
    while (cells_[i].count != 0 && cells_[i].value != h) i = (i + 1) & mask;
    return i;
  }
  void Insert(uint64_t h, uint32_t n) {
    Cell& c = cells_[Probe(h)];
    c.value = h;
    c.count = n;
    ++used_;
  }
  void Rehash(size_t capacity) {
    std::vector<Cell> old = std::move(cells_);
    cells_.assign(capacity, Cell{});
    used_ = 0;
    for (const Cell& c : old) {
      if (c.count != 0) Insert(c.value, c.count);
    }
  }

  std::vector<std::pair<uint64_t, uint32_t>> small_;
  std::vector<Cell> cells_;  // power-of-two size once past kSmall values
  size_t used_ = 0;          // cells_ in use
};

}  // namespace vigil
