#include "sensor/app/tls/tls_hello.h"

#include <cstring>

#include "sensor/app/tls/tls_event.h"

namespace vigil::sensor {
namespace {

// A bounds-checked cursor: every read checks what remains and latches failure.
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> d) : d_(d) {}
  bool ok() const { return ok_; }
  size_t left() const { return d_.size() - pos_; }
  bool empty() const { return pos_ >= d_.size(); }
  uint8_t U8() {
    if (!Need(1)) return 0;
    return d_[pos_++];
  }
  uint16_t U16() {
    if (!Need(2)) return 0;
    uint16_t v = static_cast<uint16_t>((d_[pos_] << 8) | d_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::span<const uint8_t> Bytes(size_t n) {
    if (!Need(n)) return {};
    auto s = d_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // A sub-cursor over an 8- or 16-bit length-prefixed vector.
  Cursor Vec8() { return Cursor(Bytes(U8()), ok_); }
  Cursor Vec16() { return Cursor(Bytes(U16()), ok_); }

 private:
  Cursor(std::span<const uint8_t> d, bool ok) : d_(d), ok_(ok) {}
  bool Need(size_t n) {
    if (!ok_ || left() < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  std::span<const uint8_t> d_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void Raise(uint32_t& events, TlsEvent e) { events |= 1u << static_cast<unsigned>(e); }

void ReadU16List(Cursor c, std::vector<uint16_t>& out) {
  while (c.ok() && c.left() >= 2) out.push_back(c.U16());
}

// server_name: list of (type, name); the first host_name is kept.
void ParseSni(Cursor ext, ClientHello& out, uint32_t& events) {
  Cursor list = ext.Vec16();
  if (!ext.ok() || !ext.empty()) {
    Raise(events, TlsEvent::kInvalidSniLength);
    return;
  }
  while (list.ok() && !list.empty()) {
    uint8_t type = list.U8();
    Cursor name = list.Vec16();
    if (!list.ok()) {
      Raise(events, TlsEvent::kInvalidSniLength);
      return;
    }
    if (type != 0) {
      Raise(events, TlsEvent::kInvalidSniType);
      continue;
    }
    if (out.sni.empty()) {
      auto b = name.Bytes(name.left());
      out.sni.assign(reinterpret_cast<const char*>(b.data()), b.size());
    }
  }
}

void ParseAlpnList(Cursor ext, std::vector<std::string>& out) {
  Cursor list = ext.Vec16();
  while (list.ok() && !list.empty()) {
    Cursor p = list.Vec8();
    if (!list.ok()) break;
    auto b = p.Bytes(p.left());
    out.emplace_back(reinterpret_cast<const char*>(b.data()), b.size());
  }
}

}  // namespace

void ClientHello::Clear() {
  legacy_version = 0;
  random.fill(0);
  session_id.clear();
  cipher_suites.clear();
  compression_methods.clear();
  extensions.clear();
  sni.clear();
  supported_groups.clear();
  ec_point_formats.clear();
  signature_algorithms.clear();
  alpn.clear();
  supported_versions.clear();
}

void ServerHello::Clear() {
  legacy_version = 0;
  random.fill(0);
  session_id.clear();
  cipher_suite = 0;
  compression_method = 0;
  extensions.clear();
  selected_version.reset();
  alpn.clear();
}

bool ParseClientHello(std::span<const uint8_t> body, ClientHello& out, uint32_t& events) {
  out.Clear();
  Cursor c(body);
  out.legacy_version = c.U16();
  auto rnd = c.Bytes(32);
  if (!c.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  std::memcpy(out.random.data(), rnd.data(), 32);
  Cursor sid = c.Vec8();
  auto sb = sid.Bytes(sid.left());
  out.session_id.assign(sb.begin(), sb.end());
  Cursor suites = c.Vec16();
  ReadU16List(suites, out.cipher_suites);
  Cursor comp = c.Vec8();
  while (comp.ok() && !comp.empty()) out.compression_methods.push_back(comp.U8());
  if (!c.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  if (c.empty()) return true;  // no extensions (allowed before TLS 1.3)
  Cursor exts = c.Vec16();
  if (!c.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  bool sni_seen = false;
  while (exts.ok() && !exts.empty()) {
    uint16_t type = exts.U16();
    Cursor ext = exts.Vec16();
    if (!exts.ok()) break;
    out.extensions.push_back(type);
    switch (type) {
      case 0:
        if (sni_seen) {
          Raise(events, TlsEvent::kMultipleSniExtensions);
          break;
        }
        sni_seen = true;
        ParseSni(ext, out, events);
        break;
      case 10:
        ReadU16List(ext.Vec16(), out.supported_groups);
        break;
      case 11: {
        Cursor l = ext.Vec8();
        while (l.ok() && !l.empty()) out.ec_point_formats.push_back(l.U8());
        break;
      }
      case 13:
        ReadU16List(ext.Vec16(), out.signature_algorithms);
        break;
      case 16:
        ParseAlpnList(ext, out.alpn);
        break;
      case 43:
        ReadU16List(ext.Vec8(), out.supported_versions);
        break;
      default:
        break;
    }
  }
  if (!exts.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  return true;
}

bool ParseServerHello(std::span<const uint8_t> body, ServerHello& out, uint32_t& events) {
  out.Clear();
  Cursor c(body);
  out.legacy_version = c.U16();
  auto rnd = c.Bytes(32);
  if (!c.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  std::memcpy(out.random.data(), rnd.data(), 32);
  Cursor sid = c.Vec8();
  auto sb = sid.Bytes(sid.left());
  out.session_id.assign(sb.begin(), sb.end());
  out.cipher_suite = c.U16();
  out.compression_method = c.U8();
  if (!c.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  if (c.empty()) return true;
  Cursor exts = c.Vec16();
  while (exts.ok() && !exts.empty()) {
    uint16_t type = exts.U16();
    Cursor ext = exts.Vec16();
    if (!exts.ok()) break;
    out.extensions.push_back(type);
    if (type == 43 && ext.left() >= 2) {
      out.selected_version = ext.U16();
    } else if (type == 16) {
      std::vector<std::string> list;
      ParseAlpnList(ext, list);
      if (!list.empty()) out.alpn = list.front();
    }
  }
  if (!c.ok() || !exts.ok()) {
    Raise(events, TlsEvent::kHandshakeInvalidLength);
    return false;
  }
  return true;
}

}  // namespace vigil::sensor
