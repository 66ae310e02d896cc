// The demo_fleet binary (a data dependency; tests run from the runfiles root) against a
// cpp-httplib server standing in for failoverd's ingest endpoints: it runs ~3 s, is stopped with
// SIGTERM, exits 0, and every instance has pushed snapshots with the series the dashboard reads.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "proto/metrics_snapshot.pb.h"

extern char** environ;

namespace failover {
namespace dashboard {
namespace {

constexpr char kBinary[] = "dashboard/demo/demo_fleet";

class FakeIngest {
 public:
  FakeIngest() {
    server_.Post("/failover-dashboard/api/cluster/snapshot",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   v1::MetricsSnapshot snapshot;
                   if (req.get_header_value("Content-Type") != "application/x-protobuf" ||
                       !snapshot.ParseFromString(req.body)) {
                     res.status = 400;
                     return;
                   }
                   MutexLock lock(&mu_);
                   authorizations_.insert(req.get_header_value("Authorization"));
                   snapshots_[snapshot.instance_id()].push_back(snapshot);
                   res.status = 202;
                 });
    server_.Post("/failover-dashboard/api/cluster/heartbeat",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   v1::HeartbeatRequest heartbeat;
                   if (!heartbeat.ParseFromString(req.body)) {
                     res.status = 400;
                     return;
                   }
                   MutexLock lock(&mu_);
                   heartbeats_[heartbeat.instance_id()]++;
                   res.status = 202;
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeIngest() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/failover-dashboard");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  std::map<std::string, std::vector<v1::MetricsSnapshot>> snapshots_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> heartbeats_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
};

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  return pid;
}

int ExitCode(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status)) << status;
  return WEXITSTATUS(status);
}

TEST(DemoFleetTest, InstancesPushTheDashboardsSeriesAndFlushOnSigterm) {
  ASSERT_TRUE(std::filesystem::exists(kBinary)) << std::filesystem::current_path();
  FakeIngest ingest;
  const std::string password_file = absl::StrCat(getenv("TEST_TMPDIR"), "/password");
  FILE* f = fopen(password_file.c_str(), "w");
  fputs("s3cret\n", f);
  fclose(f);
  const pid_t pid = Spawn({kBinary, "--publish-url", ingest.url(), "--instances", "3", "--username",
                           "peer", "--password-file", password_file, "--seed", "5"});
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(ExitCode(pid), 0);

  MutexLock lock(&ingest.mu_);
  EXPECT_EQ(ingest.authorizations_,
            std::set<std::string>{"Basic " + absl::Base64Escape("peer:s3cret")});
  ASSERT_EQ(ingest.snapshots_.size(), 3u);
  for (const std::string id : {"demo-orders-1", "demo-orders-2", "demo-orders-3"}) {
    const std::vector<v1::MetricsSnapshot>& pushed = ingest.snapshots_[id];
    // At start, every 2 s while traffic flows, and the final one: at least 3 in 3 s.
    ASSERT_GE(pushed.size(), 3u) << id;
    EXPECT_GE(ingest.heartbeats_[id], 1) << id;
    std::set<std::string> names;
    std::set<std::string> apis;
    for (const v1::MetricSeries& series : pushed.back().series()) {
      names.insert(series.name());
      if (series.name() == "failover.call.total") {
        for (const v1::Tag& tag : series.tags()) {
          if (tag.key() == "name") apis.insert(tag.value());
        }
      }
    }
    for (const char* name :
         {"failover.call.total", "failover.store.total", "failover.recovery.outcome.total",
          "failover.exception.total", "failover.upstream.duration",
          "failover.redis.endpoint.active", "failover.redis.endpoint.healthy",
          "failover.redis.endpoint.breaker.state", "failover.naming.switch"}) {
      EXPECT_EQ(names.count(name), 1u) << id << " lacks " << name;
    }
    EXPECT_EQ(apis, (std::set<std::string>{"inventory", "pricing", "quotes"})) << id;
    EXPECT_EQ(pushed.back().sequence(), pushed.size()) << id << ": a push was lost";
  }
}

TEST(DemoFleetTest, UsageErrorsExit2) {
  EXPECT_EQ(ExitCode(Spawn({kBinary, "--instances", "2"})), 2);  // no --publish-url
  EXPECT_EQ(ExitCode(Spawn({kBinary, "--publish-url", "http://x", "--username", "u"})), 2);
  EXPECT_EQ(ExitCode(Spawn({kBinary, "--publish-url", "http://x", "--instances", "zero"})), 2);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
