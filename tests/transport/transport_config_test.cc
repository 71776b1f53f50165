#include "transport/transport_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/storage/temp_dir.h"

namespace vigil::transport {
namespace {

TEST(TransportConfig, DeclaredDefaultsEqualTheStructDefaults) {
  ConfigSchema s;
  DeclareSenderConfig(s, "transport");
  DeclareReceiverConfig(s, "listen");
  ASSERT_TRUE(s.status().ok()) << s.status().error().message;
  auto cfg = Config::LoadString("transport:\n  insecure: yes\nlisten:\n  insecure: yes\n", "t.yaml", s);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto so = SenderOptionsFromConfig(*cfg, "transport");
  ASSERT_TRUE(so.ok()) << so.error().message;
  const SenderOptions d;
  EXPECT_EQ(so->connect, d.connect);
  EXPECT_EQ(so->batch_max_events, d.batch_max_events);
  EXPECT_EQ(so->batch_max_bytes, d.batch_max_bytes);
  EXPECT_EQ(so->linger_ns, d.linger_ns);
  EXPECT_EQ(so->window, d.window);
  EXPECT_EQ(so->spool_group_max_batches, d.spool_group_max_batches);
  EXPECT_EQ(so->ack_timeout_ns, d.ack_timeout_ns);
  EXPECT_EQ(so->peer_timeout_ns, d.peer_timeout_ns);
  EXPECT_EQ(so->max_pending_bytes, d.max_pending_bytes);
  EXPECT_EQ(so->limits.max_frame_bytes, d.limits.max_frame_bytes);
  EXPECT_EQ(so->spool.max_bytes, d.spool.max_bytes);
  EXPECT_EQ(so->spool.full_policy, d.spool.full_policy);
  EXPECT_EQ(so->spool.append_durability, d.spool.append_durability);
  auto ro = ReceiverOptionsFromConfig(*cfg, "listen");
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  const ReceiverOptions rd;
  EXPECT_EQ(ro->bind, rd.bind);
  EXPECT_EQ(ro->max_batches_per_commit, rd.max_batches_per_commit);
  EXPECT_EQ(ro->durability, rd.durability);
  EXPECT_EQ(ro->max_pending_control, rd.max_pending_control);
  EXPECT_EQ(ro->control_resend_ns, rd.control_resend_ns);
}

TEST(TransportConfig, ReadsValuesKeyFilesAndAllowList) {
  vigil::testing::TempDir dir;
  auto server = *GenerateCurveKeyPair();
  auto client = *GenerateCurveKeyPair();
  ASSERT_TRUE(WriteSecretKeyFile(dir.Sub("server.key"), server).ok());
  ASSERT_TRUE(WritePublicKeyFile(dir.Sub("server.pub"), server.public_z85).ok());
  ASSERT_TRUE(WriteSecretKeyFile(dir.Sub("client.key"), client).ok());
  std::ofstream(dir.Sub("allow")) << client.public_z85 << " prov-07/s1 prov-07\n";
  ConfigSchema s;
  DeclareSenderConfig(s, "transport");
  DeclareReceiverConfig(s, "listen");
  const std::string yaml =
      "transport:\n  upstream: tcp://10.0.0.1:7100\n  origin: prov-07/s1\n"
      "  curve:\n    server-public-key-file: " + dir.Sub("server.pub") + "\n    secret-key-file: " +
      dir.Sub("client.key") + "\n  batch:\n    max-events: 500\n    linger: 20ms\n"
      "  spool:\n    max-bytes: 2gb\n    full-policy: drop-oldest\n    sync: no\n"
      "listen:\n  bind: tcp://0.0.0.0:7200\n  curve:\n    secret-key-file: " + dir.Sub("server.key") +
      "\n    allow-list: " + dir.Sub("allow") + "\n  max-staged-batches: 32\n  control:\n    resend: 2s\n";
  auto cfg = Config::LoadString(yaml, "t.yaml", s);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto so = SenderOptionsFromConfig(*cfg, "transport");
  ASSERT_TRUE(so.ok()) << so.error().message;
  EXPECT_EQ(so->connect, "tcp://10.0.0.1:7100");
  EXPECT_EQ(so->origin, "prov-07/s1");
  EXPECT_EQ(so->server_public_key, server.public_z85);
  EXPECT_EQ(so->client_keys.public_z85, client.public_z85);
  EXPECT_EQ(so->batch_max_events, 500u);
  EXPECT_EQ(so->linger_ns, 20 * kNanosPerMilli);
  EXPECT_EQ(so->spool.max_bytes, uint64_t{2} << 30);
  EXPECT_EQ(so->spool.full_policy, SpoolFullPolicy::kDropOldest);
  EXPECT_EQ(so->spool.append_durability, storage::Durability::kBuffered);
  auto ro = ReceiverOptionsFromConfig(*cfg, "listen");
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  EXPECT_EQ(ro->bind, "tcp://0.0.0.0:7200");
  EXPECT_EQ(ro->server_keys.public_z85, server.public_z85);
  ASSERT_TRUE(ro->allow_list);
  EXPECT_EQ(ro->max_batches_per_commit, 32u);
  EXPECT_EQ(ro->control_resend_ns, 2 * kNanosPerSecond);
}

TEST(TransportConfig, CurveWithoutKeyFilesIsAnError) {
  ConfigSchema s;
  DeclareSenderConfig(s, "transport");
  auto cfg = Config::LoadString("transport:\n  origin: x\n", "t.yaml", s);
  ASSERT_TRUE(cfg.ok());
  auto so = SenderOptionsFromConfig(*cfg, "transport");
  ASSERT_FALSE(so.ok());
  EXPECT_NE(so.error().message.find("secret-key-file"), std::string::npos);
  // A bad value is refused by the schema with the key's name.
  EXPECT_FALSE(Config::LoadString("transport:\n  spool:\n    full-policy: maybe\n", "t.yaml", s).ok());
}

}  // namespace
}  // namespace vigil::transport
