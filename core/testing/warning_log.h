// WarningLog: a WarningSink for tests that keeps every message, from any thread.
//
//   WarningLog log;
//   options.warnings = log.Sink();
//   ...
//   EXPECT_THAT(log.messages(), ElementsAre(HasSubstr("discarded")));
//
// Thread-safe. Must outlive every sink it handed out.
#ifndef FAILOVER_CORE_TESTING_WARNING_LOG_H_
#define FAILOVER_CORE_TESTING_WARNING_LOG_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "core/sync.h"
#include "core/warning_sink.h"

namespace failover {

class WarningLog {
 public:
  WarningSink Sink() {
    return [this](absl::string_view message) {
      MutexLock lock(&mu_);
      messages_.emplace_back(message);
    };
  }
  std::vector<std::string> messages() {
    MutexLock lock(&mu_);
    return messages_;
  }

 private:
  Mutex mu_;
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
};

}  // namespace failover

#endif  // FAILOVER_CORE_TESTING_WARNING_LOG_H_
