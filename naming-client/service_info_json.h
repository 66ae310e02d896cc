// Reading and writing one Nacos ServiceInfo as JSON, the content of a Nacos cache or failover
// file.
//
//   absl::StatusOr<failover::v1::ServiceInfo> info = failover::naming::ParseServiceInfoJson(
//       R"({"name":"orders","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})");
//   info->hosts(0).weight();  // 1.0, the Nacos default
//   absl::StatusOr<std::string> json = failover::naming::SerializeServiceInfoJson(*info);
//
// Reading is as lenient as the Java client (Jackson, unknown properties ignored), and more
// where Java loses data:
//   - single-line and pretty-printed documents (Java's failover reader sees only line one);
//   - unknown fields at any level ignored;
//   - numbers and booleans given as strings ("81", "2.5", "true"), integer weights, integral
//     floats for integer fields (8080.0);
//   - "allIPs" (Nacos 2.x) and "allIps" (3.x);
//   - null for any field means absent ("hosts": null is no hosts);
//   - a UTF-8 byte-order mark before the document.
// Then weights must be finite and not negative, and ports within 0..65535.
//
// Errors are InvalidArgument and say where: the field path for a bad value
// ("hosts[1].port: invalid value \"http\" for type TYPE_INT32"), line and column for broken
// syntax ("line 7, column 5: Unexpected end of string...").
#ifndef FAILOVER_NAMING_CLIENT_SERVICE_INFO_JSON_H_
#define FAILOVER_NAMING_CLIENT_SERVICE_INFO_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// Parses one ServiceInfo document. Pure function; thread-safe.
absl::StatusOr<v1::ServiceInfo> ParseServiceInfoJson(absl::string_view json);

// Writes `info` the way the Nacos Java client writes its cache files (Jackson, NON_NULL), so
// every Nacos client, including Java's single-line failover reader, can read the result: one line,
// no trailing newline, keys in Java's order; strings that are unset in `info` are left out as
// Java leaves out nulls (except "checksum", which Java defaults to ""); numbers and booleans
// always written, weight as a double ("1.0"); metadata sorted by key. Fails (naming the field)
// on a non-finite weight or a string that is not UTF-8, which JSON cannot carry. Pure function;
// thread-safe.
absl::StatusOr<std::string> SerializeServiceInfoJson(const v1::ServiceInfo& info);

// The "hosts" array of SerializeServiceInfoJson(info) on its own: "[{"instanceId":...},...]",
// each instance exactly as it appears there (failoverctl naming lookup prints it). Fails as
// SerializeServiceInfoJson does, naming the field ("hosts[1].weight: ..."). Thread-safe.
absl::StatusOr<std::string> SerializeInstancesJson(const v1::ServiceInfo& info);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_SERVICE_INFO_JSON_H_
