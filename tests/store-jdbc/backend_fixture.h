// Shared pieces of the cross-backend tests: the list of every backend failover.store.type offers
// (inmemory, caffeine, jdbc on a real SQLite file, jdbc on a real PostgreSQL 15 server), the
// failover: YAML that builds each one with asynchronous writes on, and the PostgreSQL server
// those tests share, started on first use and stopped when the test binary's tests end.
//
// Thread-safety: call from the test's main thread (SetUp); the server's url() may then be read
// from any thread.
//
//   class MyTest : public ::testing::TestWithParam<std::string> {
//     void SetUp() override {
//       absl::StatusOr<FailoverConfig> config =
//           LoadBackendConfig(GetParam(), "[java.lang.String]");
//       ASSERT_TRUE(config.ok()) << config.status();
//       FailoverStoreDeps deps;
//       deps.clock = &clock_;
//       store_ = *NewFailoverStore(config->store, std::move(deps));
//       name_ = BackendTestNamespace(GetParam());
//     }
//   };
//   INSTANTIATE_TEST_SUITE_P(EveryBackend, MyTest, ::testing::ValuesIn(EveryBackend()),
//                            BackendTestName);
#ifndef FAILOVER_TESTS_STORE_JDBC_BACKEND_FIXTURE_H_
#define FAILOVER_TESTS_STORE_JDBC_BACKEND_FIXTURE_H_

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"
#include "store-jdbc/sql/testing/postgres_server.h"

namespace failover {

// One server for the whole binary, started on first use and stopped when the tests end.
class PostgresEnvironment : public ::testing::Environment {
 public:
  PostgresServer* Get() {
    if (server_ == nullptr && !tried_) {
      tried_ = true;
      absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
      EXPECT_TRUE(started.ok()) << started.status();
      if (started.ok()) server_ = *std::move(started);
    }
    return server_.get();
  }
  void TearDown() override { server_.reset(); }

 private:
  bool tried_ = false;
  std::unique_ptr<PostgresServer> server_;
};

// Registered once per binary (an inline variable), before main runs.
inline PostgresEnvironment* const kSharedPostgresEnvironment =
    static_cast<PostgresEnvironment*>(::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

// The binary's PostgreSQL server; nullptr (and a test failure) if it could not start.
inline PostgresServer* SharedPostgres() { return kSharedPostgresEnvironment->Get(); }

// Every failover.store.type a test runs over, as test parameters.
inline std::vector<std::string> EveryBackend() {
  return {"inmemory", "caffeine", "sqlite", "postgresql"};
}

// The parameter as the test name suffix.
inline std::string BackendTestName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

// A failover name unique to the backend and the running test, so that rows left in a shared
// table (one SQLite file or PostgreSQL database per binary) never leak between cases.
inline std::string BackendTestNamespace(const std::string& backend) {
  return absl::StrCat(backend, "-",
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
}

// The failover.store.* lines (indented for the document below) of `backend`.
// `payload_classes` is the YAML list for jdbc.allowed-payload-classes, e.g. "[java.lang.String]".
inline absl::StatusOr<std::string> BackendStoreYaml(const std::string& backend,
                                                    absl::string_view payload_classes) {
  if (backend == "inmemory")
    return std::string("type: inmemory\n    inmemory:\n      max-entries: 100");
  if (backend == "caffeine")
    return std::string("type: caffeine\n    caffeine:\n      max-size: 100");
  std::string url;
  if (backend == "sqlite") {
    url = absl::StrCat("sqlite://", std::getenv("TEST_TMPDIR"), "/backends.db");
  } else if (backend == "postgresql") {
    PostgresServer* server = SharedPostgres();
    if (server == nullptr)
      return absl::UnavailableError("the PostgreSQL test server did not start");
    url = server->url();
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown test backend '", backend, "'"));
  }
  return absl::StrCat(
      "type: jdbc\n    jdbc:\n      url: \"", url,
      "\"\n      table-prefix: MYAPP_\n      allowed-payload-classes: ", payload_classes);
}

// The whole failover configuration for `backend` with failover.store.async on; `extra_yaml` is
// appended under failover: (its lines indented by two spaces, e.g. "  scatter:\n    parallel:
// false\n"). Errors name the backend or carry the YAML that did not load.
inline absl::StatusOr<FailoverConfig> LoadBackendConfig(const std::string& backend,
                                                        absl::string_view payload_classes,
                                                        absl::string_view extra_yaml = "") {
  absl::StatusOr<std::string> store = BackendStoreYaml(backend, payload_classes);
  if (!store.ok()) return store.status();
  const std::string yaml =
      absl::StrCat("failover:\n  store:\n    async: true\n    ", *store, "\n", extra_yaml);
  absl::StatusOr<FailoverConfig> config = LoadFailoverConfig(yaml, {});
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(config.status().message(), "\nin:\n", yaml));
  }
  return config;
}

}  // namespace failover

#endif  // FAILOVER_TESTS_STORE_JDBC_BACKEND_FIXTURE_H_
