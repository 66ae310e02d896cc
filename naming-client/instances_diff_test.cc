#include "naming-client/instances_diff.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Instance Host(const std::string& ip, int port, const std::string& cluster = "c1") {
  v1::Instance host;
  host.set_ip(ip);
  host.set_port(port);
  host.set_cluster_name(cluster);
  return host;
}

v1::ServiceInfo Info(std::vector<v1::Instance> hosts) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  for (v1::Instance& host : hosts) *info.add_hosts() = std::move(host);
  return info;
}

std::vector<std::string> Addresses(const std::vector<v1::Instance>& hosts) {
  std::vector<std::string> out;
  for (const v1::Instance& host : hosts) {
    out.push_back(host.ip() + ":" + std::to_string(host.port()) + "#" + host.cluster_name());
  }
  return out;
}

TEST(DiffInstancesTest, EverythingIsAddedWithoutAnOldValue) {
  const InstancesDiff diff =
      DiffInstances(nullptr, Info({Host("10.0.0.2", 80), Host("10.0.0.1", 80)}));
  EXPECT_THAT(Addresses(diff.added), ElementsAre("10.0.0.1:80#c1", "10.0.0.2:80#c1"));
  EXPECT_THAT(diff.removed, IsEmpty());
  EXPECT_THAT(diff.modified, IsEmpty());
  EXPECT_FALSE(diff.empty());
}

TEST(DiffInstancesTest, AddedRemovedAndModified) {
  v1::Instance changed = Host("10.0.0.2", 80);
  changed.set_weight(2.0);
  const v1::ServiceInfo before = Info({Host("10.0.0.1", 80), Host("10.0.0.2", 80)});
  const v1::ServiceInfo after = Info({changed, Host("10.0.0.3", 80)});
  const InstancesDiff diff = DiffInstances(&before, after);
  EXPECT_THAT(Addresses(diff.added), ElementsAre("10.0.0.3:80#c1"));
  EXPECT_THAT(Addresses(diff.removed), ElementsAre("10.0.0.1:80#c1"));
  ASSERT_THAT(Addresses(diff.modified), ElementsAre("10.0.0.2:80#c1"));
  EXPECT_EQ(diff.modified[0].weight(), 2.0);  // The new version.
}

TEST(DiffInstancesTest, OrderAndExplicitDefaultsAreNoChange) {
  v1::Instance explicit_defaults = Host("10.0.0.1", 80);
  explicit_defaults.set_weight(1.0);
  explicit_defaults.set_healthy(true);
  explicit_defaults.set_enabled(true);
  v1::Instance a = Host("10.0.0.2", 80);
  (*a.mutable_metadata())["x"] = "1";
  (*a.mutable_metadata())["y"] = "2";
  v1::Instance b = Host("10.0.0.2", 80);
  (*b.mutable_metadata())["y"] = "2";
  (*b.mutable_metadata())["x"] = "1";
  const v1::ServiceInfo before = Info({Host("10.0.0.1", 80), a});
  const v1::ServiceInfo after = Info({b, explicit_defaults});
  EXPECT_TRUE(DiffInstances(&before, after).empty());
}

TEST(DiffInstancesTest, TheSameAddressInTwoClustersIsTwoInstances) {
  // Java keys by ip:port, so these collapse into one and the move looks like a modification.
  const v1::ServiceInfo before = Info({Host("10.0.0.1", 80, "c1"), Host("10.0.0.1", 80, "c2")});
  const v1::ServiceInfo after = Info({Host("10.0.0.1", 80, "c2"), Host("10.0.0.1", 80, "c3")});
  const InstancesDiff diff = DiffInstances(&before, after);
  EXPECT_THAT(Addresses(diff.added), ElementsAre("10.0.0.1:80#c3"));
  EXPECT_THAT(Addresses(diff.removed), ElementsAre("10.0.0.1:80#c1"));
  EXPECT_THAT(diff.modified, IsEmpty());
}

TEST(DiffInstancesTest, DuplicatesPairUpInsteadOfHidingChanges) {
  const v1::ServiceInfo before = Info({Host("10.0.0.1", 80)});
  const v1::ServiceInfo after = Info({Host("10.0.0.1", 80), Host("10.0.0.1", 80)});
  const InstancesDiff diff = DiffInstances(&before, after);
  EXPECT_THAT(Addresses(diff.added), ElementsAre("10.0.0.1:80#c1"));
  EXPECT_TRUE(DiffInstances(&after, before).removed.size() == 1);
}

TEST(DiffInstancesTest, LastRefTimeIsNotLookedAt) {
  v1::ServiceInfo before = Info({Host("10.0.0.1", 80)});
  before.set_last_ref_time(2000);
  v1::ServiceInfo after = Info({Host("10.0.0.2", 80)});
  after.set_last_ref_time(1000);  // Older: Java returned an empty diff.
  EXPECT_FALSE(DiffInstances(&before, after).empty());
}

TEST(ServiceFieldsEquivalentTest, IgnoresHostsAndLastRefTimeOnly) {
  v1::ServiceInfo a = Info({Host("10.0.0.1", 80)});
  v1::ServiceInfo b = Info({});
  b.set_last_ref_time(99);
  b.set_cache_millis(1000);  // The default, set explicitly.
  EXPECT_TRUE(ServiceFieldsEquivalent(a, b));
  b.set_reach_protection_threshold(true);
  EXPECT_FALSE(ServiceFieldsEquivalent(a, b));
  b = a;
  b.set_cache_millis(10000);
  EXPECT_FALSE(ServiceFieldsEquivalent(a, b));
  b = a;
  b.set_checksum("abc");
  EXPECT_FALSE(ServiceFieldsEquivalent(a, b));
}

}  // namespace
}  // namespace naming
}  // namespace failover
