#include "store-jdbc/call/failover.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {

std::vector<absl::StatusCode> DefaultNonRecoverableCodes() {
  return {absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
          absl::StatusCode::kAlreadyExists,   absl::StatusCode::kPermissionDenied,
          absl::StatusCode::kUnauthenticated, absl::StatusCode::kFailedPrecondition,
          absl::StatusCode::kOutOfRange};
}

bool FailoverOptions::IsNonRecoverable(const absl::Status& error) const {
  if (error.ok()) return false;
  if (std::find(non_recoverable_codes.begin(), non_recoverable_codes.end(), error.code()) !=
      non_recoverable_codes.end()) {
    return true;
  }
  return non_recoverable && non_recoverable(error);
}

FailoverOptions FailoverOptionsFromConfig(const FailoverConfig& config, std::string name) {
  FailoverOptions options;
  options.name = std::move(name);
  options.enabled = config.enabled;
  options.type = config.type;
  options.exception_policy = config.exception_policy;
  return options;
}

FailureInfo FailureInfo::From(const absl::Status& status) {
  return {status, absl::StatusCodeToString(status.code()), std::string(status.message()),
          status.ToString()};
}

namespace call_internal {

absl::Status ValidateHooks(const FailoverOptions& options, bool has_execution,
                           bool has_exception_policy, bool codec_missing) {
  if (codec_missing) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover '", options.name, "': a payload codec is required"));
  }
  if (options.type == FailoverType::kCustom && !has_execution) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover '", options.name, "': type CUSTOM needs hooks.execution"));
  }
  if (options.exception_policy == ExceptionPolicy::kCustom && !has_exception_policy) {
    return absl::InvalidArgumentError(absl::StrCat(
        "failover '", options.name, "': exception policy CUSTOM needs hooks.exception_policy"));
  }
  return absl::OkStatus();
}

}  // namespace call_internal
}  // namespace failover
