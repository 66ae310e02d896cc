// PostgresServer: a throwaway PostgreSQL 15 server for tests and benchmarks. Start() runs initdb
// in a fresh temporary directory, starts `postgres` on a free loopback port (fsync off; Unix
// socket in the same directory), waits until it accepts connections and creates a database; the
// destructor stops it (immediate shutdown) and removes the directory. Running as root (as tests
// do here) the server runs as the `postgres` OS user, since PostgreSQL refuses root; otherwise as
// the current user. TCP clients authenticate with a password (scram-sha-256).
//
// Thread-safety: not thread-safe; url() may be read from any thread once started.
//
//   absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
//   ASSERT_TRUE(server.ok()) << server.status();
//   auto db = OpenSqlDatabase((*server)->url());  // postgresql://postgres:...@127.0.0.1:port/db
#ifndef FAILOVER_STORE_JDBC_SQL_TESTING_POSTGRES_SERVER_H_
#define FAILOVER_STORE_JDBC_SQL_TESTING_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace failover {
namespace postgres_server_internal {
// Who the server's processes run as: the postgres user when we are root, else ourselves.
struct Identity {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};
}  // namespace postgres_server_internal

struct PostgresServerOptions {
  std::string bin_dir = "/usr/lib/postgresql/15/bin";  // initdb, postgres, pg_isready, createdb
  std::string database = "failover_test";              // created after start-up
  absl::Duration start_timeout = absl::Seconds(30);    // until connections are accepted
};

class PostgresServer {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(
      const PostgresServerOptions& options = {});
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://postgres:<password>@127.0.0.1:<port>/<database>
  const std::string& url() const { return url_; }
  // The same server and credentials, another database (which must exist).
  std::string UrlForDatabase(const std::string& database) const;
  const std::string& password() const { return password_; }
  int port() const { return port_; }

  // Stops the server now (SIGQUIT: immediate shutdown) and waits for it; later connections are
  // refused. Idempotent; the destructor calls it.
  void Stop();

 private:
  PostgresServer() = default;
  // Starts `postgres` on a fresh free port and waits until it accepts connections. UNAVAILABLE
  // if it exited during start-up (e.g. another process took the port).
  absl::Status Launch(const PostgresServerOptions& options,
                      const postgres_server_internal::Identity& identity);

  std::string dir_;
  std::string url_;
  std::string password_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_TESTING_POSTGRES_SERVER_H_
