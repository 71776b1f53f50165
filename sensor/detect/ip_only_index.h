// IpOnlyIndex: a prefilter for header-only rules keyed on addresses (IP reputation lists such
// as "ET CINS Active Threat Intelligence" or "ET DROP Spamhaus"), the role of Suricata's
// IP-only engine.
//
// Such rules have no content, so without an index every packet of their group would evaluate
// all of them (ET Open 2024: ~1,200 per packet). For each rule the smaller of its source and
// destination address sets is indexed (sets covering more than 2^24 IPv4 addresses are not:
// the rule stays on the always-check list). The IPv4 ranges are cut into elementary intervals,
// each listing the rules covering it; a packet looks up its source and its destination (either
// may be in the indexed set, which also covers `<>` rules), giving a superset of the rules that
// can match; full verification follows. Rules whose indexed set holds IPv6 ranges are listed
// for every IPv6 packet.
//
//   IpOnlyIndex idx;  idx.Add(rule_index, *rule.header.src);  idx.Finish();
//   idx.Lookup(pkt.src, pkt.dst, &candidates);
#pragma once

#include <cstdint>
#include <vector>

#include "core/ip_address.h"
#include "rules/signature/address_set.h"

namespace vigil::sensor {

class IpOnlyIndex {
 public:
  // The set a rule would be indexed on, or null when the rule should stay always-check.
  static const rules::AddressSet* ChooseSet(const rules::AddressSet* src, const rules::AddressSet* dst);
  void Add(uint32_t rule, const rules::AddressSet& set);
  void Finish();
  // Appends candidate rules for a packet (may repeat a rule; the caller de-duplicates).
  void Lookup(const IpAddress& src, const IpAddress& dst, std::vector<uint32_t>* out) const;
  bool empty() const { return rules_ == 0; }
  size_t rules() const { return rules_; }

 private:
  struct Event {
    uint64_t at;  // 64-bit so the end of 255.255.255.255 (2^32) is representable
    uint32_t rule;
    bool start;
  };
  void LookupV4(uint32_t a, std::vector<uint32_t>* out) const;
  std::vector<Event> events_;
  std::vector<uint64_t> starts_;  // elementary interval k = [starts_[k], starts_[k + 1])
  std::vector<uint32_t> first_;   // rules of interval k: ids_[first_[k] .. first_[k + 1])
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> v6_rules_;
  size_t rules_ = 0;
};

}  // namespace vigil::sensor
