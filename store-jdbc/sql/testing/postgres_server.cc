#include "store-jdbc/sql/testing/postgres_server.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/testing/child_process.h"

namespace failover {
namespace {

constexpr char kPassword[] = "failover-test-secret";
constexpr int kStartAttempts = 3;  // a new port each time, in case another process took it

using postgres_server_internal::Identity;

absl::StatusOr<Identity> ServerIdentity() {
  Identity identity;
  if (geteuid() != 0) return identity;
  const passwd* user = getpwnam("postgres");
  if (user == nullptr) {
    return absl::FailedPreconditionError("running as root and there is no 'postgres' OS user");
  }
  identity.switch_user = true;
  identity.uid = user->pw_uid;
  identity.gid = user->pw_gid;
  return identity;
}

// Starts argv (argv[0] an absolute path) with stdout/stderr appended to `log`.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, const std::string& log,
                            const Identity& identity) {
  ChildProcessOptions options;
  options.log_path = log;
  options.env = {"LC_ALL=C", "PATH=/usr/bin:/bin"};
  if (identity.switch_user) options.run_as = ChildProcessOptions::RunAs{identity.uid, identity.gid};
  return SpawnChildProcess(args, options);
}

// Runs args to completion; error with the log's tail unless it exits 0.
absl::Status Run(const std::vector<std::string>& args, const std::string& log,
                 const Identity& identity) {
  absl::StatusOr<pid_t> pid = Spawn(args, log, identity);
  if (!pid.ok()) return pid.status();
  const int status = WaitForChild(*pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat(args[0], " failed (wait status ", status, "): ", FileTail(log)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    const PostgresServerOptions& options) {
  absl::StatusOr<Identity> identity = ServerIdentity();
  if (!identity.ok()) return identity.status();
  // Under /tmp, not TEST_TMPDIR: the postgres user must reach it, and Unix socket paths are short.
  char dir_template[] = "/tmp/failover-pg.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->dir_ = dir_template;
  server->password_ = kPassword;
  const std::string& dir = server->dir_;
  const std::string pwfile = dir + "/pwfile";
  std::ofstream(pwfile) << kPassword << "\n";
  if (identity->switch_user && (chown(dir.c_str(), identity->uid, identity->gid) != 0 ||
                                chown(pwfile.c_str(), identity->uid, identity->gid) != 0)) {
    return absl::InternalError(absl::StrCat("chown ", dir, ": ", std::strerror(errno)));
  }
  const std::string bin = options.bin_dir;
  absl::Status status = Run(
      {bin + "/initdb", "-D", dir + "/data", "-U", "postgres", "--pwfile=" + pwfile,
       "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"},
      dir + "/initdb.log", *identity);
  if (!status.ok()) return status;
  for (int attempt = 1;; ++attempt) {
    status = server->Launch(options, *identity);
    if (status.code() != absl::StatusCode::kUnavailable || attempt == kStartAttempts) break;
  }
  if (!status.ok()) return status;
  status = Run({bin + "/createdb", "-h", dir, "-p", absl::StrCat(server->port_), "-U", "postgres",
                options.database},
               dir + "/createdb.log", *identity);
  if (!status.ok()) return status;
  server->url_ = server->UrlForDatabase(options.database);
  return server;
}

absl::Status PostgresServer::Launch(const PostgresServerOptions& options,
                                    const Identity& identity) {
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  port_ = *port;
  const std::string log = dir_ + "/server.log";
  absl::StatusOr<pid_t> pid = Spawn(
      {options.bin_dir + "/postgres", "-D", dir_ + "/data", "-p", absl::StrCat(port_), "-k", dir_,
       "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
       "full_page_writes=off", "-c", "max_connections=50", "-c", "shared_buffers=32MB"},
      log, identity);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  const absl::Time deadline = absl::Now() + options.start_timeout;
  const Identity self;  // pg_isready needs no privileges
  while (absl::Now() < deadline) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("postgres exited during start-up (wait status ",
                                                 wait_status, "); log: ", FileTail(log)));
    }
    if (Run({options.bin_dir + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", absl::StrCat(port_),
             "-t", "1"},
            dir_ + "/pg_isready.log", self)
            .ok()) {
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
  return absl::DeadlineExceededError(
      absl::StrCat("postgres did not accept connections on 127.0.0.1:", port_, " within ",
                   absl::FormatDuration(options.start_timeout), "; log: ", FileTail(log)));
}

std::string PostgresServer::UrlForDatabase(const std::string& database) const {
  return absl::StrCat("postgresql://postgres:", password_, "@127.0.0.1:", port_, "/", database);
}

void PostgresServer::Stop() {
  if (pid_ <= 0) return;
  SignalAndReap(pid_, SIGQUIT);
  pid_ = -1;
}

PostgresServer::~PostgresServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace failover
