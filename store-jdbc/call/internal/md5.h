// MD5 of a byte string, through OpenSSL (the only file that includes an OpenSSL header is
// md5.cc). MD5 is used here only because Java's UUID.nameUUIDFromBytes uses it; it protects
// nothing. Thread-safe (no shared state).
//
//   std::array<uint8_t, 16> digest = failover::call_internal::Md5("abc");
#ifndef FAILOVER_STORE_JDBC_CALL_INTERNAL_MD5_H_
#define FAILOVER_STORE_JDBC_CALL_INTERNAL_MD5_H_

#include <array>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace failover {
namespace call_internal {

std::array<uint8_t, 16> Md5(absl::string_view bytes);

}  // namespace call_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_INTERNAL_MD5_H_
