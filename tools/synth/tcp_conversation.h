// TcpConversation: one TCP connection between a client and a server as seen by a capture point
// next to the client: three-way handshake with the stacks' options, data in MSS-sized segments
// with correct sequence and acknowledgement numbers (delayed ACKs every second segment, a
// slow-start congestion window), FIN teardown or RST, and the configured impairments (reorder,
// retransmit, overlap with identical bytes, IP fragmentation). It writes frames into a
// FlowPackets and counts them, and the SHA-256 of each stream direction, into a FlowTruth.
//
// Timing: a packet the client sends appears at the current time; the server's reaction appears
// one RTT (plus processing) later; the client's reaction to the server appears a few
// microseconds later. ACKs may therefore be appended out of time order; the caller sorts.
//
//   TcpConversation tcp(builder, impair, out, truth, rng, endpoints, profile, start_ns);
//   tcp.Connect();
//   tcp.Send(Direction::kToServer, request);
//   tcp.ServerTurn();
//   tcp.Send(Direction::kToClient, response);
//   tcp.Close(Direction::kToServer);   // the client closes
//   tcp.Finish();                      // writes the stream digests into truth
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/sha256.h"
#include "tools/synth/address_plan.h"
#include "tools/synth/flow_packets.h"
#include "tools/synth/flow_truth.h"
#include "tools/synth/packet_builder.h"
#include "tools/synth/rng.h"
#include "tools/synth/synth_config.h"

namespace vigil::synth {

struct TcpEndpoints {
  Host client;
  Host server;
  uint16_t client_port = 0;
  uint16_t server_port = 0;
};

// How the two hosts and the path between them behave.
struct TcpProfile {
  int64_t rtt_ns = 20'000'000;
  uint64_t bits_per_second = 100'000'000;  // pacing of back-to-back segments
  TcpStack client_stack = TcpStack::kLinux;
  TcpStack server_stack = TcpStack::kLinux;
  uint16_t mss = 1460;      // advertised by both sides (IPv6: already reduced by the caller)
  uint8_t client_ttl = 64;
  uint8_t server_ttl = 52;

  static TcpProfile Random(Rng& rng, uint16_t mss);
};

class TcpConversation {
 public:
  TcpConversation(PacketBuilder& builder, const Impairments& impair, FlowPackets& out,
                   FlowTruth& truth, Rng& rng, const TcpEndpoints& ends, const TcpProfile& profile,
                   int64_t start_ns);

  void Connect();
  // Sends `data` as the next bytes of the stream of direction `dir` (kToServer: client sends).
  void Send(Direction dir, std::span<const uint8_t> data);
  void Wait(int64_t ns) { now_ += ns; }
  // Time until the server's answer to what the client just sent appears (RTT + processing).
  void ServerTurn();
  // Time until the client acts on what the server just sent (a few hundred microseconds).
  void ClientTurn();
  // FIN from `initiator`'s sender (kToServer: the client closes), FIN back, last ACK.
  void Close(Direction initiator);
  // RST from the sender of `dir`.
  void Abort(Direction dir);
  // Stores each direction's stream length and SHA-256 into the truth record.
  void Finish();

  int64_t now() const { return now_; }
  int64_t rtt() const { return profile_.rtt_ns; }

 private:
  struct Side {
    IpRoute route;
    uint16_t port = 0;
    TcpStack stack = TcpStack::kLinux;
    uint32_t isn = 0;
    uint64_t next_seq = 0;  // own stream offset (data + FIN) after the SYN
    uint64_t rcv_next = 0;  // peer stream offset received in order
    std::vector<std::pair<uint64_t, uint64_t>> out_of_order;
    uint32_t ts_base = 0;
    uint32_t echo = 0;      // TSval to echo (last one the peer sent)
    uint16_t window = 0;
    uint16_t syn_window = 0;
    uint8_t wscale = 7;
    uint32_t ip_id = 0;
    uint32_t flow_label = 0;
    unsigned unacked = 0;
    // A host puts its packets on the wire in the order it sends them: every packet but a
    // retransmission is timestamped no earlier than the previous one (last_ts). last_any_ts
    // includes retransmissions, so a FIN or RST comes after everything the side sent.
    int64_t last_ts = 0;
    int64_t last_any_ts = 0;
    Sha256 hash;

    // Records arrival of [start, end); false if it left a hole (out of order).
    bool Receive(uint64_t start, uint64_t end);
  };
  struct Piece {
    uint64_t start;
    uint64_t len;
  };

  Side& sender(Direction d) { return d == Direction::kToServer ? client_ : server_; }
  Side& receiver(Direction d) { return d == Direction::kToServer ? server_ : client_; }
  static Direction Reverse(Direction d) {
    return d == Direction::kToServer ? Direction::kToClient : Direction::kToServer;
  }
  // Delay until `who` reacts, at the capture point, to a packet from the other side.
  int64_t ReactionDelay(Direction who_sends);
  // Returns the timestamp actually used (never before the side's previous packet).
  int64_t Emit(Direction dir, int64_t ts, uint64_t rel_seq, uint8_t flags,
            std::span<const uint8_t> payload, int fragments = 1, bool retransmission = false);
  int FragmentCount();

  PacketBuilder& builder_;
  const Impairments& impair_;
  FlowPackets& out_;
  FlowTruth& truth_;
  Rng& rng_;
  TcpProfile profile_;
  bool timestamps_ = true;
  size_t payload_per_segment_ = 0;
  int64_t start_ns_ = 0;
  int64_t now_ = 0;
  Side client_;
  Side server_;
  std::vector<Piece> pieces_;  // scratch of Send
  std::vector<uint32_t> order_;
};

}  // namespace vigil::synth
