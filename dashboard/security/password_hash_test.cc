#include "dashboard/security/password_hash.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The cheapest hash VerifyPassword accepts, so the tests stay fast.
std::string Hash(absl::string_view password, uint64_t seed = 1) {
  SeededRandom random(seed);
  return HashPassword(password, random, kMinPbkdf2Iterations);
}

// Replaces the '$'-separated part `index` of `encoded`.
std::string WithPart(const std::string& encoded, size_t index, absl::string_view part) {
  std::vector<std::string> parts = absl::StrSplit(encoded, '$');
  parts[index] = std::string(part);
  return absl::StrJoin(parts, "$");
}

TEST(PasswordHashTest, RoundTrip) {
  const std::string encoded = Hash("correct horse");
  EXPECT_THAT(encoded, StartsWith("pbkdf2-sha256$100000$"));
  EXPECT_TRUE(ValidatePasswordHash(encoded).ok());
  EXPECT_EQ(VerifyPassword(encoded, "correct horse").value(), true);
}

TEST(PasswordHashTest, WrongPasswordDoesNotVerify) {
  const std::string encoded = Hash("correct horse");
  EXPECT_EQ(VerifyPassword(encoded, "correct hors").value(), false);
  EXPECT_EQ(VerifyPassword(encoded, "").value(), false);
  EXPECT_EQ(VerifyPassword(encoded, "correct horse ").value(), false);
}

TEST(PasswordHashTest, SaltIsSixteenRandomBytes) {
  const std::vector<std::string> first = absl::StrSplit(Hash("pw", 1), '$');
  const std::vector<std::string> second = absl::StrSplit(Hash("pw", 2), '$');
  std::string salt;
  ASSERT_TRUE(absl::Base64Unescape(first[2], &salt));
  EXPECT_EQ(salt.size(), 16u);
  EXPECT_NE(first[2], second[2]);
  EXPECT_NE(first[3], second[3]);  // Same password, different salt: different hash.
}

TEST(PasswordHashTest, IterationsAreClampedToTheAcceptedRange) {
  SeededRandom random(3);
  EXPECT_THAT(HashPassword("pw", random, 10), StartsWith("pbkdf2-sha256$100000$"));
}

TEST(PasswordHashTest, DefaultIsOwasp2023) { EXPECT_EQ(kDefaultPbkdf2Iterations, 600000); }

TEST(PasswordHashTest, KnownVector) {
  // PBKDF2-HMAC-SHA256("password", "saltsaltsaltsalt", 100000), computed independently
  // (Python: hashlib.pbkdf2_hmac).
  const std::string encoded =
      "pbkdf2-sha256$100000$c2FsdHNhbHRzYWx0c2FsdA==$T78tEi/mr8Yageny/jk6s5+Qanjd3ceXdjwOeEhX6bQ=";
  EXPECT_EQ(VerifyPassword(encoded, "password").value(), true);
}

TEST(PasswordHashTest, MalformedHashesNameThePart) {
  const std::string good = Hash("pw");
  struct Case {
    std::string encoded;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "scheme must be 'pbkdf2-sha256'"},
      {"plaintext-password", "scheme must be 'pbkdf2-sha256'"},
      {WithPart(good, 0, "pbkdf2-sha1"), "scheme must be 'pbkdf2-sha256'"},
      {"pbkdf2-sha256$100000$abc", "3 '$'-separated parts, not 4"},
      {good + "$extra", "5 '$'-separated parts, not 4"},
      {WithPart(good, 1, "many"), "iterations must be a number"},
      {WithPart(good, 1, ""), "iterations must be a number"},
      {WithPart(good, 1, "-5"), "iterations must be a number"},
      {WithPart(good, 1, "99999999999999999999999"), "is above the maximum 10000000"},
      {WithPart(good, 1, "99999"), "iterations 99999 is below the minimum 100000"},
      {WithPart(good, 1, "10000001"), "iterations 10000001 is above the maximum 10000000"},
      {WithPart(good, 2, "not base64!"), "salt is not valid base64"},
      {WithPart(good, 2, ""), "salt is not valid base64"},
      {WithPart(good, 2, "c2FsdA"), "salt is not valid base64"},  // Padding missing.
      {WithPart(good, 2, "c2FsdA=="), "salt is 4 bytes, at least 16 required"},
      {WithPart(good, 3, "%%%%"), "hash is not valid base64"},
      {WithPart(good, 3, "c2FsdA=="), "hash is 4 bytes, not 32"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.encoded);
    const absl::Status status = ValidatePasswordHash(c.encoded);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr(c.message));
    EXPECT_THAT(status.message(), HasSubstr("failoverctl dashboard hash-password"));
    EXPECT_EQ(VerifyPassword(c.encoded, "pw").status(), status);
  }
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
