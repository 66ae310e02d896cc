// InstanceTagPolicy: decides whether an exporter adds `instance=<id>` to the series it sends
// (failover.observable.instance.*). Pull exporters (Prometheus-style) need no tag in `auto`
// mode because the scraper attaches the target's instance itself; push exporters (OTLP, the
// dashboard snapshot push) do, or series from different processes would merge.
//
//   failover::InstanceTagPolicy policy = failover::InstanceTagPolicy::Create(
//       options.instance, /*application_name=*/"orders", failover::LocalHostName().value_or(""));
//   policy.ShouldTag(failover::ExporterKind::kPush);            // true in auto mode
//   policy.ShouldTag(failover::ExporterKind::kPrometheusPull);  // false in auto mode
//   failover::Tags exported = policy.Apply(series.tags, failover::ExporterKind::kPush);
#ifndef FAILOVER_CORE_METRICS_INSTANCE_TAG_POLICY_H_
#define FAILOVER_CORE_METRICS_INSTANCE_TAG_POLICY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "core/metrics/metrics_options.h"
#include "core/metrics/tags.h"

namespace failover {

enum class ExporterKind {
  // The backend receives pushed data (OTLP, Elastic, the dashboard's snapshot ingest).
  kPush,
  // The backend scrapes us and labels the target itself (Prometheus).
  kPrometheusPull,
};

// The instance id to use: `configured_id` trimmed if not blank, else "<application>@<host>"
// (either part alone if the other is blank; "unknown" if both are).
std::string ResolveInstanceId(absl::string_view configured_id, absl::string_view application_name,
                              absl::string_view host_name);

// Immutable; thread-safe.
class InstanceTagPolicy {
 public:
  static constexpr absl::string_view kTagKey = "instance";

  // Resolves a blank options.id from `application_name` and `host_name` (see
  // ResolveInstanceId); pass the host name in, e.g. from LocalHostName() (host_name.h).
  static InstanceTagPolicy Create(const InstanceOptions& options,
                                  absl::string_view application_name, absl::string_view host_name);

  InstanceTagPolicy(InstanceMode mode, std::string instance_id)
      : mode_(mode), instance_id_(std::move(instance_id)) {}

  bool ShouldTag(ExporterKind exporter) const;
  // `tags` plus instance=<id> when ShouldTag(exporter) (replacing an `instance` tag the series
  // already had, so the process identity is unambiguous); otherwise `tags` unchanged.
  Tags Apply(const Tags& tags, ExporterKind exporter) const;

  InstanceMode mode() const { return mode_; }
  const std::string& instance_id() const { return instance_id_; }

 private:
  InstanceMode mode_;
  std::string instance_id_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_INSTANCE_TAG_POLICY_H_
