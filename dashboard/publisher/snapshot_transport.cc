#include "dashboard/publisher/snapshot_transport.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace dashboard {

absl::StatusOr<PublisherAuth> ResolvePublisherAuth(const SnapshotConfig& config,
                                                   TokenProvider token_provider) {
  PublisherAuth auth;
  if (!config.oauth2_client_registration_id.empty()) {
    if (!token_provider) {
      return absl::InvalidArgumentError(
          absl::StrCat("failover.dashboard.cluster.snapshot.oauth2-client-registration-id: '",
                       config.oauth2_client_registration_id,
                       "' asks for bearer tokens, but the application supplied no token provider"));
    }
    auth.kind = PublisherAuth::Kind::kBearer;
    auth.token_provider = std::move(token_provider);
    return auth;
  }
  if (config.username.empty() != config.password.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("failover.dashboard.cluster.snapshot.",
                                                   config.username.empty()
                                                       ? "password is set without username"
                                                       : "username is set without password",
                                                   ": set both for HTTP Basic, or neither"));
  }
  if (!config.username.empty()) {
    auth.kind = PublisherAuth::Kind::kBasic;
    auth.username = config.username;
    auth.password = config.password;
  }
  return auth;
}

absl::StatusOr<std::string> AuthorizationHeaderValue(const PublisherAuth& auth) {
  switch (auth.kind) {
    case PublisherAuth::Kind::kNone:
      return std::string();
    case PublisherAuth::Kind::kBasic:
      return absl::StrCat("Basic ",
                          absl::Base64Escape(absl::StrCat(auth.username, ":", auth.password)));
    case PublisherAuth::Kind::kBearer: {
      if (!auth.token_provider) return absl::InvalidArgumentError("bearer token: no provider");
      absl::StatusOr<std::string> token = auth.token_provider();
      if (!token.ok()) {
        return absl::Status(token.status().code(),
                            absl::StrCat("bearer token: ", token.status().message()));
      }
      if (token->empty()) return absl::InvalidArgumentError("bearer token: the provider gave ''");
      return absl::StrCat("Bearer ", *token);
    }
  }
  return std::string();
}

}  // namespace dashboard
}  // namespace failover
