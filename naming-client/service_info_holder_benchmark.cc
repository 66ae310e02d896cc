// Get() cost over 10k cached services, from 1 and 2 threads (the 2-core target machine):
//   bazel run --config=bench //naming-client:service_info_holder_benchmark
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "naming-client/service_info_holder.h"

namespace failover {
namespace naming {
namespace {

constexpr int kServices = 10000;

ServiceInfoHolder& Holder() {
  static ServiceInfoHolder* holder = [] {
    ServiceInfoHolderOptions options;
    options.write_disk_cache = false;
    ServiceInfoHolder* h = ServiceInfoHolder::Create(options)->release();
    for (int i = 0; i < kServices; ++i) {
      v1::ServiceInfo info;
      info.set_name("DEFAULT_GROUP@@service-" + std::to_string(i));
      v1::Instance* host = info.add_hosts();
      host->set_ip("10.0.0.1");
      host->set_port(8080);
      (void)h->ProcessServiceInfo(info);
    }
    return h;
  }();
  return *holder;
}

std::vector<ServiceKey> Keys() {
  std::vector<ServiceKey> keys;
  for (int i = 0; i < kServices; ++i) {
    keys.push_back({"DEFAULT_GROUP", "service-" + std::to_string((i * 7919) % kServices), ""});
  }
  return keys;
}

void BM_Get(benchmark::State& state) {
  ServiceInfoHolder& holder = Holder();
  const std::vector<ServiceKey> keys = Keys();
  size_t i = state.thread_index() * (kServices / 2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(holder.Get(keys[i]));
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_Get)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace naming
}  // namespace failover
