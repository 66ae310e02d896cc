#include "core/metrics/export/prometheus_listener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/export/internal/listen_address.h"
#include "core/metrics/prometheus_text.h"
#include "core/sync.h"

namespace failover {
namespace {

constexpr absl::string_view kListenProperty = "failover.observable.prometheus.listen";
constexpr absl::string_view kPathProperty = "failover.observable.prometheus.path";
// Enough for a scraper or two; a scrape is one snapshot and one render.
constexpr size_t kWorkerThreads = 2;
// Longest request body read (and thrown away); a scrape has none.
constexpr size_t kMaxRequestBody = 1 << 20;

bool IsRoutable(const std::string& method) {
  for (const char* routed : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == routed) return true;
  }
  return false;
}

absl::Status ValidatePath(absl::string_view path) {
  const bool printable =
      std::all_of(path.begin(), path.end(), [](char c) { return absl::ascii_isgraph(c); });
  if (path.empty() || path.front() != '/' || !printable ||
      path.find_first_of("?#") != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        kPathProperty, ": '", path, "' must start with '/' and hold no spaces, '?' or '#'"));
  }
  return absl::OkStatus();
}

}  // namespace

class PrometheusListener::Impl {
 public:
  Impl(const PrometheusEndpointConfig& config, const MetricsRegistry& registry,
       InstanceTagPolicy policy, WarningSink warnings)
      : path_(config.path),
        registry_(registry),
        policy_(std::move(policy)),
        warnings_(warnings ? std::move(warnings) : StderrWarningSink()) {
    // httplib's default socket options add SO_REUSEPORT, which lets a second process bind the
    // same port and take part of the scrapes; SO_REUSEADDR alone keeps restarts quick.
    server_.set_socket_options([](socket_t sock) {
      const int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    // Without it the headers and the body, written separately, wait for the client's delayed ACK.
    server_.set_tcp_nodelay(true);
    server_.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
    // One request per connection: httplib holds a worker on an idle kept-alive connection for
    // its keep-alive timeout (5 s), so two idle scrapers would stall a third and Stop() would
    // wait for them. A scrape every few seconds gains nothing from keeping the connection.
    server_.set_keep_alive_max_count(1);
    server_.set_default_headers({{"Cache-Control", "no-store"}});
    // Routed methods have their body read before the handler runs, so a kept-alive connection
    // goes on with the next request after a refused POST; the cap bounds what a refusal reads.
    server_.set_payload_max_length(kMaxRequestBody);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    };
    const std::string any_path = "[\\s\\S]*";
    server_.Get(any_path, handler);  // GET and HEAD
    server_.Post(any_path, handler);
    server_.Put(any_path, handler);
    server_.Patch(any_path, handler);
    server_.Delete(any_path, handler);
    server_.Options(any_path, handler);
    // The methods httplib parses but cannot route (TRACE, CONNECT, PRI) would get 400.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (IsRoutable(req.method)) return httplib::Server::HandlerResponse::Unhandled;
      Handle(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  ~Impl() { Stop(); }

  absl::Status Listen(const export_internal::ListenAddress& address) {
    host_ = address.host;
    port_ = address.port == 0 ? server_.bind_to_any_port(host_)
                              : (server_.bind_to_port(host_, address.port) ? address.port : -1);
    if (port_ <= 0) {
      return absl::UnavailableError(
          absl::StrCat(kListenProperty, ": ", export_internal::FormatHostPort(host_, address.port),
                       " ", export_internal::DescribeBindFailure(host_, address.port)));
    }
    // The socket already listens (connections wait in its backlog); the thread accepts them.
    MutexLock lock(&stop_mu_);
    thread_ = std::thread([this] {
      const bool clean = server_.listen_after_bind();
      accept_loop_done_ = true;
      if (!clean && !stopping_) {
        warnings_(absl::StrCat("Prometheus listener ", url(),
                               ": the accept loop ended on an error; scrapes are refused"));
      }
    });
    // stop() only takes effect once the accept loop runs, so Stop() must not come before it.
    while (!server_.is_running() && !accept_loop_done_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return absl::OkStatus();
  }

  void Stop() {
    MutexLock lock(&stop_mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    // Closes the listening socket; listen_after_bind() returns once the workers finished.
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url() const {
    return absl::StrCat("http://", export_internal::FormatHostPort(host_, port_), path_);
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    if (req.path != path_) {
      res.status = 404;
      res.set_content(absl::StrCat("not found; metrics are at ", path_, "\n"), "text/plain");
      return;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("method not allowed; use GET or HEAD\n", "text/plain");
      return;
    }
    PrometheusExposition page = RenderPrometheusExposition(registry_.Snapshot(), policy_);
    if (page.dropped_series > 0 && !warned_dropped_.exchange(true)) {
      warnings_(absl::StrCat("Prometheus listener ", url(), ": ", page.dropped_series,
                             " series left out of the exposition because their name or labels "
                             "clash with another series (reported once)"));
    }
    res.status = 200;
    res.set_content(std::move(page.body), page.content_type);
  }

  const std::string path_;
  const MetricsRegistry& registry_;
  const InstanceTagPolicy policy_;
  const WarningSink warnings_;
  std::string host_;  // set before the worker thread starts
  int port_ = -1;     // likewise
  std::atomic<bool> warned_dropped_{false};
  std::atomic<bool> accept_loop_done_{false};
  std::atomic<bool> stopping_{false};
  httplib::Server server_;
  Mutex stop_mu_;
  std::thread thread_ ABSL_GUARDED_BY(stop_mu_);
};

absl::StatusOr<std::unique_ptr<PrometheusListener>> PrometheusListener::Start(
    const PrometheusEndpointConfig& config, const MetricsRegistry& registry,
    InstanceTagPolicy policy, WarningSink warnings) {
  absl::StatusOr<export_internal::ListenAddress> address =
      export_internal::ParseListenAddress(config.listen, kListenProperty);
  if (!address.ok()) return address.status();
  if (absl::Status path = ValidatePath(config.path); !path.ok()) return path;
  auto impl = std::make_unique<Impl>(config, registry, std::move(policy), std::move(warnings));
  if (absl::Status listening = impl->Listen(*address); !listening.ok()) return listening;
  return std::unique_ptr<PrometheusListener>(new PrometheusListener(std::move(impl)));
}

PrometheusListener::PrometheusListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrometheusListener::~PrometheusListener() = default;
void PrometheusListener::Stop() { impl_->Stop(); }
int PrometheusListener::port() const { return impl_->port(); }
std::string PrometheusListener::url() const { return impl_->url(); }

}  // namespace failover
