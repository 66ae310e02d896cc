// A FailoverDataSource for tests that delegates to another one and fails on demand.
//
//   auto flaky = std::make_unique<FlakyFailoverDataSource>(std::move(disk_source));
//   FlakyFailoverDataSource* source = flaky.get();
//   ... FailoverReactor::Create(std::move(flaky), clock) ...
//   source->fail_data = true;  // The next GetData() is UNAVAILABLE.
#ifndef FAILOVER_NAMING_CLIENT_TESTING_FLAKY_FAILOVER_DATA_SOURCE_H_
#define FAILOVER_NAMING_CLIENT_TESTING_FLAKY_FAILOVER_DATA_SOURCE_H_

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "naming-client/failover_data_source.h"

namespace failover {
namespace naming {

// Not thread-safe: set the flags on the thread that runs the polls (with SimulatedClock, the
// thread that advances it).
class FlakyFailoverDataSource final : public FailoverDataSource {
 public:
  explicit FlakyFailoverDataSource(std::unique_ptr<FailoverDataSource> source)
      : source_(std::move(source)) {}
  absl::StatusOr<FailoverSwitch> GetSwitch() override {
    if (fail_switch) return absl::UnavailableError("switch unreadable");
    return source_->GetSwitch();
  }
  absl::StatusOr<FailoverData> GetData() override {
    if (fail_data) return absl::UnavailableError("directory unreadable");
    return source_->GetData();
  }
  bool fail_switch = false;
  bool fail_data = false;

 private:
  std::unique_ptr<FailoverDataSource> source_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_TESTING_FLAKY_FAILOVER_DATA_SOURCE_H_
