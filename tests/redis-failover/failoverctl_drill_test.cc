// `failoverctl redis drill` end to end: the real binary, the issue's YAML pointed at two real
// servers, stopped with Ctrl-C (SIGINT), which must still print the JSON summary and exit 0.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "redis-failover/testing/redis_server.h"

extern char** environ;

namespace failover {
namespace {

using redis_testing::RedisServer;

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Starts failoverctl with `args`, sends SIGINT after `interrupt_after` (if set), collects its
// output and exit code.
ToolRun Failoverctl(const std::vector<std::string>& args, absl::Duration interrupt_after) {
  int out_pipe[2];
  int err_pipe[2];
  EXPECT_EQ(pipe(out_pipe), 0);
  EXPECT_EQ(pipe(err_pipe), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::vector<std::string> argv_storage = {"tools/failoverctl/failoverctl"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (interrupt_after > absl::ZeroDuration()) {
    absl::SleepFor(interrupt_after);
    kill(pid, SIGINT);
  }
  ToolRun run;
  auto drain = [](int fd, std::string* into) {
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) into->append(buffer, n);
    close(fd);
  };
  drain(out_pipe[0], &run.out);
  drain(err_pipe[0], &run.err);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string WriteConfig(const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(dir == nullptr ? "/tmp" : dir, "/application.yml");
  std::ofstream(path) << text;
  return path;
}

TEST(FailoverctlDrillTest, CtrlCStopsTheDrillWithItsSummary) {
  absl::StatusOr<std::unique_ptr<RedisServer>> east = RedisServer::Start();
  absl::StatusOr<std::unique_ptr<RedisServer>> west = RedisServer::Start();
  ASSERT_TRUE(east.ok() && west.ok());
  // The issue's configuration, verbatim but for the ports.
  const std::string config = WriteConfig(absl::StrCat(R"(failover:
  redis:
    endpoints:
      - { name: east, uri: "redis://127.0.0.1:)",
                                                      (*east)->port(), R"(", weight: 1.0 }
      - { name: west, uri: "redis://127.0.0.1:)",
                                                      (*west)->port(), R"(", weight: 0.5 }
    socket-timeout: 200ms
    connect-timeout: 200ms
    health-check: { interval: 100ms, timeout: 50ms, probes: 1, policy: all }
    failback: { supported: true, check-interval: 200ms, grace-period: 1s }
    circuit-breaker: { window: 1s, min-failures: 3, failure-rate-threshold: 50 }
    retry: { max-attempts: 2, wait: 10ms, multiplier: 2 }
    fast-failover: true
)"));
  const absl::Time start = absl::Now();
  ToolRun run = Failoverctl({"redis", "drill", "--config", config, "--duration", "60s", "--threads",
                             "2", "--keys", "100"},
                            absl::Milliseconds(2500));
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 4u) << run.out;
  EXPECT_TRUE(absl::StartsWith(lines[0], "drill: 2 threads, 100 keys, 1m, starting on east"))
      << run.out;
  EXPECT_TRUE(absl::StrContains(lines[1], "active east")) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "interrupted")) << run.out;
  const std::string& json = lines.back();
  EXPECT_TRUE(absl::StartsWith(json, "{\"ops\":")) << json;
  EXPECT_FALSE(absl::StartsWith(json, "{\"ops\":0,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"errors\":0,\"errors_by_kind\":{},\"switches\":[]"))
      << json;
  EXPECT_TRUE(absl::EndsWith(json, "\"final_endpoint\":\"east\"}")) << json;
}

TEST(FailoverctlDrillTest, BadInvocationsExplainThemselves) {
  ToolRun missing = Failoverctl({"redis", "drill"}, absl::ZeroDuration());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(missing.err, "--config FILE is required")) << missing.err;

  ToolRun duration = Failoverctl({"redis", "drill", "--config", "x.yml", "--duration", "soon"},
                                 absl::ZeroDuration());
  EXPECT_EQ(duration.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(duration.err, "--duration")) << duration.err;

  const std::string no_endpoints = WriteConfig("failover:\n  type: BASIC\n");
  ToolRun empty = Failoverctl({"redis", "drill", "--config", no_endpoints}, absl::ZeroDuration());
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(empty.err, "failover.redis.endpoints: at least one endpoint"))
      << empty.err;

  // Nothing listens on port 1: the client cannot start, and says why.
  const std::string dead = WriteConfig(
      "failover:\n  redis:\n    endpoints:\n      - { name: gone, uri: \"redis://127.0.0.1:1\" }\n"
      "    startup: { max-wait: 2s }\n");
  ToolRun down = Failoverctl({"redis", "drill", "--config", dead}, absl::ZeroDuration());
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(down.err, "did not start")) << down.err;
  EXPECT_TRUE(absl::StrContains(down.err, "gone: ")) << down.err;
}

}  // namespace
}  // namespace failover
