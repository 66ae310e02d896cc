// failover_data_test_server: InMemoryFailoverDataServer as a process, so clients written in
// other languages (failover_data_python_test.py) can test failover.v1.FailoverData on the wire.
//
// Listens on 127.0.0.1 and a free port, seeds the store, prints the port alone on the first line
// of stdout, then reads one command per line on stdin and answers each with one line, "ok
// REVISION" (the revision the change took, or the current one when it changed nothing) or
// "error MESSAGE":
//
//   switch NAMESPACE on|off [REASON...]
//   upsert NAMESPACE KEY IP:PORT[,IP:PORT...]   KEY is GROUP@@SERVICE[@@CLUSTERS]
//   remove NAMESPACE KEY
//   quit                                        also at the end of stdin
//
// Seed: "public": DEFAULT_GROUP@@orders (10.0.0.1:8080), DEFAULT_GROUP@@payments (10.0.0.2:8080,
// 10.0.0.3:8080), then the switch on ("seeded"): revisions 1, 2, 3. "dev": DEFAULT_GROUP@@orders
// (10.1.0.1:8080): revision 1; its switch is off.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "naming-client/service_key.h"
#include "naming-client/testing/in_memory_failover_data_server.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {
namespace {

// A ServiceInfo for `key` with one host per "IP:PORT" in `hosts` (comma-separated).
absl::StatusOr<v1::ServiceInfo> MakeServiceInfo(absl::string_view key, absl::string_view hosts) {
  absl::StatusOr<ServiceKey> parsed = ParseServiceKey(key);
  if (!parsed.ok()) return parsed.status();
  v1::ServiceInfo info;
  info.set_name(parsed->service);
  info.set_group_name(parsed->group);
  info.set_clusters(parsed->clusters);
  for (absl::string_view host : absl::StrSplit(hosts, ',')) {
    const std::vector<absl::string_view> ip_port = absl::StrSplit(host, ':');
    int port = 0;
    if (ip_port.size() != 2 || ip_port[0].empty() || !absl::SimpleAtoi(ip_port[1], &port)) {
      return absl::InvalidArgumentError(absl::StrCat("'", host, "' is not IP:PORT"));
    }
    v1::Instance* instance = info.add_hosts();
    instance->set_ip(std::string(ip_port[0]));
    instance->set_port(port);
    instance->set_cluster_name(parsed->clusters.empty() ? "DEFAULT" : parsed->clusters);
    instance->set_service_name(parsed->GroupedName());
  }
  return info;
}

absl::StatusOr<uint64_t> Upsert(FailoverDataStore& store, absl::string_view nacos_namespace,
                                absl::string_view key, absl::string_view hosts) {
  absl::StatusOr<v1::ServiceInfo> info = MakeServiceInfo(key, hosts);
  if (!info.ok()) return info.status();
  return store.UpsertService(nacos_namespace, key, *std::move(info));
}

absl::Status Seed(FailoverDataStore& store) {
  for (auto result : {
           Upsert(store, "public", "DEFAULT_GROUP@@orders", "10.0.0.1:8080"),
           Upsert(store, "public", "DEFAULT_GROUP@@payments", "10.0.0.2:8080,10.0.0.3:8080"),
           store.SetSwitch("public", true, "seeded"),
           Upsert(store, "dev", "DEFAULT_GROUP@@orders", "10.1.0.1:8080"),
       }) {
    if (!result.ok()) return result.status();
  }
  return absl::OkStatus();
}

// Runs one command line; the revision it reached.
absl::StatusOr<uint64_t> Run(FailoverDataStore& store, const std::vector<std::string>& words) {
  const size_t n = words.size();
  if (n >= 3 && words[0] == "switch" && (words[2] == "on" || words[2] == "off")) {
    const std::vector<std::string> reason(words.begin() + 3, words.end());
    return store.SetSwitch(words[1], words[2] == "on", absl::StrJoin(reason, " "));
  }
  if (n == 4 && words[0] == "upsert") return Upsert(store, words[1], words[2], words[3]);
  if (n == 3 && words[0] == "remove") return store.RemoveService(words[1], words[2]);
  return absl::InvalidArgumentError(
      "usage: switch NAMESPACE on|off [REASON] | upsert NAMESPACE KEY IP:PORT[,...] | "
      "remove NAMESPACE KEY | quit");
}

int Main() {
  absl::StatusOr<std::unique_ptr<InMemoryFailoverDataServer>> server =
      InMemoryFailoverDataServer::Start();
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  FailoverDataStore& store = (*server)->store();
  if (absl::Status seeded = Seed(store); !seeded.ok()) {
    std::cerr << "seeding: " << seeded << "\n";
    return 1;
  }
  std::cout << (*server)->port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    const std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.empty()) continue;
    if (words.size() == 1 && words[0] == "quit") break;
    const absl::StatusOr<uint64_t> revision = Run(store, words);
    if (revision.ok()) {
      std::cout << "ok " << *revision << std::endl;
    } else {
      std::cout << "error " << revision.status().message() << std::endl;
    }
  }
  return 0;  // The server stops (ending open watches) as it is destroyed.
}

}  // namespace
}  // namespace naming
}  // namespace failover

int main() { return failover::naming::Main(); }
