#include "store-jdbc/security/payload_allowlist.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace {

constexpr absl::string_view kProperty = "failover.store.jdbc.allowed-payload-classes";

bool EntryAllows(absl::string_view entry, absl::string_view type) {
  if (type == entry) return true;
  if (absl::EndsWith(entry, ".")) return absl::StartsWith(type, entry);
  return type.size() > entry.size() && absl::StartsWith(type, entry) && type[entry.size()] == '.';
}

}  // namespace

PayloadTypeAllowlist::PayloadTypeAllowlist(std::vector<std::string> entries) {
  for (std::string& entry : entries) {
    absl::StripAsciiWhitespace(&entry);
    if (!entry.empty()) entries_.push_back(std::move(entry));
  }
}

bool PayloadTypeAllowlist::Allows(absl::string_view type) const {
  for (const std::string& entry : entries_) {
    if (EntryAllows(entry, type)) return true;
  }
  return false;
}

absl::Status PayloadTypeAllowlist::Check(absl::string_view type) const {
  if (Allows(type)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("payload type '", absl::CEscape(type), "' is not allowed by ", kProperty,
                   entries_.empty() ? " (the list is empty, which denies every type)"
                                    : " (add the type or its package to the list)"));
}

}  // namespace failover
