// Buffers: the named parts of a packet or transaction that payload keywords inspect.
//
// Suricata 5+ selects a buffer with a *sticky buffer* keyword (`http.uri; content:"/a";`): every
// payload keyword after it belongs to that buffer until the next one. Older rules use *content
// modifiers* after the content (`content:"/a"; http_uri;`) and pcre flags (`/a/U`). All three
// spellings land on the same BufferId, so the engine sees one representation and builds one
// Hyperscan database per buffer. This table is the single list of known buffers; a keyword that
// is not in it is not a buffer.
//
//   const BufferInfo* b = FindStickyBuffer("http_accept");   // → BufferId::kHttpAccept
//   const BufferInfo* m = FindBufferModifier("http_uri");    // → BufferId::kHttpUri
//   BufferName(BufferId::kHttpUri);                           // "http.uri"
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::rules {

enum class BufferId : uint16_t {
  kPacket,  // pkt_data: the packet payload or reassembled stream (the default)
  kHttpUri, kHttpUriRaw, kHttpMethod, kHttpRequestLine, kHttpRequestBody, kHttpHeader,
  kHttpHeaderRaw, kHttpCookie, kHttpUserAgent, kHttpHost, kHttpHostRaw, kHttpAccept,
  kHttpAcceptLang, kHttpAcceptEnc, kHttpReferer, kHttpConnection, kHttpContentType,
  kHttpContentLen, kHttpStart, kHttpProtocol, kHttpHeaderNames, kHttpStatMsg, kHttpStatCode,
  kHttpResponseLine, kHttpResponseBody, kHttpServer, kHttpLocation, kHttpRequestHeader,
  kHttpResponseHeader,
  kFileData, kFileName,
  kDnsQuery, kDnsQueryName, kDnsAnswerName,
  kTlsSni, kTlsCertSubject, kTlsCertIssuer, kTlsCertSerial, kTlsCertFingerprint, kTlsCerts,
  kTlsSubjectAltName, kTlsAlpn, kTlsRandom, kTlsRandomTime, kTlsRandomBytes,
  kJa3Hash, kJa3String, kJa3sHash, kJa3sString, kJa4Hash,
  kSshProto, kSshSoftware, kSshHassh, kSshHasshString, kSshHasshServer, kSshHasshServerString,
  kSmbNamedPipe, kSmbShare, kSmbNtlmsspUser, kSmbNtlmsspDomain,
  kKrb5Cname, kKrb5Sname, kDceStubData, kBase64Data,
  kQuicSni, kQuicUa, kQuicVersion, kSnmpCommunity, kSipMethod, kSipUri,
  kMqttConnectClientId, kMqttConnectUsername, kMqttConnectPassword, kMqttConnectWillTopic,
  kMqttConnectWillMessage, kMqttConnectProtocolString, kMqttPublishTopic, kMqttPublishMessage,
  kMqttSubscribeTopic, kMqttUnsubscribeTopic,
  kIpv4Hdr, kIpv6Hdr, kTcpHdr, kUdpHdr, kIcmpv4Hdr, kIcmpv6Hdr,
  kIpSrc, kIpDst,  // the packet's source / destination address bytes (4 or 16)
  kCount  // number of buffers; not a buffer
};

struct BufferInfo {
  BufferId id;
  std::string_view name;      // canonical sticky keyword (Suricata 5+ spelling)
  std::string_view alias;     // older sticky keyword for the same buffer, or ""
  std::string_view modifier;  // legacy content modifier (`content:"x"; http_uri;`), or ""
  char pcre_flag;             // legacy pcre flag (/x/U), or 0
  std::string_view app_proto; // the app-layer protocol the buffer implies ("http"), or ""
};

// Lookups take the keyword in lower case.
const BufferInfo* FindStickyBuffer(std::string_view keyword);
const BufferInfo* FindBufferModifier(std::string_view keyword);
const BufferInfo* FindBufferByPcreFlag(char flag);
const BufferInfo& GetBufferInfo(BufferId id);
inline std::string_view BufferName(BufferId id) { return GetBufferInfo(id).name; }

}  // namespace vigil::rules
