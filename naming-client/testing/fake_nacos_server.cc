#include "naming-client/testing/fake_nacos_server.h"

#include <httplib.h>

#include <chrono>
#include <set>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/sync.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace {

constexpr char kV1Path[] = "/nacos/v1/ns/instance/list";
constexpr char kV2Path[] = "/nacos/v2/ns/instance/list";

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// Nacos's v2 Result: {"code":..,"message":..,"data":..}; `data_json` is already JSON.
std::string V2Result(int code, absl::string_view message, absl::string_view data_json) {
  return absl::StrCat("{\"code\":", code, ",\"message\":", JsonString(message),
                      ",\"data\":", data_json, "}");
}

void Reply(httplib::Response& res, int status, bool v2, const std::string& body) {
  res.status = status;
  res.set_content(body, v2 ? "application/json;charset=UTF-8" : "text/plain;charset=UTF-8");
}

}  // namespace

class FakeNacosServer::Impl {
 public:
  absl::StatusOr<int> Listen(int port) ABSL_LOCKS_EXCLUDED(mu_) {
    auto server = std::make_unique<httplib::Server>();
    server->Get(kV1Path, [this](const httplib::Request& req, httplib::Response& res) {
      Handle(/*v2=*/false, req, res);
    });
    server->Get(kV2Path, [this](const httplib::Request& req, httplib::Response& res) {
      Handle(/*v2=*/true, req, res);
    });
    if (port == 0) {
      port = server->bind_to_any_port("127.0.0.1");
      if (port <= 0) return absl::UnavailableError("fake nacos: cannot bind 127.0.0.1");
    } else if (!server->bind_to_port("127.0.0.1", port)) {
      return absl::UnavailableError(absl::StrCat("fake nacos: cannot bind 127.0.0.1:", port));
    }
    httplib::Server* raw = server.get();
    std::thread thread([raw] { raw->listen_after_bind(); });
    while (!raw->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    MutexLock lock(&mu_);
    server_ = std::move(server);
    thread_ = std::move(thread);
    return port;
  }

  void Stop() ABSL_LOCKS_EXCLUDED(mu_) {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    {
      MutexLock lock(&mu_);
      ++release_;  // Hanging requests answer now.
      server = std::move(server_);
      thread = std::move(thread_);
    }
    if (server == nullptr) return;
    server->stop();
    thread.join();
  }

  Mutex mu_;
  std::map<std::string, v1::ServiceInfo> services_ ABSL_GUARDED_BY(mu_);  // "NS/GROUP@@SERVICE"
  int64_t default_cache_millis_ ABSL_GUARDED_BY(mu_) = 10000;
  bool unknown_not_found_ ABSL_GUARDED_BY(mu_) = false;
  FakeNacosFault fault_ ABSL_GUARDED_BY(mu_) = FakeNacosFault::kNone;
  absl::Duration hang_ ABSL_GUARDED_BY(mu_) = absl::Seconds(30);
  uint64_t release_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<FakeNacosRequest> requests_ ABSL_GUARDED_BY(mu_);

 private:
  void Handle(bool v2, const httplib::Request& req, httplib::Response& res)
      ABSL_LOCKS_EXCLUDED(mu_) {
    FakeNacosRequest recorded;
    recorded.path = req.path;
    for (const auto& [name, value] : req.params) recorded.params[name] = value;
    FakeNacosFault fault;
    {
      MutexLock lock(&mu_);
      requests_.push_back(recorded);
      fault = fault_;
      if (fault == FakeNacosFault::kHang) {
        const uint64_t release = release_;
        mu_.AwaitWithTimeout([this, release]()
                                 ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return release_ != release; },
                             hang_);
      }
    }
    if (fault == FakeNacosFault::kHttp500) {
      return Reply(
          res, 500, v2,
          v2 ? V2Result(30000, "server error", JsonString("java.lang.IllegalStateException"))
             : "caused: java.lang.IllegalStateException;");
    }
    if (fault == FakeNacosFault::kMalformedJson) {
      res.status = 200;
      res.set_content("{\"name\":\"DEFAULT_GROUP@@x\",\"hosts\":[{\"ip\":", "application/json");
      return;
    }
    Answer(v2, recorded.params, res);
  }

  void Answer(bool v2, const std::map<std::string, std::string>& params, httplib::Response& res)
      ABSL_LOCKS_EXCLUDED(mu_) {
    const auto param = [&](const std::string& name, const std::string& fallback) {
      const auto it = params.find(name);
      return it == params.end() || it->second.empty() ? fallback : it->second;
    };
    std::string service = param("serviceName", "");
    if (service.empty()) {
      return Reply(res, 400, v2,
                   v2 ? V2Result(10000, "parameter missing",
                                 JsonString("Required request parameter 'serviceName' for method "
                                            "parameter type String is not present"))
                      : "caused: Param 'serviceName' is required.;");
    }
    const std::string group = param("groupName", "DEFAULT_GROUP");
    // v1: Nacos's ServiceNameFilter groups a bare name with groupName, then checks the format.
    // v2: the name is bare and groupName says the group.
    std::string grouped =
        absl::StrContains(service, "@@") && !v2 ? service : absl::StrCat(group, "@@", service);
    const std::vector<std::string> parts = absl::StrSplit(grouped, "@@");
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return Reply(
          res, 400, v2,
          v2 ? V2Result(21000, "service name error", JsonString("Param 'serviceName' is illegal"))
             : "caused: Param 'serviceName' is illegal, it should be format as "
               "'groupName@@serviceName';");
    }
    const std::string nacos_namespace = param("namespaceId", "public");
    const std::string clusters = param(v2 ? "clusterName" : "clusters", "");
    const bool healthy_only = param("healthyOnly", "false") == "true";

    v1::ServiceInfo out;
    {
      MutexLock lock(&mu_);
      const auto it = services_.find(absl::StrCat(nacos_namespace, "/", grouped));
      if (it == services_.end() && unknown_not_found_) {
        const std::string message =
            absl::StrCat("service not found: ", grouped, "@", nacos_namespace);
        return Reply(res, 404, v2,
                     v2 ? V2Result(20004, "resource not found", JsonString(message))
                        : absl::StrCat("caused: ", message, ";"));
      }
      if (it != services_.end()) {
        out = it->second;
      } else {
        out.set_cache_millis(default_cache_millis_);
      }
    }
    const std::vector<std::string> wanted = absl::StrSplit(clusters, ',', absl::SkipEmpty());
    const std::set<std::string> cluster_set(wanted.begin(), wanted.end());
    v1::ServiceInfo served = out;
    served.clear_hosts();
    for (const v1::Instance& host : out.hosts()) {
      if (!cluster_set.empty() && cluster_set.count(host.cluster_name()) == 0) continue;
      if (healthy_only && !host.healthy()) continue;
      if (!host.enabled()) continue;
      v1::Instance* copy = served.add_hosts();
      *copy = host;
      if (copy->service_name().empty()) copy->set_service_name(grouped);
    }
    served.set_name(grouped);
    served.set_group_name(parts[0]);
    served.set_clusters(clusters);
    if (!served.has_last_ref_time()) served.set_last_ref_time(absl::ToUnixMillis(absl::Now()));
    served.set_checksum("");
    absl::StatusOr<std::string> json = SerializeServiceInfoJson(served);
    if (!json.ok()) return Reply(res, 500, v2, std::string(json.status().message()));
    res.status = 200;
    res.set_content(v2 ? V2Result(0, "success", *json) : *json, "application/json;charset=UTF-8");
  }

  std::unique_ptr<httplib::Server> server_ ABSL_GUARDED_BY(mu_);
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<FakeNacosServer>> FakeNacosServer::Start() {
  auto impl = std::make_unique<Impl>();
  absl::StatusOr<int> port = impl->Listen(0);
  if (!port.ok()) return port.status();
  return std::unique_ptr<FakeNacosServer>(new FakeNacosServer(std::move(impl), *port));
}

FakeNacosServer::FakeNacosServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

FakeNacosServer::~FakeNacosServer() { impl_->Stop(); }

std::string FakeNacosServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

void FakeNacosServer::SetService(const std::string& nacos_namespace, const v1::ServiceInfo& info) {
  MutexLock lock(&impl_->mu_);
  impl_->services_[absl::StrCat(nacos_namespace, "/", info.group_name(), "@@", info.name())] = info;
}

void FakeNacosServer::RemoveService(const std::string& nacos_namespace, const std::string& group,
                                    const std::string& service) {
  MutexLock lock(&impl_->mu_);
  impl_->services_.erase(absl::StrCat(nacos_namespace, "/", group, "@@", service));
}

void FakeNacosServer::SetDefaultCacheMillis(int64_t millis) {
  MutexLock lock(&impl_->mu_);
  impl_->default_cache_millis_ = millis;
}

void FakeNacosServer::SetUnknownServiceNotFound(bool not_found) {
  MutexLock lock(&impl_->mu_);
  impl_->unknown_not_found_ = not_found;
}

void FakeNacosServer::SetFault(FakeNacosFault fault, absl::Duration hang) {
  MutexLock lock(&impl_->mu_);
  impl_->fault_ = fault;
  impl_->hang_ = hang;
  ++impl_->release_;  // Requests hanging under the previous fault answer now.
}

void FakeNacosServer::Stop() { impl_->Stop(); }

absl::Status FakeNacosServer::Restart() {
  impl_->Stop();
  absl::StatusOr<int> port = impl_->Listen(port_);
  return port.status();
}

std::vector<FakeNacosRequest> FakeNacosServer::Requests() const {
  MutexLock lock(&impl_->mu_);
  return impl_->requests_;
}

void FakeNacosServer::ClearRequests() {
  MutexLock lock(&impl_->mu_);
  impl_->requests_.clear();
}

}  // namespace naming
}  // namespace failover
