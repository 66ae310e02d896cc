#include "dashboard/http/dashboard_http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <exception>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "dashboard/http/internal/dispatcher.h"

namespace failover {
namespace dashboard {
namespace {

using http_internal::HttpReply;

// On every response, errors from httplib itself (400, 413, ...) included.
httplib::Headers SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
}

absl::StatusOr<std::pair<std::string, int>> ParseListen(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen, "' is not host:port"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  if (host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen, "' names no host"));
  }
  return std::make_pair(std::string(host), port);
}

// What httplib's own error statuses mean here.
absl::string_view ErrorText(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 413:
      return "the request body is too large";
    case 414:
      return "the request URI is too long";
    case 404:
    case 405:
      return "no such endpoint";
    default:
      return "the request was refused";
  }
}

void Write(HttpReply reply, httplib::Response& res) {
  res.status = reply.status;
  for (auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_header("Cache-Control", reply.static_file ? "no-cache" : "no-store");
  res.set_content(std::move(reply.body), reply.content_type);
}

}  // namespace

class DashboardHttpServer::Impl {
 public:
  Impl(const DashboardConfig& config, const DashboardHttpServices& services)
      : dispatcher_(config, services) {
    server_.set_default_headers(SecurityHeaders());
    // httplib's default also sets SO_REUSEPORT, which lets a second failoverd bind the same
    // port and silently take half the requests; SO_REUSEADDR alone keeps restarts quick.
    server_.set_socket_options([](socket_t sock) {
      const int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server_.set_payload_max_length(services.max_request_body_bytes);
    // Without it a reply written in two parts (headers, body) waits for the client's delayed ACK
    // (Nagle): ~40 ms per request on a kept-alive connection.
    server_.set_tcp_nodelay(true);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    };
    // Every path and method goes to the dispatcher, which owns routing (and answers 404/405).
    const std::string any = "[\\s\\S]*";
    server_.Get(any, handler);
    server_.Post(any, handler);
    server_.Put(any, handler);
    server_.Delete(any, handler);
    server_.Patch(any, handler);
    server_.Options(any, handler);
    // httplib's own errors (malformed request, body too large, unknown method) get a JSON body.
    server_.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          // Unhandled: httplib leaves the response alone (the dispatcher's errors have bodies).
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          Write(http_internal::ErrorReply(res.status, ErrorText(res.status)), res);
          return httplib::Server::HandlerResponse::Handled;
        }));
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          Write(http_internal::ErrorReply(500, "internal error"), res);
        });
  }

  absl::Status Listen(const std::string& host, int port) {
    if (port == 0) {
      port = server_.bind_to_any_port(host);
      if (port <= 0) return CannotBind(host, 0);
    } else if (!server_.bind_to_port(host, port)) {
      return CannotBind(host, port);
    }
    port_ = port;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return absl::OkStatus();
  }

  int port() const { return port_; }

  void Stop() {
    if (!thread_.joinable()) return;
    // stop() closes the listening socket; listen_after_bind() returns once the worker pool has
    // finished the requests in flight.
    server_.stop();
    thread_.join();
  }

 private:
  static absl::Status CannotBind(const std::string& host, int port) {
    return absl::UnavailableError(
        absl::StrCat("failover.dashboard.listen: cannot listen on ", host, ":", port));
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    http_internal::HttpRequest request;
    request.method = req.method;
    request.path = req.path;
    request.param = [&req](absl::string_view name) {
      return req.get_param_value(std::string(name).c_str());
    };
    request.authorization = req.get_header_value("Authorization");
    request.content_type = req.get_header_value("Content-Type");
    request.body = req.body;
    request.remote_addr = req.remote_addr;
    Write(dispatcher_.Handle(request), res);
  }

  http_internal::Dispatcher dispatcher_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

absl::StatusOr<std::unique_ptr<DashboardHttpServer>> DashboardHttpServer::Start(
    const DashboardConfig& config, DashboardHttpServices services) {
  if (services.api == nullptr || services.auth == nullptr || services.warnings == nullptr) {
    return absl::InvalidArgumentError(
        "dashboard http server: the api, auth and warnings services are required");
  }
  absl::StatusOr<std::pair<std::string, int>> listen = ParseListen(config.listen);
  if (!listen.ok()) return listen.status();
  auto impl = std::make_unique<Impl>(config, services);
  if (absl::Status s = impl->Listen(listen->first, listen->second); !s.ok()) return s;
  return std::unique_ptr<DashboardHttpServer>(new DashboardHttpServer(std::move(impl)));
}

DashboardHttpServer::DashboardHttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DashboardHttpServer::~DashboardHttpServer() { Stop(); }

int DashboardHttpServer::port() const { return impl_->port(); }

void DashboardHttpServer::Stop() { impl_->Stop(); }

}  // namespace dashboard
}  // namespace failover
