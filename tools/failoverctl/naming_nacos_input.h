// The `--from-nacos` input of `failoverctl naming dump`: the named services as a Nacos server
// answers them now, as a naming::FailoverData that WriteDump() (naming_dump.h) writes like the
// cache directory's.
//
//   absl::StatusOr<naming::NacosHttpUpstreamOptions> options =
//       NacosOptionsFromUrl("http://10.0.0.1:8848");  // context path /nacos
//   options->nacos_namespace = "dev";
//   auto upstream = naming::NacosHttpUpstream::Create(*options, naming::NewHttplibClient(),
//                                                     SystemClock(), SystemRandom());
//   const std::string name = DescribeNacosSource(**upstream);  // "nacos 10.0.0.1:8848/nacos ..."
//   naming::FailoverData data = QueryServicesForDump(**upstream, keys, name);
//   WriteDump(request, data, name, std::cout);
#ifndef FAILOVER_TOOLS_FAILOVERCTL_NAMING_NACOS_INPUT_H_
#define FAILOVER_TOOLS_FAILOVERCTL_NAMING_NACOS_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/nacos_http_upstream.h"
#include "naming-client/naming_upstream.h"
#include "naming-client/service_key.h"

namespace failover {

// The upstream's options for the one server of `url`: "http://host:port[/context]",
// "host:port[/context]" or "host" (port 8848); context_path is the URL's path, "/nacos" when it
// has none. The other fields keep their defaults for the caller to set. INVALID_ARGUMENT naming
// the URL for https, a query or fragment, or no host; NacosHttpUpstream::Create() checks the
// host and port.
absl::StatusOr<naming::NacosHttpUpstreamOptions> NacosOptionsFromUrl(absl::string_view url);

// The flags of `dump --from-nacos`, as given; "" when absent.
struct NacosDumpFlags {
  std::string url;              // --from-nacos
  std::string nacos_namespace;  // --namespace, default public
  std::string api_version;      // --api-version: v1 (default) or v2
  std::string timeout;          // --timeout: a config duration, default 5s
};

// NacosOptionsFromUrl(flags.url) with the namespace, the API version, and the timeout, which
// bounds each query, retries included (request timeout and retry deadline; connecting gets at most
// the default 2 s). INVALID_ARGUMENT naming the flag.
absl::StatusOr<naming::NacosHttpUpstreamOptions> NacosDumpOptions(const NacosDumpFlags& flags);

// "nacos 10.0.0.1:8848/nacos, namespace public": what WriteDump() names the input in messages.
std::string DescribeNacosSource(const naming::NacosHttpUpstream& upstream);

// Queries each of `services` (no clusters, every instance, healthy or not, as a client's cache
// would hold them) one after the other, and returns:
//   services  those with hosts, each keyed and named as asked, origin `source_name`;
//   problems  those the query failed for (no server answered, HTTP 5xx, a refusal other than
//             NOT_FOUND), kind kUnreadable, origin the service's failover file name, the message
//             naming the service and the server.
// A service with no hosts (Nacos 2.x's answer for a service it does not know) or NOT_FOUND is in
// neither, so WriteDump() reports it MISSING. Thread-compatible.
naming::FailoverData QueryServicesForDump(naming::NamingUpstream& upstream,
                                          const std::vector<naming::ServiceKey>& services,
                                          absl::string_view source_name);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_NAMING_NACOS_INPUT_H_
