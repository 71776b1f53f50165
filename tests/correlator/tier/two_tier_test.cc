// Two tiers over the real transport (CURVE): three provincial pipelines each see a port scan from
// the same source and forward their correlated alert upward through a Sender; the national
// pipeline receives them, sees each one's province from the allow list (not from the event) and
// raises the national rule "same source in several provinces".
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "correlator/tier/correlation_pipeline.h"
#include "correlator/tier/rule_loader.h"
#include "tests/storage/temp_dir.h"
#include "transport/allow_list.h"
#include "transport/curve_keys.h"
#include "transport/receiver.h"
#include "transport/sender.h"

namespace vigil::correlator {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kT0 = 1'700'000'000LL * kSec;

std::unique_ptr<storage::Db> OpenDb(const std::string& path) {
  storage::DbOptions o;
  o.path = path;
  auto db = storage::Db::Open(o);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return db.ok() ? std::move(*db) : nullptr;
}

std::string Rows(storage::Db& db, storage::ColumnFamily cf) {
  std::string all;
  auto it = db.NewIterator(cf);
  for (it.SeekToFirst(); it.Valid(); it.Next()) all.append(it.value()).push_back('\n');
  return all;
}

TEST(TwoTiers, ProvincesForwardAndTheNationalTierCorrelatesAcrossThem) {
  testing::TempDir dir;
  auto server = transport::GenerateCurveKeyPair();
  ASSERT_TRUE(server.ok());
  auto allow = std::make_shared<transport::AllowList>();
  std::vector<transport::CurveKeyPair> clients;
  for (int p = 0; p < 3; ++p) {
    clients.push_back(*transport::GenerateCurveKeyPair());
    const std::string prov = "prov-" + std::to_string(p);
    ASSERT_TRUE(allow->Add(clients.back().public_z85, {prov + "/correlator", prov}).ok());
  }

  // National tier.
  auto ndb = OpenDb(dir.Sub("national"));
  ASSERT_TRUE(ndb);
  auto nrules = LoadCorrelationRules("rules/correlation/national");
  ASSERT_TRUE(nrules.ok()) << nrules.error().message;
  PipelineOptions npo;
  npo.engine.allowed_lateness_ns = 0;
  auto national = CorrelationPipeline::Create(*ndb, EventStoreOptions{}, *nrules, npo, nullptr);
  ASSERT_TRUE(national.ok()) << national.error().message;
  transport::ReceiverOptions ro;
  ro.bind = "tcp://127.0.0.1:*";
  ro.server_keys = *server;
  ro.allow_list = allow;
  auto rx = transport::Receiver::Start(*ndb, ro, (*national)->Sink());
  ASSERT_TRUE(rx.ok()) << rx.error().message;

  // Three provinces, each forwarding through its own Sender.
  auto prules = LoadCorrelationRules("rules/correlation/default");
  ASSERT_TRUE(prules.ok()) << prules.error().message;
  for (int p = 0; p < 3; ++p) {
    auto pdb = OpenDb(dir.Sub("prov" + std::to_string(p)));
    ASSERT_TRUE(pdb);
    transport::SenderOptions so;
    so.connect = (*rx)->endpoint();
    so.origin = "prov-" + std::to_string(p) + "/correlator";
    so.server_public_key = server->public_z85;
    so.client_keys = clients[p];
    so.spool.name = "upstream";
    auto tx = transport::Sender::Start(*pdb, so);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    PipelineOptions ppo;
    ppo.engine.allowed_lateness_ns = 0;
    transport::Sender* sender = tx->get();
    auto prov = CorrelationPipeline::Create(*pdb, EventStoreOptions{}, *prules, ppo,
                                            [sender](std::string_view j) { return sender->Send(j); });
    ASSERT_TRUE(prov.ok()) << prov.error().message;
    // 60 ports in 30 s from one source, an hour apart per province; every event claims
    // province "elsewhere": the national tier must use the authenticated province.
    std::string payload;
    const int64_t base = kT0 + p * 3600 * kSec;
    for (int i = 0; i < 60; ++i) {
      payload += R"({"timestamp":")" + Timestamp{base + i * 500'000'000LL}.ToEve() +
                 R"(","event_type":"flow","proto":"TCP","src_ip":"198.51.100.66","dest_ip":"10.0.0.1","dest_port":)" +
                 std::to_string(1000 + i) + R"(,"province":"elsewhere"})" + "\n";
    }
    transport::ReceivedBatch b{"sensor", "", 1, 60, payload};
    storage::WriteBatch wb;
    ASSERT_TRUE((*prov)->AddBatch(b, wb).ok());
    ASSERT_TRUE((*prov)->Flush(wb).ok());
    ASSERT_TRUE(pdb->Write(wb, storage::Durability::kSync).ok());
    EXPECT_EQ((*prov)->counters().alerts_forwarded, 1u) << "province " << p;
    ASSERT_TRUE((*tx)->Drain(std::chrono::seconds(30)).ok());
  }

  rx->reset();  // everything acknowledged is stored; the pipeline is ours again
  storage::WriteBatch wb;
  ASSERT_TRUE((*national)->Flush(wb).ok());
  ASSERT_TRUE(ndb->Write(wb, storage::Durability::kSync).ok());
  const std::string corr = Rows(*ndb, (*national)->layout().family(EventClass::kCorrelation));
  EXPECT_NE(corr.find("\"vigil_province\":\"prov-0\""), std::string::npos) << corr;
  EXPECT_NE(corr.find("\"vigil_province\":\"prov-2\""), std::string::npos) << corr;
  EXPECT_NE(corr.find("\"rule_name\":\"vigil_port_scan\""), std::string::npos) << corr;
  EXPECT_NE(corr.find("\"rule_name\":\"vigil_national_multi_province\""), std::string::npos) << corr;
  EXPECT_EQ((*national)->counters().alerts_stored, 1u);
}

}  // namespace
}  // namespace vigil::correlator
