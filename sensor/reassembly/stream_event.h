// StreamEvent: named TCP anomalies ("stream events") found by session tracking and reassembly.
//
// Names follow Suricata's stream-event keyword (rules/stream-events.rules), so an EVE anomaly
// event or a `stream-event:` rule written for Suricata means the same thing here. Each event is
// counted under its own name ("stream.pkt_invalid_ack") and handed to StreamSink::OnEvent with
// the packet being processed, so the pipeline can emit an EVE anomaly for it.
//
//   sink.OnEvent(dir, StreamEvent::kReassemblyOverlapDifferentData);
//   StreamEventName(StreamEvent::kReassemblyOverlapDifferentData)
//       == "stream.reassembly_overlap_different_data"
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/counters.h"

namespace vigil::sensor {

// Index into kStreamEventDefs; keep the two in the same order.
enum class StreamEvent : uint8_t {
  k3whsSynackInWrongDirection,       // SYN/ACK from the side that sent the SYN
  k3whsSynackWithWrongAck,           // SYN/ACK whose ACK is not the client's ISN+1
  k3whsSynackResendWithDiffSeq,      // second SYN/ACK with another ISN
  k3whsSynResendDiffSeqOnSynRecv,    // SYN resent with another ISN before establishment
  k3whsWrongSeqWrongAck,             // handshake ACK that does not acknowledge the SYN/ACK
  k4whsSynackWithWrongAck,           // simultaneous open: SYN/ACK with a wrong ACK
  kEstSynResendDiffSeq,              // SYN with another ISN on an established session
  kEstSynackResendWithDiffSeq,       // SYN/ACK with another ISN on an established session
  kEstPacketOutOfWindow,             // data (or RST) outside the receiver's window
  kFinOutOfWindow,                   // FIN outside the window or before delivered data
  kFinSyn,                           // FIN and SYN in one segment
  kPktInvalidAck,                    // ACK for data that was never in flight
  kPktBrokenAck,                     // ACK number set without the ACK flag
  kPktRetransmission,                // segment carrying already-received bytes
  kRstInvalidAck,                    // RST that fails validation (ack or sequence)
  kSuspectedRstInject,               // data still flowing after a RST closed the session
  kReassemblyOverlapDifferentData,   // overlapping bytes differ from those received first
  kReassemblySeqGap,                 // missing bytes skipped (ACKed past, closed or flushed)
  kCount,
};

inline constexpr CounterDef kStreamEventDefs[] = {
    {"stream.3whs_synack_in_wrong_direction", "SYN/ACK sent by the side that sent the SYN"},
    {"stream.3whs_synack_with_wrong_ack", "SYN/ACK whose ACK is not the SYN's ISN+1"},
    {"stream.3whs_synack_resend_with_diff_seq", "SYN/ACK resent with a different ISN"},
    {"stream.3whs_syn_resend_diff_seq_on_syn_recv", "SYN resent with a different ISN during the handshake"},
    {"stream.3whs_wrong_seq_wrong_ack", "handshake ACK that does not acknowledge the SYN/ACK"},
    {"stream.4whs_synack_with_wrong_ack", "simultaneous open: SYN/ACK with a wrong ACK"},
    {"stream.est_syn_resend_diff_seq", "SYN with a different ISN on an established session"},
    {"stream.est_synack_resend_with_diff_seq", "SYN/ACK with a different ISN on an established session"},
    {"stream.est_packet_out_of_window", "segment outside the receiver's window (ignored)"},
    {"stream.fin_out_of_window", "FIN outside the window or before delivered data (ignored)"},
    {"stream.fin_syn", "segment with both FIN and SYN (ignored)"},
    {"stream.pkt_invalid_ack", "ACK beyond anything the peer can have sent (packet ignored)"},
    {"stream.pkt_broken_ack", "non-zero ACK number without the ACK flag"},
    {"stream.pkt_retransmission", "segment carrying bytes already received"},
    {"stream.rst_invalid_ack", "RST failing validation: out of window or wrong ACK (ignored)"},
    {"stream.suspected_rst_inject", "data after a RST closed the session: the RST was likely forged"},
    {"stream.reassembly_overlap_different_data", "overlapping segment with bytes different from those received first"},
    {"stream.reassembly_seq_gap", "missing stream bytes skipped (sequence gap)"},
};
static_assert(std::size(kStreamEventDefs) == static_cast<size_t>(StreamEvent::kCount));

inline std::string_view StreamEventName(StreamEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kStreamEventDefs) ? kStreamEventDefs[i].name : std::string_view("stream.unknown");
}

}  // namespace vigil::sensor
