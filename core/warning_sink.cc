#include "core/warning_sink.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"

namespace failover {

WarningSink StderrWarningSink() {
  return [](absl::string_view message) {
    const std::string line = absl::StrCat("failover: WARNING: ", message, "\n");
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace failover
