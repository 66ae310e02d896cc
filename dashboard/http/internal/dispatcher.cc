#include "dashboard/http/internal/dispatcher.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/prometheus_text.h"
#include "dashboard/http/api_endpoints.h"
#include "dashboard/http/internal/ingest_handler.h"
#include "dashboard/http/internal/naming_handler.h"
#include "dashboard/http/internal/payloads_handler.h"
#include "dashboard/ui/embedded_ui.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

constexpr absl::string_view kVendorFile = "chart.umd.js";

HttpReply AuthReply(const AuthResult& auth) {
  switch (auth.outcome) {
    case AuthOutcome::kUnauthenticated: {
      HttpReply reply = ErrorReply(401, auth.message);
      reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"failoverd\"");
      return reply;
    }
    case AuthOutcome::kForbidden:
      return ErrorReply(403, absl::StrCat(auth.principal, ": ", auth.message));
    case AuthOutcome::kLockedOut: {
      HttpReply reply = ErrorReply(429, auth.message);
      const int64_t seconds = std::max<int64_t>(
          1, absl::ToInt64Seconds(absl::Ceil(auth.retry_after, absl::Seconds(1))));
      reply.headers.emplace_back("Retry-After", absl::StrCat(seconds));
      return reply;
    }
    case AuthOutcome::kOk:
      break;
  }
  return ErrorReply(500, "unexpected authentication outcome");
}

HttpReply ApiReply(ApiResponse response) {
  HttpReply reply;
  reply.status = response.status;
  reply.body = std::move(response.body);
  return reply;
}

}  // namespace

Dispatcher::Dispatcher(const DashboardConfig& config, const DashboardHttpServices& services)
    : base_path_(config.base_path), exposure_(config.exposure), services_(services) {}

HttpReply Dispatcher::Handle(const HttpRequest& request) {
  const std::optional<Route> route = MatchRoute(base_path_, request.path);
  if (!route.has_value()) {
    return ErrorReply(404, absl::StrCat("no such path; the dashboard is under ", base_path_));
  }
  const AuthResult auth =
      IsIngest(route->kind)
          ? services_.auth->CheckIngest(request.authorization, request.remote_addr)
      : route->kind == RouteKind::kPrometheusMetrics
          ? services_.auth->CheckMetrics(request.authorization, request.remote_addr)
          : services_.auth->CheckAdmin(request.authorization, request.remote_addr);
  if (auth.outcome != AuthOutcome::kOk) {
    if (IsIngest(route->kind)) CountIngest(IngestResult::kUnauthorized);
    return AuthReply(auth);
  }
  HttpReply reply = HandleAuthorized(*route, request, auth.principal);
  if (IsIngest(route->kind)) {
    CountIngest(reply.status == 202 ? IngestResult::kAccepted : IngestResult::kRejected);
  }
  return reply;
}

HttpReply Dispatcher::HandleAuthorized(const Route& route, const HttpRequest& request,
                                       const std::string& principal) {
  if (route.kind == RouteKind::kUnknown) {
    return ErrorReply(404, absl::StrCat("no such endpoint: ", request.path));
  }
  if (std::optional<HttpReply> hidden = Hidden(route, request)) return *std::move(hidden);
  const unsigned method = MethodBit(request.method);
  if ((route.methods & method) == 0) {
    HttpReply reply = ErrorReply(405, absl::StrCat(request.method, " is not allowed here; use ",
                                                   AllowHeader(route.methods)));
    reply.headers.emplace_back("Allow", AllowHeader(route.methods));
    return reply;
  }
  return Serve(route, method, request, principal);
}

std::optional<HttpReply> Dispatcher::Hidden(const Route& route, const HttpRequest& request) {
  // Operational telemetry about failoverd itself, authenticated: not one of the API endpoints
  // that exposure.include selects.
  if (route.kind == RouteKind::kPrometheusMetrics) return std::nullopt;
  if (IsUi(route.kind)) {
    if (exposure_.ui) return std::nullopt;
    return ErrorReply(404, "the UI is not served (failover.dashboard.exposure.ui is false)");
  }
  std::string why;
  if (!exposure_.api) {
    why = "failover.dashboard.exposure.api is false";
  } else if (std::find(exposure_.include.begin(), exposure_.include.end(), route.endpoint) ==
             exposure_.include.end()) {
    why = absl::StrCat("'", route.endpoint, "' is not in failover.dashboard.exposure.include");
  } else {
    return std::nullopt;
  }
  bool first = false;
  {
    MutexLock lock(&mu_);
    first = warned_.insert(std::string(route.endpoint)).second;
  }
  if (first) {
    (*services_.warnings)(absl::StrCat("dashboard: ", request.method, " ", request.path, " from ",
                                       request.remote_addr, " answered 404: the '", route.endpoint,
                                       "' endpoint is not exposed (", why,
                                       "); later requests to it are refused without this warning"));
  }
  return ErrorReply(404, absl::StrCat("the '", route.endpoint, "' endpoint is not exposed"));
}

HttpReply Dispatcher::Serve(const Route& route, unsigned method, const HttpRequest& request,
                            const std::string& principal) {
  DashboardEndpoints& api = *services_.api;
  switch (route.kind) {
    case RouteKind::kUiIndex:
      if (!absl::EndsWith(request.path, "/")) {
        // The page's relative URLs (ui/app.js, api/metrics) resolve against {base}/ only.
        HttpReply moved = ErrorReply(308, absl::StrCat("the dashboard is at ", request.path, "/"));
        moved.headers.emplace_back("Location", absl::StrCat(request.path, "/"));
        return moved;
      }
      return UiFileReply("index.html");
    case RouteKind::kUiFile:
      return UiFileReply(route.argument);
    case RouteKind::kVendor:
      return VendorReply();
    case RouteKind::kConfig:
      return ApiReply(api.Config());
    case RouteKind::kConfigSettings:
      return ApiReply(api.ConfigSettings());
    case RouteKind::kFailoverHealth:
      return ApiReply(api.FailoverHealth());
    case RouteKind::kMetrics:
      return ApiReply(api.Metrics());
    case RouteKind::kMetricsSeries:
      return ApiReply(api.MetricsSeries(request.param("windowSec")));
    case RouteKind::kMetricsExceptions:
      return ApiReply(api.MetricsExceptions());
    case RouteKind::kHealth:
      return ApiReply(api.Health());
    case RouteKind::kInstances:
      return ApiReply(api.Instances());
    case RouteKind::kIngestSnapshot:
    case RouteKind::kIngestHeartbeat:
      return HandleIngest(
          services_.ingest,
          route.kind == RouteKind::kIngestSnapshot ? IngestKind::kSnapshot : IngestKind::kHeartbeat,
          request.content_type, request.body);
    case RouteKind::kNamingSwitch:
    case RouteKind::kNamingServices:
    case RouteKind::kNamingService: {
      if (services_.naming_data == nullptr) {
        return ErrorReply(404, "this failoverd serves no naming failover data");
      }
      NamingRequest naming;
      naming.kind = route.kind;
      naming.method = method;
      naming.key = route.argument;
      naming.param = request.param;
      naming.body = request.body;
      naming.principal = principal;
      return HandleNaming(*services_.naming_data, naming);
    }
    case RouteKind::kPayloads:
      if (services_.payloads == nullptr) {
        return ErrorReply(404, "this failoverd serves no payload store");
      }
      return HandlePayloads(*services_.payloads, request.param);
    case RouteKind::kPrometheusMetrics:
      return PrometheusReply();
    case RouteKind::kUnknown:
      break;
  }
  return ErrorReply(404, absl::StrCat("no such endpoint: ", request.path));
}

HttpReply Dispatcher::UiFileReply(absl::string_view name) const {
  const UiFile* file = FindUiFile(name);
  if (file == nullptr) return ErrorReply(404, absl::StrCat("no UI file '", name, "'"));
  HttpReply reply;
  reply.content_type = std::string(file->content_type);
  reply.body = std::string(file->body);
  reply.static_file = true;
  return reply;
}

HttpReply Dispatcher::VendorReply() const {
  if (services_.vendor_dir.empty()) {
    return ErrorReply(404, "chart.js is not installed (no vendor folder configured)");
  }
  const std::string path = absl::StrCat(services_.vendor_dir, "/", kVendorFile);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) {
    return ErrorReply(404, absl::StrCat("chart.js is not installed (", kVendorFile,
                                        " not found in the vendor folder)"));
  }
  HttpReply reply;
  reply.content_type = "text/javascript; charset=utf-8";
  reply.body = std::move(content).str();
  reply.static_file = true;
  return reply;
}

HttpReply Dispatcher::PrometheusReply() const {
  if (services_.metrics == nullptr) {
    return ErrorReply(404, "this server exposes no Prometheus metrics");
  }
  if (services_.refresh_metrics) services_.refresh_metrics();
  PrometheusExposition page =
      RenderPrometheusExposition(services_.metrics->Snapshot(), services_.metrics_instance);
  HttpReply reply;
  reply.content_type = std::move(page.content_type);
  reply.body = std::move(page.body);
  return reply;
}

void Dispatcher::CountIngest(IngestResult result) const {
  if (services_.ingest_counters != nullptr) {
    services_.ingest_counters->Record(IngestTransport::kHttp, result);
  }
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
