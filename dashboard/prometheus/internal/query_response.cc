#include "dashboard/prometheus/internal/query_response.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace failover {
namespace dashboard {
namespace prometheus_internal {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// The field `key` of `object` if it has the wanted kind, else nullptr.
const Value* Field(const Struct& object, const std::string& key, Value::KindCase kind) {
  const auto it = object.fields().find(key);
  if (it == object.fields().end() || it->second.kind_case() != kind) return nullptr;
  return &it->second;
}

std::string StringField(const Struct& object, const std::string& key) {
  const Value* value = Field(object, key, Value::kStringValue);
  return value == nullptr ? "" : value->string_value();
}

absl::Status PrometheusError(const Struct& response) {
  const std::string type = StringField(response, "errorType");
  const std::string message = absl::StrCat("prometheus: ", type.empty() ? "error" : type, ": ",
                                           StringField(response, "error"));
  if (type == "bad_data") return absl::InvalidArgumentError(message);
  if (type == "timeout" || type == "canceled") return absl::DeadlineExceededError(message);
  if (type == "unavailable") return absl::UnavailableError(message);
  return absl::InternalError(message);
}

absl::Status NotJson(int http_status, absl::string_view body) {
  const std::string message =
      absl::StrCat("prometheus answered HTTP ", http_status,
                   " with a body that is not its JSON: ", body.substr(0, 200));
  if (http_status == 401) return absl::UnauthenticatedError(message);
  if (http_status == 403) return absl::PermissionDeniedError(message);
  if (http_status >= 500) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

absl::StatusOr<PrometheusSample> ParseSample(const Value& element, int index) {
  const std::string where = absl::StrCat("prometheus answer: data.result[", index, "]");
  if (element.kind_case() != Value::kStructValue) {
    return absl::InternalError(absl::StrCat(where, " is not an object"));
  }
  PrometheusSample sample;
  const Value* metric = Field(element.struct_value(), "metric", Value::kStructValue);
  if (metric != nullptr) {
    for (const auto& [name, value] : metric->struct_value().fields()) {
      if (value.kind_case() != Value::kStringValue) {
        return absl::InternalError(absl::StrCat(where, ".metric.", name, " is not a string"));
      }
      sample.labels.emplace(name, value.string_value());
    }
  }
  // "value": [<unix time>, "<value>"]
  const Value* pair = Field(element.struct_value(), "value", Value::kListValue);
  if (pair == nullptr || pair->list_value().values_size() != 2 ||
      pair->list_value().values(1).kind_case() != Value::kStringValue) {
    return absl::InternalError(absl::StrCat(where, ".value is not [time, \"value\"]"));
  }
  absl::StatusOr<double> value = ParseSampleValue(pair->list_value().values(1).string_value());
  if (!value.ok()) {
    return absl::InternalError(absl::StrCat(where, ".value: ", value.status().message()));
  }
  sample.value = *value;
  return sample;
}

}  // namespace

absl::StatusOr<double> ParseSampleValue(absl::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || std::isnan(value)) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a number"));
  }
  return value;
}

absl::StatusOr<std::vector<PrometheusSample>> ParseQueryResponse(int http_status,
                                                                 absl::string_view body) {
  Struct response;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(body.data(), body.size()), &response, options)
           .ok()) {
    return NotJson(http_status, body);
  }
  const std::string status = StringField(response, "status");
  if (status == "error") return PrometheusError(response);
  if (status != "success") {
    if (http_status != 200) return NotJson(http_status, body);
    return absl::InternalError(
        absl::StrCat("prometheus answer: status is '", status, "', expected 'success' or 'error'"));
  }
  const Value* data = Field(response, "data", Value::kStructValue);
  if (data == nullptr) return absl::InternalError("prometheus answer: no 'data' object");
  const std::string type = StringField(data->struct_value(), "resultType");
  if (type != "vector") {
    return absl::InternalError(
        absl::StrCat("prometheus answer: data.resultType is '", type, "', expected 'vector'"));
  }
  const Value* result = Field(data->struct_value(), "result", Value::kListValue);
  if (result == nullptr) return absl::InternalError("prometheus answer: no 'data.result' list");
  std::vector<PrometheusSample> samples;
  samples.reserve(result->list_value().values_size());
  for (int i = 0; i < result->list_value().values_size(); ++i) {
    absl::StatusOr<PrometheusSample> sample = ParseSample(result->list_value().values(i), i);
    if (!sample.ok()) return sample.status();
    samples.push_back(*std::move(sample));
  }
  return samples;
}

}  // namespace prometheus_internal
}  // namespace dashboard
}  // namespace failover
