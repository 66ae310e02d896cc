// Exporters write meter names and tag values into formats that require UTF-8 (Prometheus text,
// protobuf `string` fields): a byte sequence that is not valid UTF-8 would make a scraper reject
// the whole page, or a receiver reject the whole message. ToValidUtf8 replaces each invalid
// sequence with U+FFFD so one bad tag cannot take every other series down with it.
//
//   std::string safe = failover::metrics_internal::ToValidUtf8(tag.value);
//
// Thread-safety: pure functions.
#ifndef FAILOVER_CORE_METRICS_INTERNAL_UTF8_H_
#define FAILOVER_CORE_METRICS_INTERNAL_UTF8_H_

#include <string>

#include "absl/strings/string_view.h"

namespace failover {
namespace metrics_internal {

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// `text` unchanged when valid; otherwise each maximal invalid subpart replaced with U+FFFD
// (the W3C / Unicode "substitution of maximal subparts" practice).
std::string ToValidUtf8(absl::string_view text);

}  // namespace metrics_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_INTERNAL_UTF8_H_
