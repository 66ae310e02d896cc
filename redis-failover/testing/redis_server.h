// A real `redis-server` process on a free loopback port, for integration tests of the failover
// client: start it, check its state over a connection of its own, and inject faults (crash,
// hang, restart on the same address, clean shutdown).
//
//   absl::StatusOr<std::unique_ptr<RedisServer>> primary = RedisServer::Start();
//   ASSERT_TRUE(primary.ok()) << primary.status();
//   ClientUnderTest client((*primary)->uri());       // "redis://127.0.0.1:41234"
//   ...
//   ASSERT_TRUE((*primary)->Kill().ok());             // Crash: SIGKILL.
//   EXPECT_FALSE((*primary)->Command({"PING"}).ok()); // Unavailable: connection refused.
//   ASSERT_TRUE((*primary)->Restart().ok());          // Same port, empty data set.
//
// The server runs with no persistence (`--save "" --appendonly no`) in a private temporary
// directory (under $TEST_TMPDIR when set), logging to redis.log there; errors quote the command
// line (passwords masked) and the tail of that log. Startup and Restart() wait, polling with
// short real sleeps, until the server answers `INFO server` with its own process id.
//
// No process is left behind: the destructor kills the server and removes the directory, and the
// child is started with PR_SET_PDEATHSIG so that it dies with the thread that started it even if
// the test crashes. Hence start (and Restart()) servers from a thread that outlives them, such
// as the test's main thread.
//
// Thread-compatible: Command() and the accessors are const and may run concurrently with each
// other; Start/Kill/Pause/Resume/Restart/Stop/IsRunning and destruction need external
// synchronisation against every other call.
#ifndef FAILOVER_REDIS_FAILOVER_TESTING_REDIS_SERVER_H_
#define FAILOVER_REDIS_FAILOVER_TESTING_REDIS_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace failover {
namespace redis_testing {

struct RedisServerOptions {
  // Empty: no authentication. Without `user`: `requirepass`, clients send AUTH <password>.
  std::string password;
  // Non-empty: an ACL user with this name and `password` (required) allowed everything, and the
  // `default` user disabled, so clients must send AUTH <user> <password>.
  std::string user;
  // Bound on Start() and Restart() waiting for the server to answer.
  absl::Duration startup_timeout = absl::Seconds(10);
  // Bound on each Command(), connect and AUTH included.
  absl::Duration command_timeout = absl::Seconds(5);
  std::string redis_server_path = "/usr/bin/redis-server";
};

class RedisServer {
 public:
  // Starts redis-server on a free port of 127.0.0.1 and waits until it answers. Tries a few
  // fresh ports if another process takes the chosen one first.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      RedisServerOptions options = {});

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  // Kills the server (SIGCONT, SIGKILL, reap) if it runs and removes its directory.
  ~RedisServer();

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  // "redis://127.0.0.1:<port>", with "user:password@" or ":password@" (percent-encoded) when
  // authentication is configured.
  std::string uri() const;
  // The current server process, or the last one after Kill()/Stop().
  pid_t pid() const { return pid_; }

  // True while the process exists (paused counts). Reaps a process that exited by itself.
  bool IsRunning();

  // Fault injection. Each fails with FailedPrecondition when the server is not running (or, for
  // Restart(), when it is), naming the port.
  absl::Status Kill();    // SIGKILL and reap: a crash; clients see resets or refusals.
  absl::Status Pause();   // SIGSTOP: a hang; connections are accepted by the kernel, never served.
  absl::Status Resume();  // SIGCONT after Pause().
  absl::Status Stop();    // SIGTERM and reap (SIGKILL after startup_timeout): a clean shutdown.
  // Starts a new process on the same port after Kill() or Stop() and waits until it answers,
  // retrying while the port is still taken, up to startup_timeout. The data set starts empty.
  absl::Status Restart();

  // Sends one command over a fresh connection (authenticating first when a password is set) and
  // returns the reply as text: simple and bulk strings as they are, integers as digits, nil as
  // "(nil)", errors with their "-" ("-ERR unknown command ..."), arrays as their elements
  // joined by "\n", an empty array as "(empty array)". A Redis error reply is a value, not a
  // failed status; the status fails (Unavailable, DeadlineExceeded after command_timeout, ...)
  // when no reply arrives, naming the command, the port and the server's state.
  absl::StatusOr<std::string> Command(std::vector<std::string> args) const;

 private:
  using Deadline = std::chrono::steady_clock::time_point;

  RedisServer(RedisServerOptions options, std::string dir);

  std::vector<std::string> Argv(bool mask_passwords) const;
  std::string LogTail(size_t from_offset) const;
  std::string StateForMessage() const;

  // Starts one process on port_ and waits for it. Sets *port_taken when the port belongs to
  // someone else, so that the caller may retry.
  absl::Status LaunchOnce(Deadline deadline, bool* port_taken);
  absl::Status Spawn();
  void KillAndReap();
  // Waits for the process to exit, up to the deadline; returns whether it did.
  bool ReapBy(Deadline deadline);
  void Reaped(int wait_status);

  const RedisServerOptions options_;
  const std::string dir_;  // Private temporary directory; removed by the destructor.
  const std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool running_ = false;
  bool paused_ = false;
  std::string last_exit_;  // How the last process ended, e.g. "killed by signal 9".
};

}  // namespace redis_testing
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_TESTING_REDIS_SERVER_H_
