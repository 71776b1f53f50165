// Test fixture: a counter registry with the decoder's counters, one block, and a helper that
// decodes a hand-built frame (kept alive in the fixture, since the Packet points into it).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/counters.h"
#include "sensor/decode/decoder.h"
#include "tests/sensor/decode/frame_builder.h"

namespace vigil::sensor::test {

class DecoderTest : public ::testing::Test {
 protected:
  DecoderTest() {
    auto ids = RegisterDecoderCounters(registry_);
    EXPECT_TRUE(ids.ok());
    ids_ = *ids;
    block_ = registry_.NewBlock("test");
  }

  // Decodes `frame` (copied into the fixture) with the current cfg_.
  const Packet& Decode(const Bytes& frame, int datalink = link_type::kEthernet) {
    EXPECT_TRUE(cfg_.Validate().ok());
    frame_ = frame;
    packet_ = Packet{};
    packet_.data = frame_.data();
    packet_.caplen = static_cast<uint32_t>(frame_.size());
    packet_.wirelen = packet_.caplen;
    packet_.datalink = datalink;
    Decoder dec(cfg_, ids_, block_);
    dec.Decode(packet_);
    return packet_;
  }

  uint64_t Counter(const std::string& name) const { return registry_.Total(name); }
  uint64_t EventCount(DecodeEvent e) const { return block_->Get(ids_[e]); }

  // The packet's event list as names, for readable failure messages.
  std::string Events() const {
    std::string s;
    for (uint8_t i = 0; i < packet_.event_count; ++i) {
      if (!s.empty()) s += ",";
      s += DecodeEventName(packet_.events[i]);
    }
    return s;
  }

  DecoderConfig cfg_;
  CounterRegistry registry_;
  DecoderCounters ids_;
  CounterBlock* block_ = nullptr;
  Bytes frame_;
  Packet packet_;
};

// Asserts that the last decoded packet carries event `e` (and shows the full list if not).
#define EXPECT_EVENT(e) EXPECT_TRUE(packet_.has_event(e)) << "events: " << Events()
#define EXPECT_NO_EVENTS() EXPECT_EQ(packet_.event_count, 0) << "events: " << Events()

}  // namespace vigil::sensor::test
