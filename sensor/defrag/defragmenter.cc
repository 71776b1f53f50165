#include "sensor/defrag/defragmenter.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

namespace {

constexpr uint32_t kNone = ChunkPool::kNone;
constexpr uint32_t kIpv4MaxPacket = 65535;   // total length field
constexpr uint32_t kIpv6MaxPayload = 65535;  // payload length field (no jumbograms)
constexpr size_t kIpv6FixedHeader = 40;

enum Counter : uint32_t {
  kV4Fragments,
  kV6Fragments,
  kV4Reassembled,
  kV6Reassembled,
  kTimeouts,
  kMemcapDrops,
  kTrackerDrops,
  kMaxFragmentsDrops,
  kDuplicates,
  kInvalidDrops,
  kTrackersActive,
  kMemuse,
  kFirstEvent,  // then one counter per DefragEvent bit
};

constexpr CounterDef kCounterDefs[] = {
    {"defrag.ipv4.fragments", "IPv4 fragments seen by the defragmenter"},
    {"defrag.ipv6.fragments", "IPv6 fragments seen by the defragmenter"},
    {"defrag.ipv4.reassembled", "IPv4 datagrams reassembled from fragments"},
    {"defrag.ipv6.reassembled", "IPv6 datagrams reassembled from fragments"},
    {"defrag.timeouts", "datagrams dropped incomplete after the defrag timeout"},
    {"defrag.memcap_drops", "fragments dropped because the defrag memcap was full"},
    {"defrag.tracker_drops", "fragments dropped because max_trackers datagrams were in progress"},
    {"defrag.max_fragments_drops", "fragments dropped past max_fragments for one datagram"},
    {"defrag.duplicates", "exact duplicate fragments ignored"},
    {"defrag.invalid_drops", "fragments dropped as malformed, too large or beyond the end"},
    {"defrag.trackers_active", "gauge: datagrams being reassembled"},
    {"defrag.memuse", "gauge: bytes held against the defrag memcap"},
    {"defrag.ipv4.fragment_overlap", "IPv4 fragments overlapping data already held"},
    {"defrag.ipv6.fragment_overlap", "IPv6 fragments overlapping data already held"},
    {"defrag.ipv4.overlap_different_data", "IPv4 fragment overlaps whose bytes differ"},
    {"defrag.ipv6.overlap_different_data", "IPv6 fragment overlaps whose bytes differ"},
    {"defrag.ipv4.fragment_too_large", "IPv4 fragments reaching past 65535 bytes"},
    {"defrag.ipv6.fragment_too_large", "IPv6 fragments reaching past 65535 bytes"},
    {"defrag.ipv4.reassembly_too_large", "IPv4 fragments past max_datagram_size"},
    {"defrag.ipv6.reassembly_too_large", "IPv6 fragments past max_datagram_size"},
    {"defrag.ipv4.fragment_invalid_length", "IPv4 non-last fragments not a multiple of 8"},
    {"defrag.ipv6.fragment_invalid_length", "IPv6 non-last fragments not a multiple of 8"},
    {"defrag.ipv4.fragment_beyond_end", "IPv4 fragment data past the datagram's end"},
    {"defrag.ipv6.fragment_beyond_end", "IPv6 fragment data past the datagram's end"},
    {"defrag.ipv4.too_many_fragments", "IPv4 datagrams that hit max_fragments"},
    {"defrag.ipv6.too_many_fragments", "IPv6 datagrams that hit max_fragments"},
    {"defrag.ipv4.invalid_header", "IPv4 fragments with unusable header or metadata"},
    {"defrag.ipv6.invalid_header", "IPv6 fragments with unusable header chain or metadata"},
};
static_assert(std::size(kCounterDefs) == kFirstEvent + kDefragEventCount);

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint16_t Ipv4Checksum(const uint8_t* h, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// Walks the IPv6 extension headers of the unfragmentable part to the Fragment header. On success
// sets *keep to the bytes before the Fragment header and *nh_pos to the offset of the next-header
// byte that names it (to be rewritten with the fragment's next protocol).
bool FindIpv6FragmentHeader(const uint8_t* h, size_t len, uint16_t* keep, uint16_t* nh_pos) {
  if (len < kIpv6FixedHeader) return false;
  size_t pos = kIpv6FixedHeader;
  size_t nh_at = 6;
  uint8_t nh = h[6];
  // Only hop-by-hop (0), routing (43) and destination options (60) may precede the Fragment
  // header (RFC 8200 4.1); each is (next header, length in 8-octet units beyond the first).
  while (nh != 44) {
    if (nh != 0 && nh != 43 && nh != 60) return false;
    if (pos + 2 > len) return false;
    size_t ext = (static_cast<size_t>(h[pos + 1]) + 1) * 8;
    if (pos + ext > len) return false;
    nh_at = pos;
    nh = h[pos];
    pos += ext;
  }
  *keep = static_cast<uint16_t>(pos);
  *nh_pos = static_cast<uint16_t>(nh_at);
  return true;
}

}  // namespace

// Both records live at the start of a pool chunk (see ChunkPool::Construct).
struct Defragmenter::Tracker {
  Key key;
  uint64_t hash = 0;
  Timestamp last_seen{};
  uint32_t hash_next = kNone;
  uint32_t lru_prev = kNone;
  uint32_t lru_next = kNone;
  uint32_t frag_head = kNone;    // fragment chains sorted by (offset, arrival)
  uint32_t frag_count = 0;
  uint32_t header_head = kNone;  // copy of the winning offset-0 fragment's IP header
  uint32_t header_seq = 0;
  uint32_t next_seq = 0;         // arrival order of fragments within this datagram
  uint32_t total_len = 0;        // payload length, known once the last fragment arrived
  uint16_t header_len = 0;
  uint16_t nh_pos = 0;           // IPv6: next-header byte to rewrite
  bool total_known = false;
};

struct Defragmenter::FragRecord {
  uint32_t offset = 0;
  uint32_t len = 0;
  uint32_t seq = 0;
  uint32_t next = kNone;
  bool more = false;
};

namespace {
// Fragment bytes start after the record, 8-aligned.
constexpr size_t kFragSkip = 24;
}  // namespace

Result<CounterGroup> Defragmenter::RegisterCounters(CounterRegistry& registry) {
  static_assert(sizeof(FragRecord) <= kFragSkip);
  return registry.Register(kCounterDefs);
}

Defragmenter::Defragmenter(const DefragConfig& config, CounterGroup counters, CounterBlock* block)
    : config_(config),
      counters_(counters),
      block_(block),
      pool_(config.memcap),
      buckets_(config.hash_buckets, kNone),
      scratch_(config.max_fragments),
      out_(kIpv6FixedHeader + 65535 + 8) {}

Defragmenter::Key Defragmenter::MakeKey(const Packet& p) {
  Key k;
  k.src = p.src.bytes;
  k.dst = p.dst.bytes;
  k.id = p.frag.id;
  if (p.vlan_count > 0) k.vlan[0] = p.vlan[0];
  if (p.vlan_count > 1) k.vlan[1] = p.vlan[1];
  k.proto = p.frag.next_proto;
  k.version = p.ip_version;
  return k;
}

uint64_t Defragmenter::HashKey(const Key& k) const {
  static_assert(sizeof(Key) == 44);
  uint64_t h = config_.hash_seed ^ 0x9e3779b97f4a7c15ULL;
  const auto* b = reinterpret_cast<const unsigned char*>(&k);
  for (size_t i = 0; i < sizeof(Key); i += 4) {
    uint32_t w;
    std::memcpy(&w, b + i, 4);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  return Mix(h);
}

uint32_t Defragmenter::Find(const Key& k, uint64_t hash) const {
  uint32_t t = buckets_[hash & (config_.hash_buckets - 1)];
  while (t != kNone) {
    const Tracker& tr = pool_.As<Tracker>(t);
    if (tr.hash == hash && std::memcmp(&tr.key, &k, sizeof(Key)) == 0) return t;
    t = tr.hash_next;
  }
  return kNone;
}

void Defragmenter::LruUnlink(uint32_t t) {
  Tracker& tr = pool_.As<Tracker>(t);
  if (tr.lru_prev != kNone) pool_.As<Tracker>(tr.lru_prev).lru_next = tr.lru_next;
  else lru_head_ = tr.lru_next;
  if (tr.lru_next != kNone) pool_.As<Tracker>(tr.lru_next).lru_prev = tr.lru_prev;
  else lru_tail_ = tr.lru_prev;
  tr.lru_prev = tr.lru_next = kNone;
}

void Defragmenter::LruPushBack(uint32_t t) {
  Tracker& tr = pool_.As<Tracker>(t);
  tr.lru_prev = lru_tail_;
  tr.lru_next = kNone;
  if (lru_tail_ != kNone) pool_.As<Tracker>(lru_tail_).lru_next = t;
  else lru_head_ = t;
  lru_tail_ = t;
}

void Defragmenter::FreeTracker(uint32_t t) {
  Tracker& tr = pool_.As<Tracker>(t);
  uint32_t* link = &buckets_[tr.hash & (config_.hash_buckets - 1)];
  while (*link != t) link = &pool_.As<Tracker>(*link).hash_next;
  *link = tr.hash_next;
  LruUnlink(t);
  for (uint32_t f = tr.frag_head; f != kNone;) {
    uint32_t nx = pool_.As<FragRecord>(f).next;
    pool_.FreeChain(f);
    f = nx;
  }
  if (tr.header_head != kNone) pool_.FreeChain(tr.header_head);
  pool_.FreeChain(t);
  --active_trackers_;
}

void Defragmenter::Expire(Timestamp now) {
  // The LRU list is ordered by last update and updates only move forward in time (now_ never
  // goes back), so the first tracker that has not timed out ends the scan.
  while (lru_head_ != kNone && now - pool_.As<Tracker>(lru_head_).last_seen >= config_.timeout_ns) {
    FreeTracker(lru_head_);
    block_->Add(counters_[kTimeouts]);
  }
}

void Defragmenter::Sweep(Timestamp now) {
  if (now > now_) now_ = now;
  Expire(now_);
  block_->Set(counters_[kTrackersActive], active_trackers_);
  block_->Set(counters_[kMemuse], pool_.memuse());
}

void Defragmenter::Clear() {
  while (lru_head_ != kNone) FreeTracker(lru_head_);
  block_->Set(counters_[kTrackersActive], 0);
  block_->Set(counters_[kMemuse], pool_.memuse());
}

void Defragmenter::Raise(DefragResult& r, DefragAnomaly a, bool ipv6) {
  unsigned bit = DefragEventBit(a, ipv6);
  if (!(r.events & (1u << bit))) block_->Add(counters_[kFirstEvent + bit]);
  r.events |= 1u << bit;
}

DefragResult Defragmenter::Drop(DefragResult r, DefragDrop why) {
  r.action = DefragAction::kDropped;
  r.drop = why;
  switch (why) {
    case DefragDrop::kMemcap: block_->Add(counters_[kMemcapDrops]); break;
    case DefragDrop::kTrackerLimit: block_->Add(counters_[kTrackerDrops]); break;
    case DefragDrop::kTooManyFragments: block_->Add(counters_[kMaxFragmentsDrops]); break;
    case DefragDrop::kDuplicate: block_->Add(counters_[kDuplicates]); break;
    case DefragDrop::kNone: break;
    default: block_->Add(counters_[kInvalidDrops]); break;
  }
  block_->Set(counters_[kTrackersActive], active_trackers_);
  block_->Set(counters_[kMemuse], pool_.memuse());
  return r;
}

bool Defragmenter::Complete(const Tracker& t) const {
  if (!t.total_known || t.header_head == kNone) return false;
  uint64_t covered = 0;
  for (uint32_t f = t.frag_head; f != kNone;) {
    const FragRecord& fr = pool_.As<FragRecord>(f);
    if (fr.offset > covered) return false;  // a hole
    covered = std::max<uint64_t>(covered, uint64_t{fr.offset} + fr.len);
    if (covered >= t.total_len) return true;
    f = fr.next;
  }
  return covered >= t.total_len;
}

bool Defragmenter::BuildDatagram(uint32_t ti, std::span<const uint8_t>* out) {
  const Tracker& t = pool_.As<Tracker>(ti);
  const size_t hl = t.header_len;
  const size_t total = t.total_len;
  const bool v6 = t.key.version == 6;
  if (hl + total > out_.size()) return false;
  if (v6 ? (hl - kIpv6FixedHeader + total > kIpv6MaxPayload) : (hl + total > kIpv4MaxPacket)) {
    return false;
  }
  uint8_t* o = out_.data();
  pool_.Read(t.header_head, 0, 0, o, hl);

  // Painter's algorithm: lay the fragments down from lowest to highest priority under the
  // policy, so each byte ends up from the fragment that wins it.
  uint32_t n = 0;
  for (uint32_t f = t.frag_head; f != kNone; f = pool_.As<FragRecord>(f).next) scratch_[n++] = f;
  auto rec = [this](uint32_t f) -> const FragRecord& { return pool_.As<FragRecord>(f); };
  auto by = [&](auto less) { std::sort(scratch_.begin(), scratch_.begin() + n, less); };
  switch (config_.policy) {
    case DefragPolicy::kFirst:  // earliest arrival painted last
      by([&](uint32_t a, uint32_t b) { return rec(a).seq > rec(b).seq; });
      break;
    case DefragPolicy::kLast:
      by([&](uint32_t a, uint32_t b) { return rec(a).seq < rec(b).seq; });
      break;
    case DefragPolicy::kBsd:  // lowest offset painted last; at equal offsets the first
      by([&](uint32_t a, uint32_t b) {
        if (rec(a).offset != rec(b).offset) return rec(a).offset > rec(b).offset;
        return rec(a).seq > rec(b).seq;
      });
      break;
    case DefragPolicy::kLinux:  // lowest offset painted last; at equal offsets the last
      by([&](uint32_t a, uint32_t b) {
        if (rec(a).offset != rec(b).offset) return rec(a).offset > rec(b).offset;
        return rec(a).seq < rec(b).seq;
      });
      break;
  }
  for (uint32_t i = 0; i < n; ++i) {
    const FragRecord& fr = rec(scratch_[i]);
    if (fr.offset >= total) continue;
    size_t len = std::min<size_t>(fr.len, total - fr.offset);
    pool_.Read(scratch_[i], kFragSkip, 0, o + hl + fr.offset, len);
  }

  if (v6) {
    o[t.nh_pos] = t.key.proto;
    size_t plen = hl - kIpv6FixedHeader + total;
    o[4] = static_cast<uint8_t>(plen >> 8);
    o[5] = static_cast<uint8_t>(plen);
  } else {
    size_t tot = hl + total;
    o[2] = static_cast<uint8_t>(tot >> 8);
    o[3] = static_cast<uint8_t>(tot);
    o[6] = 0;  // flags (DF, MF) and fragment offset
    o[7] = 0;
    o[10] = 0;
    o[11] = 0;
    uint16_t c = Ipv4Checksum(o, hl);
    o[10] = static_cast<uint8_t>(c >> 8);
    o[11] = static_cast<uint8_t>(c);
  }
  *out = std::span<const uint8_t>(o, hl + total);
  return true;
}

DefragResult Defragmenter::Process(const Packet& p) {
  DefragResult r;
  if (!p.is_fragment) return r;
  if (p.ts > now_) now_ = p.ts;
  Expire(now_);

  const FragmentInfo& f = p.frag;
  const bool v6 = p.ip_version == 6;
  block_->Add(counters_[v6 ? kV6Fragments : kV4Fragments]);

  // ---- Checks on the fragment alone ----
  const uint8_t* ih = f.ip_header;
  const size_t ihl = f.ip_header_len;
  bool header_ok = ih != nullptr && (f.data != nullptr || f.data_len == 0);
  if (header_ok && p.ip_version == 4) {
    header_ok = ihl >= 20 && ihl <= 60 && (ih[0] >> 4) == 4 && size_t{ih[0] & 0x0fu} * 4 == ihl;
  } else if (header_ok && v6) {
    header_ok = ihl >= kIpv6FixedHeader && (ih[0] >> 4) == 6;
  } else {
    header_ok = false;
  }
  if (!header_ok) {
    Raise(r, DefragAnomaly::kInvalidHeader, v6);
    return Drop(r, DefragDrop::kInvalid);
  }
  const uint64_t end = uint64_t{f.offset} + f.data_len;
  // A non-last fragment must carry a multiple of 8 bytes (the offset unit); an "unfragmented"
  // fragment (offset 0, last, empty) carries nothing to reassemble.
  if ((f.more_fragments && (f.data_len == 0 || f.data_len % 8 != 0)) ||
      (!f.more_fragments && end == 0)) {
    Raise(r, DefragAnomaly::kInvalidLength, v6);
    return Drop(r, DefragDrop::kInvalid);
  }
  if (v6 ? end > kIpv6MaxPayload : end + ihl > kIpv4MaxPacket) {
    Raise(r, DefragAnomaly::kFragmentTooLarge, v6);
    return Drop(r, DefragDrop::kTooLarge);
  }
  if (end > config_.max_datagram_size) {
    Raise(r, DefragAnomaly::kReassemblyTooLarge, v6);
    return Drop(r, DefragDrop::kTooLarge);
  }
  uint16_t keep = static_cast<uint16_t>(ihl);
  uint16_t nh_pos = 0;
  if (v6 && f.offset == 0 && !FindIpv6FragmentHeader(ih, ihl, &keep, &nh_pos)) {
    Raise(r, DefragAnomaly::kInvalidHeader, v6);
    return Drop(r, DefragDrop::kInvalid);
  }

  // ---- Checks against the datagram's tracker ----
  const Key key = MakeKey(p);
  const uint64_t hash = HashKey(key);
  uint32_t ti = Find(key, hash);
  const bool prefer_last =
      config_.policy == DefragPolicy::kLast || config_.policy == DefragPolicy::kLinux;
  bool want_header = f.offset == 0;
  if (ti != kNone) {
    Tracker& t = pool_.As<Tracker>(ti);
    if (t.total_known && (end > t.total_len || (!f.more_fragments && end != t.total_len))) {
      Raise(r, DefragAnomaly::kBeyondEnd, v6);
      return Drop(r, DefragDrop::kBeyondEnd);
    }
    bool overlap = false, differ = false, duplicate = false;
    for (uint32_t e = t.frag_head; e != kNone;) {
      const FragRecord& er = pool_.As<FragRecord>(e);
      uint64_t lo = std::max<uint64_t>(er.offset, f.offset);
      uint64_t hi = std::min<uint64_t>(uint64_t{er.offset} + er.len, end);
      if (lo < hi) {
        bool same = pool_.Equal(e, kFragSkip, lo - er.offset, f.data + (lo - f.offset), hi - lo);
        if (same && er.offset == f.offset && er.len == f.data_len && er.more == f.more_fragments) {
          duplicate = true;
          break;
        }
        overlap = true;
        differ |= !same;
      }
      e = er.next;
    }
    if (duplicate) {
      // A retransmitted copy adds nothing under any policy; not an anomaly.
      t.last_seen = now_;
      LruUnlink(ti);
      LruPushBack(ti);
      return Drop(r, DefragDrop::kDuplicate);
    }
    if (overlap) Raise(r, DefragAnomaly::kOverlap, v6);
    if (differ) Raise(r, DefragAnomaly::kOverlapDifferentData, v6);
    if (t.frag_count >= config_.max_fragments) {
      Raise(r, DefragAnomaly::kTooManyFragments, v6);
      return Drop(r, DefragDrop::kTooManyFragments);
    }
    want_header = want_header && (t.header_head == kNone || prefer_last);
  } else if (active_trackers_ >= config_.max_trackers) {
    return Drop(r, DefragDrop::kTrackerLimit);
  }

  // ---- Store ----
  const uint32_t frag_chunks = ChunkPool::ChunksFor(kFragSkip, f.data_len);
  const uint32_t header_chunks = want_header ? ChunkPool::ChunksFor(0, keep) : 0;
  if (frag_chunks + header_chunks + (ti == kNone ? 1u : 0u) > pool_.available()) {
    return Drop(r, DefragDrop::kMemcap);
  }
  if (ti == kNone) {
    ti = pool_.AllocChain(1);
    Tracker& t = pool_.Construct<Tracker>(ti);
    t.key = key;
    t.hash = hash;
    uint32_t& bucket = buckets_[hash & (config_.hash_buckets - 1)];
    t.hash_next = bucket;
    bucket = ti;
    LruPushBack(ti);
    ++active_trackers_;
  }
  Tracker& t = pool_.As<Tracker>(ti);
  const uint32_t seq = t.next_seq++;

  uint32_t fi = pool_.AllocChain(frag_chunks);
  FragRecord& fr = pool_.Construct<FragRecord>(fi);
  fr.offset = f.offset;
  fr.len = f.data_len;
  fr.seq = seq;
  fr.more = f.more_fragments;
  if (f.data_len > 0) pool_.Write(fi, kFragSkip, f.data, f.data_len);
  // Insert after every fragment with offset <= ours: sorted by (offset, arrival).
  uint32_t* link = &t.frag_head;
  while (*link != kNone && pool_.As<FragRecord>(*link).offset <= f.offset) {
    link = &pool_.As<FragRecord>(*link).next;
  }
  fr.next = *link;
  *link = fi;
  ++t.frag_count;

  if (want_header) {
    if (t.header_head != kNone) pool_.FreeChain(t.header_head);
    t.header_head = pool_.AllocChain(header_chunks);
    pool_.Write(t.header_head, 0, ih, keep);
    t.header_len = keep;
    t.nh_pos = nh_pos;
    t.header_seq = seq;
  }
  if (!f.more_fragments && !t.total_known) {
    t.total_known = true;
    t.total_len = static_cast<uint32_t>(end);
    for (uint32_t e = t.frag_head; e != kNone; e = pool_.As<FragRecord>(e).next) {
      const FragRecord& er = pool_.As<FragRecord>(e);
      if (uint64_t{er.offset} + er.len > end) {
        Raise(r, DefragAnomaly::kBeyondEnd, v6);
        break;
      }
    }
  }
  t.last_seen = now_;
  LruUnlink(ti);
  LruPushBack(ti);

  r.action = DefragAction::kHeld;
  if (Complete(t)) {
    if (BuildDatagram(ti, &r.datagram)) {
      r.action = DefragAction::kReassembled;
      block_->Add(counters_[v6 ? kV6Reassembled : kV4Reassembled]);
      FreeTracker(ti);
    } else {
      // Only an oversized IPv6 unfragmentable part plus payload gets here.
      FreeTracker(ti);
      Raise(r, DefragAnomaly::kReassemblyTooLarge, v6);
      return Drop(r, DefragDrop::kTooLarge);
    }
  }
  block_->Set(counters_[kTrackersActive], active_trackers_);
  block_->Set(counters_[kMemuse], pool_.memuse());
  return r;
}

}  // namespace vigil::sensor
