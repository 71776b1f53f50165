#include "storage/iterator.h"

#include "storage/rocksdb_status.h"

namespace vigil::storage {

Iterator::~Iterator() = default;

std::string_view Iterator::key() const {
  rocksdb::Slice s = it_->key();
  return {s.data(), s.size()};
}

std::string_view Iterator::value() const {
  rocksdb::Slice s = it_->value();
  return {s.data(), s.size()};
}

Status Iterator::status() const {
  if (!it_) return Error(ErrorCode::kInternal, "iterator used before creation");
  return CheckRocks(it_->status(), "iterate");
}

}  // namespace vigil::storage
