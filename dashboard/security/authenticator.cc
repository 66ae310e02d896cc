#include "dashboard/security/authenticator.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "dashboard/security/password_hash.h"

namespace failover {
namespace dashboard {
namespace {

using security_internal::Pbkdf2Hash;

// Bounds on what attackers can make the authenticator remember.
constexpr size_t kMaxTrackedKeys = 10000;
constexpr size_t kMaxCachedLogins = 1024;
// How long a verified login is trusted without running PBKDF2 again.
constexpr absl::Duration kVerifiedLoginTtl = absl::Minutes(5);

bool HasRole(const DashboardUserConfig& user, absl::string_view role) {
  return std::find(user.roles.begin(), user.roles.end(), role) != user.roles.end();
}

// "Basic xyz" -> "xyz" when the scheme matches (case-insensitively, as RFC 7235 says).
bool ConsumeScheme(absl::string_view header, absl::string_view scheme, absl::string_view* rest) {
  header = absl::StripLeadingAsciiWhitespace(header);
  if (header.size() <= scheme.size() || !absl::StartsWithIgnoreCase(header, scheme) ||
      header[scheme.size()] != ' ') {
    return false;
  }
  *rest = absl::StripAsciiWhitespace(header.substr(scheme.size() + 1));
  return true;
}

// A user name or address as it may appear in a log line: attackers choose these.
std::string Printable(absl::string_view text) {
  constexpr size_t kMax = 64;
  std::string out = absl::CHexEscape(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out;
}

AuthResult Result(AuthOutcome outcome, std::string principal, std::string message) {
  AuthResult result;
  result.outcome = outcome;
  result.principal = std::move(principal);
  result.message = std::move(message);
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(
    const DashboardSecurityConfig& config, const Clock& clock, WarningSink& warnings) {
  std::vector<User> users;
  int max_iterations = kDefaultPbkdf2Iterations;
  for (size_t i = 0; i < config.users.size(); ++i) {
    const DashboardUserConfig& user_config = config.users[i];
    absl::StatusOr<Pbkdf2Hash> hash = security_internal::ParsePbkdf2Hash(user_config.password_hash);
    if (!hash.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("failover.dashboard.security.users[", i,
                                                     "].password-hash: ", hash.status().message()));
    }
    max_iterations = i == 0 ? hash->iterations : std::max(max_iterations, hash->iterations);
    User user;
    user.name = user_config.username;
    user.hash = *std::move(hash);
    user.admin = HasRole(user_config, config.role);
    user.ingest = user.admin || HasRole(user_config, config.ingest_role);
    user.metrics = user.admin || HasRole(user_config, config.metrics_role);
    users.push_back(std::move(user));
  }
  absl::StatusOr<std::unique_ptr<security_internal::KeyedHasher>> hasher =
      security_internal::KeyedHasher::Create();
  if (!hasher.ok()) return hasher.status();
  // The dummy costs what the most expensive real user costs; no password matches it (its hash
  // is a digest of nothing PBKDF2 can produce for a given salt, with overwhelming probability).
  Pbkdf2Hash dummy;
  dummy.iterations = max_iterations;
  dummy.salt = (*hasher)->Digest("dummy salt").substr(0, security_internal::kPbkdf2SaltBytes);
  dummy.hash = (*hasher)->Digest("dummy hash");
  return std::unique_ptr<Authenticator>(new Authenticator(
      config, clock, warnings, *std::move(hasher), std::move(users), std::move(dummy)));
}

Authenticator::Authenticator(const DashboardSecurityConfig& config, const Clock& clock,
                             WarningSink& warnings,
                             std::unique_ptr<security_internal::KeyedHasher> hasher,
                             std::vector<User> users, Pbkdf2Hash dummy)
    : clock_(clock),
      warnings_(warnings),
      lockout_(config.lockout),
      hasher_(std::move(hasher)),
      users_(std::move(users)),
      user_index_([this] {
        absl::flat_hash_map<std::string, size_t> index;
        for (size_t i = 0; i < users_.size(); ++i) index.emplace(users_[i].name, i);
        return index;
      }()),
      dummy_(std::move(dummy)),
      token_digests_([&] {
        std::vector<std::string> digests;
        for (const std::string& token : config.ingest_tokens) {
          digests.push_back(hasher_->Digest("token", token));
        }
        return digests;
      }()),
      ingest_open_(
          token_digests_.empty() &&
          std::none_of(users_.begin(), users_.end(), [](const User& user) { return user.ingest; })),
      user_failures_(std::max(1, config.max_failures), config.lockout, kMaxTrackedKeys),
      address_failures_(std::max(1, config.max_failures), config.lockout, kMaxTrackedKeys),
      verified_(kVerifiedLoginTtl, kMaxCachedLogins) {}

AuthResult Authenticator::CheckAdmin(absl::string_view authorization_header,
                                     absl::string_view client_address) {
  return CheckBasicOnly(authorization_header, client_address, Need::kAdmin);
}

AuthResult Authenticator::CheckMetrics(absl::string_view authorization_header,
                                       absl::string_view client_address) {
  return CheckBasicOnly(authorization_header, client_address, Need::kMetrics);
}

AuthResult Authenticator::CheckBasicOnly(absl::string_view authorization_header,
                                         absl::string_view client_address, Need need) {
  if (!secured()) return Result(AuthOutcome::kOk, "", "security is not configured");
  if (authorization_header.empty()) {
    return Result(AuthOutcome::kUnauthenticated, "", "credentials required");
  }
  absl::string_view credentials;
  if (!ConsumeScheme(authorization_header, "Basic", &credentials)) {
    if (std::optional<AuthResult> locked = LockedOut("", client_address)) return *locked;
    return Fail("", client_address, "only HTTP Basic credentials are accepted here");
  }
  return CheckBasic(credentials, client_address, need);
}

AuthResult Authenticator::CheckIngest(absl::string_view authorization_header,
                                      absl::string_view client_address) {
  if (ingest_open_) return Result(AuthOutcome::kOk, "", "ingest needs no credentials");
  if (authorization_header.empty()) {
    return Result(AuthOutcome::kUnauthenticated, "", "credentials required");
  }
  absl::string_view credentials;
  if (ConsumeScheme(authorization_header, "Basic", &credentials)) {
    return CheckBasic(credentials, client_address, Need::kIngest);
  }
  if (ConsumeScheme(authorization_header, "Bearer", &credentials)) {
    return CheckBearer(credentials, client_address);
  }
  if (std::optional<AuthResult> locked = LockedOut("", client_address)) return *locked;
  return Fail("", client_address, "only HTTP Basic or Bearer credentials are accepted");
}

AuthResult Authenticator::CheckBasic(absl::string_view credentials,
                                     absl::string_view client_address, Need need) {
  std::string decoded;
  size_t colon = std::string::npos;
  if (absl::Base64Unescape(credentials, &decoded)) colon = decoded.find(':');
  if (colon == std::string::npos) {
    if (std::optional<AuthResult> locked = LockedOut("", client_address)) return *locked;
    return Fail("", client_address, "malformed HTTP Basic credentials");
  }
  const absl::string_view name = absl::string_view(decoded).substr(0, colon);
  const absl::string_view password = absl::string_view(decoded).substr(colon + 1);
  if (std::optional<AuthResult> locked = LockedOut(name, client_address)) return *locked;

  const auto it = user_index_.find(name);
  const User* user = it == user_index_.end() ? nullptr : &users_[it->second];
  const std::string digest = hasher_->Digest(name, password);
  bool verified = false;
  if (user != nullptr) {
    MutexLock lock(&mu_);
    verified = verified_.Contains(digest, clock_.Now());
  }
  if (!verified) {
    // Unknown users cost the same as known ones.
    verified =
        security_internal::MatchesPassword(user != nullptr ? user->hash : dummy_, password) &&
        user != nullptr;
  }
  if (!verified) return Fail(name, client_address, "invalid user name or password");
  {
    MutexLock lock(&mu_);
    const MonotonicTime now = clock_.Now();
    verified_.Insert(digest, now);
    user_failures_.Reset(name, now);
    address_failures_.Reset(client_address, now);
  }
  switch (need) {
    case Need::kAdmin:
      if (!user->admin) {
        return Result(AuthOutcome::kForbidden, user->name, "the user lacks the dashboard role");
      }
      break;
    case Need::kIngest:
      if (!user->ingest) {
        return Result(AuthOutcome::kForbidden, user->name, "the user lacks the ingest role");
      }
      break;
    case Need::kMetrics:
      if (!user->metrics) {
        return Result(AuthOutcome::kForbidden, user->name,
                      "the user lacks the metrics role (or the dashboard role)");
      }
      break;
  }
  return Result(AuthOutcome::kOk, user->name, "");
}

AuthResult Authenticator::CheckBearer(absl::string_view token, absl::string_view client_address) {
  if (std::optional<AuthResult> locked = LockedOut("", client_address)) return *locked;
  const std::string digest = hasher_->Digest("token", token);
  size_t match = token_digests_.size();
  // Every configured token is compared, in constant time each, whatever matched before.
  for (size_t i = 0; i < token_digests_.size(); ++i) {
    if (security_internal::KeyedHasher::Equal(digest, token_digests_[i])) match = i;
  }
  if (match == token_digests_.size()) {
    return Fail("", client_address, "invalid bearer token");
  }
  {
    MutexLock lock(&mu_);
    address_failures_.Reset(client_address, clock_.Now());
  }
  return Result(AuthOutcome::kOk, absl::StrCat("ingest-tokens[", match, "]"), "");
}

AuthResult Authenticator::Fail(absl::string_view user_name, absl::string_view client_address,
                               absl::string_view message) {
  bool user_locked = false;
  bool address_locked = false;
  {
    MutexLock lock(&mu_);
    const MonotonicTime now = clock_.Now();
    if (!user_name.empty()) user_locked = user_failures_.RecordFailure(user_name, now);
    address_locked = address_failures_.RecordFailure(client_address, now);
  }
  if (user_locked) {
    warnings_(absl::StrCat("dashboard security: user name '", Printable(user_name),
                           "' locked out for ", absl::FormatDuration(lockout_),
                           " after too many failed logins in a row (last from ",
                           Printable(client_address), ")"));
  }
  if (address_locked) {
    warnings_(absl::StrCat("dashboard security: client address ", Printable(client_address),
                           " locked out for ", absl::FormatDuration(lockout_),
                           " after too many failed logins in a row"));
  }
  return Result(AuthOutcome::kUnauthenticated, "", std::string(message));
}

std::optional<AuthResult> Authenticator::LockedOut(absl::string_view user_name,
                                                   absl::string_view client_address) {
  absl::Duration user_wait;
  absl::Duration address_wait;
  {
    MutexLock lock(&mu_);
    const MonotonicTime now = clock_.Now();
    if (!user_name.empty()) user_wait = user_failures_.LockedFor(user_name, now);
    address_wait = address_failures_.LockedFor(client_address, now);
  }
  if (user_wait <= absl::ZeroDuration() && address_wait <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  AuthResult result = Result(AuthOutcome::kLockedOut, "",
                             address_wait > absl::ZeroDuration()
                                 ? "too many failed logins from this address; try again later"
                                 : "too many failed logins for this user; try again later");
  result.retry_after = std::max(user_wait, address_wait);
  return result;
}

}  // namespace dashboard
}  // namespace failover
