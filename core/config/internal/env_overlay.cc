#include "core/config/internal/env_overlay.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/config/config_value.h"
#include "core/config/internal/schema_index.h"

namespace failover {
namespace config_internal {

EnvIndex::EnvIndex(const Environment& env) {
  for (const auto& [name, value] : env) {
    auto [it, inserted] = vars_.emplace(absl::AsciiStrToUpper(name), Var{name, value, false, {}});
    if (!inserted) it->second.case_twins.push_back(name);
  }
}

EnvIndex::Var* EnvIndex::Find(const std::string& upper_name) {
  auto it = vars_.find(upper_name);
  return it == vars_.end() ? nullptr : &it->second;
}

std::vector<EnvIndex::Var*> EnvIndex::WithPrefix(const std::string& upper_prefix) {
  std::vector<Var*> out;
  for (auto it = vars_.lower_bound(upper_prefix);
       it != vars_.end() && absl::StartsWith(it->first, upper_prefix); ++it) {
    out.push_back(&it->second);
  }
  return out;
}

std::vector<const EnvIndex::Var*> EnvIndex::Unused() const {
  std::vector<const Var*> out;
  for (const auto& [upper, var] : vars_) {
    if (!var.used) out.push_back(&var);
  }
  return out;
}

namespace {

struct Segment {
  std::string key;
  bool verbatim;   // a map key: matched exactly, not by relaxed binding
  int index = -1;  // >= 0: the element of a list with this index (`key` unused)
};
using SegmentPath = std::vector<Segment>;

SegmentPath Append(SegmentPath path, std::string key, bool verbatim = false) {
  path.push_back(Segment{std::move(key), verbatim});
  return path;
}

SegmentPath AppendIndex(SegmentPath path, int index) {
  path.push_back(Segment{"", false, index});
  return path;
}

// "failover.redis.endpoints[0].uri"
std::string DottedPath(const SegmentPath& path) {
  std::string out;
  for (const Segment& segment : path) {
    if (segment.index >= 0) {
      absl::StrAppend(&out, "[", segment.index, "]");
    } else {
      absl::StrAppend(&out, out.empty() ? "" : ".", segment.key);
    }
  }
  return out;
}

ConfigMapEntry* FindEntry(ConfigNode* map, const Segment& segment) {
  for (ConfigMapEntry& entry : map->entries) {
    if (segment.verbatim ? entry.key == segment.key
                         : CanonicalKey(entry.key) == CanonicalKey(segment.key)) {
      return &entry;
    }
  }
  return nullptr;
}

// Replaces the node at `path`, creating maps (and list elements) on the way. False when the file
// put something else on the way; the binder reports that.
bool SetNode(ConfigNode* root, const SegmentPath& path, ConfigNode value) {
  ConfigNode* current = root;
  for (const Segment& segment : path) {
    if (segment.index >= 0) {
      if (current->kind == ConfigNode::Kind::kNull) current->kind = ConfigNode::Kind::kSequence;
      if (current->kind != ConfigNode::Kind::kSequence) return false;
      const size_t index = static_cast<size_t>(segment.index);
      if (current->items.size() <= index) current->items.resize(index + 1);
      current = &current->items[index];
      continue;
    }
    if (current->kind == ConfigNode::Kind::kNull) current->kind = ConfigNode::Kind::kMap;
    if (current->kind != ConfigNode::Kind::kMap) return false;
    ConfigMapEntry* entry = FindEntry(current, segment);
    if (entry == nullptr) {
      current->entries.push_back(ConfigMapEntry{segment.key, SourceMark{}, ConfigNode()});
      entry = &current->entries.back();
    }
    current = &entry->value;
  }
  *current = std::move(value);
  return true;
}

// The node at `path` if it exists.
const ConfigNode* GetNode(ConfigNode* root, const SegmentPath& path) {
  ConfigNode* current = root;
  for (const Segment& segment : path) {
    if (segment.index >= 0) {
      if (current->kind != ConfigNode::Kind::kSequence ||
          current->items.size() <= static_cast<size_t>(segment.index)) {
        return nullptr;
      }
      current = &current->items[segment.index];
      continue;
    }
    if (current->kind != ConfigNode::Kind::kMap) return nullptr;
    ConfigMapEntry* entry = FindEntry(current, segment);
    if (entry == nullptr) return nullptr;
    current = &entry->value;
  }
  return current;
}

ConfigNode EnvScalar(const EnvIndex::Var& var) {
  ConfigNode node = ConfigNode::Scalar(var.value);
  node.env_var = var.name;
  return node;
}

ConfigProblem EnvProblem(const SegmentPath& path, std::string expected, const std::string& var) {
  ConfigProblem problem;
  problem.path = DottedPath(path);
  problem.expected = std::move(expected);
  problem.env_var = var;
  return problem;
}

class Overlay {
 public:
  Overlay(EnvIndex* env, ConfigNode* root, std::vector<std::string>* applied,
          std::vector<ConfigProblem>* problems)
      : env_(env), root_(root), applied_(applied), problems_(problems) {}

  void Section(const SectionSpec& spec, const SegmentPath& path) {
    for (const PropertySpec& property : spec.properties) {
      Property(property, Append(path, property.key));
    }
    for (const ChildSectionSpec& child : spec.sections)
      Section(*child.spec, Append(path, child.key));
    for (const SectionMapSpec& map : spec.maps) Map(map, Append(path, map.key));
    for (const SectionListSpec& list : spec.lists) List(list, Append(path, list.key));
  }

 private:
  void Apply(const SegmentPath& path, ConfigNode node, std::vector<EnvIndex::Var*> vars) {
    for (EnvIndex::Var* var : vars) {
      var->used = true;
      for (const std::string& twin : var->case_twins) {
        problems_->push_back(EnvProblem(path,
                                        absl::StrCat("is set by both ", var->name, " and ", twin,
                                                     ", whose names differ only in case; use one"),
                                        var->name));
      }
    }
    if (!SetNode(root_, path, std::move(node))) return;
    for (EnvIndex::Var* var : vars) applied_->push_back(var->name);
  }

  void Property(const PropertySpec& property, const SegmentPath& path) {
    const std::string name = EnvName(DottedPath(path));
    const std::string legacy = LegacyEnvName(DottedPath(path));
    std::vector<EnvIndex::Var*> whole = Whole(path, name, legacy);
    std::vector<std::pair<int, EnvIndex::Var*>> indexed;
    if (property.is_list) indexed = Indexed(path, name, legacy);
    if (indexed.empty()) {
      if (!whole.empty()) Apply(path, EnvScalar(*whole[0]), whole);
      return;
    }
    ConfigNode list;
    list.kind = ConfigNode::Kind::kSequence;
    std::vector<EnvIndex::Var*> vars;
    bool gap_reported = false;
    for (size_t i = 0; i < indexed.size(); ++i) {
      if (indexed[i].first != static_cast<int>(i) && !gap_reported) {
        gap_reported = true;  // every later index is off too; the first gap says it all
        problems_->push_back(EnvProblem(
            path,
            absl::StrCat("indexed variables must be numbered 0, 1, 2, ... without gaps; ",
                         "found no ", name, "_", i),
            indexed[i].second->name));
      }
      list.items.push_back(EnvScalar(*indexed[i].second));
      vars.push_back(indexed[i].second);
    }
    if (!whole.empty()) {
      for (EnvIndex::Var* var : whole) var->used = true;
      problems_->push_back(EnvProblem(
          path, absl::StrCat("is set both as ", whole[0]->name, " and as ", name, "_0...; use one"),
          whole[0]->name));
    }
    Apply(path, std::move(list), std::move(vars));
  }

  // The variables naming the whole property, in the current and the legacy form. When both are
  // set to different values that is a problem, and none is returned.
  std::vector<EnvIndex::Var*> Whole(const SegmentPath& path, const std::string& name,
                                    const std::string& legacy) {
    std::vector<EnvIndex::Var*> out;
    if (EnvIndex::Var* var = env_->Find(name)) out.push_back(var);
    if (legacy == name) return out;
    if (EnvIndex::Var* var = env_->Find(legacy)) out.push_back(var);
    if (out.size() == 2 && out[0]->value != out[1]->value) {
      for (EnvIndex::Var* var : out) var->used = true;
      problems_->push_back(EnvProblem(path,
                                      absl::StrCat("is set by both ", out[0]->name, " and ",
                                                   out[1]->name, " with different values; use one"),
                                      out[0]->name));
      return {};
    }
    return out;
  }

  // NAME_0, NAME_1, ... (in either name form) sorted by index. Zero-padded ("_01") and repeated
  // indexes are problems and left out.
  std::vector<std::pair<int, EnvIndex::Var*>> Indexed(const SegmentPath& path,
                                                      const std::string& name,
                                                      const std::string& legacy) {
    std::vector<std::pair<int, EnvIndex::Var*>> found;
    IndexedWithPrefix(path, absl::StrCat(name, "_"), &found);
    if (legacy != name) IndexedWithPrefix(path, absl::StrCat(legacy, "_"), &found);
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<int, EnvIndex::Var*>> out;
    for (const auto& [index, var] : found) {
      if (!out.empty() && out.back().first == index) {
        var->used = true;
        problems_->push_back(
            EnvProblem(path,
                       absl::StrCat("index ", index, " is set by both ", out.back().second->name,
                                    " and ", var->name, "; use one"),
                       var->name));
        continue;
      }
      out.emplace_back(index, var);
    }
    return out;
  }

  void IndexedWithPrefix(const SegmentPath& path, const std::string& prefix,
                         std::vector<std::pair<int, EnvIndex::Var*>>* out) {
    for (EnvIndex::Var* var : env_->WithPrefix(prefix)) {
      const absl::string_view rest = absl::string_view(var->name).substr(prefix.size());
      if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) {
            return absl::ascii_isdigit(static_cast<unsigned char>(c));
          })) {
        continue;  // not an indexed variable
      }
      int index = 0;
      if ((rest.size() > 1 && rest[0] == '0') || !absl::SimpleAtoi(rest, &index)) {
        var->used = true;
        problems_->push_back(EnvProblem(
            path,
            absl::StrCat("the index of ", var->name,
                         " must be a number from 0 without leading zeros (NAME_0, NAME_1, ...)"),
            var->name));
        continue;
      }
      out->emplace_back(index, var);
    }
  }

  void Map(const SectionMapSpec& map, const SegmentPath& path) {
    std::vector<std::pair<std::string, SegmentPath>> leaves;  // env suffix, relative path
    Leaves(*map.value_spec, {}, &leaves);
    // Longest suffix first, so KEY_A_B prefers property "a-b" over "b".
    std::stable_sort(leaves.begin(), leaves.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    std::vector<std::string> prefixes = {absl::StrCat(EnvName(DottedPath(path)), "_")};
    const std::string legacy = absl::StrCat(LegacyEnvName(DottedPath(path)), "_");
    if (legacy != prefixes[0]) prefixes.push_back(legacy);
    std::map<std::string, EnvIndex::Var*> set_by;  // dotted path -> the variable that set it
    for (const std::string& prefix : prefixes) {
      for (EnvIndex::Var* var : env_->WithPrefix(prefix)) {
        if (var->used) continue;
        const std::string rest = absl::AsciiStrToUpper(var->name).substr(prefix.size());
        for (const auto& [suffix, relative] : leaves) {
          if (rest.size() <= suffix.size() + 1 ||
              !absl::EndsWith(rest, absl::StrCat("_", suffix))) {
            continue;
          }
          const std::string key =
              MapKey(path, var->name.substr(prefix.size(), rest.size() - suffix.size() - 1));
          SegmentPath full = Append(path, key, /*verbatim=*/true);
          full.insert(full.end(), relative.begin(), relative.end());
          auto [it, inserted] = set_by.emplace(DottedPath(full), var);
          if (!inserted && it->second->value != var->value) {
            var->used = true;
            problems_->push_back(
                EnvProblem(full,
                           absl::StrCat("is set by both ", it->second->name, " and ", var->name,
                                        " with different values; use one"),
                           var->name));
            break;
          }
          Apply(full, EnvScalar(*var), {var});
          break;
        }
      }
    }
  }

  // NAME_<INDEX>_<PROPERTY> sets one property of one element of a list of sections: of the
  // file's element when it has one, else of a new element appended. New elements must follow the
  // file's without gaps. The list cannot be given whole (NAME alone).
  void List(const SectionListSpec& list, const SegmentPath& path) {
    const std::string name = EnvName(DottedPath(path));
    const std::string legacy = LegacyEnvName(DottedPath(path));
    std::vector<std::pair<std::string, SegmentPath>> found;
    Leaves(*list.element_spec, {}, &found);
    const std::string example = found.empty() ? std::string("<PROPERTY>") : found.front().first;
    std::map<std::string, SegmentPath> leaves;  // env suffix -> relative path
    for (auto& [suffix, relative] : found) leaves.emplace(suffix, std::move(relative));
    for (EnvIndex::Var* var : Whole(path, name, legacy)) {
      var->used = true;
      problems_->push_back(EnvProblem(
          path,
          absl::StrCat("is a list of sections and cannot be set by one variable; set each "
                       "element's properties instead, e.g. ",
                       name, "_0_", example),
          var->name));
    }
    std::vector<ListOverride> overrides = ListOverrides(path, name, legacy, leaves);
    if (overrides.empty()) return;

    const ConfigNode* in_file = GetNode(root_, path);
    if (in_file != nullptr && in_file->kind != ConfigNode::Kind::kNull &&
        in_file->kind != ConfigNode::Kind::kSequence) {
      for (ListOverride& o : overrides) o.var->used = true;  // the binder reports the file's value
      return;
    }
    const int in_file_size = in_file == nullptr ? 0 : static_cast<int>(in_file->items.size());
    // Indexes past the file's elements must continue them: n, n+1, ... (overrides are sorted).
    int next = in_file_size;
    int limit = std::numeric_limits<int>::max();
    for (const ListOverride& o : overrides) {
      if (o.index < next) continue;
      if (o.index == next) {
        ++next;
        continue;
      }
      limit = o.index;
      problems_->push_back(EnvProblem(
          path,
          absl::StrCat("indexed variables must number the elements 0, 1, 2, ... without gaps; "
                       "found no ",
                       name, "_", next, "_<PROPERTY> (the file has ", in_file_size,
                       in_file_size == 1 ? " element)" : " elements)"),
          o.var->name));
      break;
    }
    for (ListOverride& o : overrides) {
      if (o.index >= limit) {
        o.var->used = true;
        continue;
      }
      SegmentPath full = AppendIndex(path, o.index);
      full.insert(full.end(), o.relative.begin(), o.relative.end());
      Apply(full, EnvScalar(*o.var), {o.var});
    }
  }

  struct ListOverride {
    int index;
    SegmentPath relative;  // within the element
    EnvIndex::Var* var;
  };

  // The variables NAME_<INDEX>_<SUFFIX> (either name form) whose suffix is a property of the
  // element, sorted by index. Zero-padded indexes and one property set twice with different
  // values are problems and left out.
  std::vector<ListOverride> ListOverrides(const SegmentPath& path, const std::string& name,
                                          const std::string& legacy,
                                          const std::map<std::string, SegmentPath>& leaves) {
    std::vector<ListOverride> found;
    std::vector<std::string> prefixes = {absl::StrCat(name, "_")};
    if (legacy != name) prefixes.push_back(absl::StrCat(legacy, "_"));
    for (const std::string& prefix : prefixes) {
      for (EnvIndex::Var* var : env_->WithPrefix(prefix)) {
        if (var->used) continue;
        const std::string rest = absl::AsciiStrToUpper(var->name).substr(prefix.size());
        const size_t underscore = rest.find('_');
        if (underscore == 0 || underscore == std::string::npos) continue;
        const absl::string_view index_text = absl::string_view(rest).substr(0, underscore);
        if (!std::all_of(index_text.begin(), index_text.end(), [](char c) {
              return absl::ascii_isdigit(static_cast<unsigned char>(c));
            })) {
          continue;  // another property whose name starts like the list's
        }
        auto leaf = leaves.find(rest.substr(underscore + 1));
        if (leaf == leaves.end()) continue;  // unused: warned about as a look-alike
        int index = 0;
        if ((index_text.size() > 1 && index_text[0] == '0') ||
            !absl::SimpleAtoi(index_text, &index)) {
          var->used = true;
          problems_->push_back(
              EnvProblem(path,
                         absl::StrCat("the index of ", var->name,
                                      " must be a number from 0 without leading zeros (NAME_0_..., "
                                      "NAME_1_...)"),
                         var->name));
          continue;
        }
        found.push_back(ListOverride{index, leaf->second, var});
      }
    }
    std::stable_sort(found.begin(), found.end(), [](const ListOverride& a, const ListOverride& b) {
      return a.index < b.index;
    });
    std::vector<ListOverride> out;
    std::map<std::string, EnvIndex::Var*> set_by;  // "<index>.<relative path>" -> variable
    for (ListOverride& o : found) {
      auto [it, inserted] =
          set_by.emplace(absl::StrCat(o.index, ".", DottedPath(o.relative)), o.var);
      if (!inserted) {
        o.var->used = true;
        if (it->second->value != o.var->value) {
          SegmentPath full = AppendIndex(path, o.index);
          full.insert(full.end(), o.relative.begin(), o.relative.end());
          problems_->push_back(
              EnvProblem(full,
                         absl::StrCat("is set by both ", it->second->name, " and ", o.var->name,
                                      " with different values; use one"),
                         o.var->name));
        }
        continue;
      }
      out.push_back(std::move(o));
    }
    return out;
  }

  // The file's key when one matches `env_key` in relaxed form (Acme for ACME), else lowercase.
  std::string MapKey(const SegmentPath& map_path, const std::string& env_key) {
    const ConfigNode* map = GetNode(root_, map_path);
    if (map != nullptr && map->kind == ConfigNode::Kind::kMap) {
      for (const ConfigMapEntry& entry : map->entries) {
        if (CanonicalKey(entry.key) == CanonicalKey(env_key)) return entry.key;
      }
    }
    return absl::AsciiStrToLower(env_key);
  }

  // Every property of a map value's schema (nested maps excluded) with its env suffix.
  static void Leaves(const SectionSpec& spec, const SegmentPath& path,
                     std::vector<std::pair<std::string, SegmentPath>>* out) {
    for (const PropertySpec& property : spec.properties) {
      const SegmentPath full = Append(path, property.key);
      out->emplace_back(EnvName(DottedPath(full)), full);
      const std::string legacy = LegacyEnvName(DottedPath(full));
      if (legacy != out->back().first) out->emplace_back(legacy, full);
    }
    for (const ChildSectionSpec& child : spec.sections) {
      Leaves(*child.spec, Append(path, child.key), out);
    }
  }

  EnvIndex* env_;
  ConfigNode* root_;
  std::vector<std::string>* applied_;
  std::vector<ConfigProblem>* problems_;
};

}  // namespace

void ApplyEnvironment(const SectionSpec& spec, absl::string_view section_path, EnvIndex* env,
                      ConfigNode* root, std::vector<std::string>* applied,
                      std::vector<ConfigProblem>* problems) {
  SegmentPath path;
  for (absl::string_view segment : absl::StrSplit(section_path, '.')) {
    path = Append(std::move(path), std::string(segment));
  }
  Overlay(env, root, applied, problems).Section(spec, path);
}

}  // namespace config_internal
}  // namespace failover
