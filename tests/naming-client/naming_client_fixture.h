// A NamingClient built the way an application builds one, for integration tests: a YAML text
// with the failover.naming section loaded through ConfigLoader (next to the framework's root
// section), NewNamingClient on the system clock, a real temporary snapshot directory (failover
// and cache files) and, when the test starts one, a FakeNacosServer over HTTP. Intervals are
// short so that waits stay bounded and small (wait_for.h).
//
//   class MyTest : public NamingClientFixture {};
//   TEST_F(MyTest, X) {
//     WriteFailoverFile(kSwitchFile, "1");
//     auto client = NewClient("    poll-interval: 100ms\n");
//     ...
//   }
#ifndef FAILOVER_TESTS_NAMING_CLIENT_NAMING_CLIENT_FIXTURE_H_
#define FAILOVER_TESTS_NAMING_CLIENT_NAMING_CLIENT_FIXTURE_H_

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/naming_client.h"
#include "naming-client/naming_client_factory.h"
#include "naming-client/naming_config.h"
#include "naming-client/snapshot_path.h"
#include "naming-client/testing/fake_nacos_server.h"

namespace failover {
namespace naming {

inline constexpr char kSwitchFile[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

// Records a subscription's events as "SOURCE IP:PORT,IP:PORT" lines. Thread-safe.
class EventLog {
 public:
  std::function<void(const NamingEvent&)> Listener() {
    return [this](const NamingEvent& e) {
      std::string line = absl::StrCat(LookupSourceName(e.source), " ");
      for (const v1::Instance& host : e.info->hosts()) {
        absl::StrAppend(&line, host.ip(), ":", host.port(), host.healthy() ? "" : "!", ",");
      }
      if (!line.empty() && line.back() == ',') line.pop_back();
      MutexLock lock(&mu_);
      lines_.push_back(std::move(line));
    };
  }
  size_t size() const {
    MutexLock lock(&mu_);
    return lines_.size();
  }
  std::string last() const {
    MutexLock lock(&mu_);
    return lines_.empty() ? "" : lines_.back();
  }
  std::vector<std::string> lines() const {
    MutexLock lock(&mu_);
    return lines_;
  }

 private:
  mutable Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

// One service's ServiceInfo as FakeNacosServer serves it.
inline v1::ServiceInfo ServerService(const std::string& service,
                                     const std::vector<std::string>& ips,
                                     int64_t cache_millis = 100) {
  v1::ServiceInfo info;
  info.set_name(service);
  info.set_group_name("DEFAULT_GROUP");
  info.set_cache_millis(cache_millis);
  for (const std::string& ip : ips) {
    v1::Instance* host = info.add_hosts();
    host->set_ip(ip);
    host->set_port(8080);
  }
  return info;
}

class NamingClientFixture : public ::testing::Test {
 protected:
  // Fast settings for the real clock: polls every 50..400 ms, a breaker that opens after three
  // failures and waits 300 ms, one pass over the servers per query.
  static NamingClientOptions FastOptions(MetricsRegistry* metrics) {
    NamingClientOptions options;
    options.metrics = metrics;
    options.server_breaker.wait_duration_in_open_state = absl::Milliseconds(300);
    options.retry.max_attempts = 1;
    options.poller.first_poll_delay = absl::Milliseconds(100);
    options.poller.default_period = absl::Milliseconds(100);
    options.poller.min_period = absl::Milliseconds(50);
    options.poller.max_period = absl::Milliseconds(400);
    return options;
  }

  void StartServer() {
    auto server = FakeNacosServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // The YAML a service would hold: snapshot-path is this test's directory, server-addresses the
  // fake server's (when started), short timeouts; `more` is added inside failover.naming.
  std::string Yaml(const std::string& more) const {
    std::string yaml = absl::StrCat("failover:\n  naming:\n    snapshot-path: ", snapshot_.path(),
                                    "\n    connect-timeout: 300ms\n    request-timeout: 300ms\n");
    if (server_ != nullptr) {
      absl::StrAppend(&yaml, "    server-addresses: [ \"", server_->address(), "\" ]\n");
    }
    return absl::StrCat(yaml, more);
  }

  // The config the YAML loads to; a load problem fails the test.
  NamingConfig LoadConfig(const std::string& more) const {
    ConfigLoader loader;
    EXPECT_TRUE(AddFailoverSection(loader).ok());
    auto naming = AddNamingSection(loader);
    EXPECT_TRUE(naming.ok()) << naming.status();
    const ConfigLoadResult result = loader.Load(Yaml(more), /*env=*/{});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.Get(*naming);
  }

  absl::StatusOr<std::unique_ptr<NamingClient>> NewClient(const std::string& more = "") {
    return NewNamingClient(LoadConfig(more), /*environment=*/{}, SystemClock(), SystemRandom(),
                           FastOptions(&metrics_));
  }

  // {snapshot}/nacos/naming/public[/failover]/name.
  std::string CacheDir() const { return absl::StrCat(snapshot_.path(), "/nacos/naming/public"); }
  std::string FailoverDir() const { return CacheDir() + "/failover"; }

  // Replaces a file of the failover directory atomically (rename), as an operator's tool would:
  // the reactor polls concurrently and must never read half a file.
  void WriteFailoverFile(const std::string& name, const std::string& content) {
    for (const std::string& dir :
         {absl::StrCat(snapshot_.path(), "/nacos"), absl::StrCat(snapshot_.path(), "/nacos/naming"),
          CacheDir(), FailoverDir()}) {
      ASSERT_TRUE(mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) << dir;
    }
    snapshot_.WriteFile("staged", content);
    const std::string target = absl::StrCat(FailoverDir(), "/", name);
    ASSERT_EQ(std::rename(snapshot_.Path("staged").c_str(), target.c_str()), 0) << target;
  }
  void RemoveFailoverFile(const std::string& name) {
    ASSERT_EQ(std::remove(absl::StrCat(FailoverDir(), "/", name).c_str()), 0) << name;
  }

  naming_internal::TempDir snapshot_;
  MetricsRegistry metrics_;
  std::unique_ptr<FakeNacosServer> server_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_TESTS_NAMING_CLIENT_NAMING_CLIENT_FIXTURE_H_
