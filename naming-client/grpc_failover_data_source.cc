#include "naming-client/grpc_failover_data_source.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "naming-client/snapshot_path.h"
#include "proto/failover_data.grpc.pb.h"
#include "proto/failover_data.pb.h"

namespace failover {
namespace naming {
namespace {

// The outcome of waiting for the one operation a watch has outstanding.
enum class Outcome { kOk, kFailed, kTimedOut };

gpr_timespec DeadlineAfter(absl::Duration d) {
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                      gpr_time_from_micros(absl::ToInt64Microseconds(d), GPR_TIMESPAN));
}

// A watch has at most one operation outstanding, so the next event is that operation's.
Outcome Await(grpc::CompletionQueue& cq, gpr_timespec deadline) {
  void* tag = nullptr;
  bool ok = false;
  switch (cq.AsyncNext(&tag, &ok, deadline)) {
    case grpc::CompletionQueue::TIMEOUT:
      return Outcome::kTimedOut;
    case grpc::CompletionQueue::SHUTDOWN:
      return Outcome::kFailed;
    case grpc::CompletionQueue::GOT_EVENT:
      break;
  }
  return ok ? Outcome::kOk : Outcome::kFailed;
}

int Millis(absl::Duration d) {
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), 1 << 30));
}

absl::Status CheckOptions(const GrpcFailoverOptions& o) {
  if (absl::StripAsciiWhitespace(o.target).empty()) {
    return absl::InvalidArgumentError("grpc failover data source: no target (host:port)");
  }
  const absl::Duration zero = absl::ZeroDuration();
  if (o.connect_timeout <= zero || o.heartbeat_interval <= zero || o.initial_backoff <= zero ||
      o.max_backoff < o.initial_backoff) {
    return absl::InvalidArgumentError(
        "grpc failover data source: connect_timeout, heartbeat_interval and initial_backoff must "
        "be > 0 and max_backoff >= initial_backoff");
  }
  if (o.idle_timeout <= o.heartbeat_interval) {
    return absl::InvalidArgumentError(absl::StrCat(
        "grpc failover data source: idle_timeout ", absl::FormatDuration(o.idle_timeout),
        " must be longer than heartbeat_interval ", absl::FormatDuration(o.heartbeat_interval)));
  }
  if (!(o.backoff_multiplier >= 1.0) || !(o.backoff_jitter >= 0.0 && o.backoff_jitter <= 1.0) ||
      o.max_message_bytes <= 0) {
    return absl::InvalidArgumentError(
        "grpc failover data source: backoff_multiplier must be >= 1, backoff_jitter in [0, 1] "
        "and max_message_bytes > 0");
  }
  return absl::OkStatus();
}

}  // namespace

struct GrpcFailoverDataSource::Connection {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::FailoverData::Stub> stub;
  grpc::CompletionQueue cq;  // Used by the watch thread only.
};

absl::StatusOr<std::unique_ptr<GrpcFailoverDataSource>> GrpcFailoverDataSource::Create(
    GrpcFailoverOptions options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  options.target = std::string(absl::StripAsciiWhitespace(options.target));
  absl::StatusOr<std::string> nacos_namespace = NormalizeNamespace(options.nacos_namespace);
  if (!nacos_namespace.ok()) return nacos_namespace.status();
  options.nacos_namespace = *std::move(nacos_namespace);

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  // gRPC's own reconnect backoff (1 s growing to 120 s by default) would keep the channel down
  // long after the server is back; follow ours instead.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, Millis(options.initial_backoff));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, Millis(options.initial_backoff));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, Millis(options.max_backoff));
  auto connection = std::make_unique<Connection>();
  connection->channel =
      grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args);
  connection->stub = v1::FailoverData::NewStub(connection->channel);

  std::unique_ptr<GrpcFailoverDataSource> source(
      new GrpcFailoverDataSource(std::move(options), std::move(connection)));
  GrpcFailoverDataSource* self = source.get();
  source->thread_ = std::thread([self] { self->Run(); });
  return source;
}

GrpcFailoverDataSource::GrpcFailoverDataSource(GrpcFailoverOptions options,
                                               std::unique_ptr<Connection> connection)
    : options_(std::move(options)),
      connection_(std::move(connection)),
      watch_state_(absl::StrCat("failover server ", options_.target, ", namespace '",
                                options_.nacos_namespace, "'")) {}

GrpcFailoverDataSource::~GrpcFailoverDataSource() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    if (call_ != nullptr) call_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
  connection_->cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (connection_->cq.Next(&tag, &ok)) {
  }
}

absl::Status GrpcFailoverDataSource::Unsynced() const {
  return absl::UnavailableError(absl::StrCat(
      "failover server ", options_.target, ", namespace '", options_.nacos_namespace,
      "': no data received yet",
      status_.last_error.ok() ? "" : absl::StrCat(" (", status_.last_error.message(), ")")));
}

absl::StatusOr<FailoverSwitch> GrpcFailoverDataSource::GetSwitch() {
  MutexLock lock(&mu_);
  if (current_ == nullptr) return Unsynced();
  return current_->switch_state;
}

absl::StatusOr<FailoverData> GrpcFailoverDataSource::GetData() {
  std::shared_ptr<const FailoverWatchSnapshot> current;
  {
    MutexLock lock(&mu_);
    if (current_ == nullptr) return Unsynced();
    current = current_;
  }
  return current->data;  // Copied without the lock: the snapshot is immutable.
}

void GrpcFailoverDataSource::SetChangeNotifier(std::function<void()> changed) {
  MutexLock lock(&notifier_mu_);
  notifier_ = std::move(changed);
}

GrpcWatchStatus GrpcFailoverDataSource::watch_status() const {
  MutexLock lock(&mu_);
  return status_;
}

bool GrpcFailoverDataSource::SleepUnlessStopping(absl::Duration d) {
  MutexLock lock(&mu_);
  return !mu_.AwaitWithTimeout([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; },
                               d);
}

void GrpcFailoverDataSource::Run() {
  RandomSource& random = options_.random != nullptr ? *options_.random : SystemRandom();
  absl::Duration backoff = options_.initial_backoff;
  while (true) {
    bool received = false;
    const absl::Status ended = WatchOnce(received);
    {
      MutexLock lock(&mu_);
      if (stopping_) return;
      status_.last_error = ended;
      status_.streaming = false;
    }
    if (received) backoff = options_.initial_backoff;
    const double factor = 1.0 + options_.backoff_jitter * (2.0 * random.Uniform01() - 1.0);
    if (!SleepUnlessStopping(backoff * factor)) return;
    if (!received) {
      backoff = std::min(backoff * options_.backoff_multiplier, options_.max_backoff);
    }
  }
}

absl::Status GrpcFailoverDataSource::WatchOnce(bool& received) {
  grpc::ClientContext context;
  {
    MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("stopping");
    call_ = &context;
    ++status_.watches;
  }
  v1::WatchRequest request;
  request.set_namespace_(options_.nacos_namespace);
  request.set_from_revision(watch_state_.revision());
  request.set_epoch(watch_state_.epoch());
  request.set_heartbeat_interval_ms(Millis(options_.heartbeat_interval));
  grpc::CompletionQueue& cq = connection_->cq;
  std::unique_ptr<grpc::ClientAsyncReader<v1::WatchResponse>> reader =
      connection_->stub->PrepareAsyncWatch(&context, request, &cq);

  absl::Status error;
  // Until the first response: connect_timeout from now; then idle_timeout from the last one.
  gpr_timespec deadline = DeadlineAfter(options_.connect_timeout);
  auto timed_out = [&](absl::Duration limit, absl::string_view what) {
    error = absl::DeadlineExceededError(absl::StrCat(
        "failover server ", options_.target, ": ", what, " within ", absl::FormatDuration(limit)));
    context.TryCancel();
    Await(cq, gpr_inf_future(GPR_CLOCK_MONOTONIC));  // The cancelled operation completes.
  };
  reader->StartCall(reinterpret_cast<void*>(1));
  Outcome outcome = Await(cq, deadline);
  if (outcome == Outcome::kTimedOut) timed_out(options_.connect_timeout, "no connection");
  while (outcome == Outcome::kOk) {
    v1::WatchResponse response;
    reader->Read(&response, reinterpret_cast<void*>(2));
    outcome = Await(cq, deadline);
    if (outcome == Outcome::kTimedOut) {
      if (received) {
        timed_out(options_.idle_timeout, "no response (not even a heartbeat)");
      } else {
        timed_out(options_.connect_timeout, "no first response");
      }
    }
    if (outcome != Outcome::kOk) break;
    if (!received) {
      received = true;
      MutexLock lock(&mu_);
      status_.streaming = true;
    }
    deadline = DeadlineAfter(options_.idle_timeout);
    absl::StatusOr<bool> changed = watch_state_.Apply(response);
    if (!changed.ok()) {
      error = changed.status();
      watch_state_.Resynchronize();
      context.TryCancel();
      break;
    }
    if (*changed) Publish();
  }

  grpc::Status finished;
  reader->Finish(&finished, reinterpret_cast<void*>(3));
  Await(cq, gpr_inf_future(GPR_CLOCK_MONOTONIC));
  {
    MutexLock lock(&mu_);
    call_ = nullptr;
  }
  watch_state_.AbandonPartialSnapshot();
  if (!error.ok()) return error;
  if (finished.ok()) {
    return absl::UnavailableError(
        absl::StrCat("failover server ", options_.target, ": the server ended the watch"));
  }
  // absl::StatusCode and grpc::StatusCode share their numbering.
  return absl::Status(
      static_cast<absl::StatusCode>(finished.error_code()),
      absl::StrCat("failover server ", options_.target, ": ", finished.error_message()));
}

void GrpcFailoverDataSource::Publish() {
  std::shared_ptr<const FailoverWatchSnapshot> current = watch_state_.Current();
  {
    MutexLock lock(&mu_);
    current_ = current;
    status_.synced = true;
    status_.revision = current->revision;
    status_.epoch = current->epoch;
    ++status_.batches;
  }
  std::function<void()> notify;
  {
    MutexLock lock(&notifier_mu_);
    notify = notifier_;
  }
  if (notify) notify();
}

absl::StatusOr<std::unique_ptr<FailoverDataSource>> NewGrpcFailoverDataSource(
    const FailoverDataSourceParams& params) {
  GrpcFailoverOptions options;
  options.target = std::string(absl::StripAsciiWhitespace(params.grpc_target));
  if (options.target.empty()) {
    return absl::InvalidArgumentError(
        "failover.naming.grpc.target is not set: the grpc source needs the failover server's "
        "host:port");
  }
  options.nacos_namespace = params.nacos_namespace;
  absl::StatusOr<std::unique_ptr<GrpcFailoverDataSource>> source =
      GrpcFailoverDataSource::Create(std::move(options));
  if (!source.ok()) return source.status();
  return std::unique_ptr<FailoverDataSource>(*std::move(source));
}

absl::Status RegisterGrpcFailoverDataSource(FailoverDataSourceRegistry& registry) {
  return registry.Register(kGrpcFailoverDataSourceName, NewGrpcFailoverDataSource);
}

namespace {

// Registers "grpc" in the global registry when this library is linked (it is alwayslink), the
// counterpart of Java's SPI: configuration can name it with no code change. Safe during static
// initialisation: the global registry is a function-local static.
[[maybe_unused]] const bool kRegisteredInGlobalRegistry = [] {
  (void)RegisterGrpcFailoverDataSource(GlobalFailoverDataSourceRegistry());
  return true;
}();

}  // namespace

}  // namespace naming
}  // namespace failover
