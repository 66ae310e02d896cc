// PeerPublisher's timing on a SimulatedClock, with a transport that records what it is given.
#include "dashboard/publisher/peer_publisher.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

// What a RecordingTransport saw; shared with the test, so it outlives the publisher.
class Recording {
 public:
  absl::Status Push(const v1::MetricsSnapshot& snapshot) {
    MutexLock lock(&mu_);
    ++push_calls_;
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !blocked_; });
    snapshots_.push_back(snapshot);
    return result_;
  }
  absl::Status Heartbeat(const v1::HeartbeatRequest& request) {
    MutexLock lock(&mu_);
    heartbeats_.push_back(request);
    return result_;
  }

  void set_result(absl::Status result) {
    MutexLock lock(&mu_);
    result_ = std::move(result);
  }
  void set_blocked(bool blocked) {
    MutexLock lock(&mu_);
    blocked_ = blocked;
  }
  int push_calls() {
    MutexLock lock(&mu_);
    return push_calls_;
  }
  std::vector<v1::MetricsSnapshot> snapshots() {
    MutexLock lock(&mu_);
    return snapshots_;
  }
  std::vector<v1::HeartbeatRequest> heartbeats() {
    MutexLock lock(&mu_);
    return heartbeats_;
  }

 private:
  Mutex mu_;
  absl::Status result_ ABSL_GUARDED_BY(mu_);
  bool blocked_ ABSL_GUARDED_BY(mu_) = false;
  int push_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::MetricsSnapshot> snapshots_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::HeartbeatRequest> heartbeats_ ABSL_GUARDED_BY(mu_);
};

class RecordingTransport final : public SnapshotTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<Recording> recording)
      : recording_(std::move(recording)) {}
  absl::Status Push(const v1::MetricsSnapshot& snapshot) override {
    return recording_->Push(snapshot);
  }
  absl::Status Heartbeat(const v1::HeartbeatRequest& request) override {
    return recording_->Heartbeat(request);
  }

 private:
  const std::shared_ptr<Recording> recording_;
};

// The value of the series `name` (counter or gauge) in `snapshot`; -1 when absent.
double ValueOf(const v1::MetricsSnapshot& snapshot, absl::string_view name) {
  for (const v1::MetricSeries& series : snapshot.series()) {
    if (series.name() != name) continue;
    return series.has_counter() ? series.counter() : series.gauge();
  }
  return -1;
}

class PeerPublisherTest : public ::testing::Test {
 protected:
  PeerPublisherTest() {
    config_.publish_url = "http://dash:8080/failover-dashboard";
    config_.interval_seconds = 15;
    config_.retry_interval_seconds = 300;
    config_.allow_insecure_ingest = true;
  }

  std::unique_ptr<PeerPublisher> Start() {
    auto transport = std::make_unique<RecordingTransport>(transport_);
    PeerPublisherOptions options = Options();
    options.instance_id = "orders-1";
    options.process_start = absl::FromUnixSeconds(1'600'000'000);
    absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher = PeerPublisher::CreateWithTransport(
        config_, registry_, clock_, std::move(options), std::move(transport));
    EXPECT_TRUE(publisher.ok()) << publisher.status();
    (*publisher)->AwaitIdleForTest();
    return *std::move(publisher);
  }

  PeerPublisherOptions Options() {
    PeerPublisherOptions options;
    options.warnings = log_.Sink();
    options.final_push_timeout = timeout_;
    return options;
  }

  void Advance(PeerPublisher& publisher, absl::Duration d) {
    clock_.Advance(d);
    publisher.AwaitIdleForTest();
  }

  SnapshotConfig config_;
  SimulatedClock clock_;
  MetricsRegistry registry_;
  WarningLog log_;
  absl::Duration timeout_ = absl::Seconds(5);
  std::shared_ptr<Recording> transport_ = std::make_shared<Recording>();
};

TEST_F(PeerPublisherTest, PushesTheStateAtStartWithTheEnvelope) {
  registry_.GetCounter("failover.call.total").Increment(3);
  std::unique_ptr<PeerPublisher> publisher = Start();
  ASSERT_EQ(transport_->snapshots().size(), 1u);
  const v1::MetricsSnapshot first = transport_->snapshots()[0];
  EXPECT_EQ(first.instance_id(), "orders-1");
  EXPECT_EQ(first.sequence(), 1u);
  EXPECT_EQ(first.process_start_unix_nanos(),
            absl::ToUnixNanos(absl::FromUnixSeconds(1'600'000'000)));
  EXPECT_EQ(ValueOf(first, "failover.call.total"), 3);
  EXPECT_TRUE(log_.messages().empty());
}

TEST_F(PeerPublisherTest, HundredNotificationsInOneIntervalMakeTwoPushesTheLastCarryingTheEnd) {
  Counter& calls = registry_.GetCounter("failover.call.total");
  std::unique_ptr<PeerPublisher> publisher = Start();
  Advance(*publisher, absl::Seconds(60));  // quiet: nothing pushed
  ASSERT_EQ(transport_->snapshots().size(), 1u);

  const absl::Time burst_start = clock_.WallNow();
  for (int i = 0; i < 100; ++i) {
    calls.Increment();
    publisher->NotifyChanged();
    Advance(*publisher, absl::Milliseconds(100));  // 10 s in all, inside the 15 s window
  }
  EXPECT_EQ(transport_->snapshots().size(), 2u);  // the first one, at once
  EXPECT_EQ(ValueOf(transport_->snapshots()[1], "failover.call.total"), 1);

  Advance(*publisher, absl::Seconds(5));  // the window ends: the trailing flush
  std::vector<v1::MetricsSnapshot> snapshots = transport_->snapshots();
  ASSERT_EQ(snapshots.size(), 3u);
  EXPECT_EQ(ValueOf(snapshots[2], "failover.call.total"), 100);
  EXPECT_EQ(snapshots[2].taken_at_unix_nanos(), absl::ToUnixNanos(burst_start + absl::Seconds(15)));

  Advance(*publisher, absl::Minutes(5));  // traffic stopped: nothing more
  EXPECT_EQ(transport_->snapshots().size(), 3u);
  EXPECT_EQ(publisher->stats().pushes, 3u);
}

TEST_F(PeerPublisherTest, FailureBacksOffWarnsOnceThenPushesTheLatestStateAndNotesRecovery) {
  Gauge& active = registry_.GetGauge("failover.redis.endpoint.active");
  std::unique_ptr<PeerPublisher> publisher = Start();
  transport_->set_result(absl::UnavailableError("POST http://dash:8080/...: HTTP 503"));
  Advance(*publisher, absl::Seconds(20));

  active.Set(1);
  publisher->NotifyChanged();
  publisher->AwaitIdleForTest();
  ASSERT_EQ(transport_->snapshots().size(), 2u);  // failed
  ASSERT_EQ(log_.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[0], "snapshot push failed"));
  EXPECT_TRUE(absl::StrContains(log_.messages()[0], "HTTP 503"));

  for (int i = 2; i <= 5; ++i) {  // changes during the back-off are held back
    active.Set(i);
    publisher->NotifyChanged();
    Advance(*publisher, absl::Seconds(60));
  }
  EXPECT_EQ(transport_->snapshots().size(), 2u);
  Advance(*publisher, absl::Seconds(60));  // 300 s after the failure: the latest state, fails
  ASSERT_EQ(transport_->snapshots().size(), 3u);
  EXPECT_EQ(ValueOf(transport_->snapshots()[2], "failover.redis.endpoint.active"), 5);
  EXPECT_EQ(log_.messages().size(), 1u);  // no second warning

  transport_->set_result(absl::OkStatus());
  Advance(*publisher, absl::Seconds(299));
  EXPECT_EQ(transport_->snapshots().size(), 3u);
  Advance(*publisher, absl::Seconds(1));  // retried without a new change: the state goes out
  ASSERT_EQ(transport_->snapshots().size(), 4u);
  ASSERT_EQ(log_.messages().size(), 2u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[1], "recovered"));
  EXPECT_EQ(publisher->stats().push_failures, 2u);

  Advance(*publisher, absl::Minutes(10));  // delivered: nothing pending any more
  EXPECT_EQ(transport_->snapshots().size(), 4u);
}

TEST_F(PeerPublisherTest, HeartbeatsFollowTheirCadenceAndWarnOnce) {
  config_.heartbeat.enabled = true;
  config_.heartbeat.interval_seconds = 5;
  std::unique_ptr<PeerPublisher> publisher = Start();
  EXPECT_EQ(transport_->heartbeats().size(), 1u);  // at start
  Advance(*publisher, absl::Seconds(4));
  EXPECT_EQ(transport_->heartbeats().size(), 1u);
  Advance(*publisher, absl::Seconds(1));
  EXPECT_EQ(transport_->heartbeats().size(), 2u);
  transport_->set_result(absl::UnauthenticatedError("HTTP 401"));
  Advance(*publisher, absl::Seconds(5));
  Advance(*publisher, absl::Seconds(5));
  std::vector<v1::HeartbeatRequest> heartbeats = transport_->heartbeats();
  ASSERT_EQ(heartbeats.size(), 4u);
  EXPECT_EQ(heartbeats[3].instance_id(), "orders-1");
  EXPECT_EQ(heartbeats[3].sent_at_unix_nanos(), absl::ToUnixNanos(clock_.WallNow()));
  EXPECT_EQ(heartbeats[3].process_start_unix_nanos(),
            absl::ToUnixNanos(absl::FromUnixSeconds(1'600'000'000)));
  ASSERT_EQ(log_.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[0], "heartbeat failed"));
  transport_->set_result(absl::OkStatus());
  Advance(*publisher, absl::Seconds(5));
  ASSERT_EQ(log_.messages().size(), 2u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[1], "heartbeat recovered"));
  EXPECT_EQ(publisher->stats().heartbeat_failures, 2u);
}

TEST_F(PeerPublisherTest, DestructionSendsTheFinalSnapshot) {
  Counter& calls = registry_.GetCounter("failover.call.total");
  std::unique_ptr<PeerPublisher> publisher = Start();
  calls.Increment(7);
  publisher->NotifyChanged();  // inside the first window: held for the trailing flush
  publisher->AwaitIdleForTest();
  EXPECT_EQ(transport_->snapshots().size(), 1u);
  calls.Increment();
  publisher.reset();
  std::vector<v1::MetricsSnapshot> snapshots = transport_->snapshots();
  ASSERT_EQ(snapshots.size(), 2u);
  EXPECT_EQ(ValueOf(snapshots[1], "failover.call.total"), 8);
}

TEST_F(PeerPublisherTest, FlushPushesNowDespiteTheThrottleAndReturnsTheAnswer) {
  Gauge& gauge = registry_.GetGauge("failover.naming.switch");
  std::unique_ptr<PeerPublisher> publisher = Start();
  gauge.Set(1);
  EXPECT_TRUE(publisher->Flush().ok());
  ASSERT_EQ(transport_->snapshots().size(), 2u);
  EXPECT_EQ(ValueOf(transport_->snapshots()[1], "failover.naming.switch"), 1);
  transport_->set_result(absl::PermissionDeniedError("HTTP 403"));
  EXPECT_EQ(publisher->Flush().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(transport_->snapshots().size(), 3u);
}

TEST_F(PeerPublisherTest, DestructorGivesUpOnAHangingTransportAfterTheTimeout) {
  timeout_ = absl::Milliseconds(50);
  std::unique_ptr<PeerPublisher> publisher = Start();
  transport_->set_blocked(true);
  publisher.reset();  // returns although the final push hangs
  ASSERT_EQ(log_.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[0], "not answered within 50ms"));
  EXPECT_EQ(transport_->push_calls(), 2);
  transport_->set_blocked(false);  // the detached worker finishes on its own
}

TEST_F(PeerPublisherTest, WarnsAtStartWithoutCredentialsUnlessInsecureIngestIsAllowed) {
  config_.allow_insecure_ingest = false;
  std::unique_ptr<PeerPublisher> publisher = Start();
  ASSERT_EQ(log_.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log_.messages()[0], "without credentials"));
  publisher.reset();
  config_.username = "peer";
  config_.password = "secret";
  std::unique_ptr<PeerPublisher> second = Start();
  EXPECT_EQ(log_.messages().size(), 1u);
}

TEST_F(PeerPublisherTest, BadConfigurationIsRefusedNamingTheKey) {
  PeerPublisherOptions options = Options();
  options.instance_id = "x";
  config_.interval_seconds = 0;
  absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher = PeerPublisher::CreateWithTransport(
      config_, registry_, clock_, options, std::make_unique<RecordingTransport>(transport_));
  EXPECT_EQ(publisher.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(publisher.status().message(),
                                "failover.dashboard.cluster.snapshot.interval-seconds"));
  config_.interval_seconds = 15;
  config_.publish_url = "grpc://dash:9090";
  publisher = PeerPublisher::Create(config_, registry_, clock_, options);
  EXPECT_TRUE(absl::StrContains(publisher.status().message(), "NewGrpcSnapshotTransport"));
  config_.publish_url = "ftp://dash";
  publisher = PeerPublisher::Create(config_, registry_, clock_, options);
  EXPECT_TRUE(absl::StrContains(publisher.status().message(), "http:// or https://"));
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
