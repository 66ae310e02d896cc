#include "tools/failoverctl/naming_lookup.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/failover_reactor.h"

namespace failover {
namespace {

using naming::FailoverData;
using naming::FailoverSwitch;
using naming::ServiceKey;

// Passes every call to the source and keeps what it answered, so that the reason for an empty
// answer comes from exactly what the reactor saw. Thread-safe.
class RecordingSource final : public naming::FailoverDataSource {
 public:
  struct Reads {
    std::optional<absl::StatusOr<FailoverSwitch>> last_switch;
    std::optional<absl::StatusOr<FailoverData>> last_data;
  };

  explicit RecordingSource(std::unique_ptr<naming::FailoverDataSource> source)
      : source_(std::move(source)) {}

  absl::StatusOr<FailoverSwitch> GetSwitch() override {
    absl::StatusOr<FailoverSwitch> result = source_->GetSwitch();
    MutexLock lock(&mu_);
    reads_.last_switch = result;
    return result;
  }
  absl::StatusOr<FailoverData> GetData() override {
    absl::StatusOr<FailoverData> result = source_->GetData();
    MutexLock lock(&mu_);
    reads_.last_data = result;
    return result;
  }
  Reads reads() const {
    MutexLock lock(&mu_);
    return reads_;
  }

 private:
  const std::unique_ptr<naming::FailoverDataSource> source_;
  mutable Mutex mu_;
  Reads reads_ ABSL_GUARDED_BY(mu_);
};

// Why the reactor's Lookup(key) answered nothing, from what it read.
std::string WhyNothing(const ServiceKey& key, const std::string& dir,
                       const RecordingSource::Reads& reads) {
  if (!reads.last_switch.has_value() || !reads.last_switch->ok()) {
    const absl::Status error = reads.last_switch.has_value() ? reads.last_switch->status()
                                                             : absl::UnknownError("not read");
    return absl::StrCat("failover switch unknown, so a starting client is off: ", error.message());
  }
  if (!(*reads.last_switch)->enabled) {
    return absl::StrCat("failover is off: ", (*reads.last_switch)->reason);
  }
  if (!reads.last_data.has_value() || !reads.last_data->ok()) {
    return absl::StrCat("failover data unreadable: ", reads.last_data.has_value()
                                                          ? reads.last_data->status().message()
                                                          : "not read");
  }
  const FailoverData& data = **reads.last_data;
  auto it = data.services.find(key.ToString());
  if (it == data.services.end() && !key.clusters.empty()) {
    it = data.services.find(key.GroupedName());
  }
  if (it == data.services.end()) {
    for (const naming::FailoverFileProblem& problem : data.problems) {
      absl::StatusOr<ServiceKey> named = naming::ParseFailoverFileName(problem.origin);
      if (named.ok() && (*named == key || named->ToString() == key.GroupedName())) {
        return absl::StrCat("failover data for ", key.ToString(),
                            " is not usable: ", problem.message);
      }
    }
    return absl::StrCat("no failover data for ", key.ToString(), " in '", dir, "' (file '",
                        naming::FailoverFileName(key), "')");
  }
  const v1::ServiceInfo& info = *it->second.info;
  const std::string where = absl::StrCat(it->first, " (file '", it->second.origin, "')");
  if (info.hosts_size() == 0) {
    return absl::StrCat("failover data for ", where, " has no hosts; clients fall through");
  }
  std::set<std::string> present;
  for (const v1::Instance& host : info.hosts()) present.insert(host.cluster_name());
  return absl::StrCat("no host of ", where, " is in clusters ", key.clusters,
                      " (its hosts are in: ", absl::StrJoin(present, ", "), ")");
}

}  // namespace

absl::StatusOr<FailoverLookup> LookupFailover(const std::string& directory, const ServiceKey& key) {
  naming::DiskFailoverOptions options;
  options.directory = directory;
  absl::StatusOr<std::unique_ptr<naming::DiskFailoverDataSource>> disk =
      naming::DiskFailoverDataSource::Create(std::move(options));
  if (!disk.ok()) return disk.status();
  auto recorder = std::make_unique<RecordingSource>(*std::move(disk));
  const RecordingSource* reads = recorder.get();
  // The reactor reads the source once, in Create(); a clock that is never advanced means no poll
  // after that and no timer thread, which is all a one-shot command needs.
  SimulatedClock clock;
  absl::StatusOr<std::unique_ptr<naming::FailoverReactor>> reactor =
      naming::FailoverReactor::Create(std::move(recorder), clock);
  if (!reactor.ok()) return reactor.status();
  FailoverLookup answer;
  answer.info = (*reactor)->Lookup(key);
  if (answer.info == nullptr) answer.why_not = WhyNothing(key, directory, reads->reads());
  return answer;
}

}  // namespace failover
