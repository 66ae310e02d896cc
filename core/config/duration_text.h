// Durations as Spring Boot reads them from configuration, so files written for the Java framework
// mean the same here.
//
//   ParseConfigDuration("10s");    // 10 seconds (simple form: ns, us, ms, s, m, h, d; any case)
//   ParseConfigDuration("PT1.5S"); // 1.5 seconds (ISO-8601, as java.time.Duration.parse)
//   ParseConfigDuration("250");    // 250 milliseconds (a bare integer is milliseconds)
//   FormatConfigDuration(absl::Hours(168));  // "7d"
#ifndef FAILOVER_CORE_CONFIG_DURATION_TEXT_H_
#define FAILOVER_CORE_CONFIG_DURATION_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace failover {

// Parses Spring's simple form ("[+-]<digits><unit>", unit optional and meaning ms), or ISO-8601
// "[+-]P[nD][T[nH][nM][n[.f]S]]" in any case. Surrounding whitespace is ignored. On failure the
// status message is a phrase that follows the value: "is not a duration (expected e.g. ...)", or
// "is too large for a duration" when a count or the sum of ISO parts overflows (never infinite).
absl::StatusOr<absl::Duration> ParseConfigDuration(absl::string_view text);

// The exact value in the largest whole simple-form unit: "7d", "90m", "1500ms", "0s"; when no
// whole count fits (beyond ~292 years with a nanosecond part), ISO-8601 "PT<s>.<9 digits>S".
// ParseConfigDuration reads every result back exactly, except "infinite" / "-infinite" and
// sub-nanosecond values, which parsing never produces.
std::string FormatConfigDuration(absl::Duration duration);

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_DURATION_TEXT_H_
