#include "dashboard/server/default_config.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "core/random.h"
#include "dashboard/security/password_hash.h"
#include "dashboard/server/random_secret.h"

namespace failover {
namespace dashboard {
namespace {

namespace fs = std::filesystem;

// The file's content without surrounding whitespace; NotFound when it does not exist.
absl::StatusOr<std::string> ReadTrimmed(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return absl::NotFoundError(path.string());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return absl::FailedPreconditionError(absl::StrCat("cannot read ", path.string()));
  }
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

// Writes `content` to `path` through a temporary file and a rename, readable by the owner only.
absl::Status WriteAtomically(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << content << "\n";
    out.close();
    if (!out) return absl::FailedPreconditionError(absl::StrCat("cannot write ", temporary.string()));
  }
  ::chmod(temporary.c_str(), 0600);
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot rename ", temporary.string(), " to ", path.string(), ": ",
                     error.message()));
  }
  return absl::OkStatus();
}

// The admin hash: read, or created with a new password printed to `notice`.
absl::StatusOr<std::string> AdminHash(const fs::path& dir, std::ostream& notice) {
  const fs::path path = dir / "admin.hash";
  absl::StatusOr<std::string> existing = ReadTrimmed(path);
  if (existing.ok()) {
    if (absl::Status valid = ValidatePasswordHash(*existing); !valid.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat(path.string(), " does not hold a password hash (", valid.message(),
                       "); delete it to generate new admin credentials"));
    }
    return *existing;
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  absl::StatusOr<std::string> password = RandomSecret(18);
  if (!password.ok()) return password.status();
  std::string hash = HashPassword(*password, SystemRandom());
  if (absl::Status s = WriteAtomically(path, hash); !s.ok()) return s;
  notice << "failoverd: generated dashboard credentials (shown once; only a hash is kept in "
         << path.string() << "):\n"
         << "failoverd:   user: admin\n"
         << "failoverd:   password: " << *password << "\n";
  return hash;
}

absl::StatusOr<std::string> IngestToken(const fs::path& dir, std::ostream& notice) {
  const fs::path path = dir / "ingest-token";
  absl::StatusOr<std::string> existing = ReadTrimmed(path);
  if (existing.ok()) {
    if (existing->size() < 16) {
      return absl::FailedPreconditionError(absl::StrCat(
          path.string(), " holds a token shorter than 16 characters; delete it to generate one"));
    }
    return *existing;
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  absl::StatusOr<std::string> token = RandomSecret(24);
  if (!token.ok()) return token.status();
  if (absl::Status s = WriteAtomically(path, *token); !s.ok()) return s;
  notice << "failoverd: generated the ingest token peers push with: " << path.string() << "\n";
  return *token;
}

// A YAML double-quoted scalar.
std::string Quoted(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

absl::StatusOr<std::string> PrepareDefaultConfig(const std::string& data_dir,
                                                 std::ostream& notice) {
  std::error_code error;
  const fs::path dir = fs::absolute(data_dir, error);
  if (error) return absl::InvalidArgumentError(absl::StrCat("bad data folder ", data_dir));
  fs::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create the data folder ", dir.string(), ": ", error.message()));
  }
  absl::StatusOr<std::string> hash = AdminHash(dir, notice);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<std::string> token = IngestToken(dir, notice);
  if (!token.ok()) return token.status();
  return absl::Substitute(R"(failover:
  store:
    type: jdbc
    async: false
    jdbc:
      url: $0
  dashboard:
    enabled: true
    listen: 127.0.0.1:8080
    grpc-listen: 127.0.0.1:8081
    exposure:
      include: [config, failover-health, metrics, health, cluster, instances, naming, payloads]
    history:
      enabled: true
      samples: 720
      sample-interval-seconds: 5
    security:
      users:
        - username: admin
          password-hash: $1
          roles: [FAILOVER_ADMIN]
      ingest-tokens: [$2]
    cluster:
      mode: shared-store
      shared-store:
        store: jdbc
        liveness-seconds: 30
        sample-interval-seconds: 5
        jdbc:
          url: $3
    naming:
      data-dir: $4
)",
                          Quoted(absl::StrCat("sqlite://", (dir / "store.db").string())),
                          Quoted(*hash), Quoted(*token),
                          Quoted(absl::StrCat("sqlite://", (dir / "dashboard.db").string())),
                          Quoted((dir / "naming").string()));
}

}  // namespace dashboard
}  // namespace failover
