// The `aesgcm` cipher: the only file that includes OpenSSL. Ciphertext layout (before base64):
// 16-byte random IV | encrypted bytes | 16-byte GCM tag, as the reference framework writes it.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store-jdbc/security/payload_cipher.h"

namespace failover {
namespace {

constexpr int kIvBytes = 16;
constexpr int kTagBytes = 16;

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

const EVP_CIPHER* AlgorithmFor(size_t key_bytes) {
  switch (key_bytes) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      return nullptr;
  }
}

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(&text[0]); }

absl::Status CannotDecrypt(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("aesgcm: cannot decrypt: ", why));
}

class AesGcmCipher final : public PayloadCipher {
 public:
  AesGcmCipher(const EVP_CIPHER* algorithm, absl::string_view key)
      : algorithm_(algorithm), key_(key) {}
  ~AesGcmCipher() override { OPENSSL_cleanse(&key_[0], key_.size()); }

  std::string id() const override { return "aesgcm"; }

  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const override {
    std::string sealed(kIvBytes + plaintext.size() + kTagBytes, '\0');
    unsigned char* iv = Bytes(sealed);
    if (RAND_bytes(iv, kIvBytes) != 1) {
      return absl::InternalError("aesgcm: cannot encrypt: no random bytes for the IV");
    }
    CipherContext context(EVP_CIPHER_CTX_new());
    int written = 0;
    int final_written = 0;
    unsigned char* out = iv + kIvBytes;
    if (context == nullptr || !Init(context.get(), iv, /*encrypt=*/1) ||
        EVP_EncryptUpdate(context.get(), out, &written, Bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(context.get(), out + written, &final_written) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                            out + plaintext.size()) != 1) {
      return absl::InternalError("aesgcm: cannot encrypt: OpenSSL rejected the operation");
    }
    return absl::Base64Escape(sealed);
  }

  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const override {
    std::string sealed;
    if (!absl::Base64Unescape(ciphertext, &sealed)) return CannotDecrypt("not valid base64");
    if (sealed.size() < kIvBytes + kTagBytes) return CannotDecrypt("too short");
    const size_t body_bytes = sealed.size() - kIvBytes - kTagBytes;
    const unsigned char* iv = Bytes(sealed);
    const unsigned char* body = iv + kIvBytes;
    std::string tag = sealed.substr(kIvBytes + body_bytes);
    std::string plaintext(body_bytes, '\0');
    CipherContext context(EVP_CIPHER_CTX_new());
    int written = 0;
    int final_written = 0;
    if (context == nullptr || !Init(context.get(), iv, /*encrypt=*/0) ||
        EVP_DecryptUpdate(context.get(), Bytes(plaintext), &written, body,
                          static_cast<int>(body_bytes)) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, Bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(context.get(), Bytes(plaintext) + written, &final_written) != 1) {
      OPENSSL_cleanse(Bytes(plaintext), plaintext.size());
      return CannotDecrypt("wrong key or altered data (authentication failed)");
    }
    return plaintext;
  }

 private:
  // Sets algorithm, IV length, key and IV on a fresh context.
  bool Init(EVP_CIPHER_CTX* context, const unsigned char* iv, int encrypt) const {
    return EVP_CipherInit_ex(context, algorithm_, nullptr, nullptr, nullptr, encrypt) == 1 &&
           EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) == 1 &&
           EVP_CipherInit_ex(context, nullptr, nullptr, Bytes(key_), iv, encrypt) == 1;
  }

  const EVP_CIPHER* const algorithm_;
  std::string key_;  // secret; wiped on destruction
};

}  // namespace

absl::StatusOr<std::unique_ptr<PayloadCipher>> NewAesGcmCipher(absl::string_view key) {
  const EVP_CIPHER* algorithm = AlgorithmFor(key.size());
  if (algorithm == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the aesgcm key must be 16, 24 or 32 bytes (AES-128/192/256), got ", key.size(), " bytes"));
  }
  return std::make_unique<AesGcmCipher>(algorithm, key);
}

}  // namespace failover
