// Nacos service identities: "GROUP@@SERVICE" grouped names, comma-joined cluster lists, the
// "GROUP@@SERVICE@@CLUSTERS" key a lookup is cached under, and the file names Nacos stores cache
// and failover data under.
//
//   failover::naming::ServiceKey key{"DEFAULT_GROUP", "orders", "c1,c2"};
//   key.ToString();              // "DEFAULT_GROUP@@orders@@c1,c2"
//   FailoverFileName(key);       // "DEFAULT_GROUP%40%40orders@@c1,c2"
//   ParseFailoverFileName("DEFAULT_GROUP%40%40orders");  // {"DEFAULT_GROUP", "orders", ""}
//   ParseFailoverFileName("bad%zz");  // error: failover file name 'bad%zz': '%' at offset 3 ...
#ifndef FAILOVER_NAMING_CLIENT_SERVICE_KEY_H_
#define FAILOVER_NAMING_CLIENT_SERVICE_KEY_H_

#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace naming {

// Separates group, service and clusters in keys and grouped names (Java:
// Constants.SERVICE_INFO_SPLITER).
inline constexpr absl::string_view kKeySeparator = "@@";
inline constexpr absl::string_view kDefaultGroup = "DEFAULT_GROUP";

// Which service, and which of its clusters, a lookup asked for. Plain value type.
struct ServiceKey {
  std::string group;
  std::string service;
  // Cluster names joined by ',' in the order the caller gave them, as Nacos keys them; empty
  // means every cluster.
  std::string clusters;

  // "GROUP@@SERVICE".
  std::string GroupedName() const;
  // "GROUP@@SERVICE", or "GROUP@@SERVICE@@CLUSTERS" when clusters is not empty (Java:
  // ServiceInfo.getKey()).
  std::string ToString() const;

  friend bool operator==(const ServiceKey& a, const ServiceKey& b) {
    return std::tie(a.group, a.service, a.clusters) == std::tie(b.group, b.service, b.clusters);
  }
  friend bool operator!=(const ServiceKey& a, const ServiceKey& b) { return !(a == b); }
  friend bool operator<(const ServiceKey& a, const ServiceKey& b) {
    return std::tie(a.group, a.service, a.clusters) < std::tie(b.group, b.service, b.clusters);
  }
};

// "GROUP@@SERVICE" (Java: NamingUtils.getGroupedName).
std::string GroupedServiceName(absl::string_view group, absl::string_view service);

// Parses "GROUP@@SERVICE" or "GROUP@@SERVICE@@CLUSTERS". Group and service must not be empty;
// a trailing "@@" with nothing after it means no clusters (as Java's String.split). More than
// three parts is an error (Java silently drops the rest).
absl::StatusOr<ServiceKey> ParseServiceKey(absl::string_view key);

// Cluster names joined with ',' in the given order (Java: StringUtils.join(clusters, ",")).
std::string JoinClusters(const std::vector<std::string>& clusters);
// The names in a comma-separated cluster list, trimmed of spaces, empty ones dropped.
std::vector<std::string> SplitClusters(absl::string_view clusters);

// The file name Nacos writes `key` under in its cache and failover directories (Java:
// ServiceInfo.getKeyEncoded()): the grouped name URL-encoded as java.net.URLEncoder does
// ("DEFAULT_GROUP%40%40orders"; ':' -> %3A, ' ' -> '+'), then "@@CLUSTERS" unencoded when
// clusters is not empty.
std::string FailoverFileName(const ServiceKey& key);

// The key a cache or failover file name stands for: the whole name URL-decoded (Java:
// URLDecoder.decode), then parsed as ParseServiceKey. Errors name the file and say what is
// wrong (a '%' not followed by two hex digits, no "@@", an empty group...).
absl::StatusOr<ServiceKey> ParseFailoverFileName(absl::string_view file_name);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_SERVICE_KEY_H_
