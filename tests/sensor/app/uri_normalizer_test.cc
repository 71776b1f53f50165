#include "sensor/app/http/uri_normalizer.h"

#include <gtest/gtest.h>

namespace vigil::sensor {
namespace {

std::string Norm(std::string_view raw, const UriNormalizeConfig& cfg = {}) {
  std::string out;
  NormalizeUri(raw, cfg, out);
  return out;
}

TEST(UriNormalizer, DotSegments) {
  EXPECT_EQ(Norm("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(Norm("/a/./b/"), "/a/b/");
  EXPECT_EQ(Norm("/a/b/.."), "/a/");
  EXPECT_EQ(Norm("/.."), "/");
  EXPECT_EQ(Norm("/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(Norm("/a/."), "/a/");
  EXPECT_EQ(Norm("/"), "/");
  EXPECT_EQ(Norm("*"), "*");
  EXPECT_EQ(Norm("/a/..b/c"), "/a/..b/c");  // ".." only as a whole segment
}

TEST(UriNormalizer, PercentDecodingOfThePath) {
  EXPECT_EQ(Norm("/%61%62c"), "/abc");
  EXPECT_EQ(Norm("/a%20b"), "/a b");               // libhtp decodes every %XX in the path
  EXPECT_EQ(Norm("/a%2fb"), "/a/b");               // separators decoded (IDS personality)
  EXPECT_EQ(Norm("/%2e%2e/%2e%2e/etc"), "/etc");   // decoded before dot removal
  EXPECT_EQ(Norm("/a%zzb%4"), "/a%zzb%4");         // invalid encodings preserved
  EXPECT_EQ(Norm("/%u0041%uFF21"), "/AA");         // %u: Latin-1 and fullwidth ASCII
  UriNormalizeConfig keep_sep;
  keep_sep.decode_separators = false;
  EXPECT_EQ(Norm("/a%2Fb", keep_sep), "/a%2Fb");
}

TEST(UriNormalizer, SeparatorsAndCase) {
  EXPECT_EQ(Norm("//a///b"), "/a/b");
  EXPECT_EQ(Norm("/a\\b\\..\\c"), "/a/c");
  EXPECT_EQ(Norm("/A/B"), "/A/B");  // case kept (Suricata turns libhtp's lowercasing off)
  UriNormalizeConfig lower;
  lower.lowercase = true;
  EXPECT_EQ(Norm("/A/B", lower), "/a/b");
  UriNormalizeConfig raw;
  raw.compress_separators = false;
  raw.remove_dot_segments = false;
  EXPECT_EQ(Norm("//a/./b", raw), "//a/./b");
}

TEST(UriNormalizer, QueryDecodedNotNormalisedAndAbsoluteFormStripped) {
  // libhtp url-decodes the query (valid %XX; invalid ones and '+' kept) but leaves its dots.
  EXPECT_EQ(Norm("/a/../b?x=%41&y=/../"), "/b?x=A&y=/../");
  EXPECT_EQ(Norm("/?arg=Zm%209v+%zz%4"), "/?arg=Zm 9v+%zz%4");
  EXPECT_EQ(Norm("http://Example.com:8080/a/./b?q"), "/a/b?q");
  UriParts p = SplitUri("http://user:pw@Example.com:8080/p?q#f");
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.authority, "Example.com:8080");
  EXPECT_EQ(p.path, "/p");
  EXPECT_EQ(p.query, "q");
  EXPECT_EQ(p.fragment, "f");
}

TEST(UriNormalizer, DoubleEncodingFlagged) {
  std::string out;
  UriFlags f = NormalizeUri("/%252e%252e/", {}, out);
  EXPECT_TRUE(f.double_encoded);
  EXPECT_EQ(out, "/%2e%2e/");
  f = NormalizeUri("/%25zz", {}, out);
  EXPECT_FALSE(f.double_encoded);
}

TEST(UriNormalizer, HostAndPort) {
  HostPort hp = SplitHostPort(" WWW.Example.COM.:8080 ");
  EXPECT_EQ(hp.host, "WWW.Example.COM.");
  ASSERT_TRUE(hp.port);
  EXPECT_EQ(*hp.port, 8080);
  std::string h;
  NormalizeHost(hp.host, h);
  EXPECT_EQ(h, "www.example.com");
  hp = SplitHostPort("[2001:db8::1]:443");
  EXPECT_EQ(hp.host, "2001:db8::1");
  EXPECT_EQ(*hp.port, 443);
  hp = SplitHostPort("example.com:99999");
  EXPECT_TRUE(hp.port_invalid);
  hp = SplitHostPort("exa mple.com");
  EXPECT_TRUE(hp.host_invalid);
  hp = SplitHostPort("");
  EXPECT_TRUE(hp.host_invalid);
}

}  // namespace
}  // namespace vigil::sensor
