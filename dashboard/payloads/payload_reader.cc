#include "dashboard/payloads/payload_reader.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/routing/tenant_routing_store.h"

namespace failover {
namespace dashboard {
namespace {

absl::Status CheckName(absl::string_view name) {
  if (absl::StripAsciiWhitespace(name).empty()) {
    return absl::InvalidArgumentError("payloads: name is blank");
  }
  return absl::OkStatus();
}

absl::Status CheckTenant(absl::string_view tenant) {
  if (tenant.empty()) return absl::OkStatus();
  if (absl::Status valid = ValidateTenantId(tenant); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("payloads: ", valid.message()));
  }
  return absl::OkStatus();
}

// A tenant the routing store refuses (strict mode, unlisted) is the caller's mistake.
absl::Status ForTenant(absl::Status status, absl::string_view tenant) {
  if (!tenant.empty() && status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::InvalidArgumentError(
        absl::StrCat("payloads: tenant '", tenant, "': ", status.message()));
  }
  return status;
}

// Page tokens: web-safe base64 of "<name length>:<name><last key>", so a token from another
// namespace is recognised.
std::string EncodePageToken(absl::string_view name, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(name.size(), ":", name, last_key));
}

// The last key of the previous page.
absl::StatusOr<std::string> DecodePageToken(absl::string_view name, absl::string_view token) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("payloads: page_token '", token, "' was not issued for name '", name, "'"));
  };
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded)) return bad();
  const size_t colon = decoded.find(':');
  size_t name_size = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(decoded).substr(0, colon), &name_size) ||
      decoded.size() - colon - 1 <= name_size ||
      absl::string_view(decoded).substr(colon + 1, name_size) != name) {
    return bad();
  }
  return decoded.substr(colon + 1 + name_size);
}

}  // namespace

PayloadReader::PayloadReader(FailoverStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

absl::StatusOr<FailoverStoreEntry> PayloadReader::Get(absl::string_view name, absl::string_view key,
                                                      absl::string_view raw_key,
                                                      absl::string_view tenant) {
  if (absl::Status s = CheckName(name); !s.ok()) return s;
  if (key.empty() == raw_key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("payloads: give exactly one of key and raw_key (name '", name, "')"));
  }
  const std::string stored_key =
      key.empty() ? NameUuidV3(absl::StrCat(name, ":", raw_key)) : std::string(key);
  if (absl::Status s = CheckTenant(tenant); !s.ok()) return s;
  std::optional<ScopedTenant> scope;  // For a tenant-routing store.
  if (!tenant.empty()) scope.emplace(std::string(tenant));
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store_.Find(name, stored_key);
  if (!found.ok()) return ForTenant(found.status(), tenant);
  const auto not_found = [&] {
    return absl::NotFoundError(
        absl::StrCat("payloads: no live entry '", name, "' / '", stored_key, "'",
                     raw_key.empty() ? "" : absl::StrCat(" (raw key '", raw_key, "')")));
  };
  if (!found->has_value() || (*found)->ExpiredAt(clock_.WallNow())) return not_found();
  return **std::move(found);
}

absl::StatusOr<PayloadPage> PayloadReader::List(absl::string_view name, int page_size,
                                                absl::string_view page_token,
                                                absl::string_view tenant) {
  if (absl::Status s = CheckName(name); !s.ok()) return s;
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("payloads: page_size ", page_size, " is negative"));
  }
  const size_t limit = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  std::string after;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> last = DecodePageToken(name, page_token);
    if (!last.ok()) return last.status();
    after = *std::move(last);
  }
  if (absl::Status s = CheckTenant(tenant); !s.ok()) return s;
  std::optional<ScopedTenant> scope;  // For a tenant-routing store.
  if (!tenant.empty()) scope.emplace(std::string(tenant));
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store_.FindAll(name);
  if (!all.ok()) return ForTenant(all.status(), tenant);

  const absl::Time now = clock_.WallNow();
  std::vector<FailoverStoreEntry> live;
  for (FailoverStoreEntry& entry : *all) {
    if (!entry.ExpiredAt(now) && (after.empty() || entry.key > after)) {
      live.push_back(std::move(entry));
    }
  }
  std::sort(live.begin(), live.end(),
            [](const FailoverStoreEntry& a, const FailoverStoreEntry& b) { return a.key < b.key; });
  PayloadPage page;
  if (live.size() > limit) {
    live.resize(limit);
    page.next_page_token = EncodePageToken(name, live.back().key);
  }
  page.entries = std::move(live);
  return page;
}

}  // namespace dashboard
}  // namespace failover
