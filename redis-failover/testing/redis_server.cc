#include "redis-failover/testing/redis_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "redis-failover/testing/internal/resp.h"
#include "redis-failover/testing/internal/resp_connection.h"

namespace failover {
namespace redis_testing {
namespace {

using Clock = std::chrono::steady_clock;
using internal::RespConnection;
using internal::RespReply;

constexpr int kPortAttempts = 5;
constexpr absl::Duration kPollInterval = absl::Milliseconds(20);
constexpr absl::Duration kProbeTimeout = absl::Milliseconds(500);
constexpr absl::Duration kRestartRetryInterval = absl::Milliseconds(100);
constexpr size_t kLogTailBytes = 2000;

Clock::time_point DeadlineAfter(absl::Duration timeout) {
  // Saturate: a test may pass absl::InfiniteDuration().
  timeout = std::min(std::max(timeout, absl::ZeroDuration()), absl::Hours(24 * 365));
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(absl::ToChronoNanoseconds(timeout));
}

absl::Status ErrnoError(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

// The kernel's choice of a free port. Another process may take it before redis-server binds;
// Start() then retries with a fresh one.
absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("picking a free port: socket");
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    absl::Status error = ErrnoError("picking a free port on 127.0.0.1");
    close(fd);
    return error;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

absl::StatusOr<std::string> MakeTempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string path =
      absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp", "/redis-XXXXXX");
  if (mkdtemp(&path[0]) == nullptr) return ErrnoError(absl::StrCat("mkdtemp ", path));
  return path;
}

std::string PercentEncode(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      absl::StrAppend(&out, "%",
                      absl::AsciiStrToUpper(
                          absl::StrCat(absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2))));
    }
  }
  return out;
}

std::string ShellQuote(const std::string& arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
    return absl::ascii_isalnum(c) ||
           absl::string_view("-_./:=@%+~*&>").find(c) != absl::string_view::npos;
  });
  if (plain) return arg;
  std::string quoted = "'";
  for (const char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exited with status ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return absl::StrCat("killed by signal ", WTERMSIG(status));
  return absl::StrCat("wait status ", status);
}

off_t FileSize(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_size : 0;
}

// Connects, authenticates when `options` say so, and sends one command.
absl::StatusOr<RespReply> Exchange(int port, const RedisServerOptions& options,
                                   const std::vector<std::string>& args,
                                   Clock::time_point deadline) {
  absl::StatusOr<std::unique_ptr<RespConnection>> connection =
      RespConnection::Connect("127.0.0.1", port, deadline);
  if (!connection.ok()) return connection.status();
  if (!options.password.empty()) {
    std::vector<std::string> auth = {"AUTH", options.password};
    if (!options.user.empty()) auth.insert(auth.begin() + 1, options.user);
    absl::StatusOr<RespReply> reply = (*connection)->Call(auth, deadline);
    if (!reply.ok()) return Prefixed("AUTH: ", reply.status());
    if (reply->is_error) return absl::PermissionDeniedError(absl::StrCat("AUTH: ", reply->text));
  }
  return (*connection)->Call(args, deadline);
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options, std::string dir)
    : options_(std::move(options)), dir_(std::move(dir)), log_path_(dir_ + "/redis.log") {}

RedisServer::~RedisServer() {
  if (running_) KillAndReap();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(RedisServerOptions options) {
  if (!options.user.empty() && options.password.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("RedisServerOptions: user '", options.user, "' needs a password"));
  }
  if (access(options.redis_server_path.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("redis-server is not executable at ", options.redis_server_path, ": ",
                     std::strerror(errno), " (Debian package redis-server)"));
  }
  absl::StatusOr<std::string> dir = MakeTempDir();
  if (!dir.ok()) return dir.status();
  std::unique_ptr<RedisServer> server(new RedisServer(std::move(options), *std::move(dir)));
  const Clock::time_point deadline = DeadlineAfter(server->options_.startup_timeout);
  absl::Status status;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    bool port_taken = false;
    status = server->LaunchOnce(deadline, &port_taken);
    if (status.ok()) return server;
    if (!port_taken) return status;
  }
  return Prefixed(absl::StrCat("no port stayed free in ", kPortAttempts, " attempts; last: "),
                  status);
}

std::string RedisServer::uri() const {
  std::string credentials;
  if (!options_.password.empty()) {
    credentials =
        absl::StrCat(PercentEncode(options_.user), ":", PercentEncode(options_.password), "@");
  }
  return absl::StrCat("redis://", credentials, host(), ":", port_);
}

bool RedisServer::IsRunning() {
  if (!running_) return false;
  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    Reaped(status);
  } else if (reaped < 0 && errno == ECHILD) {
    running_ = paused_ = false;
    last_exit_ = "reaped by someone else";
  }
  return running_;
}

absl::Status RedisServer::Kill() {
  if (!IsRunning())
    return absl::FailedPreconditionError(absl::StrCat("Kill(): ", StateForMessage()));
  KillAndReap();
  return absl::OkStatus();
}

absl::Status RedisServer::Pause() {
  if (!IsRunning())
    return absl::FailedPreconditionError(absl::StrCat("Pause(): ", StateForMessage()));
  if (paused_) return absl::OkStatus();
  if (kill(pid_, SIGSTOP) != 0) return ErrnoError(absl::StrCat("Pause(): kill SIGSTOP ", pid_));
  // Wait until the stop has happened, so that the caller's next step sees a hung server.
  int status = 0;
  while (waitpid(pid_, &status, WUNTRACED) < 0) {
    if (errno != EINTR) return ErrnoError(absl::StrCat("Pause(): waitpid ", pid_));
  }
  if (!WIFSTOPPED(status)) {
    Reaped(status);
    return absl::InternalError(absl::StrCat("Pause(): redis-server ", pid_, " on port ", port_,
                                            " ended instead: ", last_exit_));
  }
  paused_ = true;
  return absl::OkStatus();
}

absl::Status RedisServer::Resume() {
  if (!IsRunning() || !paused_) {
    return absl::FailedPreconditionError(absl::StrCat("Resume(): ", StateForMessage()));
  }
  if (kill(pid_, SIGCONT) != 0) return ErrnoError(absl::StrCat("Resume(): kill SIGCONT ", pid_));
  int status = 0;
  while (waitpid(pid_, &status, WCONTINUED) < 0) {
    if (errno != EINTR) return ErrnoError(absl::StrCat("Resume(): waitpid ", pid_));
  }
  paused_ = false;
  if (!WIFCONTINUED(status)) Reaped(status);
  return absl::OkStatus();
}

absl::Status RedisServer::Stop() {
  if (!IsRunning())
    return absl::FailedPreconditionError(absl::StrCat("Stop(): ", StateForMessage()));
  if (kill(pid_, SIGTERM) != 0) return ErrnoError(absl::StrCat("Stop(): kill SIGTERM ", pid_));
  if (paused_) kill(pid_, SIGCONT);  // A stopped process handles SIGTERM only once continued.
  if (ReapBy(DeadlineAfter(options_.startup_timeout))) return absl::OkStatus();
  KillAndReap();
  return absl::DeadlineExceededError(
      absl::StrCat("Stop(): redis-server ", pid_, " on port ", port_, " ignored SIGTERM for ",
                   absl::FormatDuration(options_.startup_timeout), "; killed it"));
}

absl::Status RedisServer::Restart() {
  if (IsRunning()) {
    return absl::FailedPreconditionError(
        absl::StrCat("Restart(): ", StateForMessage(), "; Kill() or Stop() it first"));
  }
  const Clock::time_point deadline = DeadlineAfter(options_.startup_timeout);
  while (true) {
    bool port_taken = false;
    absl::Status status = LaunchOnce(deadline, &port_taken);
    if (status.ok()) return status;
    if (!port_taken || Clock::now() >= deadline) return Prefixed("Restart(): ", status);
    absl::SleepFor(kRestartRetryInterval);
  }
}

absl::StatusOr<std::string> RedisServer::Command(std::vector<std::string> args) const {
  if (args.empty()) return absl::InvalidArgumentError("Command(): no command given");
  absl::StatusOr<RespReply> reply =
      Exchange(port_, options_, args, DeadlineAfter(options_.command_timeout));
  if (!reply.ok()) {
    // Only the command name: arguments may be secrets.
    return Prefixed(absl::StrCat("Command(", args[0], ", ", args.size() - 1, " args) on ", host(),
                                 ":", port_, " (", StateForMessage(), ", timeout ",
                                 absl::FormatDuration(options_.command_timeout), "): "),
                    reply.status());
  }
  return std::move(reply->text);
}

std::vector<std::string> RedisServer::Argv(bool mask_passwords) const {
  const std::string password = mask_passwords ? "****" : options_.password;
  std::vector<std::string> argv = {options_.redis_server_path,
                                   "--port",
                                   absl::StrCat(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--daemonize",
                                   "no",
                                   "--logfile",
                                   log_path_};
  if (!options_.user.empty()) {
    argv.insert(argv.end(), {"--user", options_.user, "on", ">" + password, "~*", "&*", "+@all",
                             "--user", "default", "off"});
  } else if (!options_.password.empty()) {
    argv.insert(argv.end(), {"--requirepass", password});
  }
  return argv;
}

std::string RedisServer::LogTail(size_t from_offset) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  std::string log = contents.str();
  log.erase(0, std::min(from_offset, log.size()));
  if (log.size() > kLogTailBytes) {
    log.erase(0, log.size() - kLogTailBytes);
    log = absl::StrCat("...", log.substr(std::min(log.find('\n') + 1, log.size())));
  }
  return log.empty() ? "(empty)" : log;
}

std::string RedisServer::StateForMessage() const {
  const std::string server = absl::StrCat("redis-server on port ", port_);
  if (running_) return absl::StrCat(server, " is ", paused_ ? "paused (SIGSTOP)" : "running");
  if (last_exit_.empty()) return absl::StrCat(server, " is not running");
  return absl::StrCat(server, " is not running: pid ", pid_, " ", last_exit_);
}

absl::Status RedisServer::LaunchOnce(Clock::time_point deadline, bool* port_taken) {
  const off_t log_offset = FileSize(log_path_);
  absl::Status spawned = Spawn();
  if (!spawned.ok()) return spawned;
  const auto failure = [&](absl::StatusCode code, absl::string_view what) {
    const std::vector<std::string> argv = Argv(/*mask_passwords=*/true);
    std::vector<std::string> quoted;
    for (const std::string& arg : argv) quoted.push_back(ShellQuote(arg));
    return absl::Status(code, absl::StrCat("redis-server on port ", port_, " ", what,
                                           "; command: ", absl::StrJoin(quoted, " "),
                                           "; redis.log:\n", LogTail(log_offset)));
  };
  absl::Status last_probe = absl::UnavailableError("no probe yet");
  while (true) {
    if (!IsRunning()) {
      *port_taken = absl::StrContains(LogTail(log_offset), "Address already in use");
      return failure(*port_taken ? absl::StatusCode::kUnavailable : absl::StatusCode::kInternal,
                     absl::StrCat("ended during startup (pid ", pid_, " ", last_exit_, ")"));
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      KillAndReap();
      return failure(
          absl::StatusCode::kDeadlineExceeded,
          absl::StrCat("did not answer within ", absl::FormatDuration(options_.startup_timeout),
                       " (last probe: ", last_probe.message(), "); killed it"));
    }
    // INFO rather than PING: the process id proves that the answer comes from our process and
    // not from whoever else may hold the port.
    absl::StatusOr<RespReply> info = Exchange(port_, options_, {"INFO", "server"},
                                              std::min(deadline, DeadlineAfter(kProbeTimeout)));
    if (info.ok() && !info->is_error) {
      if (absl::StrContains(info->text, absl::StrCat("process_id:", pid_, "\r\n"))) {
        return absl::OkStatus();
      }
      KillAndReap();
      *port_taken = true;
      return failure(absl::StatusCode::kUnavailable, "is answered by another process");
    }
    last_probe = info.ok() ? absl::UnavailableError(info->text) : info.status();
    absl::SleepFor(kPollInterval);
  }
}

absl::Status RedisServer::Spawn() {
  const std::vector<std::string> argv = Argv(/*mask_passwords=*/false);
  std::vector<char*> argv_pointers;
  for (const std::string& arg : argv) argv_pointers.push_back(const_cast<char*>(arg.c_str()));
  argv_pointers.push_back(nullptr);
  const int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return ErrnoError(absl::StrCat("open ", log_path_));
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    absl::Status error = ErrnoError("open /dev/null");
    close(log_fd);
    return error;
  }
  sigset_t no_signals;
  sigemptyset(&no_signals);
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child == 0) {
    // Only async-signal-safe calls from here to exec. Die with the starting thread even if the
    // test crashes before the destructor runs.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigprocmask(SIG_SETMASK, &no_signals, nullptr);  // exec keeps the mask; redis needs SIGTERM.
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);  // Config errors go to stderr before the log file is opened.
    dup2(log_fd, STDERR_FILENO);
    execv(argv_pointers[0], argv_pointers.data());
    static constexpr char kExecFailed[] = "RedisServer: execv of redis-server failed\n";
    (void)!write(STDERR_FILENO, kExecFailed, sizeof(kExecFailed) - 1);
    _exit(127);
  }
  const int fork_errno = errno;
  close(log_fd);
  close(null_fd);
  if (child < 0) {
    errno = fork_errno;
    return ErrnoError("fork");
  }
  pid_ = child;
  running_ = true;
  paused_ = false;
  last_exit_.clear();
  return absl::OkStatus();
}

void RedisServer::KillAndReap() {
  if (paused_) kill(pid_, SIGCONT);
  kill(pid_, SIGKILL);
  int status = 0;
  pid_t reaped;
  while ((reaped = waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  if (reaped == pid_) {
    Reaped(status);
  } else {
    running_ = paused_ = false;
    last_exit_ = "reaped by someone else";
  }
}

bool RedisServer::ReapBy(Clock::time_point deadline) {
  while (IsRunning()) {
    if (Clock::now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

void RedisServer::Reaped(int wait_status) {
  running_ = false;
  paused_ = false;
  last_exit_ = DescribeWaitStatus(wait_status);
}

}  // namespace redis_testing
}  // namespace failover
