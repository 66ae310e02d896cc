// The text form of AS_OF / EXPIRE_ON: UTC wall-clock time, 'YYYY-MM-DD HH:MM:SS.ffffff'. SQLite
// stores exactly this fixed-width text (so `EXPIRE_ON < ?` compares correctly as text);
// PostgreSQL parses it into TIMESTAMP (microseconds, no zone) and prints it back with the
// fraction's trailing zeros dropped, which the parser accepts.
//
// Times are truncated to the microsecond and clamped to years 0001..9999; the two ends stand for
// absl::InfinitePast() / absl::InfiniteFuture() and parse back to them. Thread-safe (pure).
//
//   std::string text = FormatSqlTimestamp(absl::FromUnixMicros(1));  // 1970-01-01 00:00:00.000001
//   absl::StatusOr<absl::Time> t = ParseSqlTimestamp(text);
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_TIMESTAMP_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_TIMESTAMP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace failover {

std::string FormatSqlTimestamp(absl::Time time);

// Accepts 'YYYY-MM-DD HH:MM:SS' (or 'T' as separator) with an optional fraction of up to 9
// digits (digits beyond the 6th are dropped). INVALID_ARGUMENT for anything else.
absl::StatusOr<absl::Time> ParseSqlTimestamp(absl::string_view text);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_TIMESTAMP_H_
