// failoverctl dashboard, in process, against a cpp-httplib server answering like failoverd's
// naming admin routes.
#include "tools/failoverctl/dashboard_commands.h"

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "dashboard/security/password_hash.h"
#include "gtest/gtest.h"
#include "tools/failoverctl/failoverctl.h"

namespace failover {
namespace {

struct Request {
  std::string method;
  std::string path;
  std::string nacos_namespace;
  std::string body;
};

// failoverd's naming routes under /failover-dashboard, for the user admin:pw.
class FakeFailoverd {
 public:
  FakeFailoverd() {
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    };
    server_.Get("/failover-dashboard/api/naming/.*", handler);
    server_.Put("/failover-dashboard/api/naming/.*", handler);
    server_.Delete("/failover-dashboard/api/naming/.*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeFailoverd() {
    server_.stop();
    thread_.join();
  }

  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/failover-dashboard");
  }
  std::vector<Request> requests() {
    MutexLock lock(&mu_);
    return requests_;
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    MutexLock lock(&mu_);
    const std::string nacos_namespace =
        req.has_param("namespace") ? req.get_param_value("namespace") : "public";
    requests_.push_back({req.method, req.path, nacos_namespace, req.body});
    const auto reply = [&](int status, const std::string& json) {
      res.status = status;
      res.set_content(json, "application/json");
    };
    if (req.get_header_value("Authorization") != "Basic " + absl::Base64Escape("admin:pw")) {
      return reply(401, R"({"error":"authentication required"})");
    }
    constexpr absl::string_view kServices = "/failover-dashboard/api/naming/services/";
    if (req.path == "/failover-dashboard/api/naming/switch") {
      if (req.method == "PUT") switch_ = req.body;
      return reply(
          200, absl::StrCat(R"({"namespace":")", nacos_namespace, R"(","state":)", switch_, "}"));
    }
    if (!absl::StartsWith(req.path, kServices)) return reply(404, R"({"error":"no route"})");
    const std::string key = absl::StrCat(nacos_namespace, "/", req.path.substr(kServices.size()));
    if (req.method == "PUT") {
      services_[key] = req.body;
      return reply(200, R"({"revision":1})");
    }
    const auto it = services_.find(key);
    if (it == services_.end()) return reply(404, R"({"error":"no such service"})");
    if (req.method == "DELETE") {
      services_.erase(it);
      return reply(200, R"({"revision":2})");
    }
    return reply(200, absl::StrCat(R"({"service":)", it->second, "}"));
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mu_);
  std::string switch_ ABSL_GUARDED_BY(mu_) = R"({"enabled":false})";
  std::map<std::string, std::string> services_ ABSL_GUARDED_BY(mu_);
};

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Dashboard(std::vector<std::string> args, const Environment& env = {{"PW", "pw"}},
                     const std::string& stdin_text = "") {
  args.insert(args.begin(), "dashboard");
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  static const std::atomic<bool> kNeverStop{false};
  const int code = RunFailoverctl(args, env, in, out, err, kNeverStop);
  return CommandRun{code, out.str(), err.str()};
}

std::vector<std::string> As(std::vector<std::string> args, const std::string& url) {
  args.insert(args.end(), {"--url", url, "--user", "admin", "--password-env", "PW"});
  return args;
}

TEST(DashboardCommandsTest, HashPasswordPrintsAVerifiableHashOfStdin) {
  CommandRun run = Dashboard({"hash-password", "--iterations", "100000"}, {}, "s3cret\n");
  ASSERT_EQ(run.code, kExitOk) << run.err;
  ASSERT_TRUE(absl::StartsWith(run.out, "pbkdf2-sha256$100000$")) << run.out;
  ASSERT_TRUE(absl::EndsWith(run.out, "\n"));
  const std::string hash = run.out.substr(0, run.out.size() - 1);
  EXPECT_TRUE(dashboard::ValidatePasswordHash(hash).ok());
  EXPECT_TRUE(*dashboard::VerifyPassword(hash, "s3cret"));
  EXPECT_FALSE(*dashboard::VerifyPassword(hash, "s3cret\n"));

  SeededRandom random(1);
  std::istringstream in("x\r\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunDashboardCommand({"hash-password"}, {}, in, out, err, random), kExitOk);
  EXPECT_TRUE(absl::StartsWith(out.str(), "pbkdf2-sha256$600000$")) << out.str();
  EXPECT_TRUE(*dashboard::VerifyPassword(out.str().substr(0, out.str().size() - 1), "x"));
}

TEST(DashboardCommandsTest, HashPasswordRefusesNoPasswordAndBadIterations) {
  CommandRun empty = Dashboard({"hash-password"}, {}, "");
  EXPECT_EQ(empty.code, kExitInvalid);
  EXPECT_EQ(empty.err, "failoverctl dashboard hash-password: no password on stdin\n");
  CommandRun cheap = Dashboard({"hash-password", "--iterations", "1000"}, {}, "pw\n");
  EXPECT_EQ(cheap.code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(cheap.err, "--iterations 1000 is outside 100000..10000000"));
  EXPECT_TRUE(cheap.out.empty());
}

TEST(DashboardCommandsTest, SwitchOnOffAndStatus) {
  FakeFailoverd server;
  CommandRun on = Dashboard(
      As({"switch", "on", "--namespace", "dev", "--reason", "nacos \"down\""}, server.url()));
  ASSERT_EQ(on.code, kExitOk) << on.err;
  EXPECT_EQ(on.out, R"({"namespace":"dev","state":{"enabled":true,"reason":"nacos \"down\""}})"
                    "\n");
  CommandRun status = Dashboard(As({"switch", "status", "--namespace", "dev"}, server.url()));
  ASSERT_EQ(status.code, kExitOk) << status.err;
  EXPECT_TRUE(absl::StrContains(status.out, R"("enabled":true)"));
  CommandRun off = Dashboard(As({"switch", "off"}, server.url()));
  ASSERT_EQ(off.code, kExitOk) << off.err;
  std::vector<Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/failover-dashboard/api/naming/switch");
  EXPECT_EQ(requests[0].nacos_namespace, "dev");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[2].nacos_namespace, "public");
  EXPECT_EQ(requests[2].body, R"({"enabled":false})");
}

TEST(DashboardCommandsTest, WrongCredentialsFailWithTheStatusAndNeverShowThePassword) {
  FakeFailoverd server;
  CommandRun run = Dashboard(As({"switch", "status"}, server.url()), {{"PW", "wrong-secret"}});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_EQ(run.err, absl::StrCat("failoverctl dashboard: GET ", server.url(),
                                  "/api/naming/switch: HTTP 401: "
                                  R"({"error":"authentication required"})"
                                  " (check --user and the password in --password-env)\n"));
  EXPECT_FALSE(absl::StrContains(run.err + run.out, "wrong-secret"));
}

TEST(DashboardCommandsTest, ServicePutGetDeleteAndNotFound) {
  FakeFailoverd server;
  const std::string file = absl::StrCat(std::getenv("TEST_TMPDIR"), "/orders.json");
  std::ofstream(file) << R"({"name":"orders","groupName":"DEFAULT_GROUP",)"
                      << R"("hosts":[{"ip":"10.0.0.1","port":8080}]})";
  const std::string key = "DEFAULT_GROUP@@orders";
  CommandRun put = Dashboard(As({"service", "put", "--key", key, "--file", file}, server.url()));
  ASSERT_EQ(put.code, kExitOk) << put.err;
  CommandRun get = Dashboard(As({"service", "get", "--key", key}, server.url()));
  ASSERT_EQ(get.code, kExitOk) << get.err;
  EXPECT_TRUE(absl::StrContains(get.out, R"("ip":"10.0.0.1")")) << get.out;
  EXPECT_EQ(server.requests()[0].path, "/failover-dashboard/api/naming/services/" + key);
  CommandRun del = Dashboard(As({"service", "delete", "--key", key}, server.url()));
  ASSERT_EQ(del.code, kExitOk) << del.err;
  CommandRun gone = Dashboard(As({"service", "get", "--key", key}, server.url()));
  EXPECT_EQ(gone.code, kExitNoSuchService);
  EXPECT_TRUE(absl::StrContains(gone.err, "HTTP 404")) << gone.err;
  EXPECT_EQ(Dashboard(As({"service", "delete", "--key", key}, server.url())).code,
            kExitNoSuchService);
}

TEST(DashboardCommandsTest, InvalidServiceFileIsRefusedBeforeSending) {
  FakeFailoverd server;
  const std::string file = absl::StrCat(std::getenv("TEST_TMPDIR"), "/bad.json");
  std::ofstream(file) << R"({"name":"orders","hosts":[{"ip":"10.0.0.1","port":"http"}]})";
  CommandRun run = Dashboard(
      As({"service", "put", "--key", "DEFAULT_GROUP@@orders", "--file", file}, server.url()));
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(run.err, file + ": not Nacos ServiceInfo JSON: hosts[0].port"))
      << run.err;
  CommandRun missing =
      Dashboard(As({"service", "put", "--key", "DEFAULT_GROUP@@orders", "--file", file + ".none"},
                   server.url()));
  EXPECT_EQ(missing.code, kExitInvalid);
  EXPECT_TRUE(server.requests().empty());
}

TEST(DashboardCommandsTest, UsageErrors) {
  const auto usage = [](CommandRun run, absl::string_view message) {
    EXPECT_EQ(run.code, kExitUsage) << run.err;
    EXPECT_TRUE(absl::StrContains(run.err, message)) << run.err;
  };
  const std::string url = "http://127.0.0.1:1/failover-dashboard";
  usage(Dashboard({"switch", "on", "--url", url, "--user", "admin", "--password", "pw"}),
        "--password is not accepted");
  usage(Dashboard({"switch", "on", "--url", url, "--user", "admin"}),
        "--user and --password-env go together");
  usage(Dashboard({"switch", "on", "--url", url, "--user", "admin", "--password-env", "NOPE"}),
        "the environment variable NOPE is not set");
  usage(Dashboard({"switch", "maybe", "--url", url}), "unknown action 'maybe'");
  usage(Dashboard({"switch", "on"}), "--url BASE is required");
  usage(Dashboard({"switch", "on", "--url", "dash:8080"}), "must start with http://");
  usage(Dashboard({"service", "get", "--url", url, "--key", "orders"}),
        "--key 'orders' is not GROUP@@SERVICE");
  usage(Dashboard({"service", "put", "--url", url, "--key", "G@@s"}), "--file");
  usage(Dashboard({"service", "get", "--url", url, "--key", "G@@s", "--file", "x"}),
        "--file is only for put");
  usage(Dashboard({}), "missing subcommand");
}

TEST(DashboardCommandsTest, UnreachableServerFails) {
  int port;
  {
    FakeFailoverd gone;
    const std::string url = gone.url();
    port = std::stoi(url.substr(url.rfind(':') + 1));
  }
  CommandRun run =
      Dashboard({"switch", "status", "--url", absl::StrCat("http://127.0.0.1:", port)});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(
      run.err, absl::StrCat("GET http://127.0.0.1:", port, "/api/naming/switch: ")))
      << run.err;
}

}  // namespace
}  // namespace failover
