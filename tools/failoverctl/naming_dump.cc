#include "tools/failoverctl/naming_dump.h"

#include <map>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/disk_failover_writer.h"
#include "naming-client/service_key.h"

namespace failover {
namespace {

using naming::FailoverData;
using naming::ServiceKey;

// The failover files already in `directory`, usable or not, by the key they hold
// (ServiceKey::ToString()). Empty when the directory does not exist yet.
absl::StatusOr<std::map<std::string, std::string>> ExistingFiles(const std::string& directory) {
  naming::DiskFailoverOptions options;
  options.directory = directory;
  absl::StatusOr<std::unique_ptr<naming::DiskFailoverDataSource>> source =
      naming::DiskFailoverDataSource::Create(std::move(options));
  if (!source.ok()) return source.status();
  absl::StatusOr<FailoverData> current = (*source)->GetData();
  if (!current.ok()) return current.status();
  std::map<std::string, std::string> files;
  for (const auto& [key, service] : current->services) files.emplace(key, service.origin);
  for (const naming::FailoverFileProblem& problem : current->problems) {
    absl::StatusOr<ServiceKey> key = naming::ParseFailoverFileName(problem.origin);
    if (key.ok()) files.emplace(key->ToString(), problem.origin);
  }
  return files;
}

}  // namespace

std::string DescribeFileProblem(const naming::FailoverFileProblem& problem) {
  absl::string_view message = problem.message;
  absl::ConsumePrefix(&message, absl::StrCat("failover file '", problem.origin, "': "));
  return absl::StrCat(naming::FailoverProblemKindName(problem.kind), ": ", message);
}

absl::Status WriteDump(const DumpRequest& request, const FailoverData& input,
                       absl::string_view input_name, std::ostream& out) {
  absl::StatusOr<std::map<std::string, std::string>> existing = ExistingFiles(request.directory);
  if (!existing.ok()) return existing.status();
  const auto selected = [&request](const ServiceKey& key) {
    return request.services.empty() || request.services.count(key.GroupedName()) > 0;
  };
  std::set<std::string> found;  // Grouped names the input has something for.
  int wanted = 0;
  int written = 0;

  for (const naming::FailoverFileProblem& problem : input.problems) {
    absl::StatusOr<ServiceKey> key = naming::ParseFailoverFileName(problem.origin);
    if (key.ok() && !selected(*key)) continue;
    out << "SKIP " << problem.origin << ": " << DescribeFileProblem(problem) << "\n";
    // A file named like a service that cannot be read loses that service; a stray file (bad
    // name) or a second copy of a service (served from the first) loses nothing.
    if (key.ok() && problem.kind != naming::FailoverProblemKind::kDuplicateKey) {
      found.insert(key->GroupedName());
      ++wanted;
    }
  }

  const naming::DiskFailoverWriter writer(request.directory);
  for (const auto& [key_text, service] : input.services) {
    if (!selected(service.key)) continue;
    found.insert(service.key.GroupedName());
    const int hosts = service.info->hosts_size();
    if (hosts == 0) {
      out << "SKIP " << service.origin << ": " << key_text
          << " has no hosts (a failover file without hosts is never served)\n";
      continue;
    }
    ++wanted;
    const auto present = existing->find(key_text);
    if (present != existing->end() && !request.force) {
      out << "KEPT " << present->second << ": exists; --force replaces it\n";
      continue;
    }
    const std::string file = naming::FailoverFileName(service.key);
    absl::Status s = writer.WriteService(
        service.key, *service.info,
        request.force ? naming::ExistingFilePolicy::kReplace : naming::ExistingFilePolicy::kKeep);
    if (absl::IsAlreadyExists(s)) {  // Created since the directory was read.
      out << "KEPT " << file << ": exists; --force replaces it\n";
      continue;
    }
    if (!s.ok()) {
      out << "FAILED " << file << ": " << s.message() << "\n";
      continue;
    }
    ++written;
    out << "WROTE " << file << " (" << key_text << ", " << hosts
        << (hosts == 1 ? " host" : " hosts") << ")\n";
    if (present != existing->end() && present->second != file) {
      out << "NOTE " << present->second << " also holds " << key_text
          << "; clients serve the first file by name: remove one\n";
    }
  }

  for (const std::string& name : request.services) {
    if (found.count(name) > 0) continue;
    ++wanted;
    out << "MISSING " << name << ": not in " << input_name << "\n";
  }
  if (wanted == 0 && written == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("nothing to dump: no service with hosts in ", input_name));
  }
  out << "dumped " << written << " of " << wanted << " failover files to " << request.directory
      << "\n";
  if (written < wanted) {
    return absl::FailedPreconditionError(
        absl::StrCat(wanted - written, " of ", wanted, " failover files not written (see above)"));
  }
  return absl::OkStatus();
}

}  // namespace failover
