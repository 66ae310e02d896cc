#include "core/random.h"

#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(SeededRandomTest, SameSeedSameSequence) {
  SeededRandom a(7);
  SeededRandom b(7);
  SeededRandom c(8);
  std::vector<double> sa, sb, sc;
  for (int i = 0; i < 5; ++i) {
    sa.push_back(a.Uniform01());
    sb.push_back(b.Uniform01());
    sc.push_back(c.Uniform01());
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST(RandomSourceTest, ValuesAreInUnitInterval) {
  SeededRandom seeded(1);
  for (int i = 0; i < 10'000; ++i) {
    const double s = seeded.Uniform01();
    const double r = SystemRandom().Uniform01();
    ASSERT_GE(s, 0.0);
    ASSERT_LT(s, 1.0);
    ASSERT_GE(r, 0.0);
    ASSERT_LT(r, 1.0);
  }
}

}  // namespace
}  // namespace failover
