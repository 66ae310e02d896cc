#include "core/metrics/otlp/testing/otlp_grpc_test_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/metrics/otlp/internal/grpc_bytes.h"

namespace failover {

struct OtlpGrpcTestServer::Impl final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  void Record(Call call) {
    MutexLock lock(&mu);
    calls.push_back(std::move(call));
  }

  std::function<Reply(const Call&)> answer;
  std::unique_ptr<grpc::Server> server;
  Mutex mu;
  std::vector<Call> calls ABSL_GUARDED_BY(mu);
};

namespace {

// A unary call on the generic (bidi) API: read one message, answer once.
class UnaryReactor final : public grpc::ServerGenericBidiReactor {
 public:
  UnaryReactor(grpc::GenericCallbackServerContext* context, OtlpGrpcTestServer::Impl* server)
      : context_(context), server_(server) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      FinishOnce(grpc::Status(grpc::StatusCode::INTERNAL, "no request message"), nullptr);
      return;
    }
    OtlpGrpcTestServer::Call call;
    call.method = context_->method();
    for (const auto& [name, value] : context_->client_metadata()) {
      call.metadata.emplace(std::string(name.data(), name.size()),
                            std::string(value.data(), value.size()));
    }
    call.request = otlp_internal::GrpcBufferBytes(request_);
    call.peer = context_->peer();
    const OtlpGrpcTestServer::Reply reply = server_->answer(call);
    server_->Record(std::move(call));
    if (reply.hang) return;  // OnCancel finishes it.
    if (reply.code != absl::StatusCode::kOk) {
      FinishOnce(grpc::Status(static_cast<grpc::StatusCode>(reply.code), reply.message,
                              reply.status_details),
                 nullptr);
      return;
    }
    FinishOnce(grpc::Status::OK, &reply.response);
  }

  void OnCancel() override { FinishOnce(grpc::Status::CANCELLED, nullptr); }
  void OnDone() override { delete this; }

 private:
  // OnCancel may run concurrently with OnReadDone; a call is finished once.
  void FinishOnce(const grpc::Status& status, const std::string* response) {
    MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
    if (response == nullptr) {
      Finish(status);
      return;
    }
    grpc::Slice slice(*response);
    response_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
  }

  Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::GenericCallbackServerContext* const context_;
  OtlpGrpcTestServer::Impl* const server_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

grpc::ServerGenericBidiReactor* OtlpGrpcTestServer::Impl::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new UnaryReactor(context, this);
}

absl::StatusOr<std::unique_ptr<OtlpGrpcTestServer>> OtlpGrpcTestServer::Start(
    std::function<Reply(const Call&)> answer, bool accept_gzip) {
  std::unique_ptr<OtlpGrpcTestServer> server(new OtlpGrpcTestServer());
  server->impl_ = std::make_unique<Impl>();
  server->impl_->answer = std::move(answer);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterCallbackGenericService(server->impl_.get());
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, accept_gzip);
  server->impl_->server = builder.BuildAndStart();
  if (server->impl_->server == nullptr || server->port_ == 0) {
    return absl::UnavailableError("OtlpGrpcTestServer: could not listen on 127.0.0.1");
  }
  return server;
}

OtlpGrpcTestServer::~OtlpGrpcTestServer() {
  if (impl_ != nullptr && impl_->server != nullptr) {
    // Calls still hanging are cancelled at the deadline.
    impl_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    impl_->server->Wait();
  }
}

std::string OtlpGrpcTestServer::endpoint() const {
  return absl::StrCat("http://127.0.0.1:", port_);
}

std::vector<OtlpGrpcTestServer::Call> OtlpGrpcTestServer::calls() {
  MutexLock lock(&impl_->mu);
  return impl_->calls;
}

}  // namespace failover
