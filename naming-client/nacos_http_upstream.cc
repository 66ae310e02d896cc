#include "naming-client/nacos_http_upstream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "naming-client/internal/nacos_response.h"

namespace failover {
namespace naming {
namespace {

constexpr int kDefaultNacosPort = 8848;

// "http://host:port/" -> "host:port"; "host" -> "host:8848".
absl::StatusOr<std::string> NormalizeAddress(absl::string_view text) {
  absl::string_view address = absl::StripAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(address, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("server address '", text, "': https is not supported"));
  }
  if (absl::StartsWithIgnoreCase(address, "http://")) address.remove_prefix(7);
  while (absl::ConsumeSuffix(&address, "/")) {
  }
  std::string host_port(address);
  const bool bracketed = absl::StartsWith(address, "[");
  const bool has_port = bracketed ? absl::StrContains(address, "]:")
                                  : std::count(address.begin(), address.end(), ':') == 1;
  if (!has_port && (bracketed || !absl::StrContains(address, ':'))) {
    absl::StrAppend(&host_port, ":", kDefaultNacosPort);
  }
  absl::StatusOr<std::pair<std::string, int>> split = SplitHostPort(host_port);
  if (!split.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("server address '", text, "': ", split.status().message()));
  }
  return host_port;
}

}  // namespace

CircuitBreakerOptions DefaultNacosServerBreakerOptions() {
  CircuitBreakerOptions options;
  options.consecutive_failures_threshold = 3;
  options.sliding_window_size = 20;
  options.minimum_number_of_calls = 10;
  options.wait_duration_in_open_state = absl::Seconds(10);
  options.permitted_number_of_calls_in_half_open_state = 1;
  return options;
}

RetryOptions DefaultNacosRetryOptions() {
  RetryOptions options;
  options.max_attempts = 2;
  options.wait = absl::Milliseconds(500);
  options.deadline = absl::Seconds(10);
  return options;
}

std::optional<NacosError> GetNacosError(const absl::Status& status) {
  const auto payload = status.GetPayload(nacos_internal::kNacosErrorPayload);
  if (!payload.has_value()) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(std::string(*payload), ' ');
  NacosError error;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &error.http_status) ||
      !absl::SimpleAtoi(parts[1], &error.code)) {
    return std::nullopt;
  }
  return error;
}

struct NacosHttpUpstream::Server {
  std::string address;
  std::unique_ptr<CircuitBreaker> breaker;
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> failures{0};
};

absl::StatusOr<std::unique_ptr<NacosHttpUpstream>> NacosHttpUpstream::Create(
    NacosHttpUpstreamOptions options, std::unique_ptr<HttpClient> http, Clock& clock,
    RandomSource& random) {
  const auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("nacos upstream: ", why));
  };
  if (http == nullptr) return bad("no HttpClient");
  if (options.server_addresses.empty()) return bad("no server addresses");
  if (options.connect_timeout <= absl::ZeroDuration() ||
      options.request_timeout <= absl::ZeroDuration()) {
    return bad(absl::StrCat("connect_timeout (", absl::FormatDuration(options.connect_timeout),
                            ") and request_timeout (",
                            absl::FormatDuration(options.request_timeout),
                            ") must be greater than 0"));
  }
  if (!options.context_path.empty() && !absl::StartsWith(options.context_path, "/")) {
    return bad(absl::StrCat("context_path '", options.context_path, "' must start with '/'"));
  }
  std::unique_ptr<NacosHttpUpstream> upstream(
      new NacosHttpUpstream(options, std::move(http), clock));
  for (const std::string& text : options.server_addresses) {
    absl::StatusOr<std::string> address = NormalizeAddress(text);
    if (!address.ok()) return bad(address.status().message());
    auto server = std::make_unique<Server>();
    server->address = *address;
    absl::StatusOr<std::unique_ptr<CircuitBreaker>> breaker =
        CircuitBreaker::Create(absl::StrCat("nacos ", *address), options.breaker, clock);
    if (!breaker.ok()) return bad(absl::StrCat("breaker: ", breaker.status().message()));
    server->breaker = *std::move(breaker);
    upstream->servers_.push_back(std::move(server));
  }
  absl::StatusOr<std::unique_ptr<Retry>> retry =
      Retry::Create("nacos-instance-list", options.retry, clock, random);
  if (!retry.ok()) return bad(absl::StrCat("retry: ", retry.status().message()));
  upstream->retry_ = *std::move(retry);
  // Like the Java client, start at a random server so that clients spread over the cluster.
  upstream->next_server_.store(
      static_cast<uint64_t>(random.Uniform01() * upstream->servers_.size()));
  return upstream;
}

NacosHttpUpstream::NacosHttpUpstream(NacosHttpUpstreamOptions options,
                                     std::unique_ptr<HttpClient> http, Clock& clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(clock) {
  absl::string_view context = options_.context_path;
  while (absl::ConsumeSuffix(&context, "/")) {
  }
  path_ = absl::StrCat(context, options_.api_version == NacosApiVersion::kV2 ? "/v2" : "/v1",
                       "/ns/instance/list");
  namespace_id_ = std::string(absl::StripAsciiWhitespace(options_.nacos_namespace));
  if (namespace_id_.empty()) namespace_id_ = "public";
}

NacosHttpUpstream::~NacosHttpUpstream() = default;

HttpQuery NacosHttpUpstream::BuildQuery(const ServiceKey& key, bool healthy_only) const {
  const std::string healthy = healthy_only ? "true" : "false";
  if (options_.api_version == NacosApiVersion::kV2) {
    return {{"namespaceId", namespace_id_},
            {"groupName", key.group},
            {"serviceName", key.service},
            {"clusterName", key.clusters},
            {"healthyOnly", healthy}};
  }
  // As the Java client: the grouped name (every v1 server accepts it; a bare name needs the
  // server's groupName filter), and groupName as well for servers that read it.
  return {{"serviceName", key.GroupedName()},
          {"groupName", key.group},
          {"namespaceId", namespace_id_},
          {"clusters", key.clusters},
          {"healthyOnly", healthy}};
}

absl::StatusOr<v1::ServiceInfo> NacosHttpUpstream::Query(const ServiceKey& key, bool healthy_only) {
  if (key.group.empty() || key.service.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("nacos upstream: service key '", key.ToString(),
                                                   "' needs a group and a service name"));
  }
  const HttpQuery query = BuildQuery(key, healthy_only);
  absl::StatusOr<v1::ServiceInfo> info = retry_->Run(
      [&](const AttemptContext& context) { return QueryOnce(key, query, context.deadline); });
  if (!info.ok()) return info;
  // The identity is what was asked for: Nacos writes "GROUP@@SERVICE" as the name.
  info->set_name(key.service);
  info->set_group_name(key.group);
  info->set_clusters(key.clusters);
  return info;
}

absl::StatusOr<v1::ServiceInfo> NacosHttpUpstream::QueryOnce(const ServiceKey& key,
                                                             const HttpQuery& query,
                                                             MonotonicTime deadline) {
  const size_t n = servers_.size();
  const size_t start = next_server_.fetch_add(1, std::memory_order_relaxed) % n;
  const char* version = options_.api_version == NacosApiVersion::kV2 ? "v2" : "v1";
  absl::Status last;
  std::vector<std::string> open;
  for (size_t i = 0; i < n; ++i) {
    Server& server = *servers_[(start + i) % n];
    const MonotonicTime now = clock_.Now();
    if (now >= deadline) {
      if (last.ok()) last = absl::DeadlineExceededError("nacos upstream: query deadline passed");
      break;
    }
    if (!server.breaker->TryAcquirePermission()) {
      open.push_back(server.address);
      continue;
    }
    HttpRequestOptions request;
    request.connect_timeout = std::min(options_.connect_timeout, deadline - now);
    request.timeout = std::min(options_.request_timeout, deadline - now);
    server.requests.fetch_add(1, std::memory_order_relaxed);
    absl::StatusOr<HttpResponse> response = http_->Get(server.address, path_, query, request);
    const absl::Duration elapsed = clock_.Now() - now;
    const std::string what = absl::StrCat("nacos ", server.address, " ", version,
                                          " instance list of ", key.GroupedName());
    nacos_internal::InstanceListOutcome outcome = nacos_internal::ReadInstanceList(
        options_.api_version == NacosApiVersion::kV2, what, response);
    if (outcome.server_fault) {
      server.failures.fetch_add(1, std::memory_order_relaxed);
      server.breaker->OnError(elapsed, outcome.status);
      last = outcome.status;
      continue;
    }
    server.breaker->OnSuccess(elapsed);
    if (!outcome.status.ok()) return outcome.status;
    return *std::move(outcome.info);
  }
  if (!open.empty()) {
    const std::string breakers =
        absl::StrCat(open.size(), " of ", n,
                     " servers skipped, circuit breaker open: ", absl::StrJoin(open, ", "));
    if (last.ok()) return absl::UnavailableError(absl::StrCat("nacos upstream: ", breakers));
    return absl::Status(last.code(), absl::StrCat(last.message(), " (", breakers, ")"));
  }
  return last;
}

std::vector<NacosServerState> NacosHttpUpstream::Servers() const {
  std::vector<NacosServerState> states;
  states.reserve(servers_.size());
  for (const auto& server : servers_) {
    NacosServerState state;
    state.address = server->address;
    state.breaker_state = server->breaker->state();
    state.requests = server->requests.load(std::memory_order_relaxed);
    state.failures = server->failures.load(std::memory_order_relaxed);
    states.push_back(std::move(state));
  }
  return states;
}

}  // namespace naming
}  // namespace failover
