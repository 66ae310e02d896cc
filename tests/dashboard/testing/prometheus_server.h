// PrometheusServer: a throwaway Prometheus 2.42 (/usr/bin/prometheus, Debian package
// `prometheus`) for tests. Start() writes a config scraping `targets` (host:port, job "peers",
// path /metrics) every `scrape_interval`, starts Prometheus on a free loopback port with its
// TSDB in a fresh temporary directory, and waits until its query API answers. Stop() (also the
// destructor) kills and reaps the process and removes the directory; the child also gets SIGKILL
// if the test process dies first.
//
// Thread-safety: not thread-safe; base_url() may be read from any thread once started.
//
//   absl::StatusOr<std::unique_ptr<PrometheusServer>> prometheus =
//       PrometheusServer::Start({"127.0.0.1:4001", "127.0.0.1:4002"});
//   config.base_url = (*prometheus)->base_url();   // http://127.0.0.1:<port>
#ifndef FAILOVER_TESTS_DASHBOARD_TESTING_PROMETHEUS_SERVER_H_
#define FAILOVER_TESTS_DASHBOARD_TESTING_PROMETHEUS_SERVER_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace failover {

struct PrometheusServerOptions {
  std::string binary = "/usr/bin/prometheus";
  absl::Duration scrape_interval = absl::Seconds(1);
  absl::Duration start_timeout = absl::Seconds(30);  // until the query API answers
};

class PrometheusServer {
 public:
  static absl::StatusOr<std::unique_ptr<PrometheusServer>> Start(
      const std::vector<std::string>& targets, const PrometheusServerOptions& options = {});
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  const std::string& base_url() const { return base_url_; }
  // Kills the server now and waits for it. Idempotent.
  void Stop();

 private:
  PrometheusServer() = default;
  // Starts Prometheus on a fresh free port and waits for its API. UNAVAILABLE if it exited
  // during start-up (e.g. another process took the port).
  absl::Status Launch(const PrometheusServerOptions& options);
  std::string LogTail() const;

  std::string dir_;
  std::string base_url_;
  pid_t pid_ = -1;
};

// Polls `condition` every 200 ms until it holds or `patience` passes (real time: Prometheus
// scrapes and evaluates on its own clock); returns its last result.
bool PollUntil(const std::function<bool()>& condition, absl::Duration patience);

}  // namespace failover

#endif  // FAILOVER_TESTS_DASHBOARD_TESTING_PROMETHEUS_SERVER_H_
