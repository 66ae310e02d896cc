// UTF-8 validation for names and JSON strings that cross the naming client's boundaries.
//
//   IsValidUtf8("caf\xc3\xa9")  // true
//   IsValidUtf8("\xff")         // false
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_UTF8_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_UTF8_H_

#include "absl/strings/string_view.h"

namespace failover {
namespace naming_internal {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF). Pure function.
bool IsValidUtf8(absl::string_view text);

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_UTF8_H_
