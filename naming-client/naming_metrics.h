// NamingMetrics: the naming client's failover.naming.* metrics in a MetricsRegistry: the state of
// a FailoverReactor (switch, failover instances per service, bad files, reloads, source errors)
// and where lookups were answered from.
//
//   failover::naming::NamingMetrics metrics(registry, {{"namespace", "public"}});
//   absl::Status attached = metrics.AttachTo(*reactor);  // gauges set now, then after every poll
//   metrics.RecordLookup(failover::naming::LookupSource::kFailover);
//
// | metric                                  | kind    | tags (besides the constructor's)     |
// | failover.naming.switch                  | gauge   | 0 off, 1 on                          |
// | failover.naming.failover.instances      | gauge   | service = GROUP@@NAME[@@CLUSTERS]    |
// | failover.naming.failover.bad.files      | gauge   | items skipped at the last data read  |
// | failover.naming.reloads.total           | counter | result = ok / error (data reads)     |
// | failover.naming.source.errors.total     | counter | failed switch or data reads          |
// | failover.naming.lookups.total           | counter | source = failover / cache / upstream |
// |                                         |         |          / none                      |
//
// An instances series exists only while the switch is on and the service has failover data
// (0 when its file lists no hosts): it is there from the first load (AttachTo() reads the
// reactor's current state) and is retired (MetricsRegistry::Retire) when the service's data goes
// or the switch goes off. The Java client's gauge appeared one poll late and was never removed.
// reloads.total counts the polls after AttachTo() (the first load in Create() is not a poll);
// source.errors.total follows the reactor's error_count(), first load included.
#ifndef FAILOVER_NAMING_CLIENT_NAMING_METRICS_H_
#define FAILOVER_NAMING_CLIENT_NAMING_METRICS_H_

#include <array>
#include <cstddef>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/metrics/meters.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/tags.h"
#include "naming-client/failover_reactor.h"

namespace failover {
namespace naming {

// Where the naming client answered a lookup from.
enum class LookupSource {
  kFailover,  // The failover reactor's data (switch on).
  kCache,     // The service cache (last value pushed or queried).
  kUpstream,  // A query to the server made for this lookup.
  kNone,      // Nothing had the service.
};

// "failover", "cache", "upstream", "none": the `source` tag of lookups.total.
absl::string_view LookupSourceName(LookupSource source);

// Thread-safe. RecordLookup() is one relaxed atomic increment on a cached counter. The gauges
// are updated on the reactor's polling thread under a mutex of this object (never held by
// RecordLookup()). The registry must outlive this object; the reactor may outlive it or not: the
// poll listener (which cannot be removed) does nothing once this object is gone, and the series
// keep their last values.
class NamingMetrics {
 public:
  static constexpr absl::string_view kSwitch = "failover.naming.switch";
  static constexpr absl::string_view kFailoverInstances = "failover.naming.failover.instances";
  static constexpr absl::string_view kBadFiles = "failover.naming.failover.bad.files";
  static constexpr absl::string_view kReloads = "failover.naming.reloads.total";
  static constexpr absl::string_view kSourceErrors = "failover.naming.source.errors.total";
  static constexpr absl::string_view kLookups = "failover.naming.lookups.total";

  // `tags` (e.g. {{"namespace", "public"}}) go on every series; the keys `service`, `result`
  // and `source` are this class's own and would be overwritten. Creates the switch, bad-files,
  // reload, source-error and lookup series at once (at 0).
  explicit NamingMetrics(MetricsRegistry& registry, const Tags& tags = Tags());
  ~NamingMetrics();
  NamingMetrics(const NamingMetrics&) = delete;
  NamingMetrics& operator=(const NamingMetrics&) = delete;

  // Sets the gauges from `reactor`'s current state, then keeps them current from its poll
  // listener. FailedPrecondition when already attached (one reactor per NamingMetrics).
  absl::Status AttachTo(FailoverReactor& reactor);

  void RecordLookup(LookupSource source) { lookups_[static_cast<size_t>(source)]->Increment(); }

 private:
  // Shared with the reactor's poll listener, which may outlive this object.
  struct Exporter;

  static constexpr size_t kLookupSources = 4;

  const std::shared_ptr<Exporter> exporter_;
  std::array<Counter*, kLookupSources> lookups_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NAMING_METRICS_H_
