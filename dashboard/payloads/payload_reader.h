// PayloadReader: read access to the failover payload store (store-jdbc's FailoverStore, the last
// good result of each failover call) for failoverd's FailoverPayloads gRPC service and its HTTP
// `api/payloads` route. Read only; expired entries are never returned.
//
//   PayloadReader reader(store, clock);
//   absl::StatusOr<FailoverStoreEntry> entry = reader.Get("quotes", "", "EURUSD:2", "");
//   absl::StatusOr<PayloadPage> page = reader.List("quotes", 50, "", "");
//   while (page.ok() && !page->next_page_token.empty()) {
//     page = reader.List("quotes", 50, page->next_page_token, "");
//   }
//
// Keys. An entry is found by its stored key (FAILOVER_KEY) or by its raw key (the arguments'
// text), from which the stored key is derived as store-jdbc's default key generator does:
// NameUuidV3(name + ":" + raw_key).
//
// Tenants. A non-empty tenant is set as the calling thread's store-jdbc tenant (ScopedTenant)
// for the store calls, so a tenant-routing store reads that tenant's table; it must be a valid
// tenant id ([A-Za-z0-9_-]{1,64}).
//
// Errors: INVALID_ARGUMENT (blank name, neither or both keys, negative page size, a page token
// this reader did not issue for `name`, a bad or unknown tenant), NOT_FOUND (no live entry), and
// the store's own errors (UNAVAILABLE, DATA_LOSS, ...) as they come.
//
// Thread-safe if the store is (every store of store-jdbc is).
#ifndef FAILOVER_DASHBOARD_PAYLOADS_PAYLOAD_READER_H_
#define FAILOVER_DASHBOARD_PAYLOADS_PAYLOAD_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/clock.h"
#include "store-jdbc/failover_store.h"

namespace failover {
namespace dashboard {

// One page of a namespace's live entries, in key order.
struct PayloadPage {
  std::vector<FailoverStoreEntry> entries;
  // Pass to List() for the next page; empty on the last page.
  std::string next_page_token;
};

class PayloadReader {
 public:
  // A page holds this many entries when the caller asks for 0, and at most kMaxPageSize.
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;

  // `store` and `clock` must outlive the reader. The clock's wall time decides expiry.
  PayloadReader(FailoverStore& store, const Clock& clock);
  PayloadReader(const PayloadReader&) = delete;
  PayloadReader& operator=(const PayloadReader&) = delete;

  // The live entry of `name` under the stored `key`, or under the key derived from `raw_key`:
  // exactly one of the two is non-empty.
  absl::StatusOr<FailoverStoreEntry> Get(absl::string_view name, absl::string_view key,
                                         absl::string_view raw_key, absl::string_view tenant);

  // Up to `page_size` live entries of `name` (0: kDefaultPageSize; above kMaxPageSize:
  // kMaxPageSize) after the page `page_token` ended ("" for the first page).
  absl::StatusOr<PayloadPage> List(absl::string_view name, int page_size,
                                   absl::string_view page_token, absl::string_view tenant);

 private:
  FailoverStore& store_;
  const Clock& clock_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PAYLOADS_PAYLOAD_READER_H_
