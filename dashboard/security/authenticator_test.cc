#include "dashboard/security/authenticator.h"

#include <chrono>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/testing/warning_log.h"
#include "dashboard/security/password_hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Basic(absl::string_view user, absl::string_view password) {
  return absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(user, ":", password)));
}

DashboardUserConfig User(std::string name, absl::string_view password,
                         std::vector<std::string> roles, int iterations = kMinPbkdf2Iterations) {
  SeededRandom random(name.size());
  DashboardUserConfig user;
  user.username = std::move(name);
  user.password_hash = HashPassword(password, random, iterations);
  user.roles = std::move(roles);
  return user;
}

DashboardSecurityConfig Config() {
  DashboardSecurityConfig config;
  config.users = {User("alice", "alice-pw", {"FAILOVER_ADMIN"}),
                  User("pusher", "pusher-pw", {"FAILOVER_INGEST"}),
                  User("viewer", "viewer-pw", {"SOMETHING_ELSE"}),
                  User("scraper", "scraper-pw", {"FAILOVER_METRICS"})};
  config.ingest_tokens = {"token-zero", "token-one"};
  config.max_failures = 3;
  config.lockout = absl::Minutes(1);
  return config;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(Config()); }

  void Build(const DashboardSecurityConfig& config) {
    absl::StatusOr<std::unique_ptr<Authenticator>> auth =
        Authenticator::Create(config, clock_, sink_);
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
  }

  AuthOutcome Admin(absl::string_view header, absl::string_view address = "10.0.0.1") {
    return auth_->CheckAdmin(header, address).outcome;
  }
  AuthOutcome Ingest(absl::string_view header, absl::string_view address = "10.0.0.1") {
    return auth_->CheckIngest(header, address).outcome;
  }

  SimulatedClock clock_;
  WarningLog log_;
  WarningSink sink_ = log_.Sink();
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(AuthenticatorTest, AdminNeedsAUserWithTheRole) {
  EXPECT_TRUE(auth_->secured());
  EXPECT_FALSE(auth_->ingest_open());
  const AuthResult ok = auth_->CheckAdmin(Basic("alice", "alice-pw"), "10.0.0.1");
  EXPECT_EQ(ok.outcome, AuthOutcome::kOk);
  EXPECT_EQ(ok.principal, "alice");
  // Each failure from its own address: three from one would lock it out.
  EXPECT_EQ(Admin(Basic("alice", "wrong"), "10.9.0.1"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("nobody", "alice-pw"), "10.9.0.2"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin("", "10.9.0.3"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin("Basic %%%", "10.9.0.4"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin("Basic " + absl::Base64Escape("no-colon"), "10.9.0.5"),
            AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin("Bearer token-zero", "10.9.0.6"), AuthOutcome::kUnauthenticated);
  const AuthResult forbidden = auth_->CheckAdmin(Basic("viewer", "viewer-pw"), "10.0.0.2");
  EXPECT_EQ(forbidden.outcome, AuthOutcome::kForbidden);
  EXPECT_EQ(forbidden.principal, "viewer");
  EXPECT_EQ(Admin(Basic("pusher", "pusher-pw"), "10.0.0.2"), AuthOutcome::kForbidden);
}

TEST_F(AuthenticatorTest, MetricsAcceptsTheMetricsRoleOrTheAdminRoleOnly) {
  const AuthResult scraper = auth_->CheckMetrics(Basic("scraper", "scraper-pw"), "10.0.0.1");
  EXPECT_EQ(scraper.outcome, AuthOutcome::kOk);
  EXPECT_EQ(scraper.principal, "scraper");
  EXPECT_EQ(auth_->CheckMetrics(Basic("alice", "alice-pw"), "10.0.0.1").outcome, AuthOutcome::kOk);
  const AuthResult pusher = auth_->CheckMetrics(Basic("pusher", "pusher-pw"), "10.0.0.1");
  EXPECT_EQ(pusher.outcome, AuthOutcome::kForbidden);
  EXPECT_EQ(pusher.message, "the user lacks the metrics role (or the dashboard role)");
  EXPECT_EQ(auth_->CheckMetrics("Bearer token-one", "10.0.0.1").outcome,
            AuthOutcome::kUnauthenticated);
  EXPECT_EQ(auth_->CheckMetrics("", "10.0.0.1").outcome, AuthOutcome::kUnauthenticated);
  // The metrics role grants nothing else.
  EXPECT_EQ(Admin(Basic("scraper", "scraper-pw")), AuthOutcome::kForbidden);
  EXPECT_EQ(Ingest(Basic("scraper", "scraper-pw")), AuthOutcome::kForbidden);
}

TEST_F(AuthenticatorTest, SchemeIsCaseInsensitive) {
  EXPECT_EQ(Admin("basic " + absl::Base64Escape("alice:alice-pw")), AuthOutcome::kOk);
  EXPECT_EQ(Ingest("BEARER token-one"), AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, IngestAcceptsTheIngestRoleTheAdminRoleOrAToken) {
  EXPECT_EQ(Ingest(Basic("pusher", "pusher-pw")), AuthOutcome::kOk);
  EXPECT_EQ(Ingest(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  EXPECT_EQ(Ingest(Basic("viewer", "viewer-pw")), AuthOutcome::kForbidden);
  const AuthResult token = auth_->CheckIngest("Bearer token-one", "10.0.0.1");
  EXPECT_EQ(token.outcome, AuthOutcome::kOk);
  EXPECT_EQ(token.principal, "ingest-tokens[1]");
  EXPECT_EQ(Ingest("Bearer token-on"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Ingest("Bearer "), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Ingest(""), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Ingest("Digest abc"), AuthOutcome::kUnauthenticated);
}

TEST_F(AuthenticatorTest, WithoutUsersEverythingIsAllowed) {
  Build(DashboardSecurityConfig());
  EXPECT_FALSE(auth_->secured());
  EXPECT_TRUE(auth_->ingest_open());
  EXPECT_EQ(Admin(""), AuthOutcome::kOk);
  EXPECT_EQ(Ingest(""), AuthOutcome::kOk);
  EXPECT_EQ(auth_->CheckMetrics("", "10.0.0.1").outcome, AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, IngestIsOpenOnlyWithoutIngestCredentials) {
  DashboardSecurityConfig config;
  config.users = {User("viewer", "viewer-pw", {"SOMETHING_ELSE"})};
  Build(config);
  EXPECT_TRUE(auth_->ingest_open());
  EXPECT_EQ(Ingest(""), AuthOutcome::kOk);

  config.ingest_tokens = {"t"};
  Build(config);
  EXPECT_FALSE(auth_->ingest_open());
  EXPECT_EQ(Ingest(""), AuthOutcome::kUnauthenticated);

  DashboardSecurityConfig tokens_only;
  tokens_only.ingest_tokens = {"t"};
  Build(tokens_only);
  EXPECT_FALSE(auth_->secured());
  EXPECT_EQ(Admin(""), AuthOutcome::kOk);
  EXPECT_EQ(Ingest(""), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Ingest("Bearer t"), AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, UserNameLocksOutAfterMaxFailuresFromAnyAddress) {
  EXPECT_EQ(Admin(Basic("alice", "x"), "10.0.0.1"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "x"), "10.0.0.2"), AuthOutcome::kUnauthenticated);
  EXPECT_THAT(log_.messages(), IsEmpty());
  EXPECT_EQ(Admin(Basic("alice", "x"), "10.0.0.3"), AuthOutcome::kUnauthenticated);
  EXPECT_THAT(log_.messages(), ElementsAre(AllOf(HasSubstr("user name 'alice' locked out for 1m"),
                                                 HasSubstr("10.0.0.3"))));

  // Even the right password, from a fresh address, is refused for the lockout.
  const AuthResult locked = auth_->CheckAdmin(Basic("alice", "alice-pw"), "10.0.0.4");
  EXPECT_EQ(locked.outcome, AuthOutcome::kLockedOut);
  EXPECT_EQ(locked.retry_after, absl::Minutes(1));
  // Other users are not affected.
  EXPECT_EQ(Ingest(Basic("pusher", "pusher-pw"), "10.0.0.4"), AuthOutcome::kOk);

  clock_.Advance(absl::Seconds(20));
  EXPECT_EQ(auth_->CheckAdmin(Basic("alice", "x"), "10.0.0.5").retry_after, absl::Seconds(40));
  clock_.Advance(absl::Seconds(40));
  EXPECT_EQ(Admin(Basic("alice", "alice-pw"), "10.0.0.5"), AuthOutcome::kOk);
  // The lockout was reported once, however many attempts it refused.
  EXPECT_EQ(log_.messages().size(), 1u);
}

TEST_F(AuthenticatorTest, AddressLocksOutAfterMaxFailuresOverAnyUserNames) {
  EXPECT_EQ(Admin(Basic("a", "x"), "10.0.0.9"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("b", "x"), "10.0.0.9"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin("Basic !!!", "10.0.0.9"), AuthOutcome::kUnauthenticated);
  EXPECT_THAT(log_.messages(), ElementsAre(HasSubstr("client address 10.0.0.9 locked out for 1m")));
  EXPECT_EQ(Admin(Basic("alice", "alice-pw"), "10.0.0.9"), AuthOutcome::kLockedOut);
  EXPECT_EQ(Ingest("Bearer token-zero", "10.0.0.9"), AuthOutcome::kLockedOut);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw"), "10.0.0.1"), AuthOutcome::kOk);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Admin(Basic("alice", "alice-pw"), "10.0.0.9"), AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, BadBearerTokensCountAgainstTheAddress) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Ingest("Bearer guess", "10.0.0.8"), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Ingest("Bearer token-zero", "10.0.0.8"), AuthOutcome::kLockedOut);
  EXPECT_EQ(Ingest("Bearer token-zero", "10.0.0.7"), AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, MissingCredentialsAreNotFailedLogins) {
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Admin(""), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  EXPECT_THAT(log_.messages(), IsEmpty());
}

TEST_F(AuthenticatorTest, SuccessStartsTheCountOver) {
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  EXPECT_THAT(log_.messages(), IsEmpty());
}

TEST_F(AuthenticatorTest, CachedLoginsKeepTheSameOutcomes) {
  ASSERT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  ASSERT_EQ(Admin(Basic("viewer", "viewer-pw")), AuthOutcome::kForbidden);
  // Cached now; wrong passwords still fail, roles still apply.
  EXPECT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw2")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("viewer", "viewer-pw")), AuthOutcome::kForbidden);
  EXPECT_EQ(Ingest(Basic("alice", "alice-pw")), AuthOutcome::kOk);
  // A lockout refuses cached credentials too.
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "x")), AuthOutcome::kUnauthenticated);
  EXPECT_EQ(Admin(Basic("alice", "alice-pw"), "10.0.0.2"), AuthOutcome::kLockedOut);
  // After expiry of the cache the full check gives the same answer.
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(Admin(Basic("alice", "alice-pw")), AuthOutcome::kOk);
}

TEST_F(AuthenticatorTest, CachedLoginsSkipPbkdf2) {
  DashboardSecurityConfig config;
  config.users = {User("slow", "slow-pw", {"FAILOVER_ADMIN"}, kDefaultPbkdf2Iterations)};
  Build(config);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Admin(Basic("slow", "slow-pw")), AuthOutcome::kOk);
  const auto first = std::chrono::steady_clock::now() - start;
  const auto cached_start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Admin(Basic("slow", "slow-pw")), AuthOutcome::kOk);
  const auto cached = std::chrono::steady_clock::now() - cached_start;
  // Twenty cached checks cost less than one PBKDF2 run (by orders of magnitude in practice).
  EXPECT_LT(cached, first);
  // Past the expiry, PBKDF2 runs again.
  clock_.Advance(absl::Minutes(6));
  const auto expired_start = std::chrono::steady_clock::now();
  ASSERT_EQ(Admin(Basic("slow", "slow-pw")), AuthOutcome::kOk);
  EXPECT_GT(std::chrono::steady_clock::now() - expired_start, cached / 20);
}

TEST_F(AuthenticatorTest, UserNamesInWarningsAreEscaped) {
  for (int i = 0; i < 3; ++i) Admin(Basic("evil\nname", "x"), absl::StrCat("10.1.0.", i));
  EXPECT_THAT(log_.messages(), ElementsAre(HasSubstr("user name 'evil\\nname' locked out")));
}

TEST(AuthenticatorCreateTest, MalformedHashNamesTheUser) {
  SimulatedClock clock;
  WarningSink sink = [](absl::string_view) {};
  DashboardSecurityConfig config = Config();
  config.users[1].password_hash = "pbkdf2-sha256$1000$c2FsdA==$c2FsdA==";
  const absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::Create(config, clock, sink);
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(auth.status().message(),
              HasSubstr("failover.dashboard.security.users[1].password-hash: password hash: "
                        "iterations 1000 is below the minimum 100000"));
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
