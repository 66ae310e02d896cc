#include "core/config/internal/binder.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/config/config_schema.h"
#include "core/config/config_value.h"
#include "core/config/internal/suggest.h"

namespace failover {
namespace config_internal {
namespace {

constexpr absl::string_view kSecretMask = "****";

// How `value` of `property` may be shown: masked when secret, redacted when it says how.
std::string Shown(const PropertySpec& property, std::string value) {
  if (property.secret) return std::string(kSecretMask);
  if (property.redact) return property.redact(value);
  return value;
}

// "endpoints[1]" -> "endpoints" and 1. False for a plain key.
bool ParseIndexed(absl::string_view part, absl::string_view* name, size_t* index) {
  const size_t open = part.find('[');
  if (open == absl::string_view::npos || part.back() != ']') return false;
  *name = part.substr(0, open);
  return absl::SimpleAtoi(part.substr(open + 1, part.size() - open - 2), index);
}

// The property `key` ("a.b.c", "list[2].c") names relative to `spec`, and the struct holding it.
const PropertySpec* FindProperty(const SectionSpec& spec, const void* section,
                                 absl::string_view key, const void** holder) {
  const std::vector<absl::string_view> parts = absl::StrSplit(key, '.');
  const SectionSpec* current = &spec;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    absl::string_view name;
    size_t index = 0;
    const SectionSpec* next = nullptr;
    if (ParseIndexed(parts[i], &name, &index)) {
      for (const SectionListSpec& list : current->lists) {
        if (list.key != name || index >= list.size(section)) continue;
        section = list.element_const(section, index);
        next = list.element_spec.get();
        break;
      }
    } else {
      for (const ChildSectionSpec& child : current->sections) {
        if (child.key != parts[i]) continue;
        section = child.access_const(section);
        next = child.spec.get();
        break;
      }
    }
    if (next == nullptr) return nullptr;
    current = next;
  }
  for (const PropertySpec& property : current->properties) {
    if (property.key == parts.back()) {
      *holder = section;
      return &property;
    }
  }
  return nullptr;
}

bool Declared(const SectionSpec& spec, const std::string& canonical) {
  for (const PropertySpec& p : spec.properties) {
    if (CanonicalKey(p.key) == canonical) return true;
  }
  for (const ChildSectionSpec& s : spec.sections) {
    if (CanonicalKey(s.key) == canonical) return true;
  }
  for (const SectionMapSpec& m : spec.maps) {
    if (CanonicalKey(m.key) == canonical) return true;
  }
  for (const SectionListSpec& l : spec.lists) {
    if (CanonicalKey(l.key) == canonical) return true;
  }
  return false;
}

// "name, uri, weight, pool": the keys an element of a list may have, for messages.
std::string ElementKeys(const SectionSpec& spec) {
  std::vector<absl::string_view> keys;
  for (const PropertySpec& p : spec.properties) keys.push_back(p.key);
  for (const ChildSectionSpec& s : spec.sections) keys.push_back(s.key);
  for (const SectionMapSpec& m : spec.maps) keys.push_back(m.key);
  for (const SectionListSpec& l : spec.lists) keys.push_back(l.key);
  return absl::StrJoin(keys, ", ");
}

const ConfigMapEntry* Lookup(const std::map<std::string, const ConfigMapEntry*>& entries,
                             absl::string_view key) {
  auto it = entries.find(CanonicalKey(key));
  return it == entries.end() ? nullptr : it->second;
}

}  // namespace

// Resolves a cross-field check's relative keys to paths, values and positions.
class Binder::Reporter : public CheckReporter {
 public:
  Reporter(Binder* binder, const SectionSpec& spec, const void* section, const std::string& path,
           bool present)
      : binder_(binder), spec_(spec), section_(section), path_(path), present_(present) {}

  void Error(absl::string_view key, absl::string_view expected) override {
    binder_->problems_->push_back(Make(key, expected));
  }
  void Warning(absl::string_view key, absl::string_view expected) override {
    binder_->warnings_->push_back(Make(key, expected));
  }
  bool IsSet(absl::string_view key) const override {
    return binder_->set_nodes_.count(absl::StrCat(path_, ".", key)) > 0;
  }
  bool SectionPresent() const override { return present_; }

 private:
  ConfigProblem Make(absl::string_view key, absl::string_view expected) {
    const std::string full = absl::StrCat(path_, ".", key);
    const void* holder = nullptr;
    const PropertySpec* property = FindProperty(spec_, section_, key, &holder);
    std::optional<std::string> value;
    if (property != nullptr) value = Shown(*property, property->format(holder));
    return binder_->ProblemAt(full, std::move(value), std::string(expected), Locate(full));
  }

  // Where `full` was set; for a property left at its default inside a list element, the element.
  const ConfigNode* Locate(const std::string& full) const {
    const auto& nodes = binder_->set_nodes_;
    if (auto it = nodes.find(full); it != nodes.end()) return it->second;
    for (size_t end = full.rfind(']'); end != std::string::npos && end > 0;
         end = full.rfind(']', end - 1)) {
      if (auto it = nodes.find(full.substr(0, end + 1)); it != nodes.end()) return it->second;
    }
    return nullptr;
  }

  Binder* binder_;
  const SectionSpec& spec_;
  const void* section_;
  const std::string& path_;
  const bool present_;
};

Binder::Binder(std::set<std::string> claimed_paths, const std::vector<std::string>* known_paths,
               std::vector<ConfigProblem>* problems, std::vector<ConfigProblem>* warnings)
    : claimed_paths_(std::move(claimed_paths)),
      suggester_(*known_paths),
      problems_(problems),
      warnings_(warnings) {}

void Binder::BindSection(const SectionSpec& spec, const ConfigNode* node, void* section,
                         const std::string& path) {
  const size_t problems_before = problems_->size();
  std::map<std::string, const ConfigMapEntry*> entries;
  if (node != nullptr && node->kind != ConfigNode::Kind::kNull) {
    if (node->kind == ConfigNode::Kind::kMap) {
      entries = IndexEntries(spec, *node, path);
    } else {
      problems_->push_back(ProblemAt(
          path,
          node->kind == ConfigNode::Kind::kScalar ? std::optional(node->scalar) : std::nullopt,
          absl::StrCat("is a section: expected a map of its properties, got ",
                       KindName(node->kind)),
          node));
    }
  }
  for (const PropertySpec& property : spec.properties) {
    BindProperty(property, Lookup(entries, property.key), section, path);
  }
  for (const ChildSectionSpec& child : spec.sections) {
    const ConfigMapEntry* entry = Lookup(entries, child.key);
    BindSection(*child.spec, entry == nullptr ? nullptr : &entry->value, child.access(section),
                absl::StrCat(path, ".", child.key));
  }
  for (const SectionMapSpec& map : spec.maps) {
    if (const ConfigMapEntry* entry = Lookup(entries, map.key)) BindMap(map, *entry, section, path);
  }
  for (const SectionListSpec& list : spec.lists) {
    if (const ConfigMapEntry* entry = Lookup(entries, list.key)) {
      BindList(list, *entry, section, path);
    }
  }
  if (problems_->size() != problems_before) return;
  Reporter reporter(this, spec, section, path, node != nullptr);
  for (const auto& check : spec.checks) check(section, reporter);
}

std::map<std::string, const ConfigMapEntry*> Binder::IndexEntries(const SectionSpec& spec,
                                                                  const ConfigNode& node,
                                                                  const std::string& path) {
  std::map<std::string, const ConfigMapEntry*> entries;
  for (const ConfigMapEntry& entry : node.entries) {
    const std::string canonical = CanonicalKey(entry.key);
    const std::string full = absl::StrCat(path, ".", entry.key);
    auto [it, inserted] = entries.emplace(canonical, &entry);
    if (!inserted) {
      ConfigProblem problem =
          ProblemAt(full, std::nullopt,
                    absl::StrCat("is set more than once (first as '", it->second->key, "' at line ",
                                 it->second->key_mark.line, ")"),
                    nullptr);
      problem.line = entry.key_mark.line;
      problem.column = entry.key_mark.column;
      problems_->push_back(std::move(problem));
      continue;
    }
    if (Declared(spec, canonical)) continue;
    if (claimed_paths_.count(CanonicalPath(full)) > 0) continue;
    entries.erase(it);
    ReportUnknown(full, entry);
  }
  return entries;
}

void Binder::ReportUnknown(const std::string& path, const ConfigMapEntry& entry) {
  if (entry.value.kind == ConfigNode::Kind::kMap && !entry.value.entries.empty()) {
    for (const ConfigMapEntry& child : entry.value.entries) {
      ReportUnknown(absl::StrCat(path, ".", child.key), child);
    }
    return;
  }
  if (unknown_reported_ >= kMaxUnknownReported) {
    ++unknown_omitted_;
    return;
  }
  ++unknown_reported_;
  std::string expected = "unknown property";
  if (std::optional<std::string> suggestion = suggester_.Suggest(path)) {
    absl::StrAppend(&expected, "; did you mean ", *suggestion, "?");
  }
  ConfigProblem problem = ProblemAt(path, std::nullopt, std::move(expected), &entry.value);
  problem.line = entry.key_mark.line;
  problem.column = entry.key_mark.column;
  problems_->push_back(std::move(problem));
}

void Binder::ReportOmittedUnknowns() {
  if (unknown_omitted_ == 0) return;
  problems_->push_back(ProblemAt(
      "", std::nullopt,
      absl::StrCat("... and ", unknown_omitted_, " more unknown properties (only the first ",
                   kMaxUnknownReported, " are listed)"),
      nullptr));
}

void Binder::BindProperty(const PropertySpec& property, const ConfigMapEntry* entry, void* section,
                          const std::string& path) {
  const std::string full = absl::StrCat(path, ".", property.key);
  const ConfigNode* node = entry == nullptr ? nullptr : &entry->value;
  if (node != nullptr) {
    ++properties_set_;
    set_nodes_[full] = node;
    WarnAboutPlaceholders(full, *node, property);
    ValueIssues issues;
    property.assign(*node, section, &issues);
    for (const ValueIssue& issue : issues) ReportIssue(full, issue, node, property);
    if (!issues.empty()) return;  // The default stays; validating it would only add noise.
  }
  ValueIssues issues;
  for (const auto& validator : property.validators) validator(section, &issues);
  for (const ValueIssue& issue : issues) {
    ReportIssue(full, issue, node != nullptr ? node : element_node_, property);
  }
}

void Binder::WarnAboutPlaceholders(const std::string& path, const ConfigNode& node,
                                   const PropertySpec& property) {
  const bool is_list = node.kind == ConfigNode::Kind::kSequence;
  for (size_t i = 0; i < (is_list ? node.items.size() : 1); ++i) {
    const ConfigNode& value = is_list ? node.items[i] : node;
    if (value.kind != ConfigNode::Kind::kScalar || !absl::StrContains(value.scalar, "${")) continue;
    warnings_->push_back(ProblemAt(
        is_list ? absl::StrCat(path, "[", i, "]") : path, Shown(property, value.scalar),
        "contains a ${...} placeholder; placeholders are not resolved, the text is used as is",
        &value));
  }
}

void Binder::BindMap(const SectionMapSpec& map, const ConfigMapEntry& entry, void* section,
                     const std::string& path) {
  const std::string full = absl::StrCat(path, ".", map.key);
  const ConfigNode& node = entry.value;
  if (node.kind == ConfigNode::Kind::kNull) return;
  if (node.kind != ConfigNode::Kind::kMap) {
    problems_->push_back(ProblemAt(full, std::nullopt,
                                   absl::StrCat("expected a map from ", map.key_name,
                                                " to settings, got ", KindName(node.kind)),
                                   &node));
    return;
  }
  std::set<std::string> seen;
  for (const ConfigMapEntry& child : node.entries) {
    const std::string child_path = absl::StrCat(full, ".", child.key);
    if (!seen.insert(child.key).second) {
      problems_->push_back(ProblemAt(child_path, std::nullopt, "is set more than once", nullptr));
      problems_->back().line = child.key_mark.line;
      problems_->back().column = child.key_mark.column;
      continue;
    }
    BindSection(*map.value_spec, &child.value, map.emplace(section, child.key), child_path);
  }
}

void Binder::BindList(const SectionListSpec& list, const ConfigMapEntry& entry, void* section,
                      const std::string& path) {
  const std::string full = absl::StrCat(path, ".", list.key);
  const ConfigNode& node = entry.value;
  set_nodes_[full] = &node;
  if (node.kind == ConfigNode::Kind::kNull) {  // "endpoints:" with no value: an empty list
    list.reset(section, 0);
    return;
  }
  if (node.kind != ConfigNode::Kind::kSequence) {
    problems_->push_back(ProblemAt(
        full, std::nullopt,
        absl::StrCat("is a list: expected a YAML list (one '- ' item or {...} per element), got ",
                     KindName(node.kind)),
        &node));
    return;
  }
  list.reset(section, node.items.size());
  const ConfigNode* const outer_element = element_node_;
  for (size_t i = 0; i < node.items.size(); ++i) {
    const ConfigNode& item = node.items[i];
    const std::string item_path = absl::StrCat(full, "[", i, "]");
    set_nodes_[item_path] = &item;
    if (item.kind != ConfigNode::Kind::kMap) {
      // The value is not echoed: a URI or password written as a bare element would be.
      problems_->push_back(
          ProblemAt(item_path, std::nullopt,
                    absl::StrCat("is a list element: expected a map of its "
                                 "properties (",
                                 ElementKeys(*list.element_spec), "), got ", KindName(item.kind)),
                    &item));
      continue;
    }
    element_node_ = &item;
    BindSection(*list.element_spec, &item, list.element(section, i), item_path);
  }
  element_node_ = outer_element;
}

void Binder::ReportIssue(const std::string& path, const ValueIssue& issue, const ConfigNode* node,
                         const PropertySpec& property) {
  const ConfigNode* at = node;
  std::optional<std::string> value = issue.value;
  if (node != nullptr && issue.element >= 0 && node->kind == ConfigNode::Kind::kSequence &&
      static_cast<size_t>(issue.element) < node->items.size()) {
    at = &node->items[issue.element];
  }
  // Prefer the text as written ("+5", "0.90") over the re-formatted value.
  if (at != nullptr && at->kind == ConfigNode::Kind::kScalar && (issue.element < 0 || at != node)) {
    value = at->scalar;
  }
  if (value.has_value()) value = Shown(property, std::move(*value));
  const std::string element_path =
      issue.element >= 0 ? absl::StrCat(path, "[", issue.element, "]") : path;
  problems_->push_back(ProblemAt(element_path, std::move(value), issue.expected, at));
}

ConfigProblem Binder::ProblemAt(std::string path, std::optional<std::string> value,
                                std::string expected, const ConfigNode* node) const {
  ConfigProblem problem;
  problem.path = std::move(path);
  problem.value = std::move(value);
  problem.expected = std::move(expected);
  if (node != nullptr) {
    problem.line = node->mark.line;
    problem.column = node->mark.column;
    problem.env_var = node->env_var;
  }
  return problem;
}

}  // namespace config_internal
}  // namespace failover
