#include "naming-client/failover_data_source.h"

namespace failover {
namespace naming {

absl::string_view FailoverProblemKindName(FailoverProblemKind kind) {
  switch (kind) {
    case FailoverProblemKind::kBadName:
      return "bad_name";
    case FailoverProblemKind::kUnreadable:
      return "unreadable";
    case FailoverProblemKind::kTooLarge:
      return "too_large";
    case FailoverProblemKind::kBadContent:
      return "bad_content";
    case FailoverProblemKind::kDuplicateKey:
      return "duplicate_key";
  }
  return "unknown";
}

}  // namespace naming
}  // namespace failover
