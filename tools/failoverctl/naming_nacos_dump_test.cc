// `failoverctl naming dump --from-nacos` against a FakeNacosServer over real HTTP: v1 and v2,
// namespaces and context paths, unknown services, a server that fails, hangs or is gone, --force,
// and the usage errors; in-process, and once through the real binary.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "naming-client/testing/fake_nacos_server.h"
#include "proto/naming.pb.h"
#include "tools/failoverctl/failoverctl.h"
#include "tools/failoverctl/naming_nacos_input.h"

namespace failover {
namespace {

using naming::FakeNacosFault;
using naming::FakeNacosServer;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

v1::ServiceInfo Service(const std::string& group, const std::string& name,
                        const std::vector<std::string>& ips) {
  v1::ServiceInfo info;
  info.set_name(name);
  info.set_group_name(group);
  for (const std::string& ip : ips) {
    v1::Instance* host = info.add_hosts();
    host->set_ip(ip);
    host->set_port(8080);
    host->set_weight(1.0);
    host->set_healthy(true);
    host->set_enabled(true);
    host->set_cluster_name("DEFAULT");
    host->set_service_name(absl::StrCat(group, "@@", name));
  }
  return info;
}

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Failoverctl(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunFailoverctl(args, {}, out, err);
  return CommandRun{code, out.str(), err.str()};
}

std::string Read(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

class NacosDumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/nacos-dump-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ + "/nacos/naming/public/failover";  // Created by the dump.
    absl::StatusOr<std::unique_ptr<FakeNacosServer>> server = FakeNacosServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    server_->SetService("public", Service("DEFAULT_GROUP", "orders", {"10.0.0.1", "10.0.0.2"}));
    server_->SetService("public", Service("G", "pay", {"10.0.1.1"}));
    url_ = absl::StrCat("http://", server_->address());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // naming dump --dir dir_ --from-nacos url_ EXTRA...
  CommandRun Dump(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"naming", "dump", "--dir", dir_, "--from-nacos", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    return Failoverctl(args);
  }
  // What a client's failover reactor serves from dir_ for `service`, switch on.
  std::string Served(const std::string& service) {
    std::ofstream(dir_ + "/" + kSwitch) << "1\n";
    CommandRun run = Failoverctl({"naming", "lookup", "--dir", dir_, "--service", service});
    std::filesystem::remove(dir_ + "/" + kSwitch);
    return run.out;
  }
  std::string Source(const std::string& nacos_namespace = "public") const {
    return absl::StrCat("nacos ", server_->address(), "/nacos, namespace ", nacos_namespace);
  }

  std::string root_;
  std::string dir_;
  std::unique_ptr<FakeNacosServer> server_;
  std::string url_;
};

TEST_F(NacosDumpTest, V1WritesEachServiceAsTheServerAnswersIt) {
  CommandRun run = Dump({"--service", "orders", "--service", "G@@pay"});
  EXPECT_EQ(run.code, kExitOk) << run.out << run.err;
  EXPECT_EQ(run.out,
            absl::StrCat("WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
                         "WROTE G%40%40pay (G@@pay, 1 host)\n"
                         "dumped 2 of 2 failover files to ",
                         dir_, "\n"));
  EXPECT_EQ(run.err, "");
  const std::vector<naming::FakeNacosRequest> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/nacos/v1/ns/instance/list");
  EXPECT_EQ(requests[0].params.at("serviceName"), "DEFAULT_GROUP@@orders");
  EXPECT_EQ(requests[0].params.at("namespaceId"), "public");
  EXPECT_EQ(requests[0].params.at("healthyOnly"), "false");
  EXPECT_EQ(requests[1].params.at("serviceName"), "G@@pay");

  const std::string orders = Read(dir_ + "/DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(orders.find('\n'), std::string::npos) << orders;  // The Java client's one line.
  EXPECT_TRUE(absl::StrContains(orders, R"("groupName":"DEFAULT_GROUP")")) << orders;
  EXPECT_TRUE(absl::StrContains(Served("orders"), R"("ip":"10.0.0.2")"));
  EXPECT_TRUE(absl::StrContains(Served("G@@pay"), R"("ip":"10.0.1.1")"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + kSwitch));
}

TEST_F(NacosDumpTest, V2InANamespaceUnderAContextPath) {
  server_->SetService("dev", Service("DEFAULT_GROUP", "orders", {"10.9.9.9"}));
  url_ = absl::StrCat(server_->address(), "/nacos/");  // No scheme, a trailing slash.
  CommandRun run = Dump({"--service", "orders", "--namespace", "dev", "--api-version", "v2"});
  EXPECT_EQ(run.code, kExitOk) << run.out << run.err;
  EXPECT_TRUE(absl::StrContains(run.out,
                                "WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, "
                                "1 host)\n"))
      << run.out;
  const std::vector<naming::FakeNacosRequest> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/nacos/v2/ns/instance/list");
  EXPECT_EQ(requests[0].params.at("serviceName"), "orders");
  EXPECT_EQ(requests[0].params.at("groupName"), "DEFAULT_GROUP");
  EXPECT_EQ(requests[0].params.at("namespaceId"), "dev");
  EXPECT_TRUE(absl::StrContains(Served("orders"), R"("ip":"10.9.9.9")"));

  // Another context path is asked for as given: the fake serves only /nacos, and its 404 is
  // NOT_FOUND, as for an unknown service.
  url_ = absl::StrCat("http://", server_->address(), "/registry/");
  CommandRun elsewhere = Dump({"--service", "orders"});
  EXPECT_EQ(elsewhere.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(elsewhere.out,
                                absl::StrCat("MISSING DEFAULT_GROUP@@orders: not in nacos ",
                                             server_->address(), "/registry, namespace public\n")))
      << elsewhere.out;
}

TEST_F(NacosDumpTest, UnknownServicesAreMissingAndNotWritten) {
  for (const bool not_found : {false, true}) {
    SCOPED_TRACE(not_found ? "404 resource not found" : "200 without hosts");
    server_->SetUnknownServiceNotFound(not_found);
    for (const char* version : {"v1", "v2"}) {
      SCOPED_TRACE(version);
      std::filesystem::remove_all(dir_);
      CommandRun run = Dump({"--service", "orders", "--service", "gone", "--api-version", version});
      EXPECT_EQ(run.code, kExitInvalid);
      EXPECT_EQ(run.out,
                absl::StrCat("WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
                             "MISSING DEFAULT_GROUP@@gone: not in ",
                             Source(), "\ndumped 1 of 2 failover files to ", dir_, "\n"));
      EXPECT_EQ(run.err,
                "failoverctl: naming dump: 1 of 2 failover files not written (see above)\n");
      EXPECT_FALSE(std::filesystem::exists(dir_ + "/DEFAULT_GROUP%40%40gone"));
    }
  }
}

TEST_F(NacosDumpTest, ServerErrorsNameTheServiceAndTheServer) {
  server_->SetFault(FakeNacosFault::kHttp500);
  CommandRun failed = Dump({"--service", "orders"});
  EXPECT_EQ(failed.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(
      failed.out, absl::StrCat("SKIP DEFAULT_GROUP%40%40orders: unreadable: DEFAULT_GROUP@@orders "
                               "from ",
                               Source(), ": UNAVAILABLE: ")))
      << failed.out;
  EXPECT_TRUE(absl::StrContains(
      failed.out, absl::StrCat("nacos ", server_->address(),
                               " v1 instance list of DEFAULT_GROUP@@orders: HTTP 500")))
      << failed.out;
  EXPECT_TRUE(absl::StrContains(failed.out, "\ndumped 0 of 1 failover files to ")) << failed.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/DEFAULT_GROUP%40%40orders"));

  // A hang is cut at --timeout.
  server_->SetFault(FakeNacosFault::kHang, absl::Seconds(30));
  const auto start = std::chrono::steady_clock::now();
  CommandRun hung = Dump({"--service", "orders", "--timeout", "300ms"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));  // Not 5 s.
  EXPECT_EQ(hung.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(hung.out, "SKIP DEFAULT_GROUP%40%40orders: unreadable: "))
      << hung.out;

  server_->SetFault(FakeNacosFault::kNone);
  server_->Stop();
  CommandRun gone = Dump({"--service", "orders"});
  EXPECT_EQ(gone.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(
      gone.out, absl::StrCat("DEFAULT_GROUP@@orders from ", Source(), ": UNAVAILABLE: ")))
      << gone.out;
  EXPECT_TRUE(absl::StrContains(gone.out, server_->address())) << gone.out;
}

// A NamingUpstream answering from a table: one service fails while the others are answered.
class TableUpstream final : public naming::NamingUpstream {
 public:
  absl::StatusOr<v1::ServiceInfo> Query(const naming::ServiceKey& key, bool) override {
    if (key.service == "broken") return absl::UnavailableError("nacos 10.0.0.9:8848: HTTP 503");
    if (key.service == "refused") return absl::PermissionDeniedError("nacos: HTTP 403");
    if (key.service == "unknown") return absl::NotFoundError("nacos: resource not found");
    if (key.service == "empty") return Service(key.group, key.service, {});
    return Service(key.group, key.service, {"10.0.0.1"});
  }
};

TEST(QueryServicesForDumpTest, AFailedServiceDoesNotStopTheOthers) {
  TableUpstream upstream;
  const std::vector<naming::ServiceKey> keys = {{"G", "refused", ""}, {"G", "orders", ""},
                                                {"G", "unknown", ""}, {"G", "broken", ""},
                                                {"G", "empty", ""},   {"G", "pay", ""}};
  const naming::FailoverData data = QueryServicesForDump(upstream, keys, "nacos x:1/nacos");
  ASSERT_EQ(data.services.size(), 2u);
  EXPECT_EQ(data.services.at("G@@orders").key, (naming::ServiceKey{"G", "orders", ""}));
  EXPECT_EQ(data.services.at("G@@pay").info->hosts_size(), 1);
  EXPECT_EQ(data.services.at("G@@pay").origin, "nacos x:1/nacos");
  ASSERT_EQ(data.problems.size(), 2u);  // Sorted by origin.
  EXPECT_EQ(data.problems[0].origin, "G%40%40broken");
  EXPECT_EQ(data.problems[0].kind, naming::FailoverProblemKind::kUnreadable);
  EXPECT_EQ(data.problems[0].message,
            "G@@broken from nacos x:1/nacos: UNAVAILABLE: nacos 10.0.0.9:8848: HTTP 503");
  EXPECT_EQ(data.problems[1].origin, "G%40%40refused");
}

TEST(NacosOptionsFromUrlTest, ServerAndContextPath) {
  absl::StatusOr<naming::NacosHttpUpstreamOptions> plain =
      NacosOptionsFromUrl("http://10.0.0.1:8848");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->server_addresses, std::vector<std::string>{"10.0.0.1:8848"});
  EXPECT_EQ(plain->context_path, "/nacos");
  absl::StatusOr<naming::NacosHttpUpstreamOptions> context =
      NacosOptionsFromUrl("HTTP://[::1]:8848/a/nacos//");
  ASSERT_TRUE(context.ok()) << context.status();
  EXPECT_EQ(context->server_addresses, std::vector<std::string>{"[::1]:8848"});
  EXPECT_EQ(context->context_path, "/a/nacos");
  EXPECT_EQ(NacosOptionsFromUrl("nacos.local")->server_addresses,
            std::vector<std::string>{"nacos.local"});

  EXPECT_EQ(NacosOptionsFromUrl("https://n:8848").status().message(),
            "--from-nacos 'https://n:8848': https is not supported");
  EXPECT_FALSE(NacosOptionsFromUrl("ftp://n:8848").ok());
  EXPECT_FALSE(NacosOptionsFromUrl("http://n:8848/nacos?x=1").ok());
  EXPECT_FALSE(NacosOptionsFromUrl("http:///nacos").ok());
}

TEST(NacosDumpOptionsTest, FlagsAndTheirDefaults) {
  absl::StatusOr<naming::NacosHttpUpstreamOptions> defaults = NacosDumpOptions({"n:1", "", "", ""});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->nacos_namespace, "public");
  EXPECT_EQ(defaults->api_version, naming::NacosApiVersion::kV1);
  EXPECT_EQ(defaults->request_timeout, absl::Seconds(5));
  EXPECT_EQ(defaults->connect_timeout, absl::Seconds(2));
  EXPECT_EQ(defaults->retry.deadline, absl::Seconds(5));
  absl::StatusOr<naming::NacosHttpUpstreamOptions> given =
      NacosDumpOptions({"n:1", "dev", "v2", "PT0.5S"});
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->nacos_namespace, "dev");
  EXPECT_EQ(given->api_version, naming::NacosApiVersion::kV2);
  EXPECT_EQ(given->request_timeout, absl::Milliseconds(500));
  EXPECT_EQ(given->connect_timeout, absl::Milliseconds(500));
  EXPECT_EQ(given->retry.deadline, absl::Milliseconds(500));
}

TEST_F(NacosDumpTest, ExistingFilesAreKeptUnlessForced) {
  std::filesystem::create_directories(dir_);
  const std::string hand = R"({"hosts":[{"ip":"192.168.0.1","port":8080}]})";
  std::ofstream(dir_ + "/DEFAULT_GROUP%40%40orders") << hand;
  std::ofstream(dir_ + "/" + kSwitch) << "0\n";

  CommandRun kept = Dump({"--service", "orders", "--service", "G@@pay"});
  EXPECT_EQ(kept.code, kExitInvalid);
  EXPECT_EQ(kept.out, absl::StrCat("KEPT DEFAULT_GROUP%40%40orders: exists; --force replaces it\n"
                                   "WROTE G%40%40pay (G@@pay, 1 host)\n"
                                   "dumped 1 of 2 failover files to ",
                                   dir_, "\n"));
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP%40%40orders"), hand);

  CommandRun forced = Dump({"--service", "orders", "--force"});
  EXPECT_EQ(forced.code, kExitOk) << forced.out << forced.err;
  EXPECT_TRUE(absl::StrContains(Read(dir_ + "/DEFAULT_GROUP%40%40orders"), "10.0.0.2"));
  EXPECT_EQ(Read(dir_ + "/" + kSwitch), "0\n");  // Never written.
}

TEST_F(NacosDumpTest, UsageErrors) {
  const auto usage = [](const CommandRun& run, const std::string& message) {
    EXPECT_EQ(run.code, kExitUsage) << run.out << run.err;
    EXPECT_TRUE(absl::StartsWith(run.err, absl::StrCat("failoverctl: naming dump: ", message)))
        << run.err;
  };
  usage(Dump({"--service", "orders", "--from-cache", root_}),
        "--from-cache and --from-nacos exclude each other\n");
  usage(Dump({}), "--from-nacos needs at least one --service\n");
  usage(Dump({"--service", "orders", "--api-version", "v3"}),
        "--api-version 'v3': expected v1 or v2\n");
  usage(Dump({"--service", "orders", "--timeout", "0s"}),
        "--timeout '0s' must be greater than 0\n");
  usage(Dump({"--service", "orders", "--timeout", "soon"}), "--timeout 'soon' is not a duration");
  usage(Failoverctl({"naming", "dump", "--dir", dir_, "--from-nacos", "https://n:8848", "--service",
                     "orders"}),
        "--from-nacos 'https://n:8848': https is not supported\n");
  usage(Failoverctl(
            {"naming", "dump", "--dir", dir_, "--from-nacos", "n:99999", "--service", "orders"}),
        "--from-nacos 'n:99999': nacos upstream: server address 'n:99999': ");
  usage(Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", root_, "--namespace", "dev"}),
        "--namespace is only for --from-nacos\n");
  usage(Failoverctl({"naming", "dump", "--dir", dir_}),
        "--from-cache CACHE_DIR or --from-nacos URL is required\n");
  EXPECT_TRUE(server_->Requests().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_));
}

// The real binary (a data dependency; tests run from the runfiles root), end to end.
TEST_F(NacosDumpTest, TheBinaryDumpsFromTheServer) {
  const std::string binary = "tools/failoverctl/failoverctl";
  ASSERT_TRUE(std::filesystem::exists(binary)) << std::filesystem::current_path();
  const std::string err_file = root_ + "/stderr";
  const std::string command =
      absl::StrCat("env -i ", binary, " naming dump --dir '", dir_, "' --from-nacos '", url_,
                   "' --service orders --service gone --timeout 2s 2>'", err_file, "'");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), kExitInvalid) << out << Read(err_file);
  EXPECT_EQ(out, absl::StrCat("WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
                              "MISSING DEFAULT_GROUP@@gone: not in ",
                              Source(), "\ndumped 1 of 2 failover files to ", dir_, "\n"));
  EXPECT_EQ(Read(err_file),
            "failoverctl: naming dump: 1 of 2 failover files not written (see above)\n");
  EXPECT_TRUE(absl::StrContains(Served("orders"), R"("ip":"10.0.0.1")"));
}

}  // namespace
}  // namespace failover
