#include "core/metrics/instance_tag_policy.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(InstanceTagPolicyTest, AutoTagsPushExportersOnly) {
  const InstanceTagPolicy policy(InstanceMode::kAuto, "orders@host-1");
  EXPECT_TRUE(policy.ShouldTag(ExporterKind::kPush));
  EXPECT_FALSE(policy.ShouldTag(ExporterKind::kPrometheusPull));
}

TEST(InstanceTagPolicyTest, AlwaysTagsEveryExporter) {
  const InstanceTagPolicy policy(InstanceMode::kAlways, "id");
  EXPECT_TRUE(policy.ShouldTag(ExporterKind::kPush));
  EXPECT_TRUE(policy.ShouldTag(ExporterKind::kPrometheusPull));
}

TEST(InstanceTagPolicyTest, NeverTagsAnyExporter) {
  const InstanceTagPolicy policy(InstanceMode::kNever, "id");
  EXPECT_FALSE(policy.ShouldTag(ExporterKind::kPush));
  EXPECT_FALSE(policy.ShouldTag(ExporterKind::kPrometheusPull));
}

TEST(InstanceTagPolicyTest, ApplyAddsOrReplacesTheInstanceTag) {
  const InstanceTagPolicy policy(InstanceMode::kAuto, "orders@host-1");
  const Tags tags{{"name", "quotes"}};
  EXPECT_EQ(policy.Apply(tags, ExporterKind::kPush),
            (Tags{{"instance", "orders@host-1"}, {"name", "quotes"}}));
  EXPECT_EQ(policy.Apply(tags, ExporterKind::kPrometheusPull), tags);
  EXPECT_EQ(policy.Apply(Tags{{"instance", "other"}}, ExporterKind::kPush),
            (Tags{{"instance", "orders@host-1"}}));
}

TEST(InstanceTagPolicyTest, ConfiguredIdWins) {
  InstanceOptions options;
  options.mode = InstanceMode::kAlways;
  options.id = "  pod-7  ";
  const InstanceTagPolicy policy = InstanceTagPolicy::Create(options, "orders", "host-1");
  EXPECT_EQ(policy.instance_id(), "pod-7");
  EXPECT_EQ(policy.mode(), InstanceMode::kAlways);
}

TEST(InstanceTagPolicyTest, BlankIdResolvesFromApplicationAndHost) {
  const InstanceTagPolicy policy = InstanceTagPolicy::Create(InstanceOptions(), "orders", "host-1");
  EXPECT_EQ(policy.instance_id(), "orders@host-1");
  EXPECT_EQ(ResolveInstanceId(" ", "orders", "host-1"), "orders@host-1");
  EXPECT_EQ(ResolveInstanceId("", "", "host-1"), "host-1");
  EXPECT_EQ(ResolveInstanceId("", "orders", " "), "orders");
  EXPECT_EQ(ResolveInstanceId("", "", ""), "unknown");
}

}  // namespace
}  // namespace failover
