// The buffer table: every spelling of a buffer resolves to one BufferId.
#include <gtest/gtest.h>

#include "rules/signature/sticky_buffer.h"

namespace vigil::rules {
namespace {

TEST(StickyBuffer, SpellingsResolveToOneBuffer) {
  EXPECT_EQ(FindStickyBuffer("http.uri")->id, BufferId::kHttpUri);
  EXPECT_EQ(FindBufferModifier("http_uri")->id, BufferId::kHttpUri);
  EXPECT_EQ(FindBufferByPcreFlag('U')->id, BufferId::kHttpUri);
  EXPECT_EQ(FindStickyBuffer("http_uri"), nullptr) << "http_uri is a content modifier, not sticky";
  EXPECT_EQ(FindStickyBuffer("file_data")->id, BufferId::kFileData);
  EXPECT_EQ(FindStickyBuffer("file.data")->id, BufferId::kFileData);
  EXPECT_EQ(FindStickyBuffer("http_header_names")->id, BufferId::kHttpHeaderNames);
  EXPECT_EQ(FindStickyBuffer("tls_sni")->id, BufferId::kTlsSni);
  EXPECT_EQ(FindStickyBuffer("ja3_hash")->id, BufferId::kJa3Hash);
  EXPECT_EQ(FindStickyBuffer("pkt_data")->id, BufferId::kPacket);
  EXPECT_EQ(FindBufferModifier("http_client_body")->id, BufferId::kHttpRequestBody);
  EXPECT_EQ(FindBufferModifier("http_server_body")->id, BufferId::kHttpResponseBody);
  EXPECT_EQ(FindStickyBuffer("content"), nullptr);
  EXPECT_EQ(FindBufferByPcreFlag('i'), nullptr);
  EXPECT_EQ(FindBufferByPcreFlag('\xff'), nullptr);
  EXPECT_EQ(BufferName(BufferId::kDnsQuery), "dns.query");
  EXPECT_EQ(GetBufferInfo(BufferId::kTlsSni).app_proto, "tls");
  for (size_t i = 0; i < static_cast<size_t>(BufferId::kCount); ++i) {
    const BufferInfo& b = GetBufferInfo(static_cast<BufferId>(i));
    EXPECT_EQ(static_cast<size_t>(b.id), i);
    EXPECT_EQ(FindStickyBuffer(b.name), &b) << b.name;
  }
}

}  // namespace
}  // namespace vigil::rules
