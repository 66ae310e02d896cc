#include "dashboard/prometheus/internal/query_response.h"

#include <cmath>

#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace prometheus_internal {
namespace {

TEST(QueryResponseTest, Vector) {
  const auto samples = ParseQueryResponse(200, R"({"status":"success","data":{
      "resultType":"vector","result":[
        {"metric":{"name":"quotes","result":"success"},"value":[1700000000.5,"90"]},
        {"metric":{},"value":[1700000000.5,"+Inf"]},
        {"metric":{"x":"y"},"value":[1700000000.5,"NaN"]}]}})");
  ASSERT_TRUE(samples.ok()) << samples.status();
  ASSERT_EQ(samples->size(), 3u);
  EXPECT_EQ((*samples)[0].labels.at("name"), "quotes");
  EXPECT_EQ((*samples)[0].labels.at("result"), "success");
  EXPECT_EQ((*samples)[0].value, 90);
  EXPECT_TRUE((*samples)[1].labels.empty());
  EXPECT_TRUE(std::isinf((*samples)[1].value));
  EXPECT_TRUE(std::isnan((*samples)[2].value));
}

TEST(QueryResponseTest, EmptyVector) {
  const auto samples =
      ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  ASSERT_TRUE(samples.ok()) << samples.status();
  EXPECT_TRUE(samples->empty());
}

TEST(QueryResponseTest, PrometheusErrors) {
  auto bad = ParseQueryResponse(
      400, R"({"status":"error","errorType":"bad_data","error":"parse error at char 3"})");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("bad_data: parse error at char 3"), std::string::npos)
      << bad.status();
  EXPECT_EQ(ParseQueryResponse(503, R"({"status":"error","errorType":"timeout","error":"x"})")
                .status()
                .code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(
      ParseQueryResponse(503, R"({"status":"error","errorType":"unavailable"})").status().code(),
      absl::StatusCode::kUnavailable);
}

TEST(QueryResponseTest, NotPrometheusJson) {
  EXPECT_EQ(ParseQueryResponse(502, "<html>Bad Gateway</html>").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ParseQueryResponse(401, "Unauthorized").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ParseQueryResponse(403, "{}").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ParseQueryResponse(200, "not json").status().code(), absl::StatusCode::kInternal);
}

TEST(QueryResponseTest, WrongShapeNamed) {
  auto matrix =
      ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
  EXPECT_EQ(matrix.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(matrix.status().message().find("'matrix'"), std::string::npos) << matrix.status();
  auto sample = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector",
      "result":[{"metric":{},"value":[1,"1"]},{"metric":{},"value":[1,"many"]}]}})");
  EXPECT_EQ(sample.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(sample.status().message().find("data.result[1].value"), std::string::npos)
      << sample.status();
  auto label = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector",
      "result":[{"metric":{"a":1},"value":[1,"1"]}]}})");
  EXPECT_NE(label.status().message().find("data.result[0].metric.a"), std::string::npos)
      << label.status();
}

TEST(QueryResponseTest, SampleValues) {
  EXPECT_EQ(*ParseSampleValue("0.25"), 0.25);
  EXPECT_EQ(*ParseSampleValue("1e+20"), 1e20);
  EXPECT_EQ(*ParseSampleValue("-Inf"), -INFINITY);
  EXPECT_FALSE(ParseSampleValue("").ok());
  EXPECT_FALSE(ParseSampleValue("12abc").ok());
}

}  // namespace
}  // namespace prometheus_internal
}  // namespace dashboard
}  // namespace failover
