#include "tools/failoverctl/naming_nacos_input.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "core/config/duration_text.h"
#include "proto/naming.pb.h"

namespace failover {

absl::StatusOr<naming::NacosHttpUpstreamOptions> NacosOptionsFromUrl(absl::string_view url) {
  const auto bad = [url](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("--from-nacos '", url, "': ", why));
  };
  absl::string_view rest = absl::StripAsciiWhitespace(url);
  if (absl::StartsWithIgnoreCase(rest, "https://")) return bad("https is not supported");
  if (absl::StartsWithIgnoreCase(rest, "http://")) {
    rest.remove_prefix(7);
  } else if (absl::StrContains(rest, "://")) {
    return bad("only http:// URLs are supported");
  }
  if (rest.find_first_of("?#") != absl::string_view::npos) {
    return bad("a query or fragment is not allowed");
  }
  const size_t slash = rest.find('/');
  const absl::string_view server = rest.substr(0, slash);
  absl::string_view path = slash == absl::string_view::npos ? "" : rest.substr(slash);
  while (absl::ConsumeSuffix(&path, "/")) {
  }
  if (server.empty()) return bad("no host");

  naming::NacosHttpUpstreamOptions options;
  options.server_addresses = {std::string(server)};
  if (!path.empty()) options.context_path = std::string(path);
  return options;
}

absl::StatusOr<naming::NacosHttpUpstreamOptions> NacosDumpOptions(const NacosDumpFlags& flags) {
  absl::StatusOr<naming::NacosHttpUpstreamOptions> options = NacosOptionsFromUrl(flags.url);
  if (!options.ok()) return options.status();
  if (!flags.nacos_namespace.empty()) options->nacos_namespace = flags.nacos_namespace;
  if (flags.api_version == "v2") {
    options->api_version = naming::NacosApiVersion::kV2;
  } else if (!flags.api_version.empty() && flags.api_version != "v1") {
    return absl::InvalidArgumentError(
        absl::StrCat("--api-version '", flags.api_version, "': expected v1 or v2"));
  }
  absl::Duration timeout = absl::Seconds(5);
  if (!flags.timeout.empty()) {
    absl::StatusOr<absl::Duration> parsed = ParseConfigDuration(flags.timeout);
    if (!parsed.ok() || *parsed <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout '", flags.timeout, "' ",
                       parsed.ok() ? "must be greater than 0" : parsed.status().message()));
    }
    timeout = *parsed;
  }
  options->request_timeout = timeout;
  options->connect_timeout = std::min(options->connect_timeout, timeout);
  options->retry.deadline = timeout;
  return options;
}

std::string DescribeNacosSource(const naming::NacosHttpUpstream& upstream) {
  std::string servers;
  for (const naming::NacosServerState& server : upstream.Servers()) {
    absl::StrAppend(&servers, servers.empty() ? "" : ",", server.address);
  }
  const naming::NacosHttpUpstreamOptions& options = upstream.options();
  const absl::string_view nacos_namespace = absl::StripAsciiWhitespace(options.nacos_namespace);
  return absl::StrCat("nacos ", servers, options.context_path, ", namespace ",
                      nacos_namespace.empty() ? "public" : nacos_namespace);
}

naming::FailoverData QueryServicesForDump(naming::NamingUpstream& upstream,
                                          const std::vector<naming::ServiceKey>& services,
                                          absl::string_view source_name) {
  naming::FailoverData data;
  for (const naming::ServiceKey& key : services) {
    absl::StatusOr<v1::ServiceInfo> info = upstream.Query(key, /*healthy_only=*/false);
    if (absl::IsNotFound(info.status()) || (info.ok() && info->hosts_size() == 0)) continue;
    if (!info.ok()) {
      // The upstream's message names the server it last tried and the service, except when no
      // request was made (the query's time ran out), so the source is named too.
      data.problems.push_back({naming::FailoverFileName(key),
                               naming::FailoverProblemKind::kUnreadable,
                               absl::StrCat(key.GroupedName(), " from ", source_name, ": ",
                                            absl::StatusCodeToString(info.status().code()), ": ",
                                            info.status().message())});
      continue;
    }
    naming::FailoverServiceData service;
    service.key = key;
    service.info = std::make_shared<const v1::ServiceInfo>(*std::move(info));
    service.origin = std::string(source_name);
    data.services.emplace(key.ToString(), std::move(service));
  }
  std::sort(data.problems.begin(), data.problems.end(),
            [](const naming::FailoverFileProblem& a, const naming::FailoverFileProblem& b) {
              return a.origin < b.origin;
            });
  return data;
}

}  // namespace failover
