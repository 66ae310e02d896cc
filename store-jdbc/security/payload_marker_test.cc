// The ENC(<cipher-id>:<ciphertext>) marker rules.
#include "store-jdbc/security/payload_marker.h"

#include <cctype>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

// Upper-cases on the way in, lower-cases on the way out (for ASCII letters).
class ShoutCipher final : public PayloadCipher {
 public:
  std::string id() const override { return "shout"; }
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const override {
    std::string out(plaintext);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const override {
    std::string out(ciphertext);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
};

class PayloadMarkerTest : public ::testing::Test {
 protected:
  PayloadMarkerTest() {
    EXPECT_TRUE(ciphers_.Register(NewBase64Cipher()).ok());
    EXPECT_TRUE(ciphers_.Register(std::make_unique<ShoutCipher>()).ok());
  }
  CipherRegistry ciphers_;
};

TEST_F(PayloadMarkerTest, SealWritesTheMarkerAndOpenReadsIt) {
  absl::StatusOr<std::string> sealed = SealPayload("hello", *ciphers_.Find("b64"));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*sealed, "ENC(b64:aGVsbG8=)");
  EXPECT_EQ(*OpenPayload(*sealed, ciphers_), "hello");
  EXPECT_EQ(*OpenPayload("ENC(shout:HELLO)", ciphers_), "hello");
}

TEST_F(PayloadMarkerTest, CiphertextMayContainColonsAndParentheses) {
  absl::StatusOr<std::optional<PayloadMarker>> parts = ParsePayloadMarker("ENC(shout:A:B)C)");
  ASSERT_TRUE(parts.ok());
  ASSERT_TRUE(parts->has_value());
  EXPECT_EQ((*parts)->cipher_id, "shout");
  EXPECT_EQ((*parts)->ciphertext, "A:B)C");
  EXPECT_EQ(*OpenPayload("ENC(shout:A:B)C)", ciphers_), "a:b)c");
}

TEST_F(PayloadMarkerTest, PlaintextPassesThrough) {
  for (const std::string plain : {"", R"({"px":1.5})", "ENC(b64:aGVsbG8=", "ENC(", "ENC(b64:x) ",
                                  " ENC(b64:aGVsbG8=)", "enc(b64:aGVsbG8=)", "ENC)"}) {
    absl::StatusOr<std::string> opened = OpenPayload(plain, ciphers_);
    ASSERT_TRUE(opened.ok()) << plain << ": " << opened.status();
    EXPECT_EQ(*opened, plain);
    EXPECT_FALSE(LooksLikePayloadMarker(plain)) << plain;
  }
}

TEST_F(PayloadMarkerTest, MarkerWithoutColonIsMalformedAndNotEchoed) {
  for (const std::string stored : {"ENC(TOPSECRETBYTES)", "ENC()"}) {
    absl::StatusOr<std::string> opened = OpenPayload(stored, ciphers_);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << stored;
    EXPECT_TRUE(absl::StrContains(opened.status().message(), "malformed payload marker"));
    EXPECT_FALSE(absl::StrContains(opened.status().message(), "TOPSECRET"));
  }
}

TEST_F(PayloadMarkerTest, UnknownCipherIdIsAnErrorNamingIt) {
  absl::StatusOr<std::string> opened = OpenPayload("ENC(rot13:uryyb)", ciphers_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(opened.status().message(), "'rot13'")) << opened.status();
  EXPECT_FALSE(absl::StrContains(opened.status().message(), "uryyb")) << opened.status();
  EXPECT_EQ(OpenPayload("ENC(:x)", ciphers_).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(PayloadMarkerTest, CipherFailureKeepsItsCodeAndNamesTheCipher) {
  absl::StatusOr<std::string> opened = OpenPayload("ENC(b64:***)", ciphers_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(opened.status().message(), "cipher 'b64': ")) << opened.status();
}

}  // namespace
}  // namespace failover
