#include "core/config/internal/suggest.h"

#include "gtest/gtest.h"

namespace failover {
namespace config_internal {
namespace {

TEST(EditDistanceTest, StopsPastTheLimit) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting", 3), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3);  // limit + 1
  EXPECT_EQ(EditDistance("a", "abcdefgh", 2), 3);      // by length alone
  EXPECT_EQ(EditDistance("same", "same", 0), 0);
}

TEST(PathSuggesterTest, ClosestPathOrSameLeafWithPlaceholders) {
  PathSuggester suggester({"failover.store.type", "failover.store.jdbc.table-prefix",
                           "failover.tenants.<tenant-id>.table-prefix"});
  EXPECT_EQ(suggester.Suggest("failover.stor.type"), "failover.store.type");
  EXPECT_EQ(suggester.Suggest("failover.tenants.Acme.tablePrefx"),
            "failover.tenants.Acme.table-prefix");
  EXPECT_EQ(suggester.Suggest("failover.dashboard.type"), "failover.store.type");
  EXPECT_EQ(suggester.Suggest("failover.something.else"), std::nullopt);
}

TEST(PathSuggesterTest, ListIndexesAreIgnoredAndKept) {
  PathSuggester suggester({"failover.redis.endpoints", "failover.redis.endpoints[].uri",
                           "failover.redis.endpoints[].health-check"});
  EXPECT_EQ(suggester.Suggest("failover.redis.endpoints[3].urii"),
            "failover.redis.endpoints[3].uri");
  EXPECT_EQ(suggester.Suggest("failover.redis.endpoint[0].healthCheck"),
            "failover.redis.endpoints[0].health-check");
  EXPECT_EQ(suggester.Suggest("failover.redis.endpoint"), "failover.redis.endpoints");
}

}  // namespace
}  // namespace config_internal
}  // namespace failover
