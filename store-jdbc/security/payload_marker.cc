#include "store-jdbc/security/payload_marker.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace failover {
namespace {

constexpr absl::string_view kOpen = "ENC(";
constexpr absl::string_view kClose = ")";
constexpr size_t kMaxQuotedId = 64;

// The id as quoted in messages: escaped, and cut short, since a stored value is untrusted.
std::string QuoteId(absl::string_view id) {
  if (id.size() <= kMaxQuotedId) return absl::StrCat("'", absl::CEscape(id), "'");
  return absl::StrCat("'", absl::CEscape(id.substr(0, kMaxQuotedId)), "...' (", id.size(),
                      " characters)");
}

}  // namespace

bool LooksLikePayloadMarker(absl::string_view stored) {
  return stored.size() >= kOpen.size() + kClose.size() && absl::StartsWith(stored, kOpen) &&
         absl::EndsWith(stored, kClose);
}

std::string WrapPayloadMarker(absl::string_view cipher_id, absl::string_view ciphertext) {
  return absl::StrCat(kOpen, cipher_id, ":", ciphertext, kClose);
}

absl::StatusOr<std::optional<PayloadMarker>> ParsePayloadMarker(absl::string_view stored) {
  if (!LooksLikePayloadMarker(stored)) return std::nullopt;
  const absl::string_view inside =
      stored.substr(kOpen.size(), stored.size() - kOpen.size() - kClose.size());
  const size_t colon = inside.find(':');
  if (colon == absl::string_view::npos) {
    return absl::DataLossError(
        absl::StrCat("malformed payload marker: ENC(...) of ", inside.size(),
                     " characters has no ':' between cipher id and ciphertext (expected "
                     "ENC(<cipher-id>:<ciphertext>))"));
  }
  return PayloadMarker{inside.substr(0, colon), inside.substr(colon + 1)};
}

absl::StatusOr<std::string> SealPayload(absl::string_view plaintext, const PayloadCipher& cipher) {
  const std::string id = cipher.id();
  absl::StatusOr<std::string> ciphertext = cipher.Encrypt(plaintext);
  if (!ciphertext.ok()) {
    return absl::Status(ciphertext.status().code(), absl::StrCat("cipher '", absl::CEscape(id),
                                                                 "' cannot encrypt the payload: ",
                                                                 ciphertext.status().message()));
  }
  return WrapPayloadMarker(id, *ciphertext);
}

absl::StatusOr<std::string> OpenPayload(absl::string_view stored, const CipherRegistry& ciphers) {
  absl::StatusOr<std::optional<PayloadMarker>> marker = ParsePayloadMarker(stored);
  if (!marker.ok()) return marker.status();
  if (!marker->has_value()) return std::string(stored);
  const PayloadMarker& parts = **marker;
  const PayloadCipher* cipher = ciphers.Find(parts.cipher_id);
  if (cipher == nullptr) {
    return absl::DataLossError(absl::StrCat(
        "payload marker names cipher ", QuoteId(parts.cipher_id),
        ", which is not registered (registered: ", absl::StrJoin(ciphers.ids(), ", "), ")"));
  }
  absl::StatusOr<std::string> plaintext = cipher->Decrypt(parts.ciphertext);
  if (!plaintext.ok()) {
    return absl::Status(
        plaintext.status().code(),
        absl::StrCat("cipher ", QuoteId(parts.cipher_id), ": ", plaintext.status().message()));
  }
  return plaintext;
}

}  // namespace failover
