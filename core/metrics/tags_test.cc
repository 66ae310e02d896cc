#include "core/metrics/tags.h"

#include <vector>

#include "absl/hash/hash.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(TagsTest, SortsByKey) {
  const Tags tags{{"result", "success"}, {"name", "quotes"}, {"domain", "orders"}};
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags.items()[0], (Tag{"domain", "orders"}));
  EXPECT_EQ(tags.items()[1], (Tag{"name", "quotes"}));
  EXPECT_EQ(tags.items()[2], (Tag{"result", "success"}));
}

TEST(TagsTest, OrderDoesNotAffectEqualityOrHash) {
  const Tags a{{"name", "quotes"}, {"domain", "orders"}};
  const Tags b{{"domain", "orders"}, {"name", "quotes"}};
  EXPECT_EQ(a, b);
  EXPECT_EQ(absl::Hash<Tags>()(a), absl::Hash<Tags>()(b));
  EXPECT_NE(a, (Tags{{"domain", "orders"}, {"name", "prices"}}));
}

TEST(TagsTest, RepeatedKeyKeepsLastValue) {
  const Tags tags{{"name", "first"}, {"domain", "d"}, {"name", "last"}};
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags.Find("name"), "last");
  const Tags from_vector(std::vector<Tag>{{"k", "1"}, {"k", "2"}, {"k", "3"}});
  ASSERT_EQ(from_vector.size(), 1u);
  EXPECT_EQ(from_vector.Find("k"), "3");
}

TEST(TagsTest, WithAddsOrReplaces) {
  const Tags base{{"name", "quotes"}};
  const Tags added = base.With("action", "store");
  EXPECT_EQ(added, (Tags{{"action", "store"}, {"name", "quotes"}}));
  EXPECT_EQ(base.size(), 1u);
  EXPECT_EQ(added.With("name", "prices").Find("name"), "prices");
}

TEST(TagsTest, FindMissingKey) {
  const Tags tags{{"b", "2"}};
  EXPECT_FALSE(tags.Find("a").has_value());
  EXPECT_FALSE(tags.Find("c").has_value());
  EXPECT_FALSE(Tags().Find("b").has_value());
  EXPECT_TRUE(Tags().empty());
}

TEST(TagsTest, OrderingIsLexicographicOverPairs) {
  EXPECT_LT(Tags(), (Tags{{"a", "1"}}));
  EXPECT_LT((Tags{{"a", "1"}}), (Tags{{"a", "2"}}));
  EXPECT_LT((Tags{{"a", "9"}}), (Tags{{"b", "1"}}));
  EXPECT_FALSE((Tags{{"a", "1"}}) < (Tags{{"a", "1"}}));
}

}  // namespace
}  // namespace failover
