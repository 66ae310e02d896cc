#include "core/metrics/internal/utf8.h"

#include <cstddef>
#include <cstdint>

namespace failover {
namespace metrics_internal {
namespace {

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid sequence starting at text[i], or 0 when it is invalid; *consumed is set to
// the length of the maximal invalid subpart (at least 1) in that case.
size_t ValidSequenceAt(absl::string_view text, size_t i, size_t* consumed) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  *consumed = 1;
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint8_t low = 0x80;
  uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // No overlong forms.
    if (lead == 0xED) high = 0x9F;  // No surrogates.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // No overlong forms.
    if (lead == 0xF4) high = 0x8F;  // At most U+10FFFF.
  } else {
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    if (i + k >= text.size()) return 0;
    const uint8_t b = byte(i + k);
    const uint8_t lo = k == 1 ? low : 0x80;
    const uint8_t hi = k == 1 ? high : 0xBF;
    if (b < lo || b > hi) return 0;
    *consumed = k + 1;
  }
  return length;
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  size_t consumed = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t length = ValidSequenceAt(text, i, &consumed);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string ToValidUtf8(absl::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  size_t consumed = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t length = ValidSequenceAt(text, i, &consumed);
    if (length == 0) {
      out.append(kReplacement.data(), kReplacement.size());
      i += consumed;
    } else {
      out.append(text.data() + i, length);
      i += length;
    }
  }
  return out;
}

}  // namespace metrics_internal
}  // namespace failover
