// Spool: the sender's persistent queue of batches not yet acknowledged by the receiver.
//
// Each batch is stored under its 8-byte big-endian sequence number in the column family
// "<name>.spool", so iteration order is send order. The next sequence number lives in
// "<name>.spool_meta" and is written in the same atomic WriteBatch as every append, so a sender
// killed at any instant (SIGKILL, power loss with Durability::kSync) reopens with exactly the
// batches it had spooled and never reuses a sequence number.
//
// The spool is bounded in bytes (max_bytes). What happens at the bound is the operator's choice,
// never silent:
//   - kBlock:      Append fails with kLimit ("spool full"); the sender stops taking events until
//                  acknowledgements free space (producers block).
//   - kDropOldest: the oldest batches are deleted in the same write as the new one; the result
//                  reports how many, the caller counts them and logs a warning.
//
//   VIGIL_TRY(auto spool, Spool::Open(db, opts));
//   uint64_t seq = spool->next_seq();
//   VIGIL_TRY(SpoolAppend a, spool->Append(seq, EncodeBatch(seq, ...)));
//   ... on ack n: VIGIL_CHECK_OK(spool->AckThrough(n));
//
// Not thread-safe: one thread (the sender's I/O thread) owns a Spool.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/db.h"

namespace vigil::transport {

enum class SpoolFullPolicy { kBlock, kDropOldest };
// "block" | "drop-oldest"
[[nodiscard]] Result<SpoolFullPolicy> ParseSpoolFullPolicy(std::string_view text);
const char* SpoolFullPolicyName(SpoolFullPolicy p);

struct SpoolOptions {
  std::string name = "transport";              // column family prefix (one spool per upstream)
  uint64_t max_bytes = uint64_t{1} << 30;      // spool.max-bytes: 1 GiB of unacknowledged batches
  SpoolFullPolicy full_policy = SpoolFullPolicy::kBlock;  // spool.full-policy
  // spool.sync: kSync fsyncs each append (survives power loss); kBuffered survives a process
  // crash only. Acknowledgement deletes never need a sync: losing one means a resend, which the
  // receiver de-duplicates.
  storage::Durability append_durability = storage::Durability::kSync;
};

struct SpoolAppend {
  uint64_t dropped_batches = 0;       // kDropOldest: how many old batches made room
  uint64_t dropped_through_seq = 0;   // ...and the highest sequence dropped (0: none)
  size_t appended = 0;                // AppendGroup: how many records (a prefix) were stored
};

class Spool {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Spool>> Open(storage::Db& db, const SpoolOptions& options);

  // Stores `record` under `seq`, which must equal next_seq(). kLimit when the record cannot fit:
  // under kBlock because the spool is full, under either policy when the record alone exceeds
  // max_bytes.
  [[nodiscard]] Result<SpoolAppend> Append(uint64_t seq, std::string_view record);
  // Group commit: stores records[i] under first_seq + i in ONE atomic write (one fsync under
  // kSync). Stores the longest prefix that fits (result.appended, >= 1); kLimit when not even
  // the first record fits (kBlock: spool full; either policy: record larger than max_bytes).
  [[nodiscard]] Result<SpoolAppend> AppendGroup(uint64_t first_seq, std::span<const std::string_view> records);
  // Deletes every batch with sequence <= seq (cumulative acknowledgement). Sequences not in the
  // spool are ignored.
  Status AckThrough(uint64_t seq);
  // Moves every spooled batch and next_seq() so that sequences continue from `first`, which
  // must be >= next_seq(). `reencode(new_seq, old_record)` returns the record for its new
  // number. One atomic write. Used when the receiver has already seen our sequence numbers
  // (this sender's Db was replaced): without it the receiver would take new batches for
  // duplicates.
  Status Rebase(uint64_t first,
                const std::function<Result<std::string>(uint64_t new_seq, std::string_view old)>& reencode);
  // The stored record, or std::nullopt when seq is not (or no longer) in the spool.
  [[nodiscard]] Result<std::optional<std::string>> Read(uint64_t seq) const;

  bool Fits(uint64_t record_bytes) const { return bytes_ + record_bytes <= options_.max_bytes; }
  uint64_t next_seq() const { return next_seq_; }
  uint64_t oldest_seq() const { return index_.empty() ? 0 : index_.front().seq; }
  // The sequence after the newest spooled one (== next_seq()); batches in [oldest, next) may
  // have gaps only where the caller never appended.
  uint64_t bytes() const { return bytes_; }
  uint64_t count() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  const SpoolOptions& options() const { return options_; }

 private:
  struct Entry {
    uint64_t seq;
    uint64_t bytes;
  };
  Spool(storage::Db& db, SpoolOptions options) : db_(db), options_(std::move(options)) {}
  Status Load();

  storage::Db& db_;
  SpoolOptions options_;
  storage::ColumnFamily data_;
  storage::ColumnFamily meta_;
  std::deque<Entry> index_;  // every spooled batch in sequence order: sizes for the byte bound
  // AppendGroup's write batch, cleared and reused: its buffer keeps the capacity of the largest
  // group (a fresh one would grow to a group's size by repeated reallocation and copying).
  storage::WriteBatch append_wb_;
  uint64_t bytes_ = 0;
  uint64_t next_seq_ = 1;
};

}  // namespace vigil::transport
