// Reads a ConfigNode into a typed value with ValueCodec<V>, for ConfigSchema<T>. Scalars accept
// kScalar (and kNull where the codec allows it); lists accept a YAML list of scalars, a
// comma-separated scalar, or no value (empty list).
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_NODE_READER_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_NODE_READER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/config/config_node.h"
#include "core/config/config_value.h"
#include "core/config/internal/section_spec.h"

namespace failover {
namespace config_internal {

// "expected a single value (one of A, B), got a map"
std::string WrongKindMessage(absl::string_view wanted, absl::string_view expected,
                             ConfigNode::Kind got);

// Parses one scalar-or-null node. Returns false (with an issue) when it could not.
template <typename V>
bool ReadScalar(const ConfigNode& node, int element, V* out, ValueIssues* issues) {
  if (node.kind == ConfigNode::Kind::kNull) {
    std::optional<V> null_value = ValueCodec<V>::NullValue();
    if (null_value.has_value()) {
      *out = std::move(*null_value);
      return true;
    }
    issues->push_back({std::nullopt,
                       absl::StrCat("has no value (expected ", ValueCodec<V>::Expected(), ")"),
                       element});
    return false;
  }
  if (node.kind != ConfigNode::Kind::kScalar) {
    issues->push_back({std::nullopt,
                       WrongKindMessage("a single value", ValueCodec<V>::Expected(), node.kind),
                       element});
    return false;
  }
  absl::StatusOr<V> parsed = ValueCodec<V>::Parse(node.scalar);
  if (!parsed.ok()) {
    issues->push_back({node.scalar, std::string(parsed.status().message()), element});
    return false;
  }
  *out = std::move(*parsed);
  return true;
}

template <typename V>
void ReadValue(const ConfigNode& node, V* out, ValueIssues* issues) {
  ReadScalar(node, -1, out, issues);
}

template <typename E>
void ReadValue(const ConfigNode& node, std::vector<E>* out, ValueIssues* issues) {
  std::vector<E> values;
  bool ok = true;
  if (node.kind == ConfigNode::Kind::kScalar) {
    // Spring's comma-delimited form; blank elements are dropped.
    int index = 0;
    for (absl::string_view part : absl::StrSplit(node.scalar, ',', absl::SkipWhitespace())) {
      E value{};
      ok &= ReadScalar(ConfigNode::Scalar(std::string(absl::StripAsciiWhitespace(part))), index++,
                       &value, issues);
      values.push_back(std::move(value));
    }
  } else if (node.kind == ConfigNode::Kind::kSequence) {
    for (size_t i = 0; i < node.items.size(); ++i) {
      E value{};
      ok &= ReadScalar(node.items[i], static_cast<int>(i), &value, issues);
      values.push_back(std::move(value));
    }
  } else if (node.kind == ConfigNode::Kind::kMap) {
    issues->push_back(
        {std::nullopt, WrongKindMessage("a list", ValueCodec<E>::Expected(), node.kind), -1});
    ok = false;
  }
  if (ok) *out = std::move(values);
}

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_NODE_READER_H_
