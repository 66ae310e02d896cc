// Authenticator: who may use failoverd's web UI, JSON API and ingest endpoints (HTTP and gRPC),
// from failover.dashboard.security: HTTP Basic users with PBKDF2 password hashes and roles, and
// bearer tokens for ingest. Repeated failures lock out the user name and the client address.
//
//   absl::StatusOr<std::unique_ptr<Authenticator>> auth =
//       Authenticator::Create(config.dashboard.security, SystemClock(), warnings);
//   AuthResult r = (*auth)->CheckAdmin(request_authorization_header, "10.0.0.7");
//   switch (r.outcome) {
//     case AuthOutcome::kOk: ...                 // r.principal: the user name
//     case AuthOutcome::kUnauthenticated: ...    // 401 with WWW-Authenticate
//     case AuthOutcome::kForbidden: ...          // 403: a user without the role
//     case AuthOutcome::kLockedOut: ...          // 429, Retry-After: r.retry_after
//   }
//
// Rules:
//  - CheckAdmin: "Basic <base64 user:password>" of a user holding `role`. Without users
//    configured (secured() false) everything is allowed: whether the server may start that way
//    (allow-insecure) is the server's decision.
//  - CheckIngest: Basic of a user holding `ingest-role` or `role`, or "Bearer <token>" with one
//    of `ingest-tokens`. Allowed without credentials only when ingest_open().
//  - CheckMetrics: Basic of a user holding `metrics-role` or `role` (read /metrics: a Prometheus
//    scrape needs no administrator's credentials). Without users everything is allowed.
//  - A missing Authorization header is kUnauthenticated but not a failed login (browsers send
//    credentials only after the 401). Every other failure (bad password, unknown user, bad
//    token, malformed header) counts against the client address and, for Basic, the user name.
//    `max-failures` failures in a row lock the name or address out for `lockout` (measured on
//    the injected Clock); during a lockout requests are refused without checking the password.
//    A successful login resets the user name's and the address's counts. Each lockout is
//    reported once through the WarningSink.
//  - Unknown users are checked against a dummy hash of the same cost, so response times do not
//    tell which user names exist. Successful verifications are cached for a few minutes (keyed
//    by user name and an HMAC of the password under a per-process random key, never the
//    password itself), so a polling UI does not pay for PBKDF2 on every request; failures always
//    run the full check.
//
// Thread-safe. PBKDF2 runs outside the internal lock, so logins proceed in parallel; concurrent
// failures racing past the lockout check can exceed max-failures by the number of threads.
#ifndef FAILOVER_DASHBOARD_SECURITY_AUTHENTICATOR_H_
#define FAILOVER_DASHBOARD_SECURITY_AUTHENTICATOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "dashboard/security/internal/failure_tracker.h"
#include "dashboard/security/internal/keyed_hasher.h"
#include "dashboard/security/internal/pbkdf2_hash.h"
#include "dashboard/security/internal/verified_login_cache.h"

namespace failover {
namespace dashboard {

enum class AuthOutcome { kOk, kUnauthenticated, kForbidden, kLockedOut };

struct AuthResult {
  AuthOutcome outcome = AuthOutcome::kUnauthenticated;
  // kOk, kForbidden: the user name, or "ingest-tokens[i]" for a bearer token; "" when no
  // credentials were needed.
  std::string principal;
  // Why, for the response body and logs; never contains the password or token.
  std::string message;
  // kLockedOut: how long until the lockout ends (for Retry-After).
  absl::Duration retry_after = absl::ZeroDuration();
};

class Authenticator {
 public:
  // InvalidArgument naming `failover.dashboard.security.users[i].password-hash` when a hash is
  // malformed; Internal when no random key can be drawn for the cache.
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(
      const DashboardSecurityConfig& config, const Clock& clock, WarningSink& warnings);

  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // Users are configured.
  bool secured() const { return !users_.empty(); }
  // No user holds `role` or `ingest-role` and no ingest token is configured: ingest needs no
  // credentials.
  bool ingest_open() const { return ingest_open_; }

  AuthResult CheckAdmin(absl::string_view authorization_header, absl::string_view client_address)
      ABSL_LOCKS_EXCLUDED(mu_);
  AuthResult CheckIngest(absl::string_view authorization_header, absl::string_view client_address)
      ABSL_LOCKS_EXCLUDED(mu_);
  AuthResult CheckMetrics(absl::string_view authorization_header, absl::string_view client_address)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct User {
    std::string name;
    security_internal::Pbkdf2Hash hash;
    bool admin = false;    // Holds `role`.
    bool ingest = false;   // Holds `ingest-role` or `role`.
    bool metrics = false;  // Holds `metrics-role` or `role`.
  };
  enum class Need { kAdmin, kIngest, kMetrics };

  Authenticator(const DashboardSecurityConfig& config, const Clock& clock, WarningSink& warnings,
                std::unique_ptr<security_internal::KeyedHasher> hasher, std::vector<User> users,
                security_internal::Pbkdf2Hash dummy);

  // Basic credentials only (CheckAdmin, CheckMetrics).
  AuthResult CheckBasicOnly(absl::string_view authorization_header,
                            absl::string_view client_address, Need need) ABSL_LOCKS_EXCLUDED(mu_);
  AuthResult CheckBasic(absl::string_view credentials, absl::string_view client_address, Need need)
      ABSL_LOCKS_EXCLUDED(mu_);
  AuthResult CheckBearer(absl::string_view token, absl::string_view client_address)
      ABSL_LOCKS_EXCLUDED(mu_);
  // A failed attempt: counts it and reports a lockout it starts.
  AuthResult Fail(absl::string_view user_name, absl::string_view client_address,
                  absl::string_view message) ABSL_LOCKS_EXCLUDED(mu_);
  // kLockedOut when the user name ("" = none) or the address is locked out.
  std::optional<AuthResult> LockedOut(absl::string_view user_name, absl::string_view client_address)
      ABSL_LOCKS_EXCLUDED(mu_);

  const Clock& clock_;
  WarningSink& warnings_;
  const absl::Duration lockout_;
  const std::unique_ptr<security_internal::KeyedHasher> hasher_;
  const std::vector<User> users_;
  const absl::flat_hash_map<std::string, size_t> user_index_;
  // Checked for unknown user names, so they cost as much as known ones.
  const security_internal::Pbkdf2Hash dummy_;
  // Keyed digests of the ingest tokens, compared in constant time.
  const std::vector<std::string> token_digests_;
  const bool ingest_open_;

  Mutex mu_;
  security_internal::FailureTracker user_failures_ ABSL_GUARDED_BY(mu_);
  security_internal::FailureTracker address_failures_ ABSL_GUARDED_BY(mu_);
  security_internal::VerifiedLoginCache verified_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_AUTHENTICATOR_H_
