// What changed between two results for one service: the instances added, removed and modified
// (the C++ counterpart of the Java client's InstancesDiff / InstancesDiffer), and whether the
// service-level fields changed.
//
//   InstancesDiff diff = DiffInstances(old_info.get(), *new_info);
//   for (const v1::Instance& host : diff.added) ...
//   bool changed = !diff.empty() || !ServiceFieldsEquivalent(*old_info, *new_info);
//
// Where it differs from Java's InstancesDiffer:
//   - An instance is identified by ip, port and clusterName (Java: "ip:port", so the same
//     address in two clusters collapsed into one, and a move between clusters was "modified").
//   - Two instances with the same identity in one list are paired in list order instead of the
//     last silently replacing the others.
//   - Instances compare field by field, an unset field equal to its default (Java compares
//     Instance.toString()); metadata compares as a map, whatever its order.
//   - Diffing never looks at lastRefTime (Java returned an empty diff for an older lastRefTime,
//     so its caller stored the data but never told anyone); out-of-date results are the
//     caller's decision (ServiceInfoHolder).
#ifndef FAILOVER_NAMING_CLIENT_INSTANCES_DIFF_H_
#define FAILOVER_NAMING_CLIENT_INSTANCES_DIFF_H_

#include <vector>

#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// Plain value type. Each list is sorted by (ip, port, clusterName).
struct InstancesDiff {
  std::vector<v1::Instance> added;     // Only in the new list (as there).
  std::vector<v1::Instance> removed;   // Only in the old list (as there).
  std::vector<v1::Instance> modified;  // In both with some field changed (as in the new list).

  bool empty() const { return added.empty() && removed.empty() && modified.empty(); }
};

// The instances of `new_info` compared with those of `old_info`; every instance is added when
// `old_info` is null. Pure function; thread-safe.
InstancesDiff DiffInstances(const v1::ServiceInfo* old_info, const v1::ServiceInfo& new_info);

// Whether `a` and `b` agree on every field but hosts and lastRefTime (an unset field equal to
// its default). Pure function; thread-safe.
bool ServiceFieldsEquivalent(const v1::ServiceInfo& a, const v1::ServiceInfo& b);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INSTANCES_DIFF_H_
