// Percent-encoding of one URL component (RFC 3986 section 2.1): every byte but the unreserved
// characters (ALPHA / DIGIT / "-" / "." / "_" / "~") becomes %XX with upper-case hex digits, so
// the result is safe as a path segment, a query key or a query value whatever the server's
// decoder accepts. Bytes are encoded one by one: UTF-8 text becomes its encoded bytes.
//
//   PercentEncodeComponent("DEFAULT_GROUP@@orders")   // "DEFAULT_GROUP%40%40orders"
//   PercentEncodeComponent("rate(x[5m])")             // "rate%28x%5B5m%5D%29"
//
// Thread-safety: a pure function.
#ifndef FAILOVER_CORE_PERCENT_ENCODING_H_
#define FAILOVER_CORE_PERCENT_ENCODING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace failover {

std::string PercentEncodeComponent(absl::string_view text);

}  // namespace failover

#endif  // FAILOVER_CORE_PERCENT_ENCODING_H_
