// ReuseRing: a FIFO over a power-of-two ring of elements that are reused, not destroyed, when
// popped: push_back() hands back a slot still holding an old element, which the caller assigns
// field by field. For the engine's buffered hits: a hit's group key (a std::string) is assigned
// into the slot's string, which keeps its capacity, so buffering a hit allocates nothing once
// the ring has warmed up; and hits buffered one after another sit next to each other in memory.
//
// Elements are also addressed by a 64-bit position that counts every push since clear():
// positions [begin_pos(), end_pos()) are the live ones. References stay valid until the next
// push_back (which may grow the ring) or clear().
//
//   ReuseRing<Hit> r;  Hit& h = r.push_back();  h.t = ...;  h.key.assign(k);
//   while (!r.empty()) { Use(r.front()); r.pop_front(); }
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vigil {

template <typename T>
class ReuseRing {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  uint64_t begin_pos() const { return first_; }
  uint64_t end_pos() const { return first_ + size_; }

  T& at_pos(uint64_t pos) { return buf_[Index(pos - first_)]; }
  const T& at_pos(uint64_t pos) const { return buf_[Index(pos - first_)]; }
  T& front() { return buf_[head_]; }
  const T& front() const { return buf_[head_]; }
  T& back() { return at_pos(end_pos() - 1); }
  const T& back() const { return at_pos(end_pos() - 1); }

  // A slot at the back holding a reused element (not reset): assign every field.
  T& push_back() {
    if (size_ == buf_.size()) Grow();
    T& slot = buf_[Index(size_)];
    ++size_;
    return slot;
  }
  void pop_front() {
    head_ = Index(1);
    --size_;
    ++first_;
  }
  // Drops every element (keeps the slots for reuse) and restarts positions at 0.
  void clear() {
    head_ = 0;
    size_ = 0;
    first_ = 0;
  }

 private:
  size_t Index(size_t offset) const { return (head_ + offset) & (buf_.size() - 1); }
  void Grow() {
    std::vector<T> next(std::max<size_t>(16, buf_.size() * 2));
    for (size_t i = 0; i < size_; ++i) next[i] = std::move(buf_[Index(i)]);
    buf_ = std::move(next);
    head_ = 0;
  }

  std::vector<T> buf_;  // power-of-two size (or empty)
  size_t head_ = 0;     // index of front()
  size_t size_ = 0;
  uint64_t first_ = 0;  // position of front()
};

}  // namespace vigil
