#include "core/metrics/instance_tag_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace failover {

std::string ResolveInstanceId(absl::string_view configured_id, absl::string_view application_name,
                              absl::string_view host_name) {
  const absl::string_view id = absl::StripAsciiWhitespace(configured_id);
  if (!id.empty()) return std::string(id);
  const absl::string_view app = absl::StripAsciiWhitespace(application_name);
  const absl::string_view host = absl::StripAsciiWhitespace(host_name);
  if (!app.empty() && !host.empty()) return absl::StrCat(app, "@", host);
  if (!app.empty()) return std::string(app);
  if (!host.empty()) return std::string(host);
  return "unknown";
}

InstanceTagPolicy InstanceTagPolicy::Create(const InstanceOptions& options,
                                            absl::string_view application_name,
                                            absl::string_view host_name) {
  return InstanceTagPolicy(options.mode,
                           ResolveInstanceId(options.id, application_name, host_name));
}

bool InstanceTagPolicy::ShouldTag(ExporterKind exporter) const {
  switch (mode_) {
    case InstanceMode::kAlways:
      return true;
    case InstanceMode::kNever:
      return false;
    case InstanceMode::kAuto:
      return exporter != ExporterKind::kPrometheusPull;
  }
  return false;
}

Tags InstanceTagPolicy::Apply(const Tags& tags, ExporterKind exporter) const {
  if (!ShouldTag(exporter)) return tags;
  return tags.With(kTagKey, instance_id_);
}

}  // namespace failover
