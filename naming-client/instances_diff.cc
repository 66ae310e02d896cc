#include "naming-client/instances_diff.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>

#include "google/protobuf/util/message_differencer.h"

namespace failover {
namespace naming {
namespace {

using ::google::protobuf::util::MessageDifferencer;

using Identity = std::tuple<const std::string&, int32_t, const std::string&>;

Identity IdentityOf(const v1::Instance& host) {
  return Identity(host.ip(), host.port(), host.cluster_name());
}

// The hosts of `info` (none when null), stably sorted by identity.
std::vector<const v1::Instance*> SortedHosts(const v1::ServiceInfo* info) {
  std::vector<const v1::Instance*> hosts;
  if (info == nullptr) return hosts;
  hosts.reserve(info->hosts_size());
  for (const v1::Instance& host : info->hosts()) hosts.push_back(&host);
  std::stable_sort(hosts.begin(), hosts.end(), [](const v1::Instance* a, const v1::Instance* b) {
    return IdentityOf(*a) < IdentityOf(*b);
  });
  return hosts;
}

}  // namespace

InstancesDiff DiffInstances(const v1::ServiceInfo* old_info, const v1::ServiceInfo& new_info) {
  const std::vector<const v1::Instance*> before = SortedHosts(old_info);
  const std::vector<const v1::Instance*> after = SortedHosts(&new_info);
  InstancesDiff diff;
  // One merge pass over both sorted lists; equal identities pair up in list order.
  auto old_it = before.begin();
  auto new_it = after.begin();
  while (old_it != before.end() || new_it != after.end()) {
    if (new_it == after.end() ||
        (old_it != before.end() && IdentityOf(**old_it) < IdentityOf(**new_it))) {
      diff.removed.push_back(**old_it++);
    } else if (old_it == before.end() || IdentityOf(**new_it) < IdentityOf(**old_it)) {
      diff.added.push_back(**new_it++);
    } else {
      if (!MessageDifferencer::Equivalent(**old_it, **new_it)) diff.modified.push_back(**new_it);
      ++old_it;
      ++new_it;
    }
  }
  return diff;
}

bool ServiceFieldsEquivalent(const v1::ServiceInfo& a, const v1::ServiceInfo& b) {
  MessageDifferencer differencer;
  differencer.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
  const auto* descriptor = v1::ServiceInfo::descriptor();
  differencer.IgnoreField(descriptor->FindFieldByNumber(v1::ServiceInfo::kHostsFieldNumber));
  differencer.IgnoreField(descriptor->FindFieldByNumber(v1::ServiceInfo::kLastRefTimeFieldNumber));
  return differencer.Compare(a, b);
}

}  // namespace naming
}  // namespace failover
