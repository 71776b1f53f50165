#include "rules/signature/sticky_buffer.h"

#include <array>
#include <string>
#include <unordered_map>

namespace vigil::rules {
namespace {

using B = BufferId;
constexpr BufferInfo kBuffers[] = {
    {B::kPacket, "pkt_data", "", "", 0, ""},
    {B::kHttpUri, "http.uri", "", "http_uri", 'U', "http"},
    {B::kHttpUriRaw, "http.uri.raw", "", "http_raw_uri", 'I', "http"},
    {B::kHttpMethod, "http.method", "", "http_method", 'M', "http"},
    {B::kHttpRequestLine, "http.request_line", "http_request_line", "", 0, "http"},
    {B::kHttpRequestBody, "http.request_body", "", "http_client_body", 'P', "http"},
    {B::kHttpHeader, "http.header", "", "http_header", 'H', "http"},
    {B::kHttpHeaderRaw, "http.header.raw", "", "http_raw_header", 'D', "http"},
    {B::kHttpCookie, "http.cookie", "", "http_cookie", 'C', "http"},
    {B::kHttpUserAgent, "http.user_agent", "", "http_user_agent", 'V', "http"},
    {B::kHttpHost, "http.host", "", "http_host", 'W', "http"},
    {B::kHttpHostRaw, "http.host.raw", "", "http_raw_host", 'Z', "http"},
    {B::kHttpAccept, "http.accept", "http_accept", "", 0, "http"},
    {B::kHttpAcceptLang, "http.accept_lang", "http_accept_lang", "", 0, "http"},
    {B::kHttpAcceptEnc, "http.accept_enc", "http_accept_enc", "", 0, "http"},
    {B::kHttpReferer, "http.referer", "http_referer", "", 0, "http"},
    {B::kHttpConnection, "http.connection", "http_connection", "", 0, "http"},
    {B::kHttpContentType, "http.content_type", "http_content_type", "", 0, "http"},
    {B::kHttpContentLen, "http.content_len", "http_content_len", "", 0, "http"},
    {B::kHttpStart, "http.start", "http_start", "", 0, "http"},
    {B::kHttpProtocol, "http.protocol", "http_protocol", "", 0, "http"},
    {B::kHttpHeaderNames, "http.header_names", "http_header_names", "", 0, "http"},
    {B::kHttpStatMsg, "http.stat_msg", "", "http_stat_msg", 'Y', "http"},
    {B::kHttpStatCode, "http.stat_code", "", "http_stat_code", 'S', "http"},
    {B::kHttpResponseLine, "http.response_line", "http_response_line", "", 0, "http"},
    {B::kHttpResponseBody, "http.response_body", "", "http_server_body", 0, "http"},
    {B::kHttpServer, "http.server", "", "", 0, "http"},
    {B::kHttpLocation, "http.location", "", "", 0, "http"},
    {B::kHttpRequestHeader, "http.request_header", "", "", 0, "http"},
    {B::kHttpResponseHeader, "http.response_header", "", "", 0, "http"},
    // file_data is a sticky buffer in every Suricata version; pcre /Q selects it.
    {B::kFileData, "file.data", "file_data", "", 'Q', ""},
    {B::kFileName, "file.name", "", "", 0, ""},
    {B::kDnsQuery, "dns.query", "dns_query", "", 0, "dns"},
    {B::kDnsQueryName, "dns.query.name", "", "", 0, "dns"},
    {B::kDnsAnswerName, "dns.answer.name", "", "", 0, "dns"},
    {B::kTlsSni, "tls.sni", "tls_sni", "", 0, "tls"},
    {B::kTlsCertSubject, "tls.cert_subject", "tls_cert_subject", "", 0, "tls"},
    {B::kTlsCertIssuer, "tls.cert_issuer", "tls_cert_issuer", "", 0, "tls"},
    {B::kTlsCertSerial, "tls.cert_serial", "tls_cert_serial", "", 0, "tls"},
    {B::kTlsCertFingerprint, "tls.cert_fingerprint", "tls_cert_fingerprint", "", 0, "tls"},
    {B::kTlsCerts, "tls.certs", "", "", 0, "tls"},
    {B::kTlsSubjectAltName, "tls.subjectaltname", "", "", 0, "tls"},
    {B::kTlsAlpn, "tls.alpn", "", "", 0, "tls"},
    {B::kTlsRandom, "tls.random", "", "", 0, "tls"},
    {B::kTlsRandomTime, "tls.random_time", "", "", 0, "tls"},
    {B::kTlsRandomBytes, "tls.random_bytes", "", "", 0, "tls"},
    {B::kJa3Hash, "ja3.hash", "ja3_hash", "", 0, "tls"},
    {B::kJa3String, "ja3.string", "ja3_string", "", 0, "tls"},
    {B::kJa3sHash, "ja3s.hash", "ja3s_hash", "", 0, "tls"},
    {B::kJa3sString, "ja3s.string", "ja3s_string", "", 0, "tls"},
    {B::kJa4Hash, "ja4.hash", "", "", 0, "tls"},
    {B::kSshProto, "ssh.proto", "ssh_proto", "", 0, "ssh"},
    {B::kSshSoftware, "ssh.software", "ssh_software", "", 0, "ssh"},
    {B::kSshHassh, "ssh.hassh", "ssh_hassh", "", 0, "ssh"},
    {B::kSshHasshString, "ssh.hassh.string", "ssh_hassh_string", "", 0, "ssh"},
    {B::kSshHasshServer, "ssh.hassh.server", "ssh_hassh_server", "", 0, "ssh"},
    {B::kSshHasshServerString, "ssh.hassh.server.string", "ssh_hassh_server_string", "", 0, "ssh"},
    {B::kSmbNamedPipe, "smb.named_pipe", "", "", 0, "smb"},
    {B::kSmbShare, "smb.share", "", "", 0, "smb"},
    {B::kSmbNtlmsspUser, "smb.ntlmssp_user", "", "", 0, "smb"},
    {B::kSmbNtlmsspDomain, "smb.ntlmssp_domain", "", "", 0, "smb"},
    {B::kKrb5Cname, "krb5.cname", "krb5_cname", "", 0, "krb5"},
    {B::kKrb5Sname, "krb5.sname", "krb5_sname", "", 0, "krb5"},
    {B::kDceStubData, "dcerpc.stub_data", "dce_stub_data", "", 0, "dcerpc"},
    {B::kBase64Data, "base64_data", "", "", 0, ""},
    {B::kQuicSni, "quic.sni", "", "", 0, "quic"},
    {B::kQuicUa, "quic.ua", "", "", 0, "quic"},
    {B::kQuicVersion, "quic.version", "", "", 0, "quic"},
    {B::kSnmpCommunity, "snmp.community", "", "", 0, "snmp"},
    {B::kSipMethod, "sip.method", "", "", 0, "sip"},
    {B::kSipUri, "sip.uri", "", "", 0, "sip"},
    {B::kMqttConnectClientId, "mqtt.connect.clientid", "", "", 0, "mqtt"},
    {B::kMqttConnectUsername, "mqtt.connect.username", "", "", 0, "mqtt"},
    {B::kMqttConnectPassword, "mqtt.connect.password", "", "", 0, "mqtt"},
    {B::kMqttConnectWillTopic, "mqtt.connect.willtopic", "", "", 0, "mqtt"},
    {B::kMqttConnectWillMessage, "mqtt.connect.willmessage", "", "", 0, "mqtt"},
    {B::kMqttConnectProtocolString, "mqtt.connect.protocol_string", "", "", 0, "mqtt"},
    {B::kMqttPublishTopic, "mqtt.publish.topic", "", "", 0, "mqtt"},
    {B::kMqttPublishMessage, "mqtt.publish.message", "", "", 0, "mqtt"},
    {B::kMqttSubscribeTopic, "mqtt.subscribe.topic", "", "", 0, "mqtt"},
    {B::kMqttUnsubscribeTopic, "mqtt.unsubscribe.topic", "", "", 0, "mqtt"},
    {B::kIpv4Hdr, "ipv4.hdr", "", "", 0, ""},
    {B::kIpv6Hdr, "ipv6.hdr", "", "", 0, ""},
    {B::kTcpHdr, "tcp.hdr", "", "", 0, ""},
    {B::kUdpHdr, "udp.hdr", "", "", 0, ""},
    {B::kIcmpv4Hdr, "icmpv4.hdr", "", "", 0, ""},
    {B::kIcmpv6Hdr, "icmpv6.hdr", "", "", 0, ""},
    {B::kIpSrc, "ip.src", "", "", 0, ""},
    {B::kIpDst, "ip.dst", "", "", 0, ""},
};
static_assert(std::size(kBuffers) == static_cast<size_t>(BufferId::kCount),
              "every BufferId needs exactly one table row");
constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < std::size(kBuffers); ++i) {
    if (static_cast<size_t>(kBuffers[i].id) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "kBuffers rows must follow the BufferId order");

struct Index {
  std::unordered_map<std::string_view, const BufferInfo*> sticky;
  std::unordered_map<std::string_view, const BufferInfo*> modifier;
  std::array<const BufferInfo*, 128> pcre{};
  Index() {
    for (const BufferInfo& b : kBuffers) {
      sticky[b.name] = &b;
      if (!b.alias.empty()) sticky[b.alias] = &b;
      if (!b.modifier.empty()) modifier[b.modifier] = &b;
      if (b.pcre_flag != 0) pcre[static_cast<size_t>(b.pcre_flag)] = &b;
    }
    // Snort's raw-cookie flag: Suricata has no raw cookie buffer, so it reads the cookie.
    pcre['K'] = &kBuffers[static_cast<size_t>(BufferId::kHttpCookie)];
  }
};

const Index& GetIndex() {
  static const Index index;  // immutable after construction (thread-safe static init)
  return index;
}

}  // namespace

const BufferInfo* FindStickyBuffer(std::string_view keyword) {
  const auto& m = GetIndex().sticky;
  auto it = m.find(keyword);
  return it == m.end() ? nullptr : it->second;
}

const BufferInfo* FindBufferModifier(std::string_view keyword) {
  const auto& m = GetIndex().modifier;
  auto it = m.find(keyword);
  return it == m.end() ? nullptr : it->second;
}

const BufferInfo* FindBufferByPcreFlag(char flag) {
  auto u = static_cast<unsigned char>(flag);
  return u < 128 ? GetIndex().pcre[u] : nullptr;
}

const BufferInfo& GetBufferInfo(BufferId id) {
  size_t i = static_cast<size_t>(id);
  return kBuffers[i < std::size(kBuffers) ? i : 0];
}

}  // namespace vigil::rules
