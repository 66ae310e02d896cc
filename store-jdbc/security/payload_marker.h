// The PAYLOAD column's encryption marker: an encrypted payload is stored as
// `ENC(<cipher-id>:<ciphertext>)`; anything else is plaintext. Reads honour the marker whether
// or not encryption is enabled for writes, so plaintext and encrypted rows (of any registered
// cipher) coexist in one table. Rules, as in the reference framework:
//
//   - text that starts with `ENC(` and ends with `)` is a marker;
//   - a marker without ':' is malformed (error);
//   - a marker whose cipher id is not registered is an error naming the id;
//   - `ENC(` without the closing `)` is plaintext, returned as is.
//
// Errors are DATA_LOSS (the stored payload cannot be turned back into plaintext), except that
// a cipher's own Decrypt error keeps its code. Messages never echo the ciphertext.
//
//   absl::StatusOr<std::string> stored = SealPayload(R"({"px":1.5})", *cipher);
//   // *stored == "ENC(aesgcm:...)"
//   absl::StatusOr<std::string> plain = OpenPayload(*stored, *registry);
//
// Free functions over immutable arguments: thread-safe when the cipher is.
#ifndef FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_MARKER_H_
#define FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_MARKER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store-jdbc/security/payload_cipher.h"

namespace failover {

// The two parts of a marker, viewing the stored text.
struct PayloadMarker {
  absl::string_view cipher_id;
  absl::string_view ciphertext;
};

// True when `stored` has the marker's shape (starts with "ENC(" and ends with ")").
bool LooksLikePayloadMarker(absl::string_view stored);

// `ENC(<cipher_id>:<ciphertext>)`.
std::string WrapPayloadMarker(absl::string_view cipher_id, absl::string_view ciphertext);

// nullopt for plaintext; the marker's parts for a marker; DATA_LOSS for a marker without ':'.
absl::StatusOr<std::optional<PayloadMarker>> ParsePayloadMarker(absl::string_view stored);

// Encrypts `plaintext` with `cipher` and wraps it in the marker.
absl::StatusOr<std::string> SealPayload(absl::string_view plaintext, const PayloadCipher& cipher);

// The plaintext of a stored PAYLOAD value: plaintext passes through, a marker is decrypted with
// the cipher it names.
absl::StatusOr<std::string> OpenPayload(absl::string_view stored, const CipherRegistry& ciphers);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_MARKER_H_
