// The only file of the OTLP exporter that includes gRPC: gRPC statuses become OtlpSendResults
// here.
#include "core/metrics/otlp/otlp_grpc_transport.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/metrics/otlp/internal/grpc_bytes.h"
#include "core/metrics/otlp/internal/otlp_endpoint.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

constexpr char kHeadersKey[] = "failover.observable.otlp.headers";
constexpr char kUserAgent[] = "failover-toolkit-otlp/1";
constexpr int kDefaultPort = 4317;
// gRPC waits up to 120 s between reconnection attempts to a collector that was down; calls in
// that time fail at once. Exports are retried on the exporter's own (shorter) back-off, so the
// channel should be ready to try again by then.
constexpr int kMaxReconnectBackoffMs = 5000;
constexpr char kRetryInfoType[] = "type.googleapis.com/google.rpc.RetryInfo";
// Metadata gRPC writes itself (any "grpc-" name is refused too).
constexpr absl::string_view kReservedMetadata[] = {"content-type", "te", "host"};

struct Target {
  bool tls = false;
  std::string address;  // host:port as gRPC resolves it ("[v6]:port" for IPv6)
};

absl::StatusOr<Target> ParseTarget(absl::string_view url) {
  absl::StatusOr<otlp_internal::OtlpEndpointUrl> parts =
      otlp_internal::SplitOtlpEndpointUrl(url, " (grpc: http[s]://host:port)");
  if (!parts.ok()) return parts.status();
  if (!parts->path.empty() && parts->path != "/") {
    return otlp_internal::InvalidOtlpEndpoint(
        url,
        "must not have a path, query or fragment with protocol grpc "
        "(http[s]://host:port; the call names the OTLP method itself)");
  }
  absl::StatusOr<otlp_internal::OtlpEndpointHost> host =
      otlp_internal::ParseOtlpEndpointHost(url, parts->authority);
  if (!host.ok()) return host.status();
  const int port = host->port.value_or(kDefaultPort);
  Target target;
  target.tls = parts->https;
  target.address =
      host->ipv6 ? absl::StrCat("[", host->host, "]:", port) : absl::StrCat(host->host, ":", port);
  return target;
}

bool IsMetadataNameChar(char c) {
  return absl::ascii_islower(static_cast<unsigned char>(c)) ||
         absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool IsPrintable(absl::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte <= 0x7e;
  });
}

// Checks one header as gRPC metadata; `lower` is its lower-cased name. Never quotes the value.
absl::Status CheckMetadata(size_t index, absl::string_view name, absl::string_view lower,
                           absl::string_view value) {
  const std::string where = absl::StrCat(kHeadersKey, "[", index, "] (", name, ")");
  if (lower.empty()) return absl::InvalidArgumentError(where + ": must name a header");
  if (!std::all_of(lower.begin(), lower.end(), IsMetadataNameChar)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": a gRPC metadata name may have only letters, digits, '-', '_' and '.'"));
  }
  if (absl::StartsWith(lower, "grpc-") ||
      std::find(std::begin(kReservedMetadata), std::end(kReservedMetadata), lower) !=
          std::end(kReservedMetadata)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": set by gRPC itself"));
  }
  if (!absl::EndsWith(lower, "-bin") && !IsPrintable(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": the value may have only printable ASCII (names ending in -bin take bytes)"));
  }
  return absl::OkStatus();
}

bool IsRetryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:  // see the header comment
      return true;
    default:
      return false;
  }
}

// The length-delimited field `number` of a serialized message, read without its .proto (the
// google.rpc protos are not installed); the last occurrence if it repeats.
std::optional<std::string> LengthDelimited(const std::string& message, int number) {
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(message)) return std::nullopt;
  std::optional<std::string> found;
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      found = field.length_delimited();
    }
  }
  return found;
}

// RetryInfo.retry_delay from grpc-status-details-bin, a google.rpc.Status whose details (field
// 3, Any) may hold a google.rpc.RetryInfo (retry_delay: field 1, a Duration).
std::optional<absl::Duration> RetryDelay(const std::string& status_details) {
  if (status_details.empty()) return std::nullopt;
  google::protobuf::UnknownFieldSet status;
  if (!status.ParseFromString(status_details)) return std::nullopt;
  for (int i = 0; i < status.field_count(); ++i) {
    const google::protobuf::UnknownField& field = status.field(i);
    google::protobuf::Any detail;
    if (field.number() != 3 ||
        field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED ||
        !detail.ParseFromString(field.length_delimited()) || detail.type_url() != kRetryInfoType) {
      continue;
    }
    google::protobuf::Duration delay;
    const std::optional<std::string> retry_delay = LengthDelimited(detail.value(), 1);
    if (!retry_delay.has_value() || !delay.ParseFromString(*retry_delay) || delay.seconds() < 0 ||
        delay.nanos() < 0) {
      return std::nullopt;
    }
    return absl::Seconds(delay.seconds()) + absl::Nanoseconds(delay.nanos());
  }
  return std::nullopt;
}

OtlpSendResult ResultFor(const grpc::Status& status, const grpc::ByteBuffer& response) {
  OtlpSendResult result;
  if (status.ok()) {
    otlp::v1::ExportMetricsServiceResponse parsed;
    if (parsed.ParseFromString(otlp_internal::GrpcBufferBytes(response))) {
      result.rejected_data_points = parsed.partial_success().rejected_data_points();
      result.partial_error = parsed.partial_success().error_message();
    }
    return result;
  }
  result.outcome = IsRetryable(status.error_code()) ? OtlpSendResult::Outcome::kRetryable
                                                    : OtlpSendResult::Outcome::kPermanent;
  // absl::StatusCode has gRPC's numbers, and its names ("UNAVAILABLE").
  result.detail = absl::StrCat(
      "gRPC ", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
      status.error_message().empty() ? "" : ": ", status.error_message());
  if (result.outcome == OtlpSendResult::Outcome::kRetryable) {
    result.retry_after = RetryDelay(status.error_details());
  }
  return result;
}

// Thread-safe: the channel and stub are; every Send() has its own context and queue.
class OtlpGrpcTransport final : public OtlpTransport {
 public:
  OtlpGrpcTransport(std::shared_ptr<grpc::Channel> channel,
                    std::vector<std::pair<std::string, std::string>> metadata,
                    absl::Duration timeout)
      : stub_(std::move(channel)), metadata_(std::move(metadata)), timeout_(timeout) {}

  OtlpSendResult Send(const std::string& body) override {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMicroseconds(std::max(timeout_, absl::Milliseconds(1))));
    for (const auto& [name, value] : metadata_) context.AddMetadata(name, value);
    grpc::Slice slice(body);
    const grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    grpc::CompletionQueue queue;
    std::unique_ptr<grpc::ClientAsyncResponseReader<grpc::ByteBuffer>> call =
        stub_.PrepareUnaryCall(&context, kOtlpGrpcMetricsExportMethod, request, &queue);
    call->StartCall();
    int finished = 0;
    call->Finish(&response, &status, &finished);
    void* tag = nullptr;
    bool ok = false;
    // Finish always completes, by the deadline at the latest.
    queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    return ResultFor(status, response);
  }

 private:
  grpc::GenericStub stub_;
  const std::vector<std::pair<std::string, std::string>> metadata_;
  const absl::Duration timeout_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<OtlpTransport>> NewOtlpGrpcTransport(
    const OtlpGrpcOptions& options) {
  absl::StatusOr<Target> target = ParseTarget(options.endpoint);
  if (!target.ok()) return target.status();
  std::string user_agent = kUserAgent;
  std::vector<std::pair<std::string, std::string>> metadata;
  for (size_t i = 0; i < options.headers.size(); ++i) {
    const auto& [name, value] = options.headers[i];
    const std::string lower = absl::AsciiStrToLower(name);
    if (lower == "user-agent") {
      if (!IsPrintable(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            kHeadersKey, "[", i, "] (", name, "): the value may have only printable ASCII"));
      }
      user_agent = value;
      continue;
    }
    if (absl::Status status = CheckMetadata(i, name, lower, value); !status.ok()) return status;
    metadata.emplace_back(lower, value);
  }
  grpc::ChannelArguments args;
  args.SetUserAgentPrefix(user_agent);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  if (options.gzip) args.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      target->tls ? grpc::SslCredentials(grpc::SslCredentialsOptions())
                  : grpc::InsecureChannelCredentials();
  return std::make_unique<OtlpGrpcTransport>(
      grpc::CreateCustomChannel(target->address, credentials, args), std::move(metadata),
      options.timeout);
}

}  // namespace failover
