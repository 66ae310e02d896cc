// The writing half of `failoverctl naming dump`: failover files from services read elsewhere.
// The input is a naming::FailoverData (services and the items that could not be read), which
// `--from-cache` gets by reading a Nacos cache directory with the disk reader and `--from-nacos`
// by querying a Nacos server (naming_nacos_input.h).
//
//   DumpRequest request{"/home/app/nacos/naming/public/failover", /*force=*/false, {}};
//   absl::Status s = WriteDump(request, *cache_data, "/home/app/nacos/naming/public", std::cout);
//   // WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)
//   // KEPT DEFAULT_GROUP%40%40pay: exists; --force replaces it
//   // dumped 1 of 2 services to /home/app/nacos/naming/public/failover
#ifndef FAILOVER_TOOLS_FAILOVERCTL_NAMING_DUMP_H_
#define FAILOVER_TOOLS_FAILOVERCTL_NAMING_DUMP_H_

#include <ostream>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "naming-client/failover_data_source.h"

namespace failover {

struct DumpRequest {
  std::string directory;  // The failover directory written to; created when missing.
  bool force = false;     // Replace existing failover files of the dumped services.
  // "GROUP@@NAME"s to dump, each with all its cluster-keyed entries; empty means every service.
  std::set<std::string> services;
};

// Writes one failover file per selected service of `input` that has hosts, each atomically
// (DiskFailoverWriter), and one line per file to `out`:
//   WROTE FILE (KEY, N hosts)          written
//   KEPT FILE: exists; --force ...     a failover file for KEY exists (under any file name)
//   SKIP ORIGIN: why                   an input item that is not dumped (bad file, no hosts)
//   MISSING GROUP@@NAME: ...           a requested service that `input` does not hold
//   FAILED FILE: error                 the write failed
//   NOTE ...                           --force wrote KEY while another file also holds it
// then a summary line. Services are independent: a kept or failed one does not stop the
// others. The switch file is never written. OK when every selected service that has hosts was
// written and nothing requested or readable-looking was skipped; otherwise FailedPrecondition
// saying how many were not, or when there was nothing to dump at all (a wrong input directory
// looks like that). `input_name` names the input in messages.
// A skipped item's problem for one line: "bad_content: line 3, column 1: ...", without the
// "failover file 'NAME': " prefix the line shows already.
std::string DescribeFileProblem(const naming::FailoverFileProblem& problem);

absl::Status WriteDump(const DumpRequest& request, const naming::FailoverData& input,
                       absl::string_view input_name, std::ostream& out);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_NAMING_DUMP_H_
