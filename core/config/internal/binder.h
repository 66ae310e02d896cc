// Binds a ConfigNode tree into section structs following their SectionSpec: assigns properties,
// runs validators and cross-field checks, binds maps and lists of sections, reports unknown keys
// with suggestions, duplicates and wrong node kinds. Collects every problem instead of stopping at
// the first.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_BINDER_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_BINDER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/config/config_node.h"
#include "core/config/config_problem.h"
#include "core/config/internal/section_spec.h"
#include "core/config/internal/suggest.h"

namespace failover {
namespace config_internal {

// One Binder per load. Not thread-safe.
class Binder {
 public:
  // `claimed_paths`: canonical paths (CanonicalPath) bound by other registered sections; keys
  // there are skipped, not unknown. `known_paths`: every valid path, for suggestions (prepared
  // once here).
  Binder(std::set<std::string> claimed_paths, const std::vector<std::string>* known_paths,
         std::vector<ConfigProblem>* problems, std::vector<ConfigProblem>* warnings);

  // Binds `node` (nullptr or kNull when the section is absent) into `section` at dotted `path`.
  void BindSection(const SectionSpec& spec, const ConfigNode* node, void* section,
                   const std::string& path);

  // After every section is bound: one problem counting the unknown keys beyond the first
  // kMaxUnknownReported, which are not listed one by one.
  void ReportOmittedUnknowns();

  // How many properties were given a value (by the file or the environment).
  int properties_set() const { return properties_set_; }

 private:
  class Reporter;

  void BindProperty(const PropertySpec& property, const ConfigMapEntry* entry, void* section,
                    const std::string& path);
  void BindMap(const SectionMapSpec& map, const ConfigMapEntry& entry, void* section,
               const std::string& path);
  void BindList(const SectionListSpec& list, const ConfigMapEntry& entry, void* section,
                const std::string& path);
  // Indexes `node`'s entries by canonical key; reports duplicates and unknown keys.
  std::map<std::string, const ConfigMapEntry*> IndexEntries(const SectionSpec& spec,
                                                            const ConfigNode& node,
                                                            const std::string& path);
  // Spring would resolve "${HOSTNAME}"; this loader does not, so say so.
  void WarnAboutPlaceholders(const std::string& path, const ConfigNode& node,
                             const PropertySpec& property);
  void ReportUnknown(const std::string& path, const ConfigMapEntry& entry);
  void ReportIssue(const std::string& path, const ValueIssue& issue, const ConfigNode* node,
                   const PropertySpec& property);
  // A problem located at `node` (or nowhere, when null).
  ConfigProblem ProblemAt(std::string path, std::optional<std::string> value, std::string expected,
                          const ConfigNode* node) const;

  // A file of thousands of stray keys (a wrong file, generated junk) gets a readable report.
  static constexpr int kMaxUnknownReported = 100;

  std::set<std::string> claimed_paths_;
  PathSuggester suggester_;
  int unknown_reported_ = 0;
  int unknown_omitted_ = 0;
  std::vector<ConfigProblem>* problems_;
  std::vector<ConfigProblem>* warnings_;
  // Path -> the node it was set from, for locating problems found later (validators, checks).
  // Lists and their elements ("a.list", "a.list[0]") are recorded too.
  std::map<std::string, const ConfigNode*> set_nodes_;
  // While binding a list element: its node, where problems with properties it leaves at their
  // defaults are located (a missing required name points at the element).
  const ConfigNode* element_node_ = nullptr;
  int properties_set_ = 0;
};

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_BINDER_H_
