#include "core/config/internal/node_reader.h"

namespace failover {
namespace config_internal {

std::string WrongKindMessage(absl::string_view wanted, absl::string_view expected,
                             ConfigNode::Kind got) {
  return absl::StrCat("expected ", wanted, " (", expected, "), got ", KindName(got));
}

}  // namespace config_internal
}  // namespace failover
