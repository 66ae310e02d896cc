#include "naming-client/snapshot_path.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

TEST(ResolveSnapshotPathTest, PrecedenceAsTheJavaClient) {
  const ClientProperties properties = {{"JM.SNAPSHOT.PATH", "/from/property"}};
  const Environment environment = {{"JM.SNAPSHOT.PATH", "/from/env-dotted"},
                                   {"JM_SNAPSHOT_PATH", "/from/env"},
                                   {"HOME", "/home/app"}};
  EXPECT_EQ(*ResolveSnapshotPath("/configured", properties, environment), "/configured");
  EXPECT_EQ(*ResolveSnapshotPath("", properties, environment), "/from/property");
  EXPECT_EQ(*ResolveSnapshotPath("", {}, environment), "/from/env-dotted");
  EXPECT_EQ(*ResolveSnapshotPath("", {}, {{"JM_SNAPSHOT_PATH", "/from/env"}, {"HOME", "/h"}}),
            "/from/env");
  EXPECT_EQ(*ResolveSnapshotPath("", {}, {{"HOME", "/home/app"}}), "/home/app");
}

TEST(ResolveSnapshotPathTest, BlankValuesDoNotCount) {
  EXPECT_EQ(*ResolveSnapshotPath("  ", {{"JM.SNAPSHOT.PATH", ""}},
                                 {{"JM_SNAPSHOT_PATH", " "}, {"HOME", "/home/app"}}),
            "/home/app");
}

TEST(ResolveSnapshotPathTest, NothingSetIsAnError) {
  absl::StatusOr<std::string> path = ResolveSnapshotPath("", {}, {});
  EXPECT_EQ(path.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(path.status().message()),
            "no Nacos snapshot path: set the configured snapshot path, the JM.SNAPSHOT.PATH "
            "property, or the JM_SNAPSHOT_PATH or HOME environment variable");
}

TEST(NamingFailoverDirectoryTest, LayoutAsNacos) {
  EXPECT_EQ(*NamingFailoverDirectory("/home/app", "public"),
            "/home/app/nacos/naming/public/failover");
  EXPECT_EQ(*NamingFailoverDirectory("/data/", "prod-ns"), "/data/nacos/naming/prod-ns/failover");
  EXPECT_EQ(*NamingFailoverDirectory("/", "x"), "/nacos/naming/x/failover");
  EXPECT_EQ(*NamingFailoverDirectory("relative", "x"), "relative/nacos/naming/x/failover");
  EXPECT_EQ(*NamingFailoverDirectory("/home/app", ""), "/home/app/nacos/naming/public/failover");
  EXPECT_EQ(*NamingFailoverDirectory("/home/app", " "), "/home/app/nacos/naming/public/failover");
}

TEST(NamingCacheDirectoryTest, LayoutAsNacos) {
  EXPECT_EQ(*NamingCacheDirectory("/home/app", "public"), "/home/app/nacos/naming/public");
  EXPECT_EQ(*NamingCacheDirectory("/data/", "prod-ns"), "/data/nacos/naming/prod-ns");
  EXPECT_EQ(*NamingCacheDirectory("/", ""), "/nacos/naming/public");
  EXPECT_EQ(NamingCacheDirectory("/home/app", "..").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NamingCacheDirectory(" ", "public").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NamingFailoverDirectoryTest, NamespaceMustBeOneDirectoryName) {
  for (const char* bad : {"..", ".", "a/b", "/abs"}) {
    absl::StatusOr<std::string> dir = NamingFailoverDirectory("/home/app", bad);
    EXPECT_EQ(dir.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(std::string(dir.status().message()),
              std::string("namespace '") + bad +
                  "' cannot be a directory name (it is '.' or '..', or holds '/' or NUL)");
  }
  EXPECT_EQ(NamingFailoverDirectory("", "public").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
