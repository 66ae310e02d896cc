#include "core/testing/child_process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

std::string TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base != nullptr ? base : "/tmp", "/child_process.XXXXXX");
  EXPECT_NE(mkdtemp(dir.data()), nullptr);
  return dir;
}

TEST(FreeLoopbackPortTest, GivesAPortThatCanBeBound) {
  absl::StatusOr<int> port = FreeLoopbackPort();
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_GT(*port, 0);
  EXPECT_LT(*port, 65536);
}

TEST(SpawnChildProcessTest, RunsInItsDirectoryWithItsEnvironmentAndLogsItsOutput) {
  const std::string dir = TempDir();
  ChildProcessOptions options;
  options.log_path = dir + "/child.log";
  options.env = {"GREETING=hello"};
  options.working_dir = dir;
  options.die_with_parent = true;
  absl::StatusOr<pid_t> pid = SpawnChildProcess(
      {"/bin/sh", "-c", "echo \"$GREETING from $(pwd)\"; echo oops >&2; exit 3"}, options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  const int status = WaitForChild(*pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(FileTail(options.log_path), absl::StrCat("hello from ", dir, "\noops\n"));
  EXPECT_EQ(FileTail(options.log_path, 5), "oops\n");
  std::filesystem::remove_all(dir);
}

TEST(SpawnChildProcessTest, AProgramThatCannotRunExits127) {
  const std::string dir = TempDir();
  ChildProcessOptions options;
  options.log_path = dir + "/child.log";
  absl::StatusOr<pid_t> pid = SpawnChildProcess({dir + "/no-such-program"}, options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  const int status = WaitForChild(*pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 127);
  EXPECT_FALSE(SpawnChildProcess({}, options).ok());
  std::filesystem::remove_all(dir);
}

TEST(SignalAndReapTest, StopsARunningChild) {
  const std::string dir = TempDir();
  ChildProcessOptions options;
  options.log_path = dir + "/child.log";
  absl::StatusOr<pid_t> pid = SpawnChildProcess({"/bin/sleep", "60"}, options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  const int status = SignalAndReap(*pid, SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // Reaped: it is no longer our child.
  EXPECT_EQ(waitpid(*pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  std::filesystem::remove_all(dir);
}

TEST(FileTailTest, AnUnreadableFileIsEmpty) { EXPECT_EQ(FileTail("/nonexistent/file"), ""); }

}  // namespace
}  // namespace failover
