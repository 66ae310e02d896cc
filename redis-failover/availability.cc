#include "redis-failover/availability.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {
namespace {

constexpr absl::string_view kPayloadUrl = "failover.redis/all-endpoints-down";
constexpr absl::string_view kTemporary = "temporary";
constexpr absl::string_view kPermanent = "permanent";

}  // namespace

absl::string_view AvailabilityName(Availability a) {
  switch (a) {
    case Availability::kAvailable:
      return "AVAILABLE";
    case Availability::kTemporarilyUnavailable:
      return "TEMPORARILY_UNAVAILABLE";
    case Availability::kUnavailable:
      return "UNAVAILABLE";
  }
  return "?";
}

std::string AvailabilityEvent::ToString() const {
  return absl::StrCat(AvailabilityName(from), " -> ", AvailabilityName(to));
}

bool IsAllEndpointsDown(const absl::Status& status) {
  return status.GetPayload(kPayloadUrl).has_value();
}

bool IsPermanentlyUnavailable(const absl::Status& status) {
  const absl::optional<absl::Cord> kind = status.GetPayload(kPayloadUrl);
  return kind.has_value() && *kind == kPermanent;
}

AvailabilityTracker::AvailabilityTracker(Clock& clock, RedisAllDownOptions options)
    : clock_(clock), options_(options), permanent_after_(options.delay * options.max_attempts) {}

AvailabilityTracker::~AvailabilityTracker() {
  TimerId timer;
  {
    MutexLock lock(&mu_);
    timer = timer_;
    timer_ = kNoTimer;
    ++episode_;
  }
  if (timer != kNoTimer) clock_.Cancel(timer);
}

void AvailabilityTracker::OnAllDown() {
  {
    MutexLock lock(&mu_);
    if (state_ != Availability::kAvailable) return;
    state_ = Availability::kTemporarilyUnavailable;
    down_since_ = clock_.Now();
    const uint64_t episode = ++episode_;
    listeners_.Enqueue({Availability::kAvailable, state_, down_since_, absl::ZeroDuration()});
    timer_ = clock_.ScheduleAfter(permanent_after_, [this, episode] { OnDeadline(episode); });
  }
  listeners_.Deliver();
}

void AvailabilityTracker::OnRecovered() {
  TimerId timer = kNoTimer;
  {
    MutexLock lock(&mu_);
    if (state_ == Availability::kAvailable) return;
    const MonotonicTime now = clock_.Now();
    listeners_.Enqueue({state_, Availability::kAvailable, now, now - down_since_});
    state_ = Availability::kAvailable;
    ++episode_;
    timer = timer_;
    timer_ = kNoTimer;
  }
  // The timer's callback checks the episode, so a cancel that loses the race is harmless; it is
  // cancelled only to free it early.
  if (timer != kNoTimer) clock_.Cancel(timer);
  listeners_.Deliver();
}

void AvailabilityTracker::OnDeadline(uint64_t episode) {
  {
    MutexLock lock(&mu_);
    if (episode != episode_ || state_ != Availability::kTemporarilyUnavailable) return;
    timer_ = kNoTimer;
    const MonotonicTime now = clock_.Now();
    listeners_.Enqueue({state_, Availability::kUnavailable, now, now - down_since_});
    state_ = Availability::kUnavailable;
  }
  listeners_.Deliver();
}

Availability AvailabilityTracker::state() const {
  MutexLock lock(&mu_);
  return state_;
}

absl::Status AvailabilityTracker::Error(absl::string_view detail) const {
  Availability state;
  absl::Duration down_for;
  {
    MutexLock lock(&mu_);
    state = state_;
    down_for = clock_.Now() - down_since_;
  }
  // Called only after the selector reported all-down; if the tracker has not heard yet, the
  // outage has just begun.
  if (state == Availability::kAvailable) {
    state = Availability::kTemporarilyUnavailable;
    down_for = absl::ZeroDuration();
  }
  const bool permanent = state == Availability::kUnavailable;
  absl::Status status = absl::UnavailableError(absl::StrCat(
      permanent ? "all Redis endpoints are unavailable"
                : "all Redis endpoints are temporarily unavailable",
      " (down for ", absl::FormatDuration(absl::Trunc(down_for, absl::Milliseconds(1))),
      permanent ? absl::StrCat(", more than ", options_.max_attempts, " x ",
                               absl::FormatDuration(options_.delay))
                : "",
      detail.empty() ? "" : "; ", detail, ")"));
  status.SetPayload(kPayloadUrl, absl::Cord(permanent ? kPermanent : kTemporary));
  return status;
}

}  // namespace redis
}  // namespace failover
