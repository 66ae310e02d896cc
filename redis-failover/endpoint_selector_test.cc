#include "redis-failover/endpoint_selector.h"

#include <string>
#include <vector>

#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

using State = CircuitBreakerState;

class EndpointSelectorTest : public ::testing::Test {
 protected:
  EndpointSelectorTest() : selector_(clock_, Options()) {
    selector_.AddListener([this](const SwitchEvent& e) { log_.push_back(e.ToString()); });
  }
  static EndpointSelectorOptions Options() {
    EndpointSelectorOptions o;
    o.grace_period = absl::Seconds(1);
    return o;
  }
  void AddEastWest() {
    ASSERT_TRUE(selector_.AddEndpoint("east", 1.0).ok());
    ASSERT_TRUE(selector_.AddEndpoint("west", 0.5).ok());
  }

  SimulatedClock clock_;
  EndpointSelector selector_;
  std::vector<std::string> log_;
};

TEST_F(EndpointSelectorTest, FirstEndpointIsActiveWithoutASwitchEvent) {
  AddEastWest();
  EXPECT_EQ(selector_.active(), "east");
  EXPECT_TRUE(log_.empty());
}

TEST_F(EndpointSelectorTest, UnhealthyActiveFailsOverAndFailsBackAfterGrace) {
  AddEastWest();
  selector_.OnHealthChanged("east", false);
  EXPECT_EQ(selector_.active(), "west");
  clock_.Advance(absl::Milliseconds(200));
  selector_.OnHealthChanged("east", true);  // Recovered, but in its grace period.
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "west");
  clock_.Advance(absl::Milliseconds(800));  // Grace over (1 s after the failure).
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "east");
  EXPECT_EQ(log_,
            (std::vector<std::string>{"east -> west (HEALTH_CHECK)", "west -> east (FAILBACK)"}));
}

TEST_F(EndpointSelectorTest, OpenBreakerFailsOver) {
  AddEastWest();
  selector_.OnBreakerStateChanged("east", State::kOpen);
  EXPECT_EQ(selector_.active(), "west");
  EXPECT_EQ(log_.back(), "east -> west (CIRCUIT_BREAKER)");
  // HALF_OPEN counts as usable again (after the grace period): failback may probe it.
  selector_.OnBreakerStateChanged("east", State::kHalfOpen);
  clock_.Advance(absl::Seconds(1));
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "east");
}

TEST_F(EndpointSelectorTest, TiesGoToConfigurationOrder) {
  ASSERT_TRUE(selector_.AddEndpoint("b", 1.0).ok());
  ASSERT_TRUE(selector_.AddEndpoint("a", 1.0).ok());
  ASSERT_TRUE(selector_.AddEndpoint("c", 1.0).ok());
  selector_.OnHealthChanged("b", false);
  EXPECT_EQ(selector_.active(), "a");  // Added before c, whatever the names hash to.
  selector_.OnHealthChanged("b", true);
  clock_.Advance(absl::Seconds(2));
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "a");  // Equal weight: no failback for a tie.
}

TEST_F(EndpointSelectorTest, AllDownThenTheLighterOneReturnsFirst) {
  AddEastWest();
  selector_.OnHealthChanged("east", false);
  selector_.OnHealthChanged("west", false);
  EXPECT_EQ(selector_.active(), "");
  clock_.Advance(absl::Milliseconds(100));
  selector_.OnHealthChanged("west", true);  // Still in grace, but nothing else is usable.
  EXPECT_EQ(selector_.active(), "west");
  EXPECT_EQ(log_, (std::vector<std::string>{"east -> west (HEALTH_CHECK)",
                                            "west -> (none) (HEALTH_CHECK)",
                                            "(none) -> west (HEALTH_CHECK)"}));
}

// Jedis keeps a dead heavier endpoint active until its breaker trips; any usable endpoint must
// win at the next health event instead.
TEST_F(EndpointSelectorTest, AnyUsableEndpointBeatsAnUnusableActiveOne) {
  AddEastWest();
  selector_.OnHealthChanged("west", false);
  selector_.OnHealthChanged("east", false);
  EXPECT_EQ(selector_.active(), "");
  selector_.OnHealthChanged("west", true);
  EXPECT_EQ(selector_.active(), "west");
}

TEST_F(EndpointSelectorTest, FlappingPrimaryCannotCausePingPong) {
  AddEastWest();
  int switches = 0;
  selector_.AddListener([&](const SwitchEvent&) { ++switches; });
  // East flips every 100 ms for 10 s; failback is checked every 200 ms.
  for (int tick = 0; tick < 100; ++tick) {
    selector_.OnHealthChanged("east", tick % 2 == 1);
    if (tick % 2 == 0) selector_.CheckFailback();
    clock_.Advance(absl::Milliseconds(100));
  }
  // Each failure restarts east's 1 s grace period, and it fails every 200 ms: one switch away,
  // none back.
  EXPECT_EQ(switches, 1);
  EXPECT_EQ(selector_.active(), "west");
}

TEST_F(EndpointSelectorTest, ManualSwitchToADownEndpointIsRefused) {
  AddEastWest();
  selector_.OnBreakerStateChanged("west", State::kOpen);
  const absl::Status s = selector_.SetActive("west");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "cannot make redis endpoint 'west' active: breaker OPEN, in grace period for 1s");
  EXPECT_EQ(selector_.SetActive("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(selector_.active(), "east");
}

TEST_F(EndpointSelectorTest, SetActiveThenFailbackReturnsToTheHeavierOne) {
  AddEastWest();
  ASSERT_TRUE(selector_.SetActive("west").ok());
  EXPECT_EQ(log_.back(), "east -> west (FORCED)");
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "east");
}

TEST_F(EndpointSelectorTest, ForceActiveHoldsAgainstFailbackUntilItExpires) {
  AddEastWest();
  ASSERT_TRUE(selector_.ForceActive("west", absl::Seconds(10)).ok());
  clock_.Advance(absl::Seconds(9));
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "west");
  clock_.Advance(absl::Seconds(1));
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "east");
}

TEST_F(EndpointSelectorTest, ForcedEndpointThatFailsIsStillLeft) {
  AddEastWest();
  ASSERT_TRUE(selector_.ForceActive("west", absl::Hours(1)).ok());
  selector_.OnHealthChanged("west", false);
  EXPECT_EQ(selector_.active(), "east");
}

TEST_F(EndpointSelectorTest, RuntimeWeightChangeTakesEffectAtTheNextFailbackCheck) {
  AddEastWest();
  ASSERT_TRUE(selector_.SetWeight("west", 2.0).ok());
  EXPECT_EQ(selector_.active(), "east");
  selector_.CheckFailback();
  EXPECT_EQ(selector_.active(), "west");
  EXPECT_EQ(log_.back(), "east -> west (FAILBACK)");
  EXPECT_EQ(selector_.SetWeight("west", -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(selector_.SetWeight("nope", 1).code(), absl::StatusCode::kNotFound);
}

TEST_F(EndpointSelectorTest, AddAndRemoveAtRuntime) {
  AddEastWest();
  EXPECT_EQ(selector_.AddEndpoint("east", 1).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(selector_.AddEndpoint("", 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(selector_.AddEndpoint("x", std::nan("")).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(selector_.RemoveEndpoint("east").ok());
  EXPECT_EQ(selector_.active(), "west");
  EXPECT_EQ(log_.back(), "east -> west (FORCED)");
  const absl::Status last = selector_.RemoveEndpoint("west");
  EXPECT_EQ(last.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(last.message(), "cannot remove 'west': it is the last redis endpoint");
  EXPECT_EQ(selector_.RemoveEndpoint("east").code(), absl::StatusCode::kNotFound);
}

TEST_F(EndpointSelectorTest, AddingAnEndpointRecoversFromAllDown) {
  ASSERT_TRUE(selector_.AddEndpoint("east", 1).ok());
  selector_.OnHealthChanged("east", false);
  EXPECT_EQ(selector_.active(), "");
  ASSERT_TRUE(selector_.AddEndpoint("spare", 0.1).ok());
  EXPECT_EQ(selector_.active(), "spare");
  EXPECT_EQ(log_.back(), "(none) -> spare (FORCED)");
}

TEST_F(EndpointSelectorTest, DisablingTheActiveEndpointSwitches) {
  AddEastWest();
  ASSERT_TRUE(selector_.SetDisabled("east", true).ok());
  EXPECT_EQ(selector_.active(), "west");
  const std::vector<EndpointStatus> status = selector_.endpoints();
  ASSERT_EQ(status.size(), 2u);
  EXPECT_TRUE(status[0].disabled);
  EXPECT_FALSE(status[0].usable);
  EXPECT_TRUE(status[1].active);
}

TEST_F(EndpointSelectorTest, EventsForRemovedEndpointsAreIgnored) {
  AddEastWest();
  ASSERT_TRUE(selector_.RemoveEndpoint("west").ok());
  selector_.OnHealthChanged("west", false);
  selector_.OnBreakerStateChanged("west", State::kOpen);
  EXPECT_EQ(selector_.active(), "east");
}

}  // namespace
}  // namespace redis
}  // namespace failover
