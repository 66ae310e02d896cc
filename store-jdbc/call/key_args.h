// KeyArg / KeyArgs: the arguments of a failover call, as the key generator sees them, and the
// Java framework's raw-key rules (RawKey), so that a C++ and a Java service derive the same key
// from the same call.
//
// A KeyArg is null, a string, a boolean, a signed or unsigned integer, a double, a float, or a
// list of KeyArgs. Implicit constructors make argument lists read like the call they describe:
//
//   failover::KeyArgs args{"x", 1, 2.5, failover::KeyArg::List({1, 2, 3}), nullptr};
//   failover::RawKey(args);  // "x:1:2.5:1,2,3:"
//
// Rules (the reference's): no arguments -> "NO-ARG"; null -> ""; strings, numbers and booleans
// -> their Java text (Long.toString, Double.toString, Float.toString, "true"/"false"); lists ->
// elements joined by "," (recursively); arguments joined by ":".
//
// Thread-safety: KeyArg is an immutable value type; const access from any thread is safe.
#ifndef FAILOVER_STORE_JDBC_CALL_KEY_ARGS_H_
#define FAILOVER_STORE_JDBC_CALL_KEY_ARGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {

class KeyArg {
 public:
  enum class Kind { kNull, kString, kBool, kInt, kUint, kDouble, kFloat, kList };

  KeyArg() = default;
  KeyArg(std::nullptr_t) {}                                  // NOLINT: implicit by design
  KeyArg(const char* s) : kind_(Kind::kString), text_(s) {}  // NOLINT
  KeyArg(std::string s) : kind_(Kind::kString), text_(std::move(s)) {}  // NOLINT
  KeyArg(absl::string_view s) : kind_(Kind::kString), text_(s) {}       // NOLINT
  KeyArg(bool b) : kind_(Kind::kBool), int_(b ? 1 : 0) {}               // NOLINT
  // Every integer type except bool and the character types.
  template <typename I,
            typename std::enable_if<std::is_integral<I>::value && !std::is_same<I, bool>::value &&
                                        !std::is_same<I, char>::value,
                                    int>::type = 0>
  KeyArg(I i)  // NOLINT
      : kind_(std::is_signed<I>::value ? Kind::kInt : Kind::kUint),
        int_(static_cast<int64_t>(i)),
        uint_(static_cast<uint64_t>(i)) {}
  KeyArg(double d) : kind_(Kind::kDouble), double_(d) {}  // NOLINT
  KeyArg(float f) : kind_(Kind::kFloat), float_(f) {}     // NOLINT

  // A collection or array argument.
  static KeyArg List(std::vector<KeyArg> items);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  const std::string& string_value() const { return text_; }
  bool bool_value() const { return int_ != 0; }
  int64_t int_value() const { return int_; }
  uint64_t uint_value() const { return uint_; }
  double double_value() const { return double_; }
  float float_value() const { return float_; }
  const std::vector<KeyArg>& list() const { return list_; }

  // The argument's Java text: "" for null, elements joined by "," for a list.
  std::string JavaText() const;
  void AppendJavaText(std::string* out) const;

 private:
  Kind kind_ = Kind::kNull;
  std::string text_;
  int64_t int_ = 0;
  uint64_t uint_ = 0;
  double double_ = 0;
  float float_ = 0;
  std::vector<KeyArg> list_;
};

using KeyArgs = std::vector<KeyArg>;

// The raw key of a call: "NO-ARG" for no arguments, else the arguments' Java text joined by ":".
std::string RawKey(const KeyArgs& args);

// Java's Double.toString / Float.toString (JDK 19+: the shortest decimal that round-trips;
// plain notation for 1e-3 <= |v| < 1e7, else "d.dddE[-]n"; "NaN", "Infinity", "-0.0").
std::string JavaDoubleText(double value);
std::string JavaFloatText(float value);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_KEY_ARGS_H_
