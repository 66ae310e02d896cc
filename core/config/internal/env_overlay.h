// Applies environment-variable overrides to a ConfigNode tree before binding, with Spring's
// relaxed rules: the variable for "failover.store.jdbc.table-prefix" is
// FAILOVER_STORE_JDBC_TABLEPREFIX, or in Spring's legacy form FAILOVER_STORE_JDBC_TABLE_PREFIX
// (names match in any case); a list takes "a,b" or indexed NAME_0, NAME_1, ...; a map entry takes
// NAME_<KEY>_<PROPERTY> (FAILOVER_STORE_MULTITENANT_TENANTS_ACME_TABLEPREFIX); an element of a list
// of sections takes NAME_<INDEX>_<PROPERTY> (FAILOVER_REDIS_ENDPOINTS_0_URI), which updates the
// file's element or appends one right after the file's last. Overridden nodes
// replace what the file said and remember the variable's name. Two variables that would set the
// same property (names differing only in case, both name forms with different values, a list
// index given twice) are problems naming both.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_ENV_OVERLAY_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_ENV_OVERLAY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/config_node.h"
#include "core/config/config_problem.h"
#include "core/config/environment.h"
#include "core/config/internal/section_spec.h"

namespace failover {
namespace config_internal {

// The environment keyed by uppercased name, remembering which variables were used. When two
// names differ only in case, the first in byte order is kept and the others are listed in its
// `case_twins`. Not thread-safe.
class EnvIndex {
 public:
  struct Var {
    std::string name;  // as in the environment
    std::string value;
    bool used = false;
    std::vector<std::string> case_twins;  // other names equal to `name` but for case
  };

  explicit EnvIndex(const Environment& env);

  Var* Find(const std::string& upper_name);
  // Variables whose uppercased name starts with `upper_prefix`.
  std::vector<Var*> WithPrefix(const std::string& upper_prefix);
  std::vector<const Var*> Unused() const;

 private:
  std::map<std::string, Var> vars_;
};

// Overlays the variables for section `spec`, registered at dotted `section_path`, onto `root`.
// Appends the names of applied variables to `applied` and misuses (index gaps, repeated or
// zero-padded indexes, both list forms, a list of sections set whole, conflicting variables) to
// `problems`.
void ApplyEnvironment(const SectionSpec& spec, absl::string_view section_path, EnvIndex* env,
                      ConfigNode* root, std::vector<std::string>* applied,
                      std::vector<ConfigProblem>* problems);

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_ENV_OVERLAY_H_
