#include "naming-client/service_key.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

TEST(ServiceKeyTest, GroupedNameAndKey) {
  ServiceKey key{"DEFAULT_GROUP", "orders", ""};
  EXPECT_EQ(key.GroupedName(), "DEFAULT_GROUP@@orders");
  EXPECT_EQ(key.ToString(), "DEFAULT_GROUP@@orders");
  key.clusters = "c1,c2";
  EXPECT_EQ(key.ToString(), "DEFAULT_GROUP@@orders@@c1,c2");
  EXPECT_EQ(GroupedServiceName("g", "s"), "g@@s");
}

TEST(ServiceKeyTest, ParsesTwoAndThreeParts) {
  absl::StatusOr<ServiceKey> key = ParseServiceKey("DEFAULT_GROUP@@orders");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, (ServiceKey{"DEFAULT_GROUP", "orders", ""}));
  key = ParseServiceKey("g@@s@@c1,c2");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, (ServiceKey{"g", "s", "c1,c2"}));
  // A trailing "@@" is no clusters, as Java's String.split drops the trailing empty part.
  EXPECT_EQ(*ParseServiceKey("g@@s@@"), (ServiceKey{"g", "s", ""}));
}

TEST(ServiceKeyTest, RejectsKeysJavaCannotPlaceWithAReason) {
  EXPECT_EQ(ParseServiceKey("orders").status().message(),
            "'orders' is not GROUP@@SERVICE or GROUP@@SERVICE@@CLUSTERS (no \"@@\")");
  EXPECT_EQ(ParseServiceKey("@@orders").status().message(), "'@@orders' has an empty group");
  EXPECT_EQ(ParseServiceKey("g@@").status().message(), "'g@@' has an empty service name");
  EXPECT_EQ(ParseServiceKey("g@@s@@c@@x").status().message(),
            "'g@@s@@c@@x' has more than three \"@@\"-separated parts");
}

TEST(ServiceKeyTest, ClusterLists) {
  EXPECT_EQ(JoinClusters({}), "");
  EXPECT_EQ(JoinClusters({"c2", "c1"}), "c2,c1");  // Order kept, as Nacos keys it.
  EXPECT_EQ(SplitClusters("c1, c2,,c3 "), (std::vector<std::string>{"c1", "c2", "c3"}));
  EXPECT_TRUE(SplitClusters("").empty());
}

TEST(FailoverFileNameTest, EncodesAsNacos) {
  EXPECT_EQ(FailoverFileName({"DEFAULT_GROUP", "orders", ""}), "DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(FailoverFileName({"DEFAULT_GROUP", "svc:v1 beta", ""}),
            "DEFAULT_GROUP%40%40svc%3Av1+beta");
  // Clusters are appended unencoded, as ServiceInfo.getKeyEncoded() does.
  EXPECT_EQ(FailoverFileName({"DEFAULT_GROUP", "orders", "c1,c2"}),
            "DEFAULT_GROUP%40%40orders@@c1,c2");
}

TEST(FailoverFileNameTest, ParsesWhatNacosAndPeopleWrite) {
  EXPECT_EQ(*ParseFailoverFileName("DEFAULT_GROUP%40%40orders"),
            (ServiceKey{"DEFAULT_GROUP", "orders", ""}));
  EXPECT_EQ(*ParseFailoverFileName("DEFAULT_GROUP%40%40orders@@c1,c2"),
            (ServiceKey{"DEFAULT_GROUP", "orders", "c1,c2"}));
  EXPECT_EQ(*ParseFailoverFileName("DEFAULT_GROUP@@orders"),  // Unencoded by hand.
            (ServiceKey{"DEFAULT_GROUP", "orders", ""}));
  EXPECT_EQ(*ParseFailoverFileName("DEFAULT_GROUP%40%40svc%3Av1+beta"),
            (ServiceKey{"DEFAULT_GROUP", "svc:v1 beta", ""}));
}

TEST(FailoverFileNameTest, RoundTrips) {
  for (const ServiceKey& key :
       {ServiceKey{"DEFAULT_GROUP", "orders", ""}, ServiceKey{"g 1", "a/b:c?d=e&f", "c1,c2"},
        ServiceKey{"\xE7\xBB\x84", "\xE6\x9C\x8D", ""}}) {
    absl::StatusOr<ServiceKey> parsed = ParseFailoverFileName(FailoverFileName(key));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, key);
  }
}

TEST(FailoverFileNameTest, ErrorsNameTheFile) {
  EXPECT_EQ(ParseFailoverFileName("DEFAULT_GROUP%4G%40orders").status().message(),
            "failover file name 'DEFAULT_GROUP%4G%40orders': '%' at offset 13 is not followed by "
            "two hex digits (\"%4G\")");
  EXPECT_EQ(ParseFailoverFileName("orders%").status().message(),
            "failover file name 'orders%': '%' at offset 6 is not followed by two hex digits "
            "(\"%\")");
  EXPECT_EQ(ParseFailoverFileName(".DS_Store").status().message(),
            "failover file name '.DS_Store': '.DS_Store' is not GROUP@@SERVICE or "
            "GROUP@@SERVICE@@CLUSTERS (no \"@@\")");
  EXPECT_EQ(ParseFailoverFileName("%40%40orders").status().message(),
            "failover file name '%40%40orders': '@@orders' has an empty group");
}

}  // namespace
}  // namespace naming
}  // namespace failover
