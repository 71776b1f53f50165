#include "transport/zap_handler.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "transport/zmq_poll.h"

namespace vigil::transport {
namespace {

// Appends one ZMTP metadata property: name length (1 byte), name, value length (4 bytes, big
// endian), value.
void AppendProperty(std::string* out, std::string_view name, std::string_view value) {
  out->push_back(static_cast<char>(name.size()));
  out->append(name);
  const auto n = static_cast<uint32_t>(value.size());
  const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                       static_cast<char>(n)};
  out->append(len, 4);
  out->append(value);
}

}  // namespace

ZapHandler::ZapHandler(std::shared_ptr<const AllowList> allow, ZapCounters c, Logger& log)
    : allow_(std::move(allow)), counters_(c), log_(log) {}

Result<std::unique_ptr<ZapHandler>> ZapHandler::Start(zmq::context_t& ctx, std::shared_ptr<const AllowList> allow,
                                                      ZapCounters counters, Logger& log) {
  if (!allow) return Error(ErrorCode::kInvalidArgument, "zap: no allow list");
  std::unique_ptr<ZapHandler> h(new ZapHandler(std::move(allow), counters, log));
  try {
    h->rep_ = zmq::socket_t(ctx, zmq::socket_type::rep);
    h->rep_.set(zmq::sockopt::linger, 0);
    h->rep_.bind(kZapEndpoint);
    char stop_ep[64];
    std::snprintf(stop_ep, sizeof stop_ep, "inproc://vigil-zap-stop-%p", static_cast<void*>(h.get()));
    h->stop_rx_ = zmq::socket_t(ctx, zmq::socket_type::pair);
    h->stop_rx_.bind(stop_ep);
    h->stop_tx_ = zmq::socket_t(ctx, zmq::socket_type::pair);
    h->stop_tx_.set(zmq::sockopt::linger, 0);
    h->stop_tx_.connect(stop_ep);
  } catch (const zmq::error_t& e) {
    return Error(ErrorCode::kInternal, std::string("zap: cannot bind ") + kZapEndpoint + ": " + e.what());
  }
  h->thread_ = std::thread([p = h.get()] { p->Run(); });
  return h;
}

ZapHandler::~ZapHandler() {
  if (thread_.joinable()) {
    try {
      stop_tx_.send(zmq::str_buffer("stop"), zmq::send_flags::dontwait);
    } catch (const zmq::error_t&) {
      // The context is already shutting down: the thread sees ETERM and ends on its own.
    }
    thread_.join();
  }
}

void ZapHandler::Run() {
  try {
    zmq::pollitem_t items[] = {{rep_.handle(), 0, ZMQ_POLLIN, 0}, {stop_rx_.handle(), 0, ZMQ_POLLIN, 0}};
    for (;;) {
      if (!PollRetryingEintr(items, 2, std::chrono::milliseconds(-1))) continue;
      if (items[1].revents & ZMQ_POLLIN) break;
      if (items[0].revents & ZMQ_POLLIN) HandleRequest();
    }
  } catch (const zmq::error_t& e) {
    if (e.num() != ETERM) log_.Error("transport", "zap handler stopped: {}", e.what());
  }
  rep_.close();
  stop_rx_.close();
}

void ZapHandler::HandleRequest() {
  // RFC 27 request: version, request id, domain, address, routing id, mechanism, credentials...
  std::vector<zmq::message_t> parts;
  for (;;) {
    zmq::message_t m;
    if (!rep_.recv(m, zmq::recv_flags::none)) return;
    bool more = m.more();
    if (parts.size() < 16) parts.push_back(std::move(m));  // bounded: a request has 6-7 parts
    if (!more) break;
  }
  std::string request_id = parts.size() > 1 ? parts[1].to_string() : std::string();
  auto reply = [&](const char* code, const char* text, std::string_view user, const std::string& meta) {
    rep_.send(zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
    rep_.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
    rep_.send(zmq::buffer(std::string_view(code)), zmq::send_flags::sndmore);
    rep_.send(zmq::buffer(std::string_view(text)), zmq::send_flags::sndmore);
    rep_.send(zmq::buffer(user), zmq::send_flags::sndmore);
    rep_.send(zmq::buffer(meta), zmq::send_flags::none);
  };
  if (parts.size() < 6 || parts[0].to_string_view() != "1.0") {
    counters_.block->Add(counters_.malformed);
    reply("500", "malformed ZAP request", "", "");
    return;
  }
  const std::string_view mechanism = parts[5].to_string_view();
  const std::string address = parts[3].to_string();
  if (mechanism != "CURVE" || parts.size() != 7 || parts[6].size() != kCurveKeyBinarySize) {
    counters_.block->Add(counters_.denied);
    if (!warned_non_curve_) {
      log_.Warning("transport", "refused {} connection from {}: only CURVE clients are accepted (further "
                   "refusals are only counted: transport.zap.denied)", mechanism, address);
      warned_non_curve_ = true;
    }
    reply("400", "CURVE required", "", "");
    return;
  }
  AllowList::Key key{};
  std::memcpy(key.data(), parts[6].data(), key.size());
  const PeerIdentity* id = allow_->Find(key);
  if (id == nullptr) {
    counters_.block->Add(counters_.denied);
    // A refused client reconnects every reconnect interval: warn once per key (bounded set),
    // the counter keeps the total.
    if (warned_.size() < 1024 && warned_.insert(key).second) {
      log_.Warning("transport", "refused connection from {}: public key {} is not in the allow list", address,
                   EncodeCurveKey(key));
    }
    reply("400", "unknown key", "", "");
    return;
  }
  counters_.block->Add(counters_.accepted);
  std::string meta;
  if (!id->province.empty()) AppendProperty(&meta, "Province", id->province);
  reply("200", "OK", id->id, meta);
}

}  // namespace vigil::transport
