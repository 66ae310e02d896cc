#include "tests/dashboard/testing/prometheus_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/config/dashboard_config.h"
#include "dashboard/prometheus/httplib_prometheus_client.h"

namespace failover {
namespace {

constexpr int kStartAttempts = 3;  // a new port each time, in case another process took it

absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("binding a loopback port: ", error));
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string ConfigText(const std::vector<std::string>& targets, absl::Duration interval) {
  const std::string seconds = absl::StrCat(absl::ToInt64Seconds(interval), "s");
  return absl::StrCat("global:\n  scrape_interval: ", seconds, "\n  scrape_timeout: ", seconds,
                      "\n  evaluation_interval: ", seconds,
                      "\nscrape_configs:\n  - job_name: peers\n    static_configs:\n"
                      "      - targets: ['",
                      absl::StrJoin(targets, "', '"), "']\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PrometheusServer>> PrometheusServer::Start(
    const std::vector<std::string>& targets, const PrometheusServerOptions& options) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir_template = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/prometheus.XXXXXX");
  if (mkdtemp(dir_template.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::unique_ptr<PrometheusServer> server(new PrometheusServer());
  server->dir_ = dir_template;
  std::ofstream(server->dir_ + "/prometheus.yml") << ConfigText(targets, options.scrape_interval);
  absl::Status status;
  for (int attempt = 1;; ++attempt) {
    status = server->Launch(options);
    if (status.code() != absl::StatusCode::kUnavailable || attempt == kStartAttempts) break;
  }
  if (!status.ok()) return status;
  return server;
}

absl::Status PrometheusServer::Launch(const PrometheusServerOptions& options) {
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  base_url_ = absl::StrCat("http://127.0.0.1:", *port);
  const std::vector<std::string> args = {
      options.binary, absl::StrCat("--config.file=", dir_, "/prometheus.yml"),
      absl::StrCat("--storage.tsdb.path=", dir_, "/data"),
      absl::StrCat("--web.listen-address=127.0.0.1:", *port), "--log.level=warn"};
  const std::string log = dir_ + "/prometheus.log";
  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  char path[] = "PATH=/usr/bin:/bin";
  char* envp[] = {path, nullptr};
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    // Dies with the test process, however that ends.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(126);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int in = open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (chdir(dir_.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp);
    _exit(127);
  }
  pid_ = pid;

  PrometheusClusterConfig config;
  config.base_url = base_url_;
  config.timeout_seconds = 1;
  absl::StatusOr<std::unique_ptr<dashboard::PrometheusClient>> client =
      dashboard::NewHttplibPrometheusClient(config);
  if (!client.ok()) return client.status();
  const absl::Time deadline = absl::Now() + options.start_timeout;
  while (absl::Now() < deadline) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("prometheus exited during start-up (wait status ",
                                                 wait_status, "); log: ", LogTail()));
    }
    if ((*client)->Query("vector(1)").ok()) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Stop();
  return absl::DeadlineExceededError(
      absl::StrCat("prometheus did not answer on ", base_url_, " within ",
                   absl::FormatDuration(options.start_timeout), "; log: ", LogTail()));
}

std::string PrometheusServer::LogTail() const {
  std::ifstream in(dir_ + "/prometheus.log");
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

void PrometheusServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

PrometheusServer::~PrometheusServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace failover
