// Declares how a config struct binds to configuration: one ConfigSchema<T> per section struct,
// listing its properties (key, member, doc, validators), nested sections, maps and lists of
// sections, and cross-field checks. Defaults are the struct's default member initializers. A
// ConfigLoader (config_loader.h) binds registered schemas at dotted paths ("failover",
// "failover.redis").
//
//   struct PoolConfig {
//     int32_t max_size = 8;                     // pool.max-size
//     absl::Duration idle_timeout = absl::Minutes(1);
//   };
//   ConfigSchema<PoolConfig> PoolSchema() {
//     ConfigSchema<PoolConfig> schema;
//     schema.Property("max-size", &PoolConfig::max_size, "Connections kept open.")
//         .Validate(AtLeast<int32_t>(1));
//     schema.Property("idle-timeout", &PoolConfig::idle_timeout, "Idle connections close after.");
//     return schema;
//   }
//   // and in a parent: parent.Section("pool", &ParentConfig::pool, PoolSchema(), "Pooling.");
//   // or, for a YAML list of maps (- {max-size: 2}): a std::vector<PoolConfig> member,
//   //   parent.SectionList("pools", &ParentConfig::pools, PoolSchema(), "One pool per shard.");
//
// Keys are declared in kebab-case and match relaxed forms (tablePrefix, table_prefix). Build a
// schema completely before nesting it: Section(), SectionMap() and SectionList() copy it, as does
// copying a ConfigSchema. A built schema is safe to read from many threads; building one is not.
#ifndef FAILOVER_CORE_CONFIG_CONFIG_SCHEMA_H_
#define FAILOVER_CORE_CONFIG_CONFIG_SCHEMA_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/config/config_value.h"
#include "core/config/internal/node_reader.h"
#include "core/config/internal/section_spec.h"

namespace failover {

// Checks a typed value. Returns OK, or an error whose message is a phrase that follows the value
// in the report: "must be at least 1", "may contain only letters, digits, underscores and dots".
template <typename V>
using ConfigValidator = std::function<absl::Status(const V& value)>;

// Given to a section's cross-field checks. `key` is relative to the checked section and may name
// a property in a nested section ("heartbeat.enabled"); the report shows that property's value
// and position.
class CheckReporter {
 public:
  virtual void Error(absl::string_view key, absl::string_view expected) = 0;
  virtual void Warning(absl::string_view key, absl::string_view expected) = 0;
  // Whether the file or the environment gave `key` a value (false: it holds its default). A
  // check between two keys reports on the one the user wrote when only one was.
  virtual bool IsSet(absl::string_view key) const = 0;
  // Whether the file or the environment mentions the checked section at all (its key is present,
  // even with no value). False when the section was left out and holds only defaults; a list
  // element or map entry is always present.
  virtual bool SectionPresent() const = 0;

 protected:
  ~CheckReporter() = default;
};

namespace config_internal {
// Appends a problem with the declaration; reported when the schema is registered.
void CheckDeclaredKey(absl::string_view key, SectionSpec* spec);
}  // namespace config_internal

// Refines one property of a ConfigSchema<T>; returned by ConfigSchema<T>::Property().
template <typename T, typename V>
class PropertyDecl {
 public:
  PropertyDecl(config_internal::SectionSpec* spec, size_t index, V T::*member)
      : spec_(spec), index_(index), member_(member) {}

  // Adds a check of the whole value.
  PropertyDecl& Validate(ConfigValidator<V> validator) {
    V T::*member = member_;
    spec().validators.push_back([member, validator = std::move(validator)](
                                    const void* section, config_internal::ValueIssues* issues) {
      const V& value = static_cast<const T*>(section)->*member;
      absl::Status status = validator(value);
      if (!status.ok()) {
        issues->push_back({ValueCodec<V>::Format(value), std::string(status.message()), -1});
      }
    });
    return *this;
  }

  // For list properties: adds a check of each element; problems name the element's index.
  PropertyDecl& ValidateEach(ConfigValidator<typename ConfigListElement<V>::type> validator) {
    static_assert(IsConfigList<V>::value, "ValidateEach() is for list properties");
    using E = typename ConfigListElement<V>::type;
    V T::*member = member_;
    spec().validators.push_back([member, validator = std::move(validator)](
                                    const void* section, config_internal::ValueIssues* issues) {
      const V& values = static_cast<const T*>(section)->*member;
      for (size_t i = 0; i < values.size(); ++i) {
        absl::Status status = validator(values[i]);
        if (status.ok()) continue;
        issues->push_back(
            {ValueCodec<E>::Format(values[i]), std::string(status.message()), static_cast<int>(i)});
      }
    });
    return *this;
  }

  // Marks a password or token: its value never appears in messages or docs.
  PropertyDecl& Secret() {
    spec().secret = true;
    return *this;
  }

  // For values that are shown, but only in part (a URI that may hold a password): wherever the
  // value appears in messages or docs, `redact(value)` appears instead. Secret() wins.
  PropertyDecl& Redact(std::function<std::string(absl::string_view value)> redact) {
    spec().redact = std::move(redact);
    return *this;
  }

 private:
  config_internal::PropertySpec& spec() { return spec_->properties[index_]; }

  config_internal::SectionSpec* spec_;
  size_t index_;
  V T::*member_;
};

template <typename T>
class ConfigSchema {
 public:
  ConfigSchema() : spec_(std::make_unique<config_internal::SectionSpec>()) {}
  ConfigSchema(const ConfigSchema& other)
      : spec_(std::make_unique<config_internal::SectionSpec>(*other.spec_)) {}
  ConfigSchema& operator=(const ConfigSchema& other) {
    spec_ = std::make_unique<config_internal::SectionSpec>(*other.spec_);
    return *this;
  }
  ConfigSchema(ConfigSchema&&) = default;
  ConfigSchema& operator=(ConfigSchema&&) = default;

  // Declares property `key` bound to `member`, typed by ValueCodec<V>.
  template <typename V>
  PropertyDecl<T, V> Property(absl::string_view key, V T::*member, absl::string_view doc) {
    config_internal::CheckDeclaredKey(key, spec_.get());
    config_internal::PropertySpec property;
    property.key = std::string(key);
    property.doc = std::string(doc);
    property.type_name = ValueCodec<V>::TypeName();
    property.allowed = AllowedValues<V>();
    property.is_list = IsConfigList<V>::value;
    property.default_text = ValueCodec<V>::Format(T{}.*member);
    property.assign = [member](const ConfigNode& node, void* section,
                               config_internal::ValueIssues* issues) {
      config_internal::ReadValue(node, &(static_cast<T*>(section)->*member), issues);
    };
    property.format = [member](const void* section) {
      return ValueCodec<V>::Format(static_cast<const T*>(section)->*member);
    };
    spec_->properties.push_back(std::move(property));
    return PropertyDecl<T, V>(spec_.get(), spec_->properties.size() - 1, member);
  }

  // Declares nested section `key` bound to `member`, described by `schema`.
  template <typename S>
  ConfigSchema& Section(absl::string_view key, S T::*member, const ConfigSchema<S>& schema,
                        absl::string_view doc) {
    config_internal::CheckDeclaredKey(key, spec_.get());
    spec_->sections.push_back(config_internal::ChildSectionSpec{
        std::string(key), std::string(doc), schema.CopySpec(),
        [member](void* parent) -> void* { return &(static_cast<T*>(parent)->*member); },
        [member](const void* parent) -> const void* {
          return &(static_cast<const T*>(parent)->*member);
        }});
    return *this;
  }

  // Declares `key` as a map from verbatim names (e.g. tenant ids) to sections of `schema`.
  // `key_name` is the placeholder shown in docs ("tenant-id").
  template <typename S>
  ConfigSchema& SectionMap(absl::string_view key, std::map<std::string, S> T::*member,
                           absl::string_view key_name, const ConfigSchema<S>& schema,
                           absl::string_view doc) {
    config_internal::CheckDeclaredKey(key, spec_.get());
    spec_->maps.push_back(config_internal::SectionMapSpec{
        std::string(key), std::string(doc), std::string(key_name), schema.CopySpec(),
        [member](void* parent, const std::string& map_key) -> void* {
          return &(static_cast<T*>(parent)->*member)[map_key];
        },
        [member](const void* parent) {
          std::vector<std::pair<std::string, const void*>> entries;
          for (const auto& [map_key, value] : static_cast<const T*>(parent)->*member) {
            entries.emplace_back(map_key, &value);
          }
          return entries;
        }});
    return *this;
  }

  // Declares `key` as a YAML list of maps, each bound to an element of `member` with `schema`
  // (its defaults, validators and checks apply to every element). Problems name the element:
  // "endpoints[1].uri". Checks of this schema may report on an element's property with the
  // same form: reporter.Error("endpoints[1].name", "is used twice"). A list given in the file
  // replaces the default list; from the environment, KEY_<INDEX>_<PROPERTY> sets one property
  // of one element (see docs/config.md).
  template <typename S>
  ConfigSchema& SectionList(absl::string_view key, std::vector<S> T::*member,
                            const ConfigSchema<S>& schema, absl::string_view doc) {
    config_internal::CheckDeclaredKey(key, spec_.get());
    const size_t default_size = (T{}.*member).size();
    spec_->lists.push_back(config_internal::SectionListSpec{
        std::string(key), std::string(doc),
        default_size == 0 ? "[]" : absl::StrCat("[", default_size, " elements]"), schema.CopySpec(),
        [member](void* parent, size_t count) {
          std::vector<S>& list = static_cast<T*>(parent)->*member;
          list.clear();
          list.resize(count);
        },
        [member](const void* parent) { return (static_cast<const T*>(parent)->*member).size(); },
        [member](void* parent, size_t index) -> void* {
          return &(static_cast<T*>(parent)->*member)[index];
        },
        [member](const void* parent, size_t index) -> const void* {
          return &(static_cast<const T*>(parent)->*member)[index];
        }});
    return *this;
  }

  // Adds a cross-field check. It runs after the section's properties bound without problems.
  ConfigSchema& Check(std::function<void(const T& section, CheckReporter& reporter)> check) {
    spec_->checks.push_back(
        [check = std::move(check)](const void* section, CheckReporter& reporter) {
          check(*static_cast<const T*>(section), reporter);
        });
    return *this;
  }

  // A snapshot of the declaration, for the loader.
  std::shared_ptr<const config_internal::SectionSpec> CopySpec() const {
    return std::make_shared<const config_internal::SectionSpec>(*spec_);
  }

 private:
  template <typename V>
  static std::string AllowedValues() {
    if constexpr (std::is_enum_v<V>) {
      return absl::StrJoin(DescribeConfigEnum(V{}).values, " | ",
                           [](std::string* out, const ConfigEnumValue<V>& entry) {
                             out->append(entry.name.data(), entry.name.size());
                           });
    } else {
      return "";
    }
  }

  std::unique_ptr<config_internal::SectionSpec> spec_;  // never null
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_SCHEMA_H_
