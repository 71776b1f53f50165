// LazyArray<T>: a fixed-capacity array whose elements are constructed only when first used.
//
// Per-flow state lives in arrays parallel to the flow table (indexed by Flow::index), sized for
// the table's capacity — up to hundreds of thousands of entries — while a run may use a few
// hundred. The storage is reserved once (untouched pages cost no memory), elements up to the
// highest index used are constructed on demand, and nothing is ever moved, so T may be
// non-movable (TcpSession). Not thread-safe: one worker owns it.
//
//   LazyArray<TcpSession> sessions(capacity, [&](TcpSession& s) { s.Bind(ctx); });
//   TcpSession& s = sessions.At(flow.index);     // constructed (and bound) on first use
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>

namespace vigil::sensor {

template <typename T>
class LazyArray {
 public:
  using Init = std::function<void(T&)>;

  explicit LazyArray(size_t capacity, Init init = {})
      : capacity_(capacity),
        storage_(capacity > 0 ? static_cast<T*>(::operator new(capacity * sizeof(T),
                                                               std::align_val_t{alignof(T)}))
                              : nullptr),
        init_(std::move(init)) {}
  ~LazyArray() {
    for (size_t i = 0; i < constructed_; ++i) storage_[i].~T();
    if (storage_ != nullptr) ::operator delete(storage_, std::align_val_t{alignof(T)});
  }
  LazyArray(const LazyArray&) = delete;
  LazyArray& operator=(const LazyArray&) = delete;

  size_t capacity() const { return capacity_; }
  // Elements constructed so far (indices below this are live).
  size_t constructed() const { return constructed_; }
  bool IsConstructed(size_t i) const { return i < constructed_; }

  // Element i, constructing every element up to it first. i must be < capacity().
  T& At(size_t i) {
    while (constructed_ <= i) {
      T* p = new (&storage_[constructed_]) T();
      ++constructed_;
      if (init_) init_(*p);
    }
    return storage_[i];
  }
  // Element i, which must already be constructed.
  T& operator[](size_t i) { return storage_[i]; }

 private:
  size_t capacity_;
  T* storage_;
  size_t constructed_ = 0;
  Init init_;
};

}  // namespace vigil::sensor
