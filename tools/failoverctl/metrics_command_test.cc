// failoverctl metrics, in process, against a cpp-httplib server answering /metrics as failoverd
// does (HTTP Basic for admin:pw; 401 with WWW-Authenticate otherwise), found through a config
// file.
#include "tools/failoverctl/metrics_command.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/failoverctl/failoverctl.h"

namespace failover {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kPage[] =
    "# HELP failover_dashboard_ingest_total failover.dashboard.ingest.total\n"
    "# TYPE failover_dashboard_ingest_total counter\n"
    "failover_dashboard_ingest_total{result=\"accepted\",transport=\"http\"} 4\n"
    "failover_dashboard_ingest_total{result=\"bad\\\"quote\",transport=\"grpc\"} 0\n";

class FakeFailoverd {
 public:
  FakeFailoverd() {
    server_.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      requests_.fetch_add(1);
      if (hold_.load()) release_.WaitForNotification();
      const std::string authorization = req.get_header_value("Authorization");
      if (authorization == "Basic " + absl::Base64Escape("viewer:pw")) {
        res.status = 403;
        res.set_content(R"({"error":"viewer: the admin role is required"})", "application/json");
        return;
      }
      if (authorization == "Basic " + absl::Base64Escape("locked:pw")) {
        res.status = 429;
        res.set_header("Retry-After", "42");
        res.set_content(R"({"error":"locked out"})", "application/json");
        return;
      }
      if (authorization != "Basic " + absl::Base64Escape("admin:pw")) {
        res.status = 401;
        res.set_header("WWW-Authenticate", "Basic realm=\"failoverd\"");
        res.set_content(R"({"error":"authentication required"})", "application/json");
        return;
      }
      res.set_content(kPage, "text/plain; version=0.0.4; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeFailoverd() {
    if (hold_.load() && !release_.HasBeenNotified()) release_.Notify();
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  int requests() const { return requests_.load(); }
  // Requests wait until Release().
  void Hold() { hold_.store(true); }
  void Release() { release_.Notify(); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::atomic<bool> hold_{false};
  Notification release_;
};

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

class MetricsCommandTest : public ::testing::Test {
 protected:
  // A failover config file whose dashboard listens on `listen`.
  std::string Config(const std::string& listen) {
    const std::string path =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/failoverd-", files_++, ".yml");
    std::ofstream(path) << "failover:\n  dashboard:\n    enabled: true\n    listen: \"" << listen
                        << "\"\n";
    return path;
  }

  CommandRun Metrics(std::vector<std::string> args, const Environment& env = {{"PW", "pw"}}) {
    args.insert(args.begin(), "metrics");
    std::ostringstream out, err;
    const int code = RunFailoverctl(args, env, out, err);
    return CommandRun{code, out.str(), err.str()};
  }

  std::string Local() { return absl::StrCat("127.0.0.1:", server_.port()); }

  FakeFailoverd server_;
  int files_ = 0;
};

TEST_F(MetricsCommandTest, PrintsThePageExactly) {
  const CommandRun run =
      Metrics({"--config", Config(Local()), "--user", "admin", "--password-env", "PW"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, kPage);
  EXPECT_THAT(run.err, IsEmpty());
}

TEST_F(MetricsCommandTest, WithoutCredentialsSaysHowToPassThem) {
  const CommandRun run = Metrics({"--config", Config(Local())});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr(absl::StrCat("GET http://", Local(), "/metrics")));
  EXPECT_THAT(run.err, HasSubstr("unauthorized: pass --user and --password-env"));
  const CommandRun wrong = Metrics(
      {"--config", Config(Local()), "--user", "admin", "--password-env", "PW"}, {{"PW", "nope"}});
  EXPECT_EQ(wrong.code, kExitInvalid);
  EXPECT_THAT(wrong.err, HasSubstr("unauthorized"));
}

TEST_F(MetricsCommandTest, ForbiddenAndLockedOut) {
  const CommandRun viewer =
      Metrics({"--config", Config(Local()), "--user", "viewer", "--password-env", "PW"});
  EXPECT_EQ(viewer.code, kExitInvalid);
  EXPECT_THAT(viewer.err, HasSubstr("forbidden"));
  const CommandRun locked =
      Metrics({"--config", Config(Local()), "--user", "locked", "--password-env", "PW"});
  EXPECT_EQ(locked.code, kExitInvalid);
  EXPECT_THAT(locked.err, HasSubstr("retry after 42 s"));
}

TEST_F(MetricsCommandTest, WildcardListenIsReachedOnLoopback) {
  const CommandRun run = Metrics({"--config", Config(absl::StrCat("0.0.0.0:", server_.port())),
                                  "--user=admin", "--password-env=PW"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, kPage);
}

TEST_F(MetricsCommandTest, EnvironmentOverridesApplyAsForFailoverd) {
  Environment env = {{"PW", "pw"}, {"FAILOVER_DASHBOARD_LISTEN", Local()}};
  const CommandRun run =
      Metrics({"--config", Config("127.0.0.1:1"), "--user", "admin", "--password-env", "PW"}, env);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, kPage);
}

TEST_F(MetricsCommandTest, UnreachableServer) {
  int closed_port = 0;
  {
    FakeFailoverd gone;
    closed_port = gone.port();
  }
  const std::string listen = absl::StrCat("127.0.0.1:", closed_port);
  const CommandRun run = Metrics({"--config", Config(listen), "--timeout", "5"});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr(absl::StrCat("GET http://", listen, "/metrics: ")));
  EXPECT_THAT(run.err, HasSubstr("is failoverd running"));
}

TEST_F(MetricsCommandTest, TimesOut) {
  server_.Hold();
  const auto start = std::chrono::steady_clock::now();
  const CommandRun run = Metrics(
      {"--config", Config(Local()), "--timeout", "0.3", "--user", "admin", "--password-env", "PW"});
  const auto took = std::chrono::steady_clock::now() - start;
  server_.Release();
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr("GET http://"));
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(MetricsCommandTest, InvalidConfiguration) {
  const CommandRun bad = Metrics({"--config", Config("no-port")});
  EXPECT_EQ(bad.code, kExitInvalid);
  EXPECT_THAT(bad.err, HasSubstr("failover.dashboard.listen"));
  const CommandRun port_zero = Metrics({"--config", Config("127.0.0.1:0")});
  EXPECT_EQ(port_zero.code, kExitInvalid);
  EXPECT_THAT(port_zero.err, HasSubstr("port 0"));
  const CommandRun missing = Metrics({"--config", "/nonexistent/failoverd.yml"});
  EXPECT_EQ(missing.code, kExitInvalid);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/failoverd.yml"));
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(MetricsCommandTest, UsageErrors) {
  const std::string config = Config(Local());
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"--config"},
           {"--config", config, "extra"},
           {"--config", config, "--user", "admin"},
           {"--config", config, "--password-env", "PW"},
           {"--config", config, "--user", "admin", "--password-env", "UNSET"},
           {"--config", config, "--password", "pw"},
           {"--config", config, "--timeout", "soon"},
           {"--config", config, "--timeout", "0"},
           {"--config", config, "--url", "http://x"},
       }) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    const CommandRun run = Metrics(args);
    EXPECT_EQ(run.code, kExitUsage);
    EXPECT_THAT(run.err, HasSubstr("failoverctl metrics: "));
    EXPECT_THAT(run.err, HasSubstr("failoverctl metrics --config FILE"));
  }
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(MetricsCommandTest, HelpListsTheCommand) {
  std::ostringstream out, err;
  ASSERT_EQ(RunFailoverctl({"--help"}, {}, out, err), kExitOk);
  EXPECT_THAT(out.str(),
              HasSubstr("failoverctl metrics --config FILE [--user U --password-env VAR]"));
}

TEST(DashboardOriginTest, MapsWildcardsToLoopbackAndBracketsIpv6) {
  EXPECT_EQ(*DashboardOrigin("127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(*DashboardOrigin("0.0.0.0:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(*DashboardOrigin("[::]:8080"), "http://[::1]:8080");
  EXPECT_EQ(*DashboardOrigin(":::8080"), "http://[::1]:8080");
  EXPECT_EQ(*DashboardOrigin("[fd00::7]:80"), "http://[fd00::7]:80");
  EXPECT_EQ(*DashboardOrigin("dash.internal:9000"), "http://dash.internal:9000");
  for (absl::string_view bad :
       {"8080", "host:", "host:x", "host:70000", ":8080", "[::1:80", "127.0.0.1:0"}) {
    SCOPED_TRACE(bad);
    const absl::StatusOr<std::string> origin = DashboardOrigin(bad);
    ASSERT_FALSE(origin.ok());
    EXPECT_EQ(origin.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(origin.status().message(), HasSubstr("failover.dashboard.listen"));
  }
}

}  // namespace
}  // namespace failover
