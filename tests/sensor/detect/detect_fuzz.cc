// libFuzzer target: arbitrary payloads through a rule set that uses every payload keyword the
// engine evaluates (relative content, negation, pcre /R, byte_test/jump/extract with variables,
// isdataat, bsize, base64_decode/base64_data), every transform, xbits and flowint, as a UDP
// packet, app-layer buffers and a stream in two chunks.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "rules/signature/rule_loader.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/detect_thread.h"
#include "sensor/detect/stream_window.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

const char* kRules = R"(
alert udp any any -> any any (content:"a"; content:"b"; distance:-1; within:3; content:!"c"; within:2; sid:1;)
alert udp any any -> any any (content:"|01|"; byte_extract:2,0,len,relative,little; content:"Z"; distance:len; within:1; sid:2;)
alert udp any any -> any any (content:"J"; byte_jump:1,0,relative,multiplier 3,align,post_offset -2; isdataat:1,relative; sid:3;)
alert udp any any -> any any (content:"T"; byte_test:4,>,100,0,relative,string,dec; byte_test:1,&,1,-3,relative,bitmask 0x0f; sid:4;)
alert udp any any -> any any (content:"P"; pcre:"/^(a|b)+c/R"; pcre:!"/zz/"; sid:5;)
alert udp any any -> any any (content:"x"; startswith; content:"y"; endswith; nocase; sid:6;)
alert dns any any -> any any (dns.query; content:"q"; bsize:<40; isdataat:!2,relative; sid:7;)
alert tcp any any -> any any (content:"ST"; content:"RM"; distance:0; within:8; sid:8;)
alert udp any any -> any any (content:"E"; byte_extract:1,0,off,relative; byte_test:1,=,off,off; byte_jump:1,off,from_end; sid:9;)
alert dns any any -> any any (dns.query; dotprefix; content:".a"; endswith; sid:10;)
alert dns any any -> any any (dns.query; strip_whitespace; compress_whitespace; to_lowercase; content:"ab"; sid:11;)
alert dns any any -> any any (dns.query; to_uppercase; url_decode; header_lowercase; strip_pseudo_headers; content:"A:"; sid:12;)
alert dns any any -> any any (dns.query; to_md5; content:"|00|"; sid:13;)
alert dns any any -> any any (dns.query; to_sha1; bsize:20; sid:14;)
alert dns any any -> any any (dns.query; to_sha256; isdataat:31; sid:15;)
alert dns any any -> any any (dns.query; xor:"0102"; content:"a"; sid:16;)
alert dns any any -> any any (dns.query; pcrexform:"x(.*)y"; content:"z"; sid:17;)
alert dns any any -> any any (dns.query; from_base64:offset 1,bytes 30,mode rfc2045; content:"k"; sid:18;)
alert udp any any -> any any (content:"="; base64_decode:bytes 40,offset 1,relative; base64_data; content:"Q"; sid:19;)
alert udp any any -> any any (content:"S"; xbits:set,h,track ip_pair,expire 5; flowint:n,+,1; sid:20;)
alert udp any any -> any any (content:"C"; xbits:isset,h,track ip_pair; flowint:n,>,1; sid:21;)
)";

struct State {
  State() {
    rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
    rules::RuleLoader loader(vars);
    rules::RuleSet set;
    loader.LoadString(kRules, "fuzz.rules", &set);
    DetectConfig cfg;
    cfg.stream_window_bytes = 16;
    engine = std::move(*DetectEngine::Build(std::move(set), cfg, nullptr, nullptr));
    thread = std::make_unique<DetectThread>(*engine);
  }
  std::unique_ptr<DetectEngine> engine;
  std::unique_ptr<DetectThread> thread;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static State st;
  Packet p;
  p.decoded = true;
  p.ip_version = 4;
  p.src = IpAddress::V4(0x0a000001);
  p.dst = IpAddress::V4(0x0a000002);
  p.ip_proto = 17;
  uint8_t l4[8] = {};
  p.l4 = l4;
  p.payload = data;
  p.payload_len = static_cast<uint32_t>(size);
  BufferSet b;
  b.Set(rules::BufferId::kPacket, std::span<const uint8_t>(data, size));
  b.Set(rules::BufferId::kDnsQuery, std::span<const uint8_t>(data, size));
  AlertQueue q;
  FlowDetectState flow;
  InspectInput in{.packet = &p, .buffers = &b, .flow = &flow, .app_proto = "dns"};
  st.thread->Inspect(in, &q);
  // The same bytes as a TCP stream in two chunks.
  p.ip_proto = 6;
  StreamWindow w(16, 1 << 20);
  size_t half = size / 2;
  for (auto chunk : {std::span<const uint8_t>(data, half), std::span<const uint8_t>(data + half, size - half)}) {
    StreamView v = w.Feed(chunk);
    BufferSet sb;
    sb.Set(rules::BufferId::kPacket, v.data);
    InspectInput sin{.packet = &p, .buffers = &sb, .flow = &flow, .kind = InspectKind::kStream,
                     .tcp_stream_inspected = true, .stream_new_offset = v.new_offset};
    st.thread->Inspect(sin, &q);
  }
  return 0;
}
