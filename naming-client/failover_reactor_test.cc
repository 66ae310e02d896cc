#include "naming-client/failover_reactor.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/testing/flaky_failover_data_source.h"

namespace failover {
namespace naming {
namespace {

using naming_internal::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";
constexpr char kSvcA[] = "DEFAULT_GROUP%40%40svcA";
constexpr char kSvcAJson[] =
    R"({"name":"svcA","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})";
constexpr char kSvcATwoHosts[] =
    R"({"name":"svcA","hosts":[{"ip":"10.0.0.1","port":8080},{"ip":"10.0.0.2","port":8080}]})";
constexpr char kSvcC[] = "DEFAULT_GROUP%40%40svcC";
constexpr char kSvcCJson[] = R"({"hosts":[{"ip":"10.0.1.1","port":1,"clusterName":"c1"},
                                          {"ip":"10.0.2.1","port":2,"clusterName":"c2"}]})";
const ServiceKey kKeyA{"DEFAULT_GROUP", "svcA", ""};
constexpr absl::Duration kPoll = absl::Seconds(5);

using FlakySource = FlakyFailoverDataSource;

// Delegates to another source and keeps the reactor's change notifier, which the test calls as
// a watching source would. With `spin`, a thread of its own calls it nonstop until destroyed.
class NotifyingSource final : public FailoverDataSource {
 public:
  NotifyingSource(std::unique_ptr<FailoverDataSource> source, bool spin)
      : source_(std::move(source)), spin_(spin) {}
  ~NotifyingSource() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  absl::StatusOr<FailoverSwitch> GetSwitch() override { return source_->GetSwitch(); }
  absl::StatusOr<FailoverData> GetData() override { return source_->GetData(); }
  void SetChangeNotifier(std::function<void()> changed) override {
    changed_ = std::move(changed);
    if (spin_) {
      thread_ = std::thread([this] {
        while (!stop_) changed_();
      });
    }
  }
  void Changed() { changed_(); }

 private:
  std::unique_ptr<FailoverDataSource> source_;
  const bool spin_;
  std::function<void()> changed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string Event(const FailoverServiceEvent& e) {
  const char* change = e.change == FailoverServiceChange::kAdded     ? "added"
                       : e.change == FailoverServiceChange::kChanged ? "changed"
                                                                     : "removed";
  return std::string(change) + " " + e.key + " " +
         (e.info == nullptr ? "-" : std::to_string(e.info->hosts_size()));
}

std::vector<std::string> Ips(const std::shared_ptr<const v1::ServiceInfo>& info) {
  std::vector<std::string> ips;
  if (info != nullptr) {
    for (const v1::Instance& host : info->hosts()) ips.push_back(host.ip());
  }
  return ips;
}

class FailoverReactorTest : public ::testing::Test {
 protected:
  std::unique_ptr<FailoverDataSource> DiskSource() {
    DiskFailoverOptions options;
    options.directory = dir_.path();
    return *DiskFailoverDataSource::Create(options);
  }

  // Creates the reactor on the disk source and records every event.
  void Start(std::unique_ptr<FailoverDataSource> source = nullptr) {
    FailoverReactorOptions options;
    options.poll_interval = kPoll;
    auto reactor =
        FailoverReactor::Create(source ? std::move(source) : DiskSource(), clock_, options);
    ASSERT_TRUE(reactor.ok()) << reactor.status();
    reactor_ = *std::move(reactor);
    reactor_->AddSwitchListener([this](const FailoverSwitchEvent& e) {
      events_.push_back(e.enabled ? "switch on" : "switch off");
    });
    reactor_->AddServiceListener(
        [this](const FailoverServiceEvent& e) { events_.push_back(Event(e)); });
  }

  std::vector<std::string> TakeEvents() { return std::exchange(events_, {}); }

  TempDir dir_;
  SimulatedClock clock_;
  std::unique_ptr<FailoverReactor> reactor_;
  std::vector<std::string> events_;
};

TEST_F(FailoverReactorTest, FirstLoadIsSynchronousDefect4) {
  dir_.WriteFile(kSwitch, "1\n");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  // No clock advance: the data is there before the first poll.
  EXPECT_TRUE(reactor_->switch_on());
  const auto info = reactor_->Lookup(kKeyA);
  ASSERT_NE(info, nullptr);
  EXPECT_THAT(Ips(info), ElementsAre("10.0.0.1"));
  EXPECT_EQ(info->hosts(0).port(), 8080);
  EXPECT_TRUE(reactor_->last_error().ok());
  EXPECT_THAT(TakeEvents(), IsEmpty());  // The first load is not an event.
}

TEST_F(FailoverReactorTest, SwitchAbsentOrOffServesNothing) {
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  EXPECT_FALSE(reactor_->switch_on());
  EXPECT_EQ(reactor_->Lookup(kKeyA), nullptr);
  dir_.WriteFile(kSwitch, "0\n");
  clock_.Advance(kPoll);
  EXPECT_FALSE(reactor_->switch_on());
  EXPECT_EQ(reactor_->Lookup(kKeyA), nullptr);
  EXPECT_THAT(TakeEvents(), IsEmpty());
}

TEST_F(FailoverReactorTest, UnknownServiceAndServiceWithoutHostsFallThrough) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile("DEFAULT_GROUP%40%40empty", R"({"hosts":[]})");
  Start();
  EXPECT_EQ(reactor_->Lookup({"DEFAULT_GROUP", "svcB", ""}), nullptr);
  EXPECT_EQ(reactor_->Lookup({"DEFAULT_GROUP", "empty", ""}), nullptr);
}

TEST_F(FailoverReactorTest, RuntimeFlipOnAndOffWithOneEventEach) {
  dir_.WriteFile(kSwitch, "0");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  dir_.WriteFile(kSwitch, "1");
  clock_.Advance(kPoll - absl::Milliseconds(1));
  EXPECT_FALSE(reactor_->switch_on());  // Not before the next poll.
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(reactor_->switch_on());
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  EXPECT_THAT(TakeEvents(), ElementsAre("switch on"));

  dir_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  EXPECT_FALSE(reactor_->switch_on());
  EXPECT_EQ(reactor_->Lookup(kKeyA), nullptr);
  EXPECT_THAT(TakeEvents(), ElementsAre("switch off"));
}

TEST_F(FailoverReactorTest, EditsWhileOnAreServedAtTheNextPoll) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  dir_.WriteFile(kSvcA, kSvcATwoHosts);
  dir_.WriteFile(kSvcC, kSvcCJson);
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  clock_.Advance(kPoll);
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1", "10.0.0.2"));
  EXPECT_THAT(TakeEvents(),
              ElementsAre("changed DEFAULT_GROUP@@svcA 2", "added DEFAULT_GROUP@@svcC 2"));
}

TEST_F(FailoverReactorTest, DeletedFileIsRemovedWithAnEventAndItsGaugeGoesDefect9) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile(kSvcC, kSvcCJson);
  Start();
  // Right after the first load, not one tick later.
  FailoverGauges gauges = reactor_->Gauges();
  EXPECT_EQ(gauges.switch_on, 1);
  EXPECT_THAT(gauges.instances,
              ElementsAre(Pair("DEFAULT_GROUP@@svcA", 1), Pair("DEFAULT_GROUP@@svcC", 2)));

  ASSERT_EQ(std::remove(dir_.Path(kSvcA).c_str()), 0);
  clock_.Advance(kPoll);
  EXPECT_EQ(reactor_->Lookup(kKeyA), nullptr);
  EXPECT_THAT(TakeEvents(), ElementsAre("removed DEFAULT_GROUP@@svcA -"));
  EXPECT_THAT(reactor_->Gauges().instances, ElementsAre(Pair("DEFAULT_GROUP@@svcC", 2)));

  dir_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  gauges = reactor_->Gauges();
  EXPECT_EQ(gauges.switch_on, 0);
  EXPECT_THAT(gauges.instances, IsEmpty());
}

TEST_F(FailoverReactorTest, SourceErrorsKeepThePreviousStateAndAreReported) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  auto flaky = std::make_unique<FlakySource>(DiskSource());
  FlakySource* source = flaky.get();
  Start(std::move(flaky));

  source->fail_data = true;
  ASSERT_EQ(std::remove(dir_.Path(kSvcA).c_str()), 0);
  clock_.Advance(kPoll);
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  EXPECT_EQ(reactor_->last_error(), absl::UnavailableError("directory unreadable"));
  EXPECT_EQ(reactor_->error_count(), 1);

  source->fail_switch = true;
  dir_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  EXPECT_TRUE(reactor_->switch_on());
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  EXPECT_EQ(reactor_->last_error(), absl::UnavailableError("switch unreadable"));
  EXPECT_EQ(reactor_->error_count(), 3);
  EXPECT_THAT(TakeEvents(), IsEmpty());

  source->fail_switch = source->fail_data = false;
  clock_.Advance(kPoll);
  EXPECT_TRUE(reactor_->last_error().ok());
  EXPECT_FALSE(reactor_->switch_on());
  EXPECT_THAT(TakeEvents(), ElementsAre("switch off", "removed DEFAULT_GROUP@@svcA -"));
}

TEST_F(FailoverReactorTest, EmptySwitchFileKeepsTheSwitchAsItWas) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  dir_.WriteFile(kSwitch, "");  // What a reader sees in the middle of `echo 0 > switch`.
  clock_.Advance(kPoll);
  EXPECT_TRUE(reactor_->switch_on());
  EXPECT_FALSE(reactor_->last_error().ok());
  EXPECT_THAT(TakeEvents(), IsEmpty());
}

TEST_F(FailoverReactorTest, FirstLoadFailureStartsOffAndRecovers) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  auto flaky = std::make_unique<FlakySource>(DiskSource());
  FlakySource* source = flaky.get();
  source->fail_switch = source->fail_data = true;
  Start(std::move(flaky));
  EXPECT_FALSE(reactor_->switch_on());
  EXPECT_EQ(reactor_->error_count(), 2);
  source->fail_switch = source->fail_data = false;
  clock_.Advance(kPoll);
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  EXPECT_THAT(TakeEvents(), ElementsAre("switch on", "added DEFAULT_GROUP@@svcA 1"));
}

TEST_F(FailoverReactorTest, BadFilesAreReportedAndTheRestServed) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile("DEFAULT_GROUP%40%40broken", R"({"hosts":[{"ip":)");
  Start();
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  const std::vector<FailoverFileProblem> problems = reactor_->problems();
  ASSERT_EQ(problems.size(), 1);
  EXPECT_EQ(problems[0].origin, "DEFAULT_GROUP%40%40broken");
  EXPECT_EQ(problems[0].kind, FailoverProblemKind::kBadContent);
  EXPECT_TRUE(reactor_->last_error().ok());  // One bad file is not a source error.
}

TEST_F(FailoverReactorTest, ClusterFilterNeverMutatesStoredDataDefect6) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcC, kSvcCJson);
  Start();
  const auto whole = reactor_->Lookup({"DEFAULT_GROUP", "svcC", ""});
  const auto c1 = reactor_->Lookup({"DEFAULT_GROUP", "svcC", "c1"});
  EXPECT_THAT(Ips(c1), ElementsAre("10.0.1.1"));
  EXPECT_EQ(c1->clusters(), "c1");
  EXPECT_EQ(reactor_->Lookup({"DEFAULT_GROUP", "svcC", "c3"}), nullptr);  // No host left.
  // The stored object, and later unfiltered lookups, still have both hosts.
  EXPECT_THAT(Ips(whole), ElementsAre("10.0.1.1", "10.0.2.1"));
  EXPECT_EQ(reactor_->Lookup({"DEFAULT_GROUP", "svcC", ""}), whole);
  EXPECT_EQ(reactor_->Lookup({"DEFAULT_GROUP", "svcC", "c1,c2"}), whole);
}

TEST_F(FailoverReactorTest, ClusterSpecificFileIsPreferred) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcC, kSvcCJson);
  dir_.WriteFile(std::string(kSvcC) + "@@c2",
                 R"({"hosts":[{"ip":"10.9.9.9","port":3,"clusterName":"c2"}]})");
  Start();
  EXPECT_THAT(Ips(reactor_->Lookup({"DEFAULT_GROUP", "svcC", "c2"})), ElementsAre("10.9.9.9"));
  EXPECT_THAT(Ips(reactor_->Lookup({"DEFAULT_GROUP", "svcC", "c1"})), ElementsAre("10.0.1.1"));
}

TEST_F(FailoverReactorTest, NoEventsWhenNothingChanged) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  const auto before = reactor_->Lookup(kKeyA);
  dir_.WriteFile(kSvcA, kSvcAJson);  // Rewritten with the same content.
  clock_.Advance(kPoll * 3);
  EXPECT_THAT(TakeEvents(), IsEmpty());
  EXPECT_EQ(reactor_->Lookup(kKeyA), before);
}

TEST_F(FailoverReactorTest, LookupsRunConcurrentlyWithPolls) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load()) {
      const auto info = reactor_->Lookup(kKeyA);
      ASSERT_NE(info, nullptr);
      ASSERT_GE(info->hosts_size(), 1);
      reactor_->Gauges();
      reactor_->problems();
    }
  });
  for (int i = 0; i < 20; ++i) {
    dir_.WriteFile(kSvcA, i % 2 == 0 ? kSvcATwoHosts : kSvcAJson);
    clock_.Advance(kPoll);
  }
  done.store(true);
  reader.join();
  EXPECT_EQ(TakeEvents().size(), 20);
}

TEST_F(FailoverReactorTest, DestructionCancelsPolling) {
  Start();
  EXPECT_TRUE(clock_.NextTimerDue().has_value());
  reactor_.reset();
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  clock_.Advance(kPoll * 2);  // Nothing left to run.
}

// On the real clock, polls run on its timer thread: destroying the reactor while one may be
// running must wait for it and leave no timer behind (run under --config=tsan and asan).
TEST_F(FailoverReactorTest, DestructionRacesSafelyWithPollsOnTheSystemClock) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  FailoverReactorOptions options;
  options.poll_interval = absl::Microseconds(50);
  for (int i = 0; i < 50; ++i) {
    auto reactor = FailoverReactor::Create(DiskSource(), SystemClock(), options);
    ASSERT_TRUE(reactor.ok()) << reactor.status();
    EXPECT_NE((*reactor)->Lookup(kKeyA), nullptr);
    // Let some polls start (no sleep: the work below overlaps with the timer thread).
    for (int j = 0; j < 200; ++j) (*reactor)->Gauges();
  }
}

TEST_F(FailoverReactorTest, SourceChangeNotificationPollsAtOnceAndMergesRequests) {
  dir_.WriteFile(kSwitch, "0");
  dir_.WriteFile(kSvcA, kSvcAJson);
  auto owned = std::make_unique<NotifyingSource>(DiskSource(), /*spin=*/false);
  NotifyingSource* source = owned.get();
  Start(std::move(owned));
  std::vector<FailoverPollEvent> polls;
  reactor_->AddPollListener([&polls](const FailoverPollEvent& e) { polls.push_back(e); });

  dir_.WriteFile(kSwitch, "1");
  source->Changed();
  source->Changed();                     // Merged with the pending request.
  EXPECT_FALSE(reactor_->switch_on());   // The poll runs on the clock's timer, not in Changed().
  clock_.Advance(absl::Nanoseconds(1));  // Long before the periodic poll (5 s).
  EXPECT_TRUE(reactor_->switch_on());
  EXPECT_THAT(Ips(reactor_->Lookup(kKeyA)), ElementsAre("10.0.0.1"));
  EXPECT_THAT(TakeEvents(), ElementsAre("switch on"));
  ASSERT_EQ(polls.size(), 1u);
  EXPECT_TRUE(polls[0].switch_on);
  EXPECT_TRUE(polls[0].switch_read);
  EXPECT_TRUE(polls[0].data_read);
  EXPECT_TRUE(polls[0].error.ok());

  // The periodic poll goes on as before.
  clock_.Advance(kPoll);
  EXPECT_EQ(polls.size(), 2u);
}

TEST_F(FailoverReactorTest, PollEventsCountProblemsChangesAndFailures) {
  dir_.WriteFile(kSwitch, "1");
  auto owned = std::make_unique<FlakySource>(DiskSource());
  FlakySource* source = owned.get();
  Start(std::move(owned));
  std::vector<FailoverPollEvent> polls;
  reactor_->AddPollListener([&polls](const FailoverPollEvent& e) { polls.push_back(e); });

  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile(kSvcC, kSvcCJson);
  dir_.WriteFile("README", "not a service");
  clock_.Advance(kPoll);
  ASSERT_EQ(polls.size(), 1u);
  EXPECT_EQ(polls[0].changed_services, 2u);
  EXPECT_EQ(polls[0].problem_count, 1u);

  source->fail_data = true;
  clock_.Advance(kPoll);
  ASSERT_EQ(polls.size(), 2u);
  EXPECT_TRUE(polls[1].switch_read);
  EXPECT_FALSE(polls[1].data_read);
  EXPECT_EQ(polls[1].error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(polls[1].changed_services, 0u);  // The previous data is kept.
  EXPECT_EQ(polls[1].problem_count, 1u);
}

// A source thread calling the notifier nonstop while reactors come and go on the real clock:
// the destructor must wait for requested polls and stop the source before anything else goes
// (run under --config=tsan and asan).
TEST_F(FailoverReactorTest, DestructionRacesSafelyWithChangeNotifications) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  for (int i = 0; i < 30; ++i) {
    auto reactor = FailoverReactor::Create(
        std::make_unique<NotifyingSource>(DiskSource(), /*spin=*/true), SystemClock());
    ASSERT_TRUE(reactor.ok()) << reactor.status();
    for (int j = 0; j < 200; ++j) EXPECT_NE((*reactor)->Lookup(kKeyA), nullptr);
    reactor->reset();  // Must not hang, crash or race with the spinning notifier.
  }
}

// Lookups keep the last state per thread: alternating between two reactors, and a reactor
// created where a destroyed one was, must each answer from their own data.
TEST_F(FailoverReactorTest, LookupsOnOneThreadNeverMixReactors) {
  TempDir other;
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  other.WriteFile(kSwitch, "1");
  other.WriteFile(kSvcA, kSvcATwoHosts);
  DiskFailoverOptions options;
  options.directory = other.path();
  auto second = FailoverReactor::Create(*DiskFailoverDataSource::Create(options), clock_);
  ASSERT_TRUE(second.ok());
  Start();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reactor_->Lookup(kKeyA)->hosts_size(), 1);
    EXPECT_EQ((*second)->Lookup(kKeyA)->hosts_size(), 2);
  }
  for (int i = 0; i < 5; ++i) {
    second->reset();
    second = FailoverReactor::Create(*DiskFailoverDataSource::Create(options), clock_);
    EXPECT_EQ((*second)->Lookup(kKeyA)->hosts_size(), 2);
    EXPECT_EQ(reactor_->Lookup(kKeyA)->hosts_size(), 1);
  }
  // A poll's new state reaches a thread that cached the old one.
  dir_.WriteFile(kSvcA, kSvcATwoHosts);
  clock_.Advance(kPoll);
  EXPECT_EQ(reactor_->Lookup(kKeyA)->hosts_size(), 2);
}

TEST(FailoverReactorCreateTest, RejectsNullSourceAndNonPositiveInterval) {
  SimulatedClock clock;
  EXPECT_EQ(FailoverReactor::Create(nullptr, clock).status().code(),
            absl::StatusCode::kInvalidArgument);
  TempDir dir;
  DiskFailoverOptions disk;
  disk.directory = dir.path();
  FailoverReactorOptions options;
  options.poll_interval = absl::ZeroDuration();
  const auto reactor =
      FailoverReactor::Create(*DiskFailoverDataSource::Create(disk), clock, options);
  EXPECT_EQ(reactor.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(clock.NextTimerDue().has_value());
}

}  // namespace
}  // namespace naming
}  // namespace failover
