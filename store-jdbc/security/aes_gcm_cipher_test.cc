// The built-in aesgcm cipher: round trips, layout, authentication, random IVs, key lengths.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "store-jdbc/security/payload_cipher.h"

namespace failover {
namespace {

constexpr absl::string_view kSecret = R"({"account":"SECRET-4711","px":1.5})";

std::string KeyOfLength(size_t bytes, char seed = 1) {
  std::string key(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) key[i] = static_cast<char>(seed + 7 * i);
  return key;
}

std::unique_ptr<PayloadCipher> Cipher(const std::string& key) {
  absl::StatusOr<std::unique_ptr<PayloadCipher>> cipher = NewAesGcmCipher(key);
  EXPECT_TRUE(cipher.ok()) << cipher.status();
  return cipher.ok() ? *std::move(cipher) : nullptr;
}

class AesGcmKeyLengthTest : public ::testing::TestWithParam<size_t> {};

TEST_P(AesGcmKeyLengthTest, RoundTripsAndLaysOutIvCiphertextTag) {
  std::unique_ptr<PayloadCipher> cipher = Cipher(KeyOfLength(GetParam()));
  ASSERT_NE(cipher, nullptr);
  EXPECT_EQ(cipher->id(), "aesgcm");
  absl::StatusOr<std::string> sealed = cipher->Encrypt(kSecret);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(absl::StrContains(*sealed, "SECRET-4711"));
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(*sealed, &bytes));
  EXPECT_EQ(*sealed, absl::Base64Escape(bytes));      // standard, padded base64
  EXPECT_EQ(bytes.size(), 16 + kSecret.size() + 16);  // IV + ciphertext + tag
  absl::StatusOr<std::string> opened = cipher->Decrypt(*sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kSecret);
}

INSTANTIATE_TEST_SUITE_P(Aes128192256, AesGcmKeyLengthTest, ::testing::Values(16, 24, 32));

TEST(AesGcmCipherTest, DecryptsWhatAnIndependentImplementationWrote) {
  // Python `cryptography` AESGCM, key bytes 0..31, IV bytes 100..115, no associated data:
  // the layout Java's AES/GCM/NoPadding writes (IV prepended, 128-bit tag appended).
  std::string key;
  ASSERT_TRUE(absl::Base64Unescape("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &key));
  std::unique_ptr<PayloadCipher> cipher = Cipher(key);
  ASSERT_NE(cipher, nullptr);
  absl::StatusOr<std::string> opened =
      cipher->Decrypt("ZGVmZ2hpamtsbW5vcHFyc6ORMynGLhb2h4Q1CaM+qbtcWyIuWj41bU/U");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, R"({"px":1.5})");
}

TEST(AesGcmCipherTest, EmptyAndLargePayloadsRoundTrip) {
  std::unique_ptr<PayloadCipher> cipher = Cipher(KeyOfLength(32));
  ASSERT_NE(cipher, nullptr);
  const std::string large(1 << 20, 'x');
  for (const std::string& plaintext : {std::string(), large}) {
    absl::StatusOr<std::string> sealed = cipher->Encrypt(plaintext);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    absl::StatusOr<std::string> opened = cipher->Decrypt(*sealed);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(AesGcmCipherTest, TwoEncryptionsOfTheSameTextDiffer) {
  std::unique_ptr<PayloadCipher> cipher = Cipher(KeyOfLength(16));
  ASSERT_NE(cipher, nullptr);
  absl::StatusOr<std::string> first = cipher->Encrypt(kSecret);
  absl::StatusOr<std::string> second = cipher->Encrypt(kSecret);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  std::string first_bytes, second_bytes;
  ASSERT_TRUE(absl::Base64Unescape(*first, &first_bytes));
  ASSERT_TRUE(absl::Base64Unescape(*second, &second_bytes));
  EXPECT_NE(first_bytes.substr(0, 16), second_bytes.substr(0, 16));  // fresh random IV
}

TEST(AesGcmCipherTest, WrongKeyIsDataLoss) {
  std::unique_ptr<PayloadCipher> writer = Cipher(KeyOfLength(32, 1));
  std::unique_ptr<PayloadCipher> reader = Cipher(KeyOfLength(32, 2));
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  absl::StatusOr<std::string> sealed = writer->Encrypt(kSecret);
  ASSERT_TRUE(sealed.ok());
  absl::StatusOr<std::string> opened = reader->Decrypt(*sealed);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(opened.status().message(), "cannot decrypt"));
}

TEST(AesGcmCipherTest, TamperedIvCiphertextOrTagIsDataLoss) {
  std::unique_ptr<PayloadCipher> cipher = Cipher(KeyOfLength(24));
  ASSERT_NE(cipher, nullptr);
  absl::StatusOr<std::string> sealed = cipher->Encrypt(kSecret);
  ASSERT_TRUE(sealed.ok());
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(*sealed, &bytes));
  for (size_t position : {size_t{0}, size_t{20}, bytes.size() - 1}) {  // IV, body, tag
    std::string tampered = bytes;
    tampered[position] ^= 0x01;
    absl::StatusOr<std::string> opened = cipher->Decrypt(absl::Base64Escape(tampered));
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << "byte " << position;
    EXPECT_TRUE(absl::StrContains(opened.status().message(), "cannot decrypt"));
  }
  for (absl::string_view garbage : {"", "not base64!", "AAAA"}) {
    EXPECT_EQ(cipher->Decrypt(garbage).status().code(), absl::StatusCode::kDataLoss) << garbage;
  }
}

TEST(AesGcmCipherTest, OtherKeyLengthsAreRejectedWithoutEchoingTheKey) {
  for (size_t bytes : {0, 8, 15, 17, 31, 33, 64}) {
    const std::string key(bytes, 'Q');
    absl::StatusOr<std::unique_ptr<PayloadCipher>> cipher = NewAesGcmCipher(key);
    EXPECT_EQ(cipher.status().code(), absl::StatusCode::kInvalidArgument) << bytes;
    EXPECT_TRUE(absl::StrContains(cipher.status().message(), "16, 24 or 32 bytes"));
    if (bytes >= 8) {
      EXPECT_FALSE(absl::StrContains(cipher.status().message(), key));
    }
  }
}

TEST(AesGcmCipherTest, ConcurrentUseIsSafe) {
  std::unique_ptr<PayloadCipher> cipher = Cipher(KeyOfLength(32));
  ASSERT_NE(cipher, nullptr);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string plaintext = std::to_string(t * 1000 + i);
        absl::StatusOr<std::string> sealed = cipher->Encrypt(plaintext);
        absl::StatusOr<std::string> opened =
            sealed.ok() ? cipher->Decrypt(*sealed) : sealed.status();
        if (!opened.ok() || *opened != plaintext) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace failover
