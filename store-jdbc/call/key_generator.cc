#include "store-jdbc/call/key_generator.h"

#include <array>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "store-jdbc/call/internal/md5.h"

namespace failover {

std::string NameUuidV3(absl::string_view bytes) {
  std::array<uint8_t, 16> uuid = call_internal::Md5(bytes);
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x30);  // version 3
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);  // IETF variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[uuid[i] >> 4]);
    out.push_back(kHex[uuid[i] & 0x0f]);
  }
  return out;
}

std::string DefaultFailoverKey(absl::string_view storage_namespace, const KeyArgs& args) {
  return NameUuidV3(absl::StrCat(storage_namespace, ":", RawKey(args)));
}

KeyGenerator DefaultKeyGenerator() { return &DefaultFailoverKey; }

}  // namespace failover
