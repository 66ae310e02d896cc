#include "tests/dashboard/testing/prometheus_server.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "core/config/dashboard_config.h"
#include "core/testing/child_process.h"
#include "dashboard/prometheus/httplib_prometheus_client.h"

namespace failover {
namespace {

constexpr int kStartAttempts = 3;  // a new port each time, in case another process took it

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
  ChildProcessOptions child;
  child.log_path = dir_ + "/prometheus.log";
  child.working_dir = dir_;
  child.die_with_parent = true;
  absl::StatusOr<pid_t> pid = SpawnChildProcess(args, child);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;

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

std::string PrometheusServer::LogTail() const { return FileTail(dir_ + "/prometheus.log"); }

void PrometheusServer::Stop() {
  if (pid_ <= 0) return;
  SignalAndReap(pid_, SIGKILL);
  pid_ = -1;
}

PrometheusServer::~PrometheusServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool PollUntil(const std::function<bool()>& condition, absl::Duration patience) {
  const absl::Time deadline = absl::Now() + patience;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return condition();
}

}  // namespace failover
