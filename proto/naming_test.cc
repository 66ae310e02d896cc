// The generated naming model carries the Nacos defaults and survives binary serialisation.
#include "gtest/gtest.h"
#include "proto/naming.pb.h"

namespace failover {
namespace {

TEST(NamingProtoTest, UnsetFieldsReportTheNacosDefaults) {
  v1::Instance instance;
  EXPECT_EQ(instance.weight(), 1.0);
  EXPECT_TRUE(instance.healthy());
  EXPECT_TRUE(instance.enabled());
  EXPECT_TRUE(instance.ephemeral());
  EXPECT_EQ(instance.instance_heart_beat_interval(), 5000);
  EXPECT_EQ(instance.instance_heart_beat_time_out(), 15000);
  EXPECT_EQ(instance.ip_delete_timeout(), 30000);
  EXPECT_FALSE(instance.has_weight());

  v1::ServiceInfo info;
  EXPECT_EQ(info.cache_millis(), 1000);
  EXPECT_TRUE(info.valid());
  EXPECT_FALSE(info.allips());
  EXPECT_FALSE(info.reach_protection_threshold());
}

TEST(NamingProtoTest, RoundTripsThroughTheWireFormat) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  info.set_allips(true);
  v1::Instance* host = info.add_hosts();
  host->set_ip("10.0.0.1");
  host->set_port(8080);
  host->set_weight(0.0);
  (*host->mutable_metadata())["zone"] = "a";

  v1::ServiceInfo copy;
  ASSERT_TRUE(copy.ParseFromString(info.SerializeAsString()));
  EXPECT_EQ(copy.name(), "orders");
  EXPECT_TRUE(copy.allips());
  ASSERT_EQ(copy.hosts_size(), 1);
  EXPECT_EQ(copy.hosts(0).port(), 8080);
  EXPECT_TRUE(copy.hosts(0).has_weight());
  EXPECT_EQ(copy.hosts(0).weight(), 0.0);
  EXPECT_EQ(copy.hosts(0).metadata().at("zone"), "a");
}

}  // namespace
}  // namespace failover
