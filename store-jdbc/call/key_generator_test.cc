#include "store-jdbc/call/key_generator.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(NameUuidV3Test, MatchesJavaNameUuidFromBytes) {
  EXPECT_EQ(NameUuidV3("failover-X:key-X"), "ab731e45-8d4d-330c-b9a8-00651916d239");
  // UUID.nameUUIDFromBytes(new byte[0]): MD5("") = d41d8cd98f00b204e9800998ecf8427e.
  EXPECT_EQ(NameUuidV3(""), "d41d8cd9-8f00-3204-a980-0998ecf8427e");
}

TEST(NameUuidV3Test, HasVersion3AndIetfVariant) {
  const std::string uuid = NameUuidV3("quotes:EURUSD");
  ASSERT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '3');
  EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos);
}

TEST(DefaultFailoverKeyTest, HashesNamespaceColonRawKey) {
  EXPECT_EQ(DefaultFailoverKey("failover-X", {"key-X"}), "ab731e45-8d4d-330c-b9a8-00651916d239");
  EXPECT_EQ(DefaultFailoverKey("ns", {"x", KeyArg::List({1, 2, 3}), "y"}),
            NameUuidV3("ns:x:1,2,3:y"));
  EXPECT_EQ(DefaultFailoverKey("ns", {}), NameUuidV3("ns:NO-ARG"));
  EXPECT_NE(DefaultFailoverKey("a", {"k"}), DefaultFailoverKey("b", {"k"}));
  EXPECT_EQ(DefaultKeyGenerator()("failover-X", {"key-X"}), "ab731e45-8d4d-330c-b9a8-00651916d239");
}

TEST(DefaultFailoverKeyTest, HashesUtf8Bytes) {
  EXPECT_EQ(DefaultFailoverKey("ns", {"caf\xc3\xa9"}), NameUuidV3("ns:caf\xc3\xa9"));
}

}  // namespace
}  // namespace failover
