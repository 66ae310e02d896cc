#include "store-jdbc/call/key_args.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace failover {
namespace {

// Java's choice of digits for `value` (finite, non-zero, positive): the decimal closest to
// `value` among the shortest that round-trip, where a 1-digit shortest is replaced by the
// closest 2-digit decimal (so Double.MIN_VALUE is 4.9E-324, not 5.0E-324). %.*e rounds
// correctly, so its output at a given precision is the closest decimal of that length.
// Returned as digits without trailing zeros and the exponent of the first digit.
template <typename Real>
void ShortestDigits(Real value, std::string* digits, int* exponent) {
  constexpr int kMaxPrecision = std::is_same<Real, float>::value ? 9 : 17;
  char buffer[64];
  for (int precision = 1; precision < kMaxPrecision; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", precision, static_cast<double>(value));
    const Real parsed = std::is_same<Real, float>::value
                            ? static_cast<Real>(std::strtof(buffer, nullptr))
                            : static_cast<Real>(std::strtod(buffer, nullptr));
    if (parsed == value) break;
  }
  // buffer is "d[.ddd]e[+-]xx".
  const char* e = buffer;
  while (*e != 'e') ++e;
  digits->clear();
  for (const char* p = buffer; p < e; ++p) {
    if (*p != '.') digits->push_back(*p);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *exponent = std::atoi(e + 1);
}

template <typename Real>
std::string JavaRealText(Real value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  std::string out = value < 0 ? "-" : "";
  std::string digits;
  int exponent = 0;
  ShortestDigits(std::fabs(value), &digits, &exponent);
  const int n = static_cast<int>(digits.size());
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) {
      out += "0.";
      out.append(-exponent - 1, '0');
      out += digits;
    } else if (n <= exponent + 1) {
      out += digits;
      out.append(exponent + 1 - n, '0');
      out += ".0";
    } else {
      out += digits.substr(0, exponent + 1);
      out += ".";
      out += digits.substr(exponent + 1);
    }
    return out;
  }
  out += digits.substr(0, 1);
  out += ".";
  out += n > 1 ? digits.substr(1) : "0";
  absl::StrAppend(&out, "E", exponent);
  return out;
}

}  // namespace

std::string JavaDoubleText(double value) { return JavaRealText(value); }
std::string JavaFloatText(float value) { return JavaRealText(value); }

KeyArg KeyArg::List(std::vector<KeyArg> items) {
  KeyArg arg;
  arg.kind_ = Kind::kList;
  arg.list_ = std::move(items);
  return arg;
}

void KeyArg::AppendJavaText(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      return;
    case Kind::kString:
      out->append(text_);
      return;
    case Kind::kBool:
      out->append(int_ != 0 ? "true" : "false");
      return;
    case Kind::kInt:
      absl::StrAppend(out, int_);
      return;
    case Kind::kUint:
      absl::StrAppend(out, uint_);
      return;
    case Kind::kDouble:
      out->append(JavaDoubleText(double_));
      return;
    case Kind::kFloat:
      out->append(JavaFloatText(float_));
      return;
    case Kind::kList:
      for (size_t i = 0; i < list_.size(); ++i) {
        if (i > 0) out->push_back(',');
        list_[i].AppendJavaText(out);
      }
      return;
  }
}

std::string KeyArg::JavaText() const {
  std::string out;
  AppendJavaText(&out);
  return out;
}

std::string RawKey(const KeyArgs& args) {
  if (args.empty()) return "NO-ARG";
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(':');
    args[i].AppendJavaText(&out);
  }
  return out;
}

}  // namespace failover
