#include "naming-client/service_poller.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};
const ServiceKey kUsers{"DEFAULT_GROUP", "users", ""};

v1::ServiceInfo Info(const ServiceKey& key, int64_t cache_millis, int hosts = 1) {
  v1::ServiceInfo info;
  info.set_name(key.service);
  info.set_group_name(key.group);
  info.set_cache_millis(cache_millis);
  for (int i = 0; i < hosts; ++i) {
    v1::Instance* host = info.add_hosts();
    host->set_ip(absl::StrCat("10.0.0.", i + 1));
    host->set_port(8080);
  }
  return info;
}

// A NamingUpstream answering from a per-service script (the last answer repeats), recording the
// time of every query. `on_query` runs inside Query(). Thread-safe.
class ScriptedUpstream final : public NamingUpstream {
 public:
  explicit ScriptedUpstream(Clock& clock) : clock_(clock) {}

  void Script(const ServiceKey& key, std::vector<absl::StatusOr<v1::ServiceInfo>> answers) {
    MutexLock lock(&mu_);
    scripts_[key] = std::deque<absl::StatusOr<v1::ServiceInfo>>(answers.begin(), answers.end());
  }
  void OnQuery(std::function<void(const ServiceKey&)> hook) {
    MutexLock lock(&mu_);
    on_query_ = std::move(hook);
  }
  std::vector<MonotonicTime> QueryTimes(const ServiceKey& key) {
    MutexLock lock(&mu_);
    return times_[key];
  }

  absl::StatusOr<v1::ServiceInfo> Query(const ServiceKey& key, bool healthy_only) override {
    std::function<void(const ServiceKey&)> hook;
    absl::StatusOr<v1::ServiceInfo> answer = absl::NotFoundError("not scripted");
    {
      MutexLock lock(&mu_);
      times_[key].push_back(clock_.Now());
      auto& script = scripts_[key];
      if (!script.empty()) {
        answer = script.front();
        if (script.size() > 1) script.pop_front();
      }
      hook = on_query_;
    }
    if (hook) hook(key);
    return answer;
  }

 private:
  Clock& clock_;
  Mutex mu_;
  std::map<ServiceKey, std::deque<absl::StatusOr<v1::ServiceInfo>>> scripts_ ABSL_GUARDED_BY(mu_);
  std::map<ServiceKey, std::vector<MonotonicTime>> times_ ABSL_GUARDED_BY(mu_);
  std::function<void(const ServiceKey&)> on_query_ ABSL_GUARDED_BY(mu_);
};

class ServicePollerTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServicePoller> Make(ServicePollerOptions options = {}) {
    auto poller = ServicePoller::Create(
        upstream_, clock_,
        [this](const v1::ServiceInfo& info) {
          MutexLock lock(&mu_);
          latest_[info.name()] = info;
          ++results_;
        },
        [this](const ServiceKey& key, const absl::Status& error) {
          MutexLock lock(&mu_);
          errors_.push_back(absl::StrCat(key.ToString(), ": ", error.message()));
        },
        options);
    EXPECT_TRUE(poller.ok()) << poller.status();
    return *std::move(poller);
  }
  // Offsets of the queries of `key` from the start, in milliseconds.
  std::vector<int64_t> QueryOffsetsMs(const ServiceKey& key) {
    std::vector<int64_t> offsets;
    for (MonotonicTime t : upstream_.QueryTimes(key)) {
      offsets.push_back(absl::ToInt64Milliseconds(t - start_));
    }
    return offsets;
  }

  SimulatedClock clock_;
  const MonotonicTime start_ = clock_.Now();
  ScriptedUpstream upstream_{clock_};
  Mutex mu_;
  std::map<std::string, v1::ServiceInfo> latest_ ABSL_GUARDED_BY(mu_);
  int results_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> errors_ ABSL_GUARDED_BY(mu_);
};

TEST_F(ServicePollerTest, PollsRightAwayThenEveryCacheMillis) {
  upstream_.Script(kOrders, {Info(kOrders, 3000)});
  auto poller = Make();
  EXPECT_TRUE(poller->Subscribe(kOrders));
  EXPECT_FALSE(poller->Subscribe(kOrders));
  clock_.Advance(absl::Seconds(9));
  EXPECT_THAT(QueryOffsetsMs(kOrders), ElementsAre(0, 3000, 6000, 9000));
  MutexLock lock(&mu_);
  EXPECT_EQ(results_, 4);
  EXPECT_EQ(latest_["orders"].hosts_size(), 1);
}

TEST_F(ServicePollerTest, PeriodIsClampedAndMultiplied) {
  upstream_.Script(kOrders, {Info(kOrders, 100)});    // 100 ms -> 1 s minimum.
  upstream_.Script(kUsers, {Info(kUsers, 600'000)});  // 10 min -> 60 s maximum.
  auto poller = Make();
  poller->Subscribe(kOrders);
  poller->Subscribe(kUsers);
  clock_.Advance(absl::Seconds(120));
  EXPECT_EQ(QueryOffsetsMs(kOrders).size(), 121u);
  EXPECT_THAT(QueryOffsetsMs(kUsers), ElementsAre(0, 60'000, 120'000));

  ServicePollerOptions java;
  java.period_multiplier = 6;  // What the Java UpdateTask does.
  const ServiceKey other{"g", "x", ""};
  upstream_.Script(other, {Info(other, 1000)});
  auto java_like = Make(java);
  const MonotonicTime subscribed = clock_.Now();
  java_like->Subscribe(other);
  clock_.Advance(absl::Seconds(12));
  std::vector<int64_t> offsets;
  for (MonotonicTime t : upstream_.QueryTimes(other)) {
    offsets.push_back(absl::ToInt64Milliseconds(t - subscribed));
  }
  EXPECT_THAT(offsets, ElementsAre(0, 6000, 12000));
}

TEST_F(ServicePollerTest, FailuresBackOffFromTheLastPeriodUpToTheCapAndSuccessResets) {
  const absl::Status down = absl::UnavailableError("nacos down");
  upstream_.Script(kOrders,
                   {Info(kOrders, 5000), down, down, down, down, down, Info(kOrders, 5000)});
  auto poller = Make();
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(200));
  // 0: ok; then failures: next after 10, 20, 40, 60 (capped), 60 s; then ok and 5 s again.
  const std::vector<int64_t> offsets = QueryOffsetsMs(kOrders);
  ASSERT_GE(offsets.size(), 8u);
  EXPECT_THAT(std::vector<int64_t>(offsets.begin(), offsets.begin() + 8),
              ElementsAre(0, 5000, 15000, 35000, 75000, 135000, 195000, 200000));
  const std::optional<ServicePollState> state = poller->State(kOrders);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->consecutive_failures, 0);
  EXPECT_EQ(state->errors, 5);
  EXPECT_TRUE(state->last_error.ok());
  MutexLock lock(&mu_);
  ASSERT_EQ(errors_.size(), 5u);
  EXPECT_THAT(errors_[0], HasSubstr("DEFAULT_GROUP@@orders: nacos down"));
}

TEST_F(ServicePollerTest, BackoffShiftIsCappedAtSixFailures) {
  upstream_.Script(kOrders, {Info(kOrders, 100), absl::UnavailableError("down")});
  ServicePollerOptions options;
  options.max_period = absl::Hours(1);
  auto poller = Make(options);
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(1000));
  // Period 1 s: 2, 4, 8, 16, 32, 64, 64, 64 ... seconds.
  const std::vector<int64_t> offsets = QueryOffsetsMs(kOrders);
  ASSERT_GE(offsets.size(), 9u);
  EXPECT_THAT(std::vector<int64_t>(offsets.begin(), offsets.begin() + 9),
              ElementsAre(0, 1000, 3000, 7000, 15000, 31000, 63000, 127000, 191000));
}

TEST_F(ServicePollerTest, ErrorsKeepTheLastGoodResultInTheSink) {
  upstream_.Script(kOrders, {Info(kOrders, 1000, 3), absl::DeadlineExceededError("timeout")});
  auto poller = Make();
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(30));
  MutexLock lock(&mu_);
  EXPECT_EQ(results_, 1);
  EXPECT_EQ(latest_["orders"].hosts_size(), 3);
  EXPECT_GE(errors_.size(), 3u);
  EXPECT_EQ(poller->stats().results, 1);
  EXPECT_EQ(poller->stats().errors, static_cast<int64_t>(errors_.size()));
}

TEST_F(ServicePollerTest, AResultWithNoHostsGoesToTheSinkButBacksOffAsInJava) {
  upstream_.Script(kOrders, {Info(kOrders, 2000), Info(kOrders, 2000, /*hosts=*/0)});
  auto poller = Make();
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(16));
  EXPECT_THAT(QueryOffsetsMs(kOrders), ElementsAre(0, 2000, 6000, 14000));
  const std::optional<ServicePollState> state = poller->State(kOrders);
  EXPECT_EQ(state->consecutive_failures, 3);
  EXPECT_EQ(state->errors, 0);
  MutexLock lock(&mu_);
  EXPECT_EQ(results_, 4);
  EXPECT_EQ(latest_["orders"].hosts_size(), 0);
}

TEST_F(ServicePollerTest, UnsubscribeStopsPollingAndResubscribeStartsAgain) {
  upstream_.Script(kOrders, {Info(kOrders, 1000)});
  auto poller = Make();
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(poller->Unsubscribe(kOrders));
  EXPECT_FALSE(poller->Unsubscribe(kOrders));
  EXPECT_FALSE(poller->State(kOrders).has_value());
  clock_.Advance(absl::Seconds(10));
  EXPECT_THAT(QueryOffsetsMs(kOrders), ElementsAre(0, 1000, 2000));
  EXPECT_TRUE(poller->Subscriptions().empty());
  EXPECT_TRUE(poller->Subscribe(kOrders));
  clock_.Advance(absl::Seconds(1));
  EXPECT_THAT(QueryOffsetsMs(kOrders), ElementsAre(0, 1000, 2000, 12000, 13000));
}

TEST_F(ServicePollerTest, UnsubscribedWhileQueryingDropsThatResult) {
  upstream_.Script(kOrders, {Info(kOrders, 1000)});
  auto poller = Make();
  upstream_.OnQuery([&](const ServiceKey& key) { poller->Unsubscribe(key); });
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(QueryOffsetsMs(kOrders).size(), 1u);
  MutexLock lock(&mu_);
  EXPECT_EQ(results_, 0);
}

TEST_F(ServicePollerTest, TheSinkMayUnsubscribe) {
  upstream_.Script(kOrders, {Info(kOrders, 1000)});
  std::unique_ptr<ServicePoller> poller;
  int delivered = 0;
  auto created = ServicePoller::Create(upstream_, clock_, [&](const v1::ServiceInfo& info) {
    ++delivered;
    poller->Unsubscribe(kOrders);
  });
  ASSERT_TRUE(created.ok());
  poller = *std::move(created);
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(QueryOffsetsMs(kOrders).size(), 1u);
}

TEST_F(ServicePollerTest, DestructionCancelsTimers) {
  upstream_.Script(kOrders, {Info(kOrders, 1000)});
  auto poller = Make();
  poller->Subscribe(kOrders);
  poller->Subscribe(kUsers);
  clock_.Advance(absl::Seconds(1));
  poller.reset();
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(QueryOffsetsMs(kOrders).size(), 2u);
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
}

TEST_F(ServicePollerTest, FirstPollDelayIsHonoured) {
  upstream_.Script(kOrders, {Info(kOrders, 1000)});
  ServicePollerOptions options;
  options.first_poll_delay = absl::Milliseconds(1500);
  auto poller = Make(options);
  poller->Subscribe(kOrders);
  clock_.Advance(absl::Seconds(3));
  EXPECT_THAT(QueryOffsetsMs(kOrders), ElementsAre(1500, 2500));
}

TEST(ServicePollerCreateTest, BadOptionsAndNoSinkAreNamed) {
  SimulatedClock clock;
  ScriptedUpstream upstream(clock);
  const auto sink = [](const v1::ServiceInfo&) {};
  EXPECT_THAT(ServicePoller::Create(upstream, clock, nullptr).status().message(),
              HasSubstr("no sink"));
  ServicePollerOptions options;
  options.min_period = absl::ZeroDuration();
  EXPECT_THAT(ServicePoller::Create(upstream, clock, sink, nullptr, options).status().message(),
              HasSubstr("min_period"));
  options = {};
  options.max_period = absl::Milliseconds(10);
  EXPECT_THAT(ServicePoller::Create(upstream, clock, sink, nullptr, options).status().message(),
              HasSubstr("max_period 10ms must be finite and >= min_period"));
  options = {};
  options.period_multiplier = 0;
  EXPECT_EQ(ServicePoller::Create(upstream, clock, sink, nullptr, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// On the system clock: destruction waits for a poll that is querying, and the query is made
// with no poller lock held (Subscriptions() answers meanwhile).
TEST(ServicePollerSystemClockTest, DestructionWaitsForARunningPollThatHoldsNoLock) {
  Clock& clock = SystemClock();
  ScriptedUpstream upstream(clock);
  upstream.Script(kOrders, {Info(kOrders, 1000)});
  Notification started;
  Notification release;
  upstream.OnQuery([&](const ServiceKey&) {
    started.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(30));
  });
  auto poller = ServicePoller::Create(upstream, clock, [](const v1::ServiceInfo&) {});
  ASSERT_TRUE(poller.ok());
  (*poller)->Subscribe(kOrders);
  ASSERT_TRUE(started.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ((*poller)->Subscriptions().size(), 1u);  // Not blocked by the query.
  Notification destroyed;
  std::thread destroyer([&] {
    poller->reset();
    destroyed.Notify();
  });
  EXPECT_FALSE(destroyed.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  release.Notify();
  EXPECT_TRUE(destroyed.WaitForNotificationWithTimeout(absl::Seconds(30)));
  destroyer.join();
}

}  // namespace
}  // namespace naming
}  // namespace failover
