// A row of the property reference: what ConfigLoader::DescribeProperties() returns for every
// property of every registered section, and what `failoverctl config properties` prints.
#ifndef FAILOVER_CORE_CONFIG_PROPERTY_DESCRIPTION_H_
#define FAILOVER_CORE_CONFIG_PROPERTY_DESCRIPTION_H_

#include <string>

namespace failover {

struct PropertyDescription {
  // Dotted path; map keys appear as placeholders:
  // "failover.store.multitenant.tenants.<tenant-id>.table-prefix". A map itself has a row too
  // (type "Map<tenant-id, section>", default "{}", no env_var). Elements of a list of sections
  // appear as "failover.redis.endpoints[].uri" (env_var "FAILOVER_REDIS_ENDPOINTS_<INDEX>_URI"),
  // the list itself as a row of type "List<section>", default "[]", no env_var.
  std::string path;
  std::string env_var;        // e.g. "FAILOVER_STORE_JDBC_TABLEPREFIX"
  std::string type;           // "boolean", "int", "long", "double", "String", "Duration", ...
  std::string allowed;        // for enums: "INMEMORY | CAFFEINE | JDBC | CUSTOM"; else empty
  std::string default_value;  // as a user would write it; "" for an empty string
  std::string doc;            // one line
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_PROPERTY_DESCRIPTION_H_
