#include "store-jdbc/sql/internal/sql_database.h"

namespace failover {

absl::StatusOr<SqlRows> QueryRows(SqlDatabase& db, absl::string_view sql,
                                  absl::Span<const SqlValue> params) {
  SqlRows rows;
  absl::StatusOr<int64_t> done = db.ExecuteOnce(sql, params, [&](SqlRowView row) {
    std::vector<std::optional<std::string>>& copy = rows.emplace_back();
    for (const std::optional<absl::string_view>& column : row) {
      copy.push_back(column.has_value() ? std::optional<std::string>(std::string(*column))
                                        : std::nullopt);
    }
  });
  if (!done.ok()) return done.status();
  return rows;
}

}  // namespace failover
