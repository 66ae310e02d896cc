#include "core/retry/retry_options.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace failover {
namespace {

bool Contains(const std::vector<absl::StatusCode>& codes, absl::StatusCode code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

absl::Status Invalid(absl::string_view field, absl::string_view rule, absl::string_view got) {
  return absl::InvalidArgumentError(absl::StrCat(field, " must be ", rule, ", got ", got));
}

absl::Status ValidateWaits(const RetryOptions& o) {
  if (o.wait < absl::ZeroDuration() || o.wait == absl::InfiniteDuration()) {
    return Invalid("wait", "finite and >= 0", absl::FormatDuration(o.wait));
  }
  // `!(x >= 1)` also rejects NaN.
  if (!(o.backoff_multiplier >= 1.0) || std::isinf(o.backoff_multiplier)) {
    return Invalid("backoff_multiplier", "finite and >= 1", absl::StrCat(o.backoff_multiplier));
  }
  if (o.max_wait == absl::InfiniteDuration() || o.max_wait < o.wait) {
    return Invalid("max_wait",
                   absl::StrCat("finite and >= wait (", absl::FormatDuration(o.wait), ")"),
                   absl::FormatDuration(o.max_wait));
  }
  if (!(o.jitter >= 0.0 && o.jitter <= 1.0)) {
    return Invalid("jitter", "in [0, 1]", absl::StrCat(o.jitter));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RetryOptions::Validate() const {
  if (max_attempts < 1) {
    return Invalid("max_attempts", ">= 1", absl::StrCat(max_attempts));
  }
  if (absl::Status s = ValidateWaits(*this); !s.ok()) return s;
  if (deadline <= absl::ZeroDuration()) {
    return Invalid("deadline", "> 0 (infinite for none)", absl::FormatDuration(deadline));
  }
  if (Contains(retry_on_codes, absl::StatusCode::kOk)) {
    return absl::InvalidArgumentError("retry_on_codes must not contain OK");
  }
  if (Contains(ignore_codes, absl::StatusCode::kOk)) {
    return absl::InvalidArgumentError("ignore_codes must not contain OK");
  }
  return absl::OkStatus();
}

bool RetryOptions::IsRetryable(const absl::Status& status) const {
  if (status.ok()) return false;
  if (Contains(ignore_codes, status.code()) || (ignore_if && ignore_if(status))) return false;
  return Contains(retry_on_codes, status.code()) || (retry_if && retry_if(status));
}

}  // namespace failover
