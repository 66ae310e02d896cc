// The URL coding Nacos applies to its cache and failover file names: java.net.URLEncoder and
// URLDecoder with UTF-8 (application/x-www-form-urlencoded, not RFC 3986).
//
//   JavaUrlEncode("DEFAULT_GROUP@@my svc:v1")   // "DEFAULT_GROUP%40%40my+svc%3Av1"
//   JavaUrlDecode("DEFAULT_GROUP%40%40my+svc")  // "DEFAULT_GROUP@@my svc"
//   JavaUrlDecode("50%")                        // error: '%' at offset 2 is not followed by...
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_JAVA_URL_CODING_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_JAVA_URL_CODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace naming_internal {

// As URLEncoder.encode(text, "UTF-8"): ASCII letters, digits and . - * _ stay, a space becomes
// '+', every other byte becomes %XX (upper-case hex). Pure function.
std::string JavaUrlEncode(absl::string_view text);

// As URLDecoder.decode(text, "UTF-8"): '+' becomes a space, %XX the byte XX, everything else
// stays. Stricter than Java where Java would guess: a '%' not followed by two hex digits is an
// error (Java throws too), and so is a result that is not UTF-8 (Java would substitute U+FFFD,
// giving a name nothing can match). Errors give the byte offset. Pure function.
absl::StatusOr<std::string> JavaUrlDecode(absl::string_view text);

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_JAVA_URL_CODING_H_
