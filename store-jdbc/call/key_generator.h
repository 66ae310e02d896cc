// Keys of the failover store: the name-based UUID (version 3, as Java's
// UUID.nameUUIDFromBytes) of "<namespace>:<raw key>", so that rows written by a C++ service and
// by the Java framework for the same call and namespace share one key.
//
//   std::string key = failover::DefaultFailoverKey("quotes", {"EURUSD", 2});
//   // == NameUuidV3("quotes:EURUSD:2"), e.g. "6f0c...-3...-8..."
//   failover::KeyGenerator custom = [](absl::string_view ns, const failover::KeyArgs& args) {
//     return failover::RawKey(args);  // readable keys, not shared with Java
//   };
//
// Thread-safety: the functions are pure; KeyGenerator values must be safe to call concurrently.
#ifndef FAILOVER_STORE_JDBC_CALL_KEY_GENERATOR_H_
#define FAILOVER_STORE_JDBC_CALL_KEY_GENERATOR_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "store-jdbc/call/key_args.h"

namespace failover {

// (storage namespace, call arguments) -> the entry's key.
using KeyGenerator =
    std::function<std::string(absl::string_view storage_namespace, const KeyArgs&)>;

// UUID.nameUUIDFromBytes(bytes).toString(): MD5 of `bytes`, version nibble 3, IETF variant,
// lower-case 8-4-4-4-12 hex. NameUuidV3("failover-X:key-X") ==
// "ab731e45-8d4d-330c-b9a8-00651916d239".
std::string NameUuidV3(absl::string_view bytes);

// NameUuidV3(storage_namespace + ":" + RawKey(args)): the Java framework's default key.
std::string DefaultFailoverKey(absl::string_view storage_namespace, const KeyArgs& args);

// DefaultFailoverKey as a KeyGenerator.
KeyGenerator DefaultKeyGenerator();

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_KEY_GENERATOR_H_
