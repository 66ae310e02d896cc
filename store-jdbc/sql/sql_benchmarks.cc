// Benchmarks of the SQL store. SQLite: Store (upsert, synchronous) and Find through
// NewSqlFailoverStore against raw sqlite3 prepared statements running the same SQL on a
// same-shaped table with the same pragmas (WAL, synchronous=NORMAL); the raw baseline binds
// pre-formatted timestamps and copies the found columns into strings without parsing them.
// BM_SqliteStoreVsRaw interleaves both in one run and reports store_vs_raw_pct (raw time / store
// time). PostgreSQL: Store and Find round trips against a server started with the testing helper
// (skipped with a message if it cannot start).
//
//   bazel run --config=bench //store-jdbc/sql:sql_benchmark
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "store-jdbc/sql/sql_store.h"
#include "store-jdbc/sql/testing/postgres_server.h"

namespace failover {
namespace {

constexpr int kKeys = 1000;
constexpr char kUpsert[] =
    "INSERT INTO \"BENCH_FAILOVER_STORE\" (FAILOVER_NAME, FAILOVER_KEY, AS_OF, EXPIRE_ON, "
    "PAYLOAD, PAYLOAD_CLASS) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (FAILOVER_NAME, "
    "FAILOVER_KEY) DO UPDATE SET AS_OF = excluded.AS_OF, EXPIRE_ON = excluded.EXPIRE_ON, "
    "PAYLOAD = excluded.PAYLOAD, PAYLOAD_CLASS = excluded.PAYLOAD_CLASS";
constexpr char kFind[] =
    "SELECT AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS FROM \"BENCH_FAILOVER_STORE\" WHERE "
    "FAILOVER_NAME = ?1 AND FAILOVER_KEY = ?2";

// A scratch directory for the benchmark's database files, removed at exit.
const std::string& ScratchDir() {
  static const struct Dir {
    Dir() {
      char name[] = "/tmp/failover-sql-bench.XXXXXX";
      path = mkdtemp(name) != nullptr ? name : "/tmp";
    }
    ~Dir() {
      std::error_code ignored;
      if (path != "/tmp") std::filesystem::remove_all(path, ignored);
    }
    std::string path;
  } dir;
  return dir.path;
}

std::string FreshFile(absl::string_view name) {
  const std::string path = absl::StrCat(ScratchDir(), "/", name, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

const std::vector<FailoverStoreEntry>& Entries() {
  static const std::vector<FailoverStoreEntry> entries = [] {
    std::vector<FailoverStoreEntry> all;
    const absl::Time as_of = absl::FromUnixMicros(1764747579123456);
    for (int i = 0; i < kKeys; ++i) {
      all.push_back({"quotes", absl::StrCat("ab731e45-8d4d-330c-b9a8-", 100000000000 + i), as_of,
                     as_of + absl::Hours(1), absl::StrCat(R"({"symbol":"ACME","px":)", i, "}"),
                     "acme.Quote"});
    }
    return all;
  }();
  return entries;
}

// Raw sqlite3: the same pragmas, table and statements as the store.
class RawSqlite {
 public:
  explicit RawSqlite(const std::string& path) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_exec(db_,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                 "CREATE TABLE IF NOT EXISTS \"BENCH_FAILOVER_STORE\" (FAILOVER_NAME VARCHAR(256) "
                 "NOT NULL, FAILOVER_KEY VARCHAR(256) NOT NULL, AS_OF TIMESTAMP NOT NULL, "
                 "EXPIRE_ON TIMESTAMP NOT NULL, PAYLOAD TEXT, PAYLOAD_CLASS VARCHAR(256), "
                 "PRIMARY KEY (FAILOVER_NAME, FAILOVER_KEY)); CREATE INDEX IF NOT EXISTS "
                 "\"BENCH_FAILOVER_STORE_EXPIRE_ON_IDX\" ON \"BENCH_FAILOVER_STORE\" (EXPIRE_ON)",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v3(db_, kUpsert, -1, SQLITE_PREPARE_PERSISTENT, &upsert_, nullptr);
    sqlite3_prepare_v3(db_, kFind, -1, SQLITE_PREPARE_PERSISTENT, &find_, nullptr);
  }
  ~RawSqlite() {
    sqlite3_finalize(upsert_);
    sqlite3_finalize(find_);
    sqlite3_close_v2(db_);
  }
  bool ok() const { return upsert_ != nullptr && find_ != nullptr; }

  bool Upsert(const FailoverStoreEntry& entry, const std::string& as_of,
              const std::string& expire_on) {
    Bind(upsert_, 1, entry.name);
    Bind(upsert_, 2, entry.key);
    Bind(upsert_, 3, as_of);
    Bind(upsert_, 4, expire_on);
    Bind(upsert_, 5, entry.payload);
    Bind(upsert_, 6, entry.payload_type);
    const bool done = sqlite3_step(upsert_) == SQLITE_DONE;
    sqlite3_reset(upsert_);
    return done;
  }

  bool Find(const std::string& name, const std::string& key, std::string (&columns)[4]) {
    Bind(find_, 1, name);
    Bind(find_, 2, key);
    const bool found = sqlite3_step(find_) == SQLITE_ROW;
    for (int i = 0; found && i < 4; ++i) {
      columns[i].assign(reinterpret_cast<const char*>(sqlite3_column_text(find_, i)),
                        sqlite3_column_bytes(find_, i));
    }
    sqlite3_reset(find_);
    return found;
  }

 private:
  static void Bind(sqlite3_stmt* statement, int index, const std::string& text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  sqlite3_stmt* find_ = nullptr;
};

std::unique_ptr<FailoverStore> OpenStore(const std::string& url, std::string* error) {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url);
  if (!db.ok()) {
    *error = db.status().ToString();
    return nullptr;
  }
  absl::StatusOr<std::unique_ptr<FailoverStore>> store =
      NewSqlFailoverStore(*db, SqlTableOptions{"BENCH_", ""});
  if (!store.ok()) {
    *error = store.status().ToString();
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<FailoverStore> SqliteStore(absl::string_view name, std::string* error) {
  return OpenStore(absl::StrCat("sqlite://", FreshFile(name)), error);
}

bool Fill(FailoverStore& store) {
  for (const FailoverStoreEntry& entry : Entries()) {
    if (!store.Store(entry).ok()) return false;
  }
  return true;
}

// Formatted the way the store writes them, once, for the raw baseline.
struct RawTimes {
  std::string as_of = "2025-12-03 07:39:39.123456";
  std::string expire_on = "2025-12-03 08:39:39.123456";
};

void BM_SqliteStoreUpsert(benchmark::State& state) {
  std::string error;
  std::unique_ptr<FailoverStore> store = SqliteStore("store_upsert", &error);
  if (store == nullptr) return state.SkipWithError(error.c_str());
  int i = 0;
  for (auto _ : state) {
    if (!store->Store(Entries()[i++ % kKeys]).ok()) return state.SkipWithError("Store failed");
  }
}
BENCHMARK(BM_SqliteStoreUpsert);

void BM_SqliteRawUpsert(benchmark::State& state) {
  RawSqlite raw(FreshFile("raw_upsert"));
  if (!raw.ok()) return state.SkipWithError("raw sqlite3 setup failed");
  const RawTimes times;
  int i = 0;
  for (auto _ : state) {
    if (!raw.Upsert(Entries()[i++ % kKeys], times.as_of, times.expire_on)) {
      return state.SkipWithError("raw upsert failed");
    }
  }
}
BENCHMARK(BM_SqliteRawUpsert);

void BM_SqliteStoreFind(benchmark::State& state) {
  std::string error;
  std::unique_ptr<FailoverStore> store = SqliteStore("store_find", &error);
  if (store == nullptr || !Fill(*store)) return state.SkipWithError(("setup: " + error).c_str());
  int i = 0;
  for (auto _ : state) {
    const FailoverStoreEntry& entry = Entries()[i++ % kKeys];
    absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find(entry.name, entry.key);
    if (!found.ok() || !found->has_value()) return state.SkipWithError("Find failed");
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_SqliteStoreFind);

void BM_SqliteRawFind(benchmark::State& state) {
  RawSqlite raw(FreshFile("raw_find"));
  const RawTimes times;
  for (const FailoverStoreEntry& entry : Entries()) raw.Upsert(entry, times.as_of, times.expire_on);
  int i = 0;
  std::string columns[4];
  for (auto _ : state) {
    const FailoverStoreEntry& entry = Entries()[i++ % kKeys];
    if (!raw.Find(entry.name, entry.key, columns)) return state.SkipWithError("raw find failed");
    benchmark::DoNotOptimize(columns);
  }
}
BENCHMARK(BM_SqliteRawFind);

// Alternating batches of the store and the raw baseline in one run; arg 0 = upsert, 1 = find.
void BM_SqliteStoreVsRaw(benchmark::State& state) {
  const bool find = state.range(0) == 1;
  std::string error;
  std::unique_ptr<FailoverStore> store = SqliteStore(find ? "vs_find" : "vs_upsert", &error);
  RawSqlite raw(FreshFile(find ? "vs_raw_find" : "vs_raw_upsert"));
  const RawTimes times;
  if (store == nullptr || !raw.ok() || !Fill(*store)) return state.SkipWithError("setup failed");
  for (const FailoverStoreEntry& entry : Entries()) raw.Upsert(entry, times.as_of, times.expire_on);
  constexpr int kBatch = 200;
  std::chrono::nanoseconds store_time{0}, raw_time{0};
  int64_t ops = 0;
  std::string columns[4];
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kBatch; ++i) {
      const FailoverStoreEntry& entry = Entries()[(ops + i) % kKeys];
      if (find) {
        benchmark::DoNotOptimize(store->Find(entry.name, entry.key));
      } else {
        benchmark::DoNotOptimize(store->Store(entry));
      }
    }
    const auto middle = std::chrono::steady_clock::now();
    for (int i = 0; i < kBatch; ++i) {
      const FailoverStoreEntry& entry = Entries()[(ops + i) % kKeys];
      if (find) {
        benchmark::DoNotOptimize(raw.Find(entry.name, entry.key, columns));
      } else {
        benchmark::DoNotOptimize(raw.Upsert(entry, times.as_of, times.expire_on));
      }
    }
    const auto end = std::chrono::steady_clock::now();
    store_time += middle - start;
    raw_time += end - middle;
    ops += kBatch;
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
  }
  state.counters["store_ns_per_op"] = static_cast<double>(store_time.count()) / ops;
  state.counters["raw_ns_per_op"] = static_cast<double>(raw_time.count()) / ops;
  state.counters["store_vs_raw_pct"] =
      100.0 * static_cast<double>(raw_time.count()) / static_cast<double>(store_time.count());
}
BENCHMARK(BM_SqliteStoreVsRaw)->ArgName("find")->Arg(0)->Arg(1)->UseManualTime();

// One server for all PostgreSQL benchmarks; nullptr (with the reason) if it cannot start.
PostgresServer* SharedPostgres(std::string* error) {
  static std::string start_error;
  static const std::unique_ptr<PostgresServer> server = [] {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (!started.ok()) start_error = started.status().ToString();
    return started.ok() ? std::move(*started) : nullptr;
  }();
  *error = "PostgreSQL did not start: " + start_error;
  return server.get();
}

std::unique_ptr<FailoverStore> PostgresStore(std::string* error) {
  PostgresServer* server = SharedPostgres(error);
  return server == nullptr ? nullptr : OpenStore(server->url(), error);
}

void BM_PostgresStore(benchmark::State& state) {
  std::string error;
  std::unique_ptr<FailoverStore> store = PostgresStore(&error);
  if (store == nullptr) return state.SkipWithError(error.c_str());
  int i = 0;
  for (auto _ : state) {
    if (!store->Store(Entries()[i++ % kKeys]).ok()) return state.SkipWithError("Store failed");
  }
}
BENCHMARK(BM_PostgresStore)->UseRealTime();

void BM_PostgresFind(benchmark::State& state) {
  std::string error;
  std::unique_ptr<FailoverStore> store = PostgresStore(&error);
  if (store == nullptr || !Fill(*store)) return state.SkipWithError(error.c_str());
  int i = 0;
  for (auto _ : state) {
    const FailoverStoreEntry& entry = Entries()[i++ % kKeys];
    absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find(entry.name, entry.key);
    if (!found.ok() || !found->has_value()) return state.SkipWithError("Find failed");
  }
}
BENCHMARK(BM_PostgresFind)->UseRealTime();

}  // namespace
}  // namespace failover
