// The control socket (core/control): request parsing, replies, and a real server on a unix
// socket answering live counters while another thread bumps them, garbage and silent clients,
// stale and live socket files, and the client's "not running" error.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>

#include <simdjson.h>

#include "core/control/control_client.h"
#include "core/control/control_path.h"
#include "core/control/control_request.h"
#include "core/control/control_server.h"
#include "core/control/daemon_ops.h"
#include "core/control/unix_socket.h"
#include "core/counters.h"
#include "core/time.h"
#include "tests/storage/temp_dir.h"

namespace vigil::control {
namespace {

constexpr CounterDef kDefs[] = {{"capture.packets", "packets read"}, {"decoder.invalid", "bad packets"}};

// Parses a reply as JSON; fails the test (returns an empty document) when it is not valid.
simdjson::dom::element Parse(simdjson::dom::parser& p, const std::string& json) {
  auto r = p.parse(json);
  EXPECT_EQ(r.error(), simdjson::SUCCESS) << json;
  return r.error() == simdjson::SUCCESS ? r.value() : simdjson::dom::element();
}

TEST(ControlRequestTest, AcceptsTheThreeVerbsWithOrWithoutLineEnd) {
  EXPECT_EQ(ParseControlRequest("status\n")->verb, ControlVerb::kStatus);
  EXPECT_EQ(ParseControlRequest("status")->verb, ControlVerb::kStatus);
  EXPECT_EQ(ParseControlRequest("ping\r\n")->verb, ControlVerb::kPing);
  EXPECT_EQ(ParseControlRequest("help\n")->verb, ControlVerb::kHelp);
}

TEST(ControlRequestTest, RejectsEverythingElseWithAReadableError) {
  for (std::string_view bad : {"", "\n", "stat", "status now", " status", "STATUS", "status\n\n"}) {
    auto r = ParseControlRequest(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
  }
  auto r = ParseControlRequest(std::string("st\x01\xff", 4));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("st\\x01\\xff"), std::string::npos) << r.error().message;
  EXPECT_EQ(ParseControlRequest(std::string(kMaxControlRequestBytes + 1, 's')).error().code, ErrorCode::kLimit);
}

TEST(ControlReplyTest, StatusHoldsIdentityAndEveryCounter) {
  CounterRegistry reg;
  auto g = reg.Register(kDefs);
  ASSERT_TRUE(g.ok());
  CounterBlock* b = reg.NewBlock("w0");
  b->Add((*g)[0], 41);
  b->Add((*g)[1], 2);
  StatusReport report("vigil-test", "eth9");
  report.AddCounters(&reg);
  report.SetSection("ruleset", [](JsonWriter& w) {
    w.BeginObject();
    w.KeyUint("rules", 7);
    w.EndObject();
  });
  simdjson::dom::parser p;
  const auto doc = Parse(p, ControlReply("status\n", report));
  EXPECT_EQ(std::string_view(doc["program"]), "vigil-test");
  EXPECT_EQ(std::string_view(doc["instance"]), "eth9");
  EXPECT_EQ(std::string_view(doc["version"]), VigilVersion());
  EXPECT_EQ(int64_t(doc["pid"]), ::getpid());
  EXPECT_GE(double(doc["uptime_seconds"]), 0.0);
  EXPECT_EQ(uint64_t(doc["ruleset"]["rules"]), 7u);
  EXPECT_EQ(uint64_t(doc["counters"]["capture.packets"]), 41u);
  EXPECT_EQ(uint64_t(doc["counters"]["decoder.invalid"]), 2u);

  const auto pong = Parse(p, ControlReply("ping", report));
  EXPECT_TRUE(bool(pong["pong"]));
  const auto help = Parse(p, ControlReply("help", report));
  EXPECT_EQ(simdjson::dom::array(help["requests"]).size(), std::size(kControlHelp));
  const auto err = Parse(p, ControlReply("reboot\n", report));
  EXPECT_NE(std::string_view(err["error"]).find("unknown request 'reboot'"), std::string_view::npos);
}

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = reg_.Register(kDefs);
    ASSERT_TRUE(g.ok());
    group_ = *g;
    block_ = reg_.NewBlock("worker-0");
    report_.AddCounters(&reg_);
  }
  std::unique_ptr<ControlServer> StartServer(int io_timeout_ms = 1000) {
    auto s = ControlServer::Start({.path = path_, .io_timeout_ms = io_timeout_ms}, report_, nullptr);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Sends raw bytes (no '\n' added) and returns the whole reply.
  std::string Raw(std::string_view bytes) {
    auto fd = ConnectUnix(path_, 2000);
    EXPECT_TRUE(fd.ok());
    if (!fd.ok()) return {};
    EXPECT_TRUE(SendAll(fd->get(), bytes, MonotonicNanos() + 2 * kNanosPerSecond).ok());
    ::shutdown(fd->get(), SHUT_WR);
    std::string out;
    char buf[512];
    while (WaitFd(fd->get(), POLLIN, MonotonicNanos() + 3 * kNanosPerSecond)) {
      const ssize_t n = ::recv(fd->get(), buf, sizeof(buf), 0);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        break;
      }
    }
    return out;
  }

  vigil::testing::TempDir dir_;
  std::string path_ = dir_.Sub("ctl.sock");
  CounterRegistry reg_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;
  StatusReport report_{"vigil-test", ""};
};

TEST_F(ControlServerTest, AnswersLiveCountersWhileAnotherThreadCounts) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  struct stat st{};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> added{0};
  std::thread worker([&] {
    while (!stop.load()) {
      block_->Add(group_[0]);
      added.fetch_add(1);
    }
  });
  simdjson::dom::parser p;
  uint64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    auto reply = QueryControl(path_, "status", 2000);
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    const uint64_t v = uint64_t(Parse(p, *reply)["counters"]["capture.packets"]);
    EXPECT_GE(v, last) << "counters only rise";
    last = v;
  }
  stop.store(true);
  worker.join();
  auto reply = QueryControl(path_, "status", 2000);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(uint64_t(Parse(p, *reply)["counters"]["capture.packets"]), added.load());
  EXPECT_EQ(server->requests(), 21u);
  EXPECT_EQ(server->bad_requests(), 0u);
  server.reset();
  EXPECT_NE(::access(path_.c_str(), F_OK), 0) << "the socket file is removed at stop";
}

TEST_F(ControlServerTest, GarbageGetsAnErrorAndTheServerKeepsServing) {
  auto server = StartServer(300);
  ASSERT_TRUE(server);
  simdjson::dom::parser p;
  std::mt19937 rng(8);
  for (int i = 0; i < 50; ++i) {
    std::string junk(static_cast<size_t>(rng() % 600), '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    if (junk.starts_with("status") || junk.starts_with("ping") || junk.starts_with("help")) junk[0] = 'x';
    const std::string reply = Raw(junk);
    ASSERT_FALSE(reply.empty()) << "iteration " << i;
    EXPECT_TRUE(Parse(p, reply)["error"].is_string()) << reply;
  }
  // A client that connects and says nothing is cut off after io_timeout_ms; the next is served.
  auto silent = ConnectUnix(path_, 1000);
  ASSERT_TRUE(silent.ok());
  auto reply = QueryControl(path_, "ping", 3000);
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_TRUE(bool(Parse(p, *reply)["pong"]));
  EXPECT_GE(server->bad_requests(), 51u);
}

TEST_F(ControlServerTest, StaleSocketIsReplacedLiveOneIsRefused) {
  {
    auto fd = ListenUnix(path_, 0600);  // a "crashed daemon": the file stays, nobody listens
    ASSERT_TRUE(fd.ok());
  }
  ASSERT_EQ(::access(path_.c_str(), F_OK), 0);
  auto first = StartServer();
  ASSERT_TRUE(first);
  auto second = ControlServer::Start({.path = path_}, report_, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("another process serves"), std::string::npos) << second.error().message;
  EXPECT_TRUE(QueryControl(path_, "ping", 2000).ok()) << "the first server still answers";
}

TEST_F(ControlServerTest, BoundButNotServingAnswersOnlyAfterServe) {
  auto bound = ControlServer::Bind({.path = path_}, report_, nullptr);
  ASSERT_TRUE(bound.ok()) << bound.error().message;
  auto early = QueryControl(path_, "ping", 200);  // waits in the backlog, unanswered
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kUnavailable);
  (*bound)->Serve();
  auto late = QueryControl(path_, "ping", 2000);
  EXPECT_TRUE(late.ok()) << late.error().message;
}

TEST_F(ControlServerTest, ARegularFileIsNeverReplaced) {
  { std::FILE* f = std::fopen(path_.c_str(), "w"); ASSERT_NE(f, nullptr); std::fclose(f); }
  auto s = ControlServer::Start({.path = path_}, report_, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("not a socket"), std::string::npos);
  struct stat st{};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST(ControlClientTest, NoDaemonIsUnavailableWithThePath) {
  vigil::testing::TempDir dir;
  auto r = QueryControl(dir.Sub("none.sock"), "status", 500);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find(dir.Sub("none.sock")), std::string::npos);
  auto long_path = QueryControl("/tmp/" + std::string(200, 'x'), "status", 500);
  ASSERT_FALSE(long_path.ok());
  EXPECT_EQ(long_path.error().code, ErrorCode::kInvalidArgument);
}

TEST(DaemonOpsTest, FlagsBecomeOverridesAndUnknownUserFailsEarly) {
  using V = std::vector<std::string>;
  EXPECT_EQ(DaemonOpsOverrides({}, "log.file"), V{});
  EXPECT_EQ(DaemonOpsOverrides({.control_socket = "/x.sock", .user = "vigil:adm", .log_file = "/l"}, "log.file"),
            (V{"control.socket=/x.sock", "run-as.user=vigil", "run-as.group=adm", "log.file=/l"}));
  EXPECT_EQ(DaemonOpsOverrides({.no_control = true, .user = "vigil"}, "logging.file"),
            (V{"control.socket=none", "run-as.user=vigil"}));
  ConfigSchema schema;
  DeclareDaemonOpsConfig(schema);
  auto cfg = Config::LoadString("run-as:\n  user: no-such-user-vigil\n", "t.yaml", schema);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto ops = DaemonOps::FromConfig(*cfg, {.program = "vigil-test"});
  ASSERT_FALSE(ops.ok());
  EXPECT_NE(ops.error().message.find("unknown user"), std::string::npos) << ops.error().message;
  auto group_only = Config::LoadString("run-as:\n  group: adm\n", "t.yaml", schema);
  ASSERT_TRUE(group_only.ok());
  EXPECT_FALSE(DaemonOps::FromConfig(*group_only, {.program = "vigil-test"}).ok());
  auto none = Config::LoadString("control:\n  socket: none\n", "t.yaml", schema);
  ASSERT_TRUE(none.ok());
  auto plain = DaemonOps::FromConfig(*none, {.program = "vigil-test", .auto_name = "vigil-test"});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  Logger log(LogLevel::kError);
  auto server = (*plain)->BindControl(log);
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(server->get(), nullptr) << "control.socket: none";
}

TEST(ControlPathTest, SettingAutomaticAndNone) {
  EXPECT_TRUE(PlanControlSocket("none", "vigil-sensor-eth0").path.empty());
  EXPECT_TRUE(PlanControlSocket("", "").path.empty()) << "offline sensor: no socket by default";
  const auto explicit_plan = PlanControlSocket("/x/y.sock", "vigil-sensor-eth0");
  EXPECT_EQ(explicit_plan.path, "/x/y.sock");
  EXPECT_FALSE(explicit_plan.automatic);
  const auto a = PlanControlSocket("", "vigil-sensor-eth0.100/x");
  EXPECT_TRUE(a.automatic);
  EXPECT_EQ(a.path, DefaultControlDir() + "/vigil-sensor-eth0.100_x.sock");
}

}  // namespace
}  // namespace vigil::control
