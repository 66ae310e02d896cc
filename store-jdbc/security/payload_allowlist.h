// PayloadTypeAllowlist: which payload types a store may hand to a decoder
// (failover.store.jdbc.allowed-payload-classes). Checked on the PAYLOAD_CLASS column before the
// payload is decrypted or decoded, so a row planted with an unexpected type never reaches a
// decoder.
//
// An entry allows a type when it equals the type, or is a package prefix of it: the type starts
// with entry + "." (an entry already ending in "." allows types starting with it). So `com.acme`
// allows `com.acme.Quote` and `com.acme.fx.Rate` but NOT `com.acmex.Quote`. Blank entries are
// ignored. An EMPTY list DENIES EVERY TYPE: unlike the Java reference, which fails open, this
// allowlist fails closed.
//
//   PayloadTypeAllowlist allowlist({"com.acme", "org.example.Quote"});
//   absl::Status ok = allowlist.Check("com.acme.Quote");       // OK
//   absl::Status denied = allowlist.Check("com.acmex.Quote");  // PERMISSION_DENIED
//
// Immutable after construction: thread-safe.
#ifndef FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_ALLOWLIST_H_
#define FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_ALLOWLIST_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace failover {

class PayloadTypeAllowlist {
 public:
  // `entries`: exact type names or package prefixes, as configured.
  explicit PayloadTypeAllowlist(std::vector<std::string> entries);

  // True when some entry allows `type`.
  bool Allows(absl::string_view type) const;
  // OK, or PERMISSION_DENIED naming the type and failover.store.jdbc.allowed-payload-classes.
  absl::Status Check(absl::string_view type) const;
  // True when no (non-blank) entry is configured, i.e. everything is denied.
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::string> entries_;  // non-blank, trimmed
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_ALLOWLIST_H_
