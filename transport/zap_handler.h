// ZapHandler: the ZeroMQ Authentication Protocol (RFC 27) handler of a receiver. Runs one thread
// with a REP socket on inproc://zeromq.zap.01 in the receiver's context; libzmq asks it about
// every CURVE handshake. It accepts a client whose public key is in the AllowList and answers
// with that key's identity as User-Id (and its province as connection metadata "Province"); the
// receiver reads both from each message with zmq_msg_gets, so the key, not the client, decides
// the origin. Anything else (unknown key, another mechanism, a malformed request) is refused
// and counted.
//
// Start it before binding the CURVE server socket: without a ZAP handler libzmq lets every
// client with any key in.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include <zmq.hpp>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "transport/allow_list.h"

namespace vigil::transport {

inline constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";
inline constexpr const char* kZapDomain = "vigil";

struct ZapCounters {
  CounterBlock* block = nullptr;  // written only by the ZAP thread
  CounterId accepted = 0;
  CounterId denied = 0;     // unknown key or mechanism other than CURVE
  CounterId malformed = 0;  // request not following RFC 27
};

class ZapHandler {
 public:
  [[nodiscard]] static Result<std::unique_ptr<ZapHandler>> Start(zmq::context_t& ctx,
                                                                 std::shared_ptr<const AllowList> allow,
                                                                 ZapCounters counters, Logger& log);
  ~ZapHandler();  // stops and joins the thread
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

 private:
  ZapHandler(std::shared_ptr<const AllowList> allow, ZapCounters c, Logger& log);
  void Run();
  void HandleRequest();

  std::shared_ptr<const AllowList> allow_;
  ZapCounters counters_;
  Logger& log_;
  zmq::socket_t rep_;
  zmq::socket_t stop_rx_;  // PAIR: the destructor sends one message to end the thread
  zmq::socket_t stop_tx_;
  std::set<AllowList::Key> warned_;  // unknown keys already logged (ZAP thread only)
  bool warned_non_curve_ = false;
  std::thread thread_;
};

}  // namespace vigil::transport
