// How property values are read from configuration text and written back for messages and docs.
// ValueCodec<V> is specialised for every type a config struct field may have:
//
//   bool, int32_t ("int"), int64_t ("long"), double, std::string, absl::Duration,
//   std::optional<absl::Duration> (empty = unset), enums with a DescribeConfigEnum() overload,
//   and std::vector<E> of any of those (a YAML list, or a comma-separated string).
//
// A config enum is declared with an overload found by argument-dependent lookup:
//
//   enum class StoreType { kInMemory, kJdbc };
//   ConfigEnumDescription<StoreType> DescribeConfigEnum(StoreType);  // {"StoreType",
//                                                                    //  {{kInMemory, "INMEMORY"},
//                                                                    //   {kJdbc, "JDBC"}}}
//
// Enum text matches a name in any case with '-' and '_' ignored ("never-throw" = NEVER_THROW),
// after surrounding ASCII whitespace is trimmed.
#ifndef FAILOVER_CORE_CONFIG_CONFIG_VALUE_H_
#define FAILOVER_CORE_CONFIG_CONFIG_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "core/config/duration_text.h"

namespace failover {

// Relaxed-binding form of a key: lowercase with '-' and '_' removed, so "table-prefix",
// "tablePrefix", "table_prefix" and "TABLE_PREFIX" all become "tableprefix".
std::string CanonicalKey(absl::string_view key);

// The same per dot-separated segment: "failover.store.tablePrefix" -> "failover.store.tableprefix".
std::string CanonicalPath(absl::string_view path);

template <typename E>
struct ConfigEnumValue {
  E value;
  absl::string_view name;  // as documented and printed, e.g. "NEVER_THROW" or "shared-store"
};

template <typename E>
struct ConfigEnumDescription {
  absl::string_view type_name;                  // e.g. "ExceptionPolicy"
  absl::Span<const ConfigEnumValue<E>> values;  // every value, in documentation order
};

// The documented name of a config enum value, e.g. ConfigEnumName(StoreType::kJdbc) == "JDBC".
template <typename E>
absl::string_view ConfigEnumName(E value) {
  for (const ConfigEnumValue<E>& entry : DescribeConfigEnum(E{}).values) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

// The primary template is deliberately undefined: an unsupported field type fails to compile.
template <typename V, typename Enable = void>
struct ValueCodec;

// Every scalar codec provides:
//   static std::string TypeName();                 // for docs: "int", "Duration", "StoreType"
//   static std::string Expected();                 // "an integer", "true or false"
//   static absl::StatusOr<V> Parse(absl::string_view text);  // error message follows the value
//   static std::optional<V> NullValue();           // what "key:" with no value means, if allowed
//   static std::string Format(const V& value);     // as a user would write it

template <>
struct ValueCodec<bool> {
  static std::string TypeName() { return "boolean"; }
  static std::string Expected() { return "true or false"; }
  static absl::StatusOr<bool> Parse(absl::string_view text);
  static std::optional<bool> NullValue() { return std::nullopt; }
  static std::string Format(bool value) { return value ? "true" : "false"; }
};

template <>
struct ValueCodec<int32_t> {
  static std::string TypeName() { return "int"; }
  static std::string Expected() { return "an integer"; }
  static absl::StatusOr<int32_t> Parse(absl::string_view text);
  static std::optional<int32_t> NullValue() { return std::nullopt; }
  static std::string Format(int32_t value) { return absl::StrCat(value); }
};

template <>
struct ValueCodec<int64_t> {
  static std::string TypeName() { return "long"; }
  static std::string Expected() { return "an integer"; }
  static absl::StatusOr<int64_t> Parse(absl::string_view text);
  static std::optional<int64_t> NullValue() { return std::nullopt; }
  static std::string Format(int64_t value) { return absl::StrCat(value); }
};

template <>
struct ValueCodec<double> {
  static std::string TypeName() { return "double"; }
  static std::string Expected() { return "a number"; }
  static absl::StatusOr<double> Parse(absl::string_view text);
  static std::optional<double> NullValue() { return std::nullopt; }
  static std::string Format(double value);
};

template <>
struct ValueCodec<std::string> {
  static std::string TypeName() { return "String"; }
  static std::string Expected() { return "text"; }
  static absl::StatusOr<std::string> Parse(absl::string_view text) { return std::string(text); }
  static std::optional<std::string> NullValue() { return std::string(); }
  static std::string Format(const std::string& value) { return value; }
};

template <>
struct ValueCodec<absl::Duration> {
  static std::string TypeName() { return "Duration"; }
  static std::string Expected() { return "a duration such as 500ms, 10s, 7d or PT10S"; }
  static absl::StatusOr<absl::Duration> Parse(absl::string_view text) {
    return ParseConfigDuration(text);
  }
  static std::optional<absl::Duration> NullValue() { return std::nullopt; }
  static std::string Format(absl::Duration value) { return FormatConfigDuration(value); }
};

// An optional duration: empty text or no value means "not set" (e.g. wait indefinitely).
template <>
struct ValueCodec<std::optional<absl::Duration>> {
  static std::string TypeName() { return "Duration (empty = none)"; }
  static std::string Expected() { return ValueCodec<absl::Duration>::Expected(); }
  static absl::StatusOr<std::optional<absl::Duration>> Parse(absl::string_view text);
  static std::optional<std::optional<absl::Duration>> NullValue() {
    return std::optional<absl::Duration>();
  }
  static std::string Format(const std::optional<absl::Duration>& value) {
    return value.has_value() ? FormatConfigDuration(*value) : "";
  }
};

template <typename E>
struct ValueCodec<E, std::enable_if_t<std::is_enum_v<E>>> {
  static std::string TypeName() { return std::string(DescribeConfigEnum(E{}).type_name); }
  static std::string Expected() {
    return absl::StrCat("one of ",
                        absl::StrJoin(DescribeConfigEnum(E{}).values, ", ",
                                      [](std::string* out, const ConfigEnumValue<E>& entry) {
                                        out->append(entry.name.data(), entry.name.size());
                                      }));
  }
  static absl::StatusOr<E> Parse(absl::string_view text) {
    // Surrounding whitespace is never part of a name (" jdbc", a block scalar's "jdbc\n", a
    // Windows-edited env file's "jdbc\r").
    const std::string wanted = CanonicalKey(absl::StripAsciiWhitespace(text));
    for (const ConfigEnumValue<E>& entry : DescribeConfigEnum(E{}).values) {
      if (CanonicalKey(entry.name) == wanted) return entry.value;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("is not a ", TypeName(), " (expected ", Expected(), ")"));
  }
  static std::optional<E> NullValue() { return std::nullopt; }
  static std::string Format(E value) { return std::string(ConfigEnumName(value)); }
};

// Lists: the element codec per item. Formatted as "[a, b]".
template <typename E>
struct ValueCodec<std::vector<E>> {
  static std::string TypeName() { return absl::StrCat("List<", ValueCodec<E>::TypeName(), ">"); }
  static std::string Format(const std::vector<E>& values) {
    return absl::StrCat("[",
                        absl::StrJoin(values, ", ",
                                      [](std::string* out, const E& value) {
                                        out->append(ValueCodec<E>::Format(value));
                                      }),
                        "]");
  }
};

// True for std::vector<E>: those properties accept YAML lists, comma-separated strings and
// indexed environment variables.
template <typename V>
struct IsConfigList : std::false_type {};
template <typename E>
struct IsConfigList<std::vector<E>> : std::true_type {};

// The element type of a list property (the type itself for scalars).
template <typename V>
struct ConfigListElement {
  using type = V;
};
template <typename E>
struct ConfigListElement<std::vector<E>> {
  using type = E;
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_VALUE_H_
