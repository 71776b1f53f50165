#include "transport/spool.h"

#include "storage/key_codec.h"

namespace vigil::transport {
namespace {

constexpr std::string_view kNextSeqKey = "next_seq";
// AppendGroup keeps its write batch's buffer for the next group up to this size.
constexpr size_t kKeepBatchBytes = 32u << 20;

}  // namespace

Result<SpoolFullPolicy> ParseSpoolFullPolicy(std::string_view text) {
  if (text == "block") return SpoolFullPolicy::kBlock;
  if (text == "drop-oldest") return SpoolFullPolicy::kDropOldest;
  return Error(ErrorCode::kInvalidArgument,
               "spool.full-policy: '" + std::string(text) + "' (expected block or drop-oldest)");
}

const char* SpoolFullPolicyName(SpoolFullPolicy p) {
  return p == SpoolFullPolicy::kBlock ? "block" : "drop-oldest";
}

Result<std::unique_ptr<Spool>> Spool::Open(storage::Db& db, const SpoolOptions& options) {
  if (options.max_bytes == 0) return Error(ErrorCode::kInvalidArgument, "spool.max-bytes must be > 0");
  std::unique_ptr<Spool> s(new Spool(db, options));
  VIGIL_TRY(s->data_, db.OpenFamily(options.name + ".spool"));
  VIGIL_TRY(s->meta_, db.OpenFamily(options.name + ".spool_meta"));
  VIGIL_CHECK_OK(s->Load());
  return s;
}

Status Spool::Load() {
  VIGIL_TRY(auto next, db_.Get(meta_, kNextSeqKey));
  if (next) {
    VIGIL_TRY(next_seq_, storage::GetU64BE(*next, 0));
  }
  auto it = db_.NewIterator(data_);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    if (it.key().size() != 8) {
      return Error(ErrorCode::kCorrupt, "spool " + options_.name + ": key of " +
                                            std::to_string(it.key().size()) + " bytes");
    }
    index_.push_back({storage::DecodeU64BE(it.key().data()), it.value().size()});
    bytes_ += it.value().size();
  }
  VIGIL_CHECK_OK(it.status());
  // The meta key is written with every append, so this only matters for a spool written by a
  // build that lost it; never reuse a sequence that is still stored.
  if (!index_.empty() && next_seq_ <= index_.back().seq) next_seq_ = index_.back().seq + 1;
  if (next_seq_ == 0) next_seq_ = 1;
  return Ok();
}

Result<SpoolAppend> Spool::Append(uint64_t seq, std::string_view record) {
  const std::string_view one[] = {record};
  VIGIL_TRY(SpoolAppend r, AppendGroup(seq, one));
  return r;
}

Result<SpoolAppend> Spool::AppendGroup(uint64_t first_seq, std::span<const std::string_view> records) {
  if (first_seq != next_seq_) {
    return Error(ErrorCode::kInternal, "spool: append of seq " + std::to_string(first_seq) +
                                           ", expected " + std::to_string(next_seq_));
  }
  if (records.empty()) return SpoolAppend{};
  if (records.front().size() > options_.max_bytes) {
    return Error(ErrorCode::kLimit, "spool: " + std::to_string(records.front().size()) +
                                        "-byte batch larger than spool.max-bytes " +
                                        std::to_string(options_.max_bytes));
  }
  // The longest prefix of the group that can be stored: under kBlock what fits in the free
  // space, under kDropOldest what fits in max_bytes at all (older batches make room).
  const uint64_t room = options_.full_policy == SpoolFullPolicy::kBlock ? options_.max_bytes - bytes_
                                                                        : options_.max_bytes;
  size_t take = 0;
  uint64_t size = 0;
  while (take < records.size() && size + records[take].size() <= room) size += records[take++].size();
  if (take == 0) {
    return Error(ErrorCode::kLimit, "spool full: " + std::to_string(bytes_) + " of " +
                                        std::to_string(options_.max_bytes) + " bytes");
  }
  SpoolAppend result;
  result.appended = take;
  size_t drop = 0;
  uint64_t freed = 0;
  while (drop < index_.size() && bytes_ - freed + size > options_.max_bytes) {
    freed += index_[drop].bytes;
    ++drop;
  }
  storage::WriteBatch& wb = append_wb_;
  wb.Clear();
  if (drop > 0) {
    result.dropped_batches = drop;
    result.dropped_through_seq = index_[drop - 1].seq;
    VIGIL_CHECK_OK(wb.DeleteRange(data_, storage::U64Key(index_.front().seq),
                                  storage::U64Key(result.dropped_through_seq + 1)));
  }
  for (size_t i = 0; i < take; ++i) VIGIL_CHECK_OK(wb.Put(data_, storage::U64Key(first_seq + i), records[i]));
  VIGIL_CHECK_OK(wb.Put(meta_, kNextSeqKey, storage::U64Key(first_seq + take)));
  // One write (one fsync under kSync) for the whole group: this is the sender's group commit.
  VIGIL_CHECK_OK(db_.Write(wb, options_.append_durability));
  if (wb.byte_size() > kKeepBatchBytes) append_wb_ = storage::WriteBatch();  // do not hold on to a huge one
  // Memory state follows only after the write succeeded.
  index_.erase(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(drop));
  bytes_ -= freed;
  for (size_t i = 0; i < take; ++i) index_.push_back({first_seq + i, records[i].size()});
  bytes_ += size;
  next_seq_ = first_seq + take;
  return result;
}

Status Spool::AckThrough(uint64_t seq) {
  if (index_.empty() || seq < index_.front().seq) return Ok();
  size_t n = 0;
  uint64_t freed = 0;
  while (n < index_.size() && index_[n].seq <= seq) freed += index_[n++].bytes;
  storage::WriteBatch wb;
  VIGIL_CHECK_OK(wb.DeleteRange(data_, storage::U64Key(index_.front().seq),
                                storage::U64Key(index_[n - 1].seq + 1)));
  VIGIL_CHECK_OK(db_.Write(wb, storage::Durability::kBuffered));
  index_.erase(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(n));
  bytes_ -= freed;
  return Ok();
}

Status Spool::Rebase(uint64_t first,
                     const std::function<Result<std::string>(uint64_t new_seq, std::string_view old)>& reencode) {
  if (first < next_seq_) {
    return Error(ErrorCode::kInternal, "spool: rebase to " + std::to_string(first) + " below next seq " +
                                           std::to_string(next_seq_));
  }
  storage::WriteBatch wb;
  std::deque<Entry> index;
  uint64_t bytes = 0;
  uint64_t seq = first;
  for (const Entry& e : index_) {
    VIGIL_TRY(auto old, Read(e.seq));
    if (!old) return Error(ErrorCode::kCorrupt, "spool: seq " + std::to_string(e.seq) + " indexed but missing");
    VIGIL_TRY(std::string rec, reencode(seq, *old));
    VIGIL_CHECK_OK(wb.Put(data_, storage::U64Key(seq), rec));
    index.push_back({seq, rec.size()});
    bytes += rec.size();
    ++seq;
  }
  if (!index_.empty()) {
    VIGIL_CHECK_OK(wb.DeleteRange(data_, storage::U64Key(index_.front().seq),
                                  storage::U64Key(index_.back().seq + 1)));
  }
  VIGIL_CHECK_OK(wb.Put(meta_, kNextSeqKey, storage::U64Key(seq)));
  VIGIL_CHECK_OK(db_.Write(wb, options_.append_durability));
  index_ = std::move(index);
  bytes_ = bytes;
  next_seq_ = seq;
  return Ok();
}

Result<std::optional<std::string>> Spool::Read(uint64_t seq) const {
  return db_.Get(data_, storage::U64Key(seq));
}

}  // namespace vigil::transport
