#include "naming-client/service_info_holder.h"

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {

void PrintTo(const ServiceKey& key, std::ostream* out) { *out << key.ToString(); }

namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};
constexpr char kOrdersFile[] = "DEFAULT_GROUP%40%40orders";

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("naming-client/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing testdata " << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

v1::Instance Host(const std::string& ip, int port = 8080) {
  v1::Instance host;
  host.set_ip(ip);
  host.set_port(port);
  return host;
}

// A push as a Nacos server sends it: the grouped name, groupName, lastRefTime.
v1::ServiceInfo Push(std::vector<v1::Instance> hosts, int64_t last_ref_time = 1000,
                     const std::string& name = "DEFAULT_GROUP@@orders") {
  v1::ServiceInfo info;
  info.set_name(name);
  info.set_group_name("DEFAULT_GROUP");
  info.set_last_ref_time(last_ref_time);
  for (v1::Instance& host : hosts) *info.add_hosts() = std::move(host);
  return info;
}

std::vector<std::string> Ips(const std::vector<v1::Instance>& hosts) {
  std::vector<std::string> ips;
  for (const v1::Instance& host : hosts) ips.push_back(host.ip());
  return ips;
}

std::vector<std::string> Ips(const v1::ServiceInfo& info) {
  return Ips(std::vector<v1::Instance>(info.hosts().begin(), info.hosts().end()));
}

class ServiceInfoHolderTest : public ::testing::Test {
 protected:
  ServiceInfoHolderTest() { options_.cache_directory = dir_.Path("nacos/naming/public"); }

  std::unique_ptr<ServiceInfoHolder> NewHolder() {
    absl::StatusOr<std::unique_ptr<ServiceInfoHolder>> holder = ServiceInfoHolder::Create(options_);
    EXPECT_TRUE(holder.ok()) << holder.status();
    (*holder)->AddListener([this](const ServiceInfoChangeEvent& e) { events_.push_back(e); });
    return *std::move(holder);
  }

  ServiceUpdateResult Process(ServiceInfoHolder& holder, v1::ServiceInfo info) {
    absl::StatusOr<ServiceUpdateResult> result = holder.ProcessServiceInfo(std::move(info));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : ServiceUpdateResult();
  }

  std::string CacheFile(const std::string& name) {
    return dir_.ReadFile("nacos/naming/public/" + name);
  }

  naming_internal::TempDir dir_;
  ServiceInfoHolderOptions options_;
  std::vector<ServiceInfoChangeEvent> events_;  // Delivered on the calling thread.
};

TEST_F(ServiceInfoHolderTest, FirstPushIsStoredMirroredAndSent) {
  auto holder = NewHolder();
  const ServiceUpdateResult result = Process(*holder, Push({Host("10.0.0.1")}));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kAdded);
  EXPECT_EQ(result.key, kOrders);
  EXPECT_TRUE(result.disk_status.ok()) << result.disk_status;

  std::shared_ptr<const v1::ServiceInfo> info = holder->Get(kOrders);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info, result.info);
  // One identity: the stored info says what its key says (name without the group).
  EXPECT_EQ(info->name(), "orders");
  EXPECT_EQ(info->group_name(), "DEFAULT_GROUP");

  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].key, kOrders);
  EXPECT_EQ(events_[0].old_info, nullptr);
  EXPECT_EQ(events_[0].new_info, info);
  EXPECT_THAT(Ips(events_[0].diff.added), ElementsAre("10.0.0.1"));

  // The mirror: Java's file name, one-line Nacos JSON that both readers take.
  EXPECT_THAT(dir_.List("nacos/naming/public"), ElementsAre(kOrdersFile));
  absl::StatusOr<v1::ServiceInfo> parsed = ParseServiceInfoJson(CacheFile(kOrdersFile));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(Ips(*parsed), ElementsAre("10.0.0.1"));
  EXPECT_EQ(parsed->last_ref_time(), 1000);
  DiskFailoverOptions disk;
  disk.directory = options_.cache_directory;
  absl::StatusOr<FailoverData> data = (*DiskFailoverDataSource::Create(disk))->GetData();
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_THAT(data->services, ElementsAre(Pair("DEFAULT_GROUP@@orders", _)));
}

TEST_F(ServiceInfoHolderTest, IdentityComesFromNameGroupAndClusters) {
  auto holder = NewHolder();
  v1::ServiceInfo bare = Push({Host("10.0.0.1")}, 1000, "payments");
  bare.clear_group_name();
  bare.set_clusters("c1,c2");
  EXPECT_EQ(Process(*holder, bare).key, (ServiceKey{"DEFAULT_GROUP", "payments", "c1,c2"}));
  EXPECT_THAT(dir_.List("nacos/naming/public"), ElementsAre("DEFAULT_GROUP%40%40payments@@c1,c2"));

  v1::ServiceInfo grouped = Push({Host("10.0.0.1")}, 1000, "orders");
  grouped.set_group_name("g1");
  EXPECT_EQ(Process(*holder, grouped).key, (ServiceKey{"g1", "orders", ""}));

  for (const auto& [name, group] : std::vector<std::pair<std::string, std::string>>{
           {"", "DEFAULT_GROUP"}, {"a@@b@@c", ""}, {"g2@@orders", "g1"}, {"@@orders", ""}}) {
    v1::ServiceInfo bad = Push({Host("10.0.0.1")}, 1000, name);
    bad.set_group_name(group);
    absl::StatusOr<ServiceUpdateResult> result = holder->ProcessServiceInfo(bad);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(holder->size(), 2u);
  EXPECT_EQ(holder->counters().pushes, 2u);
}

TEST_F(ServiceInfoHolderTest, SameHostsAreNoChangeWhateverLastRefTimeAndOrder) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1"), Host("10.0.0.2")}, 1000));
  const std::string file_before = CacheFile(kOrdersFile);
  events_.clear();

  const ServiceUpdateResult result =
      Process(*holder, Push({Host("10.0.0.2"), Host("10.0.0.1")}, 2000));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kUnchanged);
  EXPECT_THAT(events_, IsEmpty());
  EXPECT_EQ(CacheFile(kOrdersFile), file_before);          // Not rewritten.
  EXPECT_EQ(holder->Get(kOrders)->last_ref_time(), 2000);  // But the fresher value is served.
  EXPECT_EQ(holder->counters().changes, 1u);
  EXPECT_EQ(holder->counters().disk_writes, 1u);
}

TEST_F(ServiceInfoHolderTest, ChangesAreSentWithTheDiffAndMirrored) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1"), Host("10.0.0.2")}, 1000));
  const std::shared_ptr<const v1::ServiceInfo> first = holder->Get(kOrders);
  events_.clear();

  v1::Instance unhealthy = Host("10.0.0.2");
  unhealthy.set_healthy(false);
  const ServiceUpdateResult result = Process(*holder, Push({unhealthy, Host("10.0.0.3")}, 2000));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kChanged);
  ASSERT_EQ(events_.size(), 1u);
  const ServiceInfoChangeEvent& event = events_[0];
  EXPECT_EQ(event.old_info, first);
  EXPECT_EQ(event.new_info, holder->Get(kOrders));
  EXPECT_THAT(Ips(event.diff.added), ElementsAre("10.0.0.3"));
  EXPECT_THAT(Ips(event.diff.removed), ElementsAre("10.0.0.1"));
  ASSERT_THAT(Ips(event.diff.modified), ElementsAre("10.0.0.2"));
  EXPECT_FALSE(event.diff.modified[0].healthy());
  EXPECT_THAT(Ips(*ParseServiceInfoJson(CacheFile(kOrdersFile))),
              ElementsAre("10.0.0.2", "10.0.0.3"));
}

TEST_F(ServiceInfoHolderTest, AServiceLevelChangeIsAChangeWithAnEmptyDiff) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1")}, 1000));
  events_.clear();
  v1::ServiceInfo push = Push({Host("10.0.0.1")}, 2000);
  push.set_reach_protection_threshold(true);
  EXPECT_EQ(Process(*holder, push).outcome, ServiceUpdateOutcome::kChanged);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_TRUE(events_[0].diff.empty());
  EXPECT_TRUE(ParseServiceInfoJson(CacheFile(kOrdersFile))->reach_protection_threshold());
}

TEST_F(ServiceInfoHolderTest, WithoutProtectionAnEmptyPushEmptiesTheService) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1")}, 1000));
  events_.clear();
  EXPECT_EQ(Process(*holder, Push({}, 2000)).outcome, ServiceUpdateOutcome::kChanged);
  EXPECT_EQ(holder->Get(kOrders)->hosts_size(), 0);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_THAT(Ips(events_[0].diff.removed), ElementsAre("10.0.0.1"));
  EXPECT_EQ(ParseServiceInfoJson(CacheFile(kOrdersFile))->hosts_size(), 0);

  // valid: false is Java's "hosts: null", an error push, ignored even without protection.
  Process(*holder, Push({Host("10.0.0.1")}, 3000));
  v1::ServiceInfo error_push = Push({}, 4000);
  error_push.set_valid(false);
  const ServiceUpdateResult result = Process(*holder, error_push);
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kIgnoredEmpty);
  EXPECT_THAT(Ips(*result.info), ElementsAre("10.0.0.1"));
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.1"));
}

TEST_F(ServiceInfoHolderTest, PushEmptyProtectionKeepsTheLastUsableValue) {
  options_.push_empty_protection = true;
  auto holder = NewHolder();
  // Nothing stored yet: an unusable first push is ignored too (as Java), and nothing is written.
  ServiceUpdateResult result = Process(*holder, Push({}, 500));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kIgnoredEmpty);
  EXPECT_EQ(result.info, nullptr);
  EXPECT_EQ(holder->Get(kOrders), nullptr);
  EXPECT_THAT(dir_.List(), IsEmpty());

  Process(*holder, Push({Host("10.0.0.1")}, 1000));
  const std::shared_ptr<const v1::ServiceInfo> good = holder->Get(kOrders);
  events_.clear();
  v1::Instance unhealthy = Host("10.0.0.1");
  unhealthy.set_healthy(false);
  v1::Instance weightless = Host("10.0.0.2");
  weightless.set_weight(0);
  for (const v1::ServiceInfo& push :
       {Push({}, 2000), Push({unhealthy}, 2000), Push({weightless}, 2000)}) {
    result = Process(*holder, push);
    EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kIgnoredEmpty);
    EXPECT_EQ(result.info, good);
  }
  EXPECT_EQ(holder->Get(kOrders), good);
  EXPECT_THAT(events_, IsEmpty());
  EXPECT_THAT(Ips(*ParseServiceInfoJson(CacheFile(kOrdersFile))), ElementsAre("10.0.0.1"));
  EXPECT_EQ(holder->counters().ignored_empty, 4u);

  // A usable host among unusable ones, or allIPs, is a real push.
  EXPECT_EQ(Process(*holder, Push({unhealthy, Host("10.0.0.3")}, 3000)).outcome,
            ServiceUpdateOutcome::kChanged);
  v1::ServiceInfo all_ips = Push({unhealthy}, 4000);
  all_ips.set_allips(true);
  EXPECT_EQ(Process(*holder, all_ips).outcome, ServiceUpdateOutcome::kChanged);
}

TEST_F(ServiceInfoHolderTest, OutOfDatePushesAreDroppedUnlessTold) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1")}, 2000));
  events_.clear();
  const ServiceUpdateResult result = Process(*holder, Push({Host("10.0.0.9")}, 1000));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kIgnoredOutOfDate);
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.1"));
  EXPECT_THAT(events_, IsEmpty());
  EXPECT_EQ(holder->counters().ignored_out_of_date, 1u);

  options_.drop_out_of_date_pushes = false;
  options_.write_disk_cache = false;
  auto lenient = NewHolder();
  Process(*lenient, Push({Host("10.0.0.1")}, 2000));
  EXPECT_EQ(Process(*lenient, Push({Host("10.0.0.9")}, 1000)).outcome,
            ServiceUpdateOutcome::kChanged);
  EXPECT_THAT(Ips(*lenient->Get(kOrders)), ElementsAre("10.0.0.9"));
}

TEST_F(ServiceInfoHolderTest, LoadCacheAtStartReadsEveryUsableFile) {
  const std::string cache = "nacos/naming/public/";
  ASSERT_EQ(::mkdir(dir_.Path("nacos").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(dir_.Path("nacos/naming").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(dir_.Path(cache).c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(dir_.Path(cache + "failover").c_str(), 0755), 0);
  dir_.WriteFile(cache + ".DS_Store", "\0\0\0\1Bud1");
  dir_.WriteFile(cache + "DEFAULT_GROUP%40%40broken", ReadTestdata("truncated.json"));
  dir_.WriteFile(cache + "DEFAULT_GROUP%40%40test.2", ReadTestdata("doc_example_pretty.json"));
  dir_.WriteFile(
      cache + kOrdersFile,
      R"({"name":"DEFAULT_GROUP@@orders","lastRefTime":9000,"hosts":[{"ip":"10.0.0.1","port":80}]})");
  dir_.WriteFile(cache + "failover/DEFAULT_GROUP%40%40other", ReadTestdata("scenario_a.json"));
  options_.load_cache_at_start = true;
  auto holder = NewHolder();

  EXPECT_TRUE(holder->load_status().ok()) << holder->load_status();
  EXPECT_THAT(holder->Keys(), ElementsAre(kOrders, (ServiceKey{"DEFAULT_GROUP", "test.2", ""})));
  ASSERT_EQ(holder->load_problems().size(), 2u);
  EXPECT_EQ(holder->load_problems()[0].origin, ".DS_Store");
  EXPECT_EQ(holder->load_problems()[1].origin, "DEFAULT_GROUP%40%40broken");
  EXPECT_EQ(holder->load_problems()[1].kind, FailoverProblemKind::kBadContent);
  EXPECT_EQ(holder->Get({"DEFAULT_GROUP", "test.2", ""})->hosts(0).ip(), "1.1.2.1");
  EXPECT_THAT(events_, IsEmpty());

  // A push replaces loaded data whatever its lastRefTime (the file may come from a skewed clock).
  const ServiceUpdateResult result = Process(*holder, Push({Host("10.0.0.1", 80)}, 1000));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kUnchanged);
  EXPECT_EQ(holder->Get(kOrders)->last_ref_time(), 1000);
  EXPECT_EQ(Process(*holder, Push({Host("10.0.0.2", 80)}, 1500)).outcome,
            ServiceUpdateOutcome::kChanged);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_THAT(Ips(*events_[0].old_info), ElementsAre("10.0.0.1"));
}

TEST_F(ServiceInfoHolderTest, WithoutLoadCacheAtStartNothingIsRead) {
  dir_.WriteFile(kOrdersFile, ReadTestdata("scenario_a.json"));
  options_.cache_directory = dir_.path();
  auto holder = NewHolder();
  EXPECT_EQ(holder->size(), 0u);
}

TEST_F(ServiceInfoHolderTest, AFailedWriteIsReportedAndKeepsTheValue) {
  dir_.WriteFile("file", "");
  options_.cache_directory = dir_.Path("file/nacos/naming/public");  // Cannot be created.
  auto holder = NewHolder();
  const ServiceUpdateResult result = Process(*holder, Push({Host("10.0.0.1")}));
  EXPECT_EQ(result.outcome, ServiceUpdateOutcome::kAdded);
  EXPECT_FALSE(result.disk_status.ok());
  EXPECT_THAT(std::string(result.disk_status.message()),
              HasSubstr("cache file for DEFAULT_GROUP@@orders: "));
  EXPECT_EQ(holder->last_disk_error(), result.disk_status);
  EXPECT_EQ(holder->counters().disk_write_errors, 1u);
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.1"));
  EXPECT_EQ(events_.size(), 1u);  // Listeners still hear of it.
}

TEST_F(ServiceInfoHolderTest, AReadOnlyDirectoryKeepsTheValue) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes whatever the mode";
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
  options_.cache_directory = dir_.path();
  auto holder = NewHolder();
  const ServiceUpdateResult result = Process(*holder, Push({Host("10.0.0.1")}));
  EXPECT_EQ(result.disk_status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.1"));
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
}

TEST_F(ServiceInfoHolderTest, WriteDiskCacheOffWritesNothing) {
  options_.write_disk_cache = false;
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1")}));
  EXPECT_THAT(dir_.List(), IsEmpty());
  EXPECT_EQ(holder->counters().disk_writes, 0u);
}

TEST_F(ServiceInfoHolderTest, LookupsNeverChangeStoredData) {
  options_.write_disk_cache = false;
  auto holder = NewHolder();
  v1::ServiceInfo c1 = Push({Host("10.0.0.1")});
  c1.set_clusters("c1");
  Process(*holder, Push({Host("10.0.0.1"), Host("10.0.0.2")}));
  Process(*holder, c1);

  const std::shared_ptr<const v1::ServiceInfo> all = holder->Get(kOrders);
  EXPECT_EQ(holder->Get(kOrders), all);  // The same object, untouched.
  EXPECT_THAT(Ips(*holder->Get({"DEFAULT_GROUP", "orders", "c1"})), ElementsAre("10.0.0.1"));
  EXPECT_EQ(holder->Get({"DEFAULT_GROUP", "orders", "c2"}), nullptr);  // No fallback.
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.1", "10.0.0.2"));

  // A reader's object stays as it was when a later push replaces the stored one.
  Process(*holder, Push({Host("10.0.0.3")}, 2000));
  EXPECT_THAT(Ips(*all), ElementsAre("10.0.0.1", "10.0.0.2"));
  EXPECT_THAT(Ips(*holder->Get(kOrders)), ElementsAre("10.0.0.3"));
}

TEST_F(ServiceInfoHolderTest, RemoveKeysAndSize) {
  auto holder = NewHolder();
  Process(*holder, Push({Host("10.0.0.1")}));
  Process(*holder, Push({Host("10.0.0.1")}, 1000, "DEFAULT_GROUP@@payments"));
  EXPECT_EQ(holder->size(), 2u);
  EXPECT_TRUE(holder->Remove(kOrders));
  EXPECT_FALSE(holder->Remove(kOrders));
  EXPECT_EQ(holder->Get(kOrders), nullptr);
  EXPECT_THAT(holder->Keys(), ElementsAre(ServiceKey{"DEFAULT_GROUP", "payments", ""}));
  EXPECT_THAT(dir_.List("nacos/naming/public"),
              ElementsAre(kOrdersFile, "DEFAULT_GROUP%40%40payments"));  // Files stay.
  // After Remove, the next push is a first value again.
  EXPECT_EQ(Process(*holder, Push({Host("10.0.0.1")})).outcome, ServiceUpdateOutcome::kAdded);
}

// Lookups keep a per-thread pin of each shard's map: two holders read on one thread must each
// answer from their own data, a new value must reach a thread that pinned the old map, and a
// value handed out must outlive its removal (run under asan).
TEST_F(ServiceInfoHolderTest, PinnedLookupsNeverMixHoldersAndKeepValuesAlive) {
  options_.write_disk_cache = false;
  auto first = NewHolder();
  auto second = NewHolder();
  Process(*first, Push({Host("10.0.0.1")}));
  Process(*second, Push({Host("10.0.0.2"), Host("10.0.0.3")}));
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Ips(*first->Get(kOrders)), ElementsAre("10.0.0.1"));
    EXPECT_THAT(Ips(*second->Get(kOrders)), ElementsAre("10.0.0.2", "10.0.0.3"));
  }
  std::shared_ptr<const v1::ServiceInfo> held = first->Get(kOrders);
  Process(*first, Push({Host("10.0.0.9")}, 2000));
  EXPECT_THAT(Ips(*first->Get(kOrders)), ElementsAre("10.0.0.9"));
  EXPECT_TRUE(first->Remove(kOrders));
  EXPECT_EQ(first->Get(kOrders), nullptr);
  first.reset();
  EXPECT_THAT(Ips(*held), ElementsAre("10.0.0.1"));  // Still alive and unchanged.
  auto third = NewHolder();  // May reuse the first's memory: its pins must not apply.
  EXPECT_EQ(third->Get(kOrders), nullptr);
}

TEST_F(ServiceInfoHolderTest, ListenersMayCallTheHolder) {
  options_.write_disk_cache = false;
  auto holder = NewHolder();
  std::vector<std::string> seen;
  holder->AddListener([&](const ServiceInfoChangeEvent& e) {
    seen.push_back(e.key.service + ":" + std::to_string(holder->Get(e.key)->hosts_size()));
    if (e.key.service == "orders") {  // An update from inside a listener: queued, not nested.
      absl::StatusOr<ServiceUpdateResult> r =
          holder->ProcessServiceInfo(Push({Host("10.0.0.1")}, 1000, "DEFAULT_GROUP@@payments"));
      EXPECT_TRUE(r.ok());
    }
  });
  Process(*holder, Push({Host("10.0.0.1")}));
  EXPECT_THAT(seen, ElementsAre("orders:1", "payments:1"));
  EXPECT_EQ(holder->size(), 2u);
}

TEST(ServiceInfoHolderCreateTest, RejectsBadOptions) {
  ServiceInfoHolderOptions options;
  EXPECT_EQ(ServiceInfoHolder::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);  // write_disk_cache needs a directory.
  options.write_disk_cache = false;
  EXPECT_TRUE(ServiceInfoHolder::Create(options).ok());
  options.load_cache_at_start = true;
  EXPECT_FALSE(ServiceInfoHolder::Create(options).ok());
  options.cache_directory = "/x";
  options.max_file_bytes = 0;
  EXPECT_FALSE(ServiceInfoHolder::Create(options).ok());
}

TEST(ServiceUpdateOutcomeNameTest, Names) {
  EXPECT_EQ(ServiceUpdateOutcomeName(ServiceUpdateOutcome::kIgnoredOutOfDate),
            "ignored_out_of_date");
  EXPECT_EQ(ServiceUpdateOutcomeName(ServiceUpdateOutcome::kAdded), "added");
}

// Readers and writers at once (meaningful under --config=tsan): every lookup sees one whole
// pushed value, and each service's last event matches what is stored.
TEST(ServiceInfoHolderConcurrencyTest, ConcurrentGetAndProcess) {
  naming_internal::TempDir dir;
  ServiceInfoHolderOptions options;
  options.cache_directory = dir.path();
  auto holder = *ServiceInfoHolder::Create(options);
  constexpr int kServices = 8;
  constexpr int kRounds = 60;
  std::atomic<int> events{0};
  holder->AddListener([&](const ServiceInfoChangeEvent& e) {
    EXPECT_NE(e.new_info, nullptr);
    events.fetch_add(1);
  });
  const auto name = [](int i) { return "DEFAULT_GROUP@@svc" + std::to_string(i); };
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int round = 0; round < kRounds; ++round) {
        for (int i = w; i < kServices; i += 2) {
          std::vector<v1::Instance> hosts;
          for (int h = 0; h <= round % 3; ++h) hosts.push_back(Host("10.0.0." + std::to_string(h)));
          EXPECT_TRUE(holder->ProcessServiceInfo(Push(hosts, 1000 + round, name(i))).ok());
        }
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      while (!done.load()) {
        for (int i = 0; i < kServices; ++i) {
          std::shared_ptr<const v1::ServiceInfo> info =
              holder->Get({"DEFAULT_GROUP", "svc" + std::to_string(i), ""});
          if (info != nullptr) {
            EXPECT_GE(info->hosts_size(), 1);
            EXPECT_LE(info->hosts_size(), 3);
          }
        }
        holder->Keys();
      }
    });
  }
  threads[0].join();
  threads[1].join();
  done.store(true);
  threads[2].join();
  threads[3].join();
  EXPECT_EQ(holder->size(), static_cast<size_t>(kServices));
  EXPECT_EQ(events.load(), kServices * kRounds);  // Every round changes the host count.
  for (int i = 0; i < kServices; ++i) {
    const ServiceKey key{"DEFAULT_GROUP", "svc" + std::to_string(i), ""};
    const std::string file = dir.ReadFile(FailoverFileName(key));
    EXPECT_EQ(ParseServiceInfoJson(file)->hosts_size(), holder->Get(key)->hosts_size());
  }
}

}  // namespace
}  // namespace naming
}  // namespace failover
