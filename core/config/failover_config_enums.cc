// The documented names of every failover.* enum, as the Java framework spells them.
#include "core/config/failover_config.h"

namespace failover {
namespace {

constexpr ConfigEnumValue<FailoverType> kFailoverTypes[] = {
    {FailoverType::kBasic, "BASIC"},
    {FailoverType::kResilience, "RESILIENCE"},
    {FailoverType::kCustom, "CUSTOM"},
};
constexpr ConfigEnumValue<ExceptionPolicy> kExceptionPolicies[] = {
    {ExceptionPolicy::kRethrow, "RETHROW"},
    {ExceptionPolicy::kNeverThrow, "NEVER_THROW"},
    {ExceptionPolicy::kCustom, "CUSTOM"},
};
constexpr ConfigEnumValue<StoreType> kStoreTypes[] = {
    {StoreType::kInMemory, "INMEMORY"},
    {StoreType::kCaffeine, "CAFFEINE"},
    {StoreType::kJdbc, "JDBC"},
    {StoreType::kCustom, "CUSTOM"},
};
constexpr ConfigEnumValue<RejectionPolicy> kRejectionPolicies[] = {
    {RejectionPolicy::kDiscard, "DISCARD"},
    {RejectionPolicy::kCallerRuns, "CALLER_RUNS"},
    {RejectionPolicy::kAbort, "ABORT"},
};
constexpr ConfigEnumValue<MultitenantStrategy> kMultitenantStrategies[] = {
    {MultitenantStrategy::kTablePrefix, "TABLE_PREFIX"},
    {MultitenantStrategy::kSchema, "SCHEMA"},
};
constexpr ConfigEnumValue<InstanceTagMode> kInstanceTagModes[] = {
    {InstanceTagMode::kAuto, "auto"},
    {InstanceTagMode::kAlways, "always"},
    {InstanceTagMode::kNever, "never"},
};
constexpr ConfigEnumValue<ClusterMode> kClusterModes[] = {
    {ClusterMode::kLocal, "local"},
    {ClusterMode::kPrometheus, "prometheus"},
    {ClusterMode::kSharedStore, "shared-store"},
};
constexpr ConfigEnumValue<SharedStoreType> kSharedStoreTypes[] = {
    {SharedStoreType::kInMemory, "inmemory"},
    {SharedStoreType::kJdbc, "jdbc"},
};

}  // namespace

ConfigEnumDescription<FailoverType> DescribeConfigEnum(FailoverType) {
  return {"FailoverType", kFailoverTypes};
}
ConfigEnumDescription<ExceptionPolicy> DescribeConfigEnum(ExceptionPolicy) {
  return {"ExceptionPolicy", kExceptionPolicies};
}
ConfigEnumDescription<StoreType> DescribeConfigEnum(StoreType) {
  return {"StoreType", kStoreTypes};
}
ConfigEnumDescription<RejectionPolicy> DescribeConfigEnum(RejectionPolicy) {
  return {"RejectionPolicy", kRejectionPolicies};
}
ConfigEnumDescription<MultitenantStrategy> DescribeConfigEnum(MultitenantStrategy) {
  return {"MultitenantStrategy", kMultitenantStrategies};
}
ConfigEnumDescription<InstanceTagMode> DescribeConfigEnum(InstanceTagMode) {
  return {"InstanceTagMode", kInstanceTagModes};
}
ConfigEnumDescription<ClusterMode> DescribeConfigEnum(ClusterMode) {
  return {"ClusterMode", kClusterModes};
}
ConfigEnumDescription<SharedStoreType> DescribeConfigEnum(SharedStoreType) {
  return {"SharedStoreType", kSharedStoreTypes};
}

}  // namespace failover
