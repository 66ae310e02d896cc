// Reusable validators for ConfigSchema properties. Each returns OK or an error whose message
// follows the offending value in a report ("'A;B' may contain only letters, ...").
//
//   schema.Property("samples", &HistoryConfig::samples, "Ring-buffer capacity.")
//       .Validate(AtLeast<int32_t>(1));
//   schema.Property("include", &ExposureConfig::include, "Endpoints served.")
//       .ValidateEach(OneOf({"config", "metrics"}));
#ifndef FAILOVER_CORE_CONFIG_CONFIG_VALIDATORS_H_
#define FAILOVER_CORE_CONFIG_CONFIG_VALIDATORS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/config/config_schema.h"

namespace failover {

// value >= min.
template <typename N>
ConfigValidator<N> AtLeast(N min) {
  return [min](const N& value) {
    if (value >= min) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("must be at least ", min));
  };
}

// value <= max.
template <typename N>
ConfigValidator<N> AtMost(N max) {
  return [max](const N& value) {
    if (value <= max) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("must be at most ", max));
  };
}

// lo <= value <= hi.
ConfigValidator<double> InClosedRange(double lo, double hi);

// duration >= min.
ConfigValidator<absl::Duration> DurationAtLeast(absl::Duration min);

// duration > 0 when set.
ConfigValidator<std::optional<absl::Duration>> PositiveIfSet();

// Not empty and not only whitespace.
ConfigValidator<std::string> NotBlank();

// One of `allowed`, compared exactly.
ConfigValidator<std::string> OneOf(std::vector<std::string> allowed);

// A SQL table prefix or qualifier: ([A-Za-z0-9_]+\.)*[A-Za-z0-9_]* ("MYAPP_", "app.MYAPP_", "").
ConfigValidator<std::string> TablePrefix();

// A SQL identifier or empty: [A-Za-z0-9_]* (e.g. a schema name).
ConfigValidator<std::string> SqlIdentifierOrEmpty();

// A URL path prefix: starts with '/', is not "/", does not end with '/'; '/'-separated segments of
// [A-Za-z0-9._~-]+, none empty, "." or "..".
ConfigValidator<std::string> BasePath();

// A payload cipher id: not blank, no ':' or ')' (they delimit ENC(<id>:<ciphertext>)).
ConfigValidator<std::string> CipherId();

// `url` with the password of its userinfo (scheme://user:PASSWORD@host) and the value of any
// `password=` query parameter replaced by "****"; any other text unchanged. For Redact() on
// properties holding connection URLs.
std::string RedactUrlPassword(absl::string_view url);

// Empty, or an http:// or https:// URL with a host.
ConfigValidator<std::string> HttpUrlOrEmpty();

// A listening address "host:port": a host name, an IPv4 address or a bracketed IPv6 address
// ("[::1]:9090"), and a port 0-65535 (0: the system picks one).
ConfigValidator<std::string> HostPort();

// "Name=value" for an HTTP header: Name is a non-empty RFC 9110 token (letters, digits and
// !#$%&'*+-.^_`|~); value has no control characters (no CR/LF that could split the request).
ConfigValidator<std::string> HeaderAssignment();

// A Spring cron expression: six fields (second minute hour day-of-month month day-of-week), a
// macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly) or "-" (disabled).
// Parsed with failover::CronExpression (core/scheduling/cron_expression.h), so out-of-range
// values are rejected too: "is not a cron expression: second '61': 61 is out of range 0-59".
ConfigValidator<std::string> CronExpressionText();

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_VALIDATORS_H_
