#include "redis-failover/testing/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis_testing {
namespace {

std::unique_ptr<RedisServer> MustStart(RedisServerOptions options = {}) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

// A connected blocking socket to 127.0.0.1:port with 5 s timeouts, or -1. Written against the
// socket API directly so that it checks the server independently of RedisServer::Command().
int RawConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends an inline PING without authenticating; returns the first reply line (without CRLF).
std::string RawPing(int port) {
  const int fd = RawConnect(port);
  if (fd < 0) return absl::StrCat("connect failed: errno ", errno);
  std::string line;
  if (send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
    char c;
    while (!absl::EndsWith(line, "\r\n") && recv(fd, &c, 1, 0) == 1) line.push_back(c);
  }
  close(fd);
  return line.substr(0, line.find("\r\n"));
}

bool ProcessExists(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

bool PathExists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

TEST(RedisServerTest, TwoServersRunOnDifferentPortsWithSeparateData) {
  std::unique_ptr<RedisServer> a = MustStart();
  std::unique_ptr<RedisServer> b = MustStart();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a->port(), b->port());
  EXPECT_NE(a->pid(), b->pid());
  EXPECT_EQ(a->host(), "127.0.0.1");
  EXPECT_EQ(a->uri(), absl::StrCat("redis://127.0.0.1:", a->port()));

  EXPECT_EQ(a->Command({"SET", "k", "on a"}).value_or("error"), "OK");
  EXPECT_EQ(a->Command({"GET", "k"}).value_or("error"), "on a");
  EXPECT_EQ(b->Command({"GET", "k"}).value_or("error"), "(nil)");
  EXPECT_EQ(RawPing(b->port()), "+PONG");
}

TEST(RedisServerTest, CommandRendersEachReplyType) {
  std::unique_ptr<RedisServer> server = MustStart();
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->Command({"INCR", "n"}).value_or("error"), "1");
  EXPECT_EQ(server->Command({"RPUSH", "l", "a", "b c"}).value_or("error"), "2");
  EXPECT_EQ(server->Command({"LRANGE", "l", "0", "-1"}).value_or("error"), "a\nb c");
  EXPECT_EQ(server->Command({"LRANGE", "none", "0", "-1"}).value_or("error"), "(empty array)");
  EXPECT_EQ(server->Command({"SET", "bin", std::string("x\r\n\0y", 5)}).value_or("error"), "OK");
  EXPECT_EQ(server->Command({"GET", "bin"}).value_or("error"), std::string("x\r\n\0y", 5));
  EXPECT_TRUE(absl::StartsWith(server->Command({"NOSUCHCOMMAND"}).value_or("error"),
                               "-ERR unknown command"));
  EXPECT_EQ(server->Command({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RedisServerTest, KillMakesCommandFailNamingPortAndState) {
  std::unique_ptr<RedisServer> server = MustStart();
  ASSERT_NE(server, nullptr);
  const pid_t pid = server->pid();
  ASSERT_TRUE(server->Kill().ok());
  EXPECT_FALSE(server->IsRunning());
  EXPECT_FALSE(ProcessExists(pid));

  absl::StatusOr<std::string> reply = server->Command({"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable) << reply.status();
  EXPECT_TRUE(absl::StrContains(reply.status().message(), absl::StrCat(":", server->port())))
      << reply.status();
  EXPECT_TRUE(absl::StrContains(reply.status().message(), "Connection refused")) << reply.status();
  EXPECT_TRUE(absl::StrContains(reply.status().message(), "killed by signal 9")) << reply.status();

  EXPECT_EQ(server->Kill().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(server->Pause().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RedisServerTest, RestartComesBackOnTheSamePortWithoutData) {
  std::unique_ptr<RedisServer> server = MustStart();
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  const pid_t first_pid = server->pid();
  ASSERT_EQ(server->Command({"SET", "k", "v"}).value_or("error"), "OK");
  EXPECT_EQ(server->Restart().code(), absl::StatusCode::kFailedPrecondition);

  // A client connection open across the crash leaves the old server side in TIME_WAIT.
  const int client = RawConnect(port);
  ASSERT_GE(client, 0);
  ASSERT_TRUE(server->Kill().ok());
  close(client);

  absl::Status restarted = server->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_TRUE(server->IsRunning());
  EXPECT_EQ(server->port(), port);
  EXPECT_NE(server->pid(), first_pid);
  EXPECT_EQ(server->Command({"PING"}).value_or("error"), "PONG");
  EXPECT_EQ(server->Command({"GET", "k"}).value_or("error"), "(nil)");
  EXPECT_EQ(server->Command({"DBSIZE"}).value_or("error"), "0");
}

TEST(RedisServerTest, PauseMakesCommandTimeOutAndResumeRecovers) {
  RedisServerOptions options;
  options.command_timeout = absl::Seconds(1);
  std::unique_ptr<RedisServer> server = MustStart(options);
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->Pause().ok());
  EXPECT_TRUE(server->IsRunning());

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> reply = server->Command({"PING"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded) << reply.status();
  EXPECT_TRUE(absl::StrContains(reply.status().message(), "paused")) << reply.status();
  EXPECT_GE(elapsed, std::chrono::milliseconds(950));
  EXPECT_LT(elapsed, std::chrono::seconds(4));

  ASSERT_TRUE(server->Resume().ok());
  EXPECT_EQ(server->Command({"PING"}).value_or("error"), "PONG");
  EXPECT_EQ(server->Resume().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RedisServerTest, StopShutsDownCleanlyEvenWhenPausedAndRestartWorks) {
  std::unique_ptr<RedisServer> server = MustStart();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->Pause().ok());
  absl::Status stopped = server->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped;
  EXPECT_FALSE(server->IsRunning());
  EXPECT_FALSE(server->Command({"PING"}).ok());

  absl::Status restarted = server->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_EQ(server->Command({"PING"}).value_or("error"), "PONG");
}

TEST(RedisServerTest, PasswordIsSentAutomaticallyAndRequiredOfOthers) {
  RedisServerOptions options;
  options.password = "s3cret";
  std::unique_ptr<RedisServer> server = MustStart(options);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->Command({"SET", "k", "v"}).value_or("error"), "OK");
  EXPECT_EQ(server->Command({"GET", "k"}).value_or("error"), "v");
  EXPECT_TRUE(absl::StartsWith(RawPing(server->port()), "-NOAUTH")) << RawPing(server->port());
  EXPECT_EQ(server->uri(), absl::StrCat("redis://:s3cret@127.0.0.1:", server->port()));

  ASSERT_TRUE(server->Kill().ok());
  ASSERT_TRUE(server->Restart().ok());
  EXPECT_TRUE(absl::StartsWith(RawPing(server->port()), "-NOAUTH"));
  EXPECT_EQ(server->Command({"PING"}).value_or("error"), "PONG");
}

TEST(RedisServerTest, AclUserMustAuthenticateByName) {
  RedisServerOptions options;
  options.user = "app";
  options.password = "p@ss word";
  std::unique_ptr<RedisServer> server = MustStart(options);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->Command({"ACL", "WHOAMI"}).value_or("error"), "app");
  EXPECT_TRUE(absl::StartsWith(RawPing(server->port()), "-NOAUTH")) << RawPing(server->port());
  EXPECT_EQ(server->uri(), absl::StrCat("redis://app:p%40ss%20word@127.0.0.1:", server->port()));
}

TEST(RedisServerTest, BadOptionsAreReported) {
  RedisServerOptions user_only;
  user_only.user = "app";
  EXPECT_EQ(RedisServer::Start(user_only).status().code(), absl::StatusCode::kInvalidArgument);

  RedisServerOptions missing_binary;
  missing_binary.redis_server_path = "/nonexistent/redis-server";
  absl::Status status = RedisServer::Start(missing_binary).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(status.message(), "/nonexistent/redis-server")) << status;
}

TEST(RedisServerTest, StartupFailureQuotesCommandLineAndLog) {
  const char* tmpdir = getenv("TEST_TMPDIR");
  const std::string fake = absl::StrCat(tmpdir != nullptr ? tmpdir : "/tmp", "/fake-redis-server");
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\necho \"fake redis: cannot start\" >&2\nexit 3\n";
  }
  ASSERT_EQ(chmod(fake.c_str(), 0700), 0);
  RedisServerOptions options;
  options.redis_server_path = fake;
  options.password = "hidden";
  absl::Status status = RedisServer::Start(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "exited with status 3")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "--requirepass ****")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "fake redis: cannot start")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "hidden")) << status;
  unlink(fake.c_str());
}

TEST(RedisServerTest, DestructorLeavesNoProcessAndNoDirectory) {
  for (const bool paused : {false, true}) {
    std::unique_ptr<RedisServer> server = MustStart();
    ASSERT_NE(server, nullptr);
    const pid_t pid = server->pid();
    const std::string dir_reply = server->Command({"CONFIG", "GET", "dir"}).value_or("error");
    ASSERT_TRUE(absl::StartsWith(dir_reply, "dir\n")) << dir_reply;
    const std::string dir = dir_reply.substr(4);
    ASSERT_TRUE(PathExists(dir + "/redis.log")) << dir;
    if (paused) {
      ASSERT_TRUE(server->Pause().ok());
    }

    server.reset();
    EXPECT_EQ(kill(pid, 0), -1) << "paused=" << paused;
    EXPECT_EQ(errno, ESRCH);
    EXPECT_FALSE(PathExists(dir)) << dir;
  }
}

}  // namespace
}  // namespace redis_testing
}  // namespace failover
