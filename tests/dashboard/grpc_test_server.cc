// grpc_test_server: failoverd's DashboardGrpcServer as a process, seeded, so clients written in
// other languages (python_grpc_client_test.py) can test its services on the wire.
//
// Listens on 127.0.0.1 and a free port, prints the port alone on the first line of stdout, then
// reads one command per line on stdin and answers each with one line, "ok ..." or "error MESSAGE":
//
//   switch NAMESPACE on|off [REASON...]   sets a naming failover switch; "ok REVISION"
//   snapshots                             "ok ID,ID,..." of the snapshots ingested, in order
//   heartbeats                            "ok ID,ID,..." of the heartbeats ingested, in order
//   quit                                  also at the end of stdin; shuts down with 1 s grace
//
// Seed. Security: user "admin" / "admin-pw" (FAILOVER_ADMIN), ingest token "py-ingest-token".
// Naming: "public" holds DEFAULT_GROUP@@orders (10.0.0.1:8080), switch off (revision 1).
// Payloads (name "quotes", live for an hour): keys "k-a" and "k-b", and the default key of the
// raw key "EURUSD:2". Ingest goes to a recording sink (cluster exposed, shared-store mode).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/random.h"
#include "core/warning_sink.h"
#include "dashboard/grpc/dashboard_grpc_server.h"
#include "dashboard/grpc/testing/recording_ingest_sink.h"
#include "dashboard/payloads/payload_reader.h"
#include "dashboard/security/authenticator.h"
#include "dashboard/security/password_hash.h"
#include "naming-client/failover_data_store.h"
#include "proto/naming.pb.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace dashboard {
namespace {

absl::Status SeedNaming(naming::FailoverDataStore& store) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  v1::Instance* host = info.add_hosts();
  host->set_ip("10.0.0.1");
  host->set_port(8080);
  return store.UpsertService("public", "DEFAULT_GROUP@@orders", info).status();
}

void SeedPayloads(MapFailoverStore& store, absl::Time now) {
  const absl::Time expire_on = now + absl::Hours(1);
  store.Put({"quotes", "k-a", now, expire_on, R"({"px":1})", "acme.Quote"});
  store.Put({"quotes", "k-b", now, expire_on, R"({"px":2})", "acme.Quote"});
  store.Put({"quotes", DefaultFailoverKey("quotes", {"EURUSD", 2}), now, expire_on, R"({"px":3})",
             "acme.Quote"});
}

template <typename Message>
std::string InstanceIds(const std::vector<Message>& messages) {
  return absl::StrJoin(messages, ",", [](std::string* out, const Message& message) {
    out->append(message.instance_id());
  });
}

std::string Run(const std::vector<std::string>& words, naming::FailoverDataStore& naming,
                const RecordingIngestSink& sink) {
  const size_t n = words.size();
  if (n >= 3 && words[0] == "switch" && (words[2] == "on" || words[2] == "off")) {
    const std::vector<std::string> reason(words.begin() + 3, words.end());
    absl::StatusOr<uint64_t> revision =
        naming.SetSwitch(words[1], words[2] == "on", absl::StrJoin(reason, " "));
    if (!revision.ok()) return std::string("error ") + std::string(revision.status().message());
    return "ok " + std::to_string(*revision);
  }
  if (n == 1 && words[0] == "snapshots") return "ok " + InstanceIds(sink.snapshots());
  if (n == 1 && words[0] == "heartbeats") return "ok " + InstanceIds(sink.heartbeats());
  return "error usage: switch NAMESPACE on|off [REASON] | snapshots | heartbeats | quit";
}

int Main() {
  Clock& clock = SystemClock();
  WarningSink warnings = StderrWarningSink();
  DashboardSecurityConfig security;
  security.users.push_back({"admin",
                            HashPassword("admin-pw", SystemRandom(), kMinPbkdf2Iterations),
                            {"FAILOVER_ADMIN"}});
  security.ingest_tokens = {"py-ingest-token"};
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::Create(security, clock, warnings);
  if (!auth.ok()) {
    std::cerr << auth.status() << "\n";
    return 1;
  }
  naming::FailoverDataStore naming;
  if (absl::Status seeded = SeedNaming(naming); !seeded.ok()) {
    std::cerr << "seeding: " << seeded << "\n";
    return 1;
  }
  MapFailoverStore payload_store;
  SeedPayloads(payload_store, clock.WallNow());
  PayloadReader payloads(payload_store, clock);
  RecordingIngestSink sink;

  DashboardGrpcServices services;
  services.ingest = &sink;
  services.auth = auth->get();
  services.naming_data = &naming;
  services.payloads = &payloads;
  services.cluster_exposed = true;
  services.warnings = &warnings;
  absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> server =
      DashboardGrpcServer::Start("127.0.0.1:0", services);
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  std::cout << (*server)->port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    const std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.empty()) continue;
    if (words.size() == 1 && words[0] == "quit") break;
    std::cout << Run(words, naming, sink) << std::endl;
  }
  (*server)->Shutdown(absl::Seconds(1));
  return 0;
}

}  // namespace
}  // namespace dashboard
}  // namespace failover

int main() { return failover::dashboard::Main(); }
