#include "core/config/environment.h"

#include <cstring>

extern char** environ;

namespace failover {

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (equals == nullptr) continue;
    env.emplace(std::string(*entry, equals - *entry), std::string(equals + 1));
  }
  return env;
}

}  // namespace failover
