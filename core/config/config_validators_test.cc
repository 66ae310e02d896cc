#include "core/config/config_validators.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

template <typename V>
std::string Check(const ConfigValidator<V>& validator, const V& value) {
  absl::Status status = validator(value);
  return status.ok() ? "ok" : std::string(status.message());
}

TEST(ConfigValidatorsTest, TablePrefix) {
  for (const char* ok : {"", "MYAPP_", "app.MYAPP_", "a.b.c_", "db.", "x1"}) {
    EXPECT_EQ(Check(TablePrefix(), std::string(ok)), "ok") << ok;
  }
  for (const char* bad : {"A;B", ".x", "a..b", "a b", "a-b", "x'"}) {
    EXPECT_EQ(Check(TablePrefix(), std::string(bad)),
              "may contain only letters, digits, underscores and dots")
        << bad;
  }
}

TEST(ConfigValidatorsTest, BasePath) {
  EXPECT_EQ(Check(BasePath(), std::string("/failover-dashboard")), "ok");
}

TEST(ConfigValidatorsTest, HeaderAssignment) {
  for (const char* ok : {"Authorization=Bearer abc=", "x-api-key=", "X.Y_z~!=a b\tc"}) {
    EXPECT_EQ(Check(HeaderAssignment(), std::string(ok)), "ok") << ok;
  }
  EXPECT_EQ(Check(HeaderAssignment(), std::string("Authorization: x")), "must be Name=value");
  EXPECT_EQ(Check(HeaderAssignment(), std::string("=x")), "must name a header before '='");
  EXPECT_EQ(Check(HeaderAssignment(), std::string("a b=x")),
            "must have a header name of letters, digits and !#$%&'*+-.^_`|~ only");
  EXPECT_EQ(Check(HeaderAssignment(), std::string("a=x\r\nHost: evil")),
            "must not have control characters (line breaks) in the header value");
}

TEST(ConfigValidatorsTest, HostPort) {
  EXPECT_EQ(Check(HostPort(), std::string("127.0.0.1:8080")), "ok");
  EXPECT_EQ(Check(HostPort(), std::string("[::1]:0")), "ok");
  EXPECT_EQ(Check(HostPort(), std::string("dashboard.internal:9090")), "ok");
  EXPECT_EQ(Check(HostPort(), std::string("8080")), "must be host:port");
  EXPECT_EQ(Check(HostPort(), std::string(":8080")), "must name a host before ':'");
  EXPECT_EQ(Check(HostPort(), std::string("localhost:http")), "must end with a port 0-65535");
  EXPECT_EQ(Check(HostPort(), std::string("localhost:70000")), "must end with a port 0-65535");
  EXPECT_EQ(Check(HostPort(), std::string("[::1:80")), "has an unclosed '[' in its host");
  EXPECT_EQ(Check(BasePath(), std::string("/a/b")), "ok");
  EXPECT_EQ(Check(BasePath(), std::string("failover")), "must start with '/'");
  EXPECT_EQ(Check(BasePath(), std::string("/")), "must not be '/' (use a dedicated path)");
  EXPECT_EQ(Check(BasePath(), std::string("/x/")), "must not end with '/'");
  EXPECT_NE(Check(BasePath(), std::string("/x?y")), "ok");
  EXPECT_EQ(Check(BasePath(), std::string("/a.b_c~d-1/E")), "ok");
  for (const char* dots : {"//x", "/a//b", "/.", "/a/./b", "/..", "/a/../b"}) {
    EXPECT_EQ(Check(BasePath(), std::string(dots)), "must not contain empty, '.' or '..' segments")
        << dots;
  }
  for (const char* bad : {"/a%2e", "/a b", "/a\\b", "/caf\xC3\xA9", "/a;b", "/a\tb"}) {
    EXPECT_EQ(Check(BasePath(), std::string(bad)),
              "must be '/'-separated segments of letters, digits, '.', '_', '~' and '-'")
        << bad;
  }
}

TEST(ConfigValidatorsTest, CipherId) {
  EXPECT_EQ(Check(CipherId(), std::string("aesgcm")), "ok");
  EXPECT_EQ(Check(CipherId(), std::string(" ")), "must not be blank");
  EXPECT_EQ(Check(CipherId(), std::string("a:b")), "must not contain ':' or ')'");
  EXPECT_EQ(Check(CipherId(), std::string("a)")), "must not contain ':' or ')'");
}

TEST(ConfigValidatorsTest, Cron) {
  for (const char* ok : {"0 0 0 * * *", "0 */5 * * * MON-FRI", "0 0 12 L * ?", "@daily", "-"}) {
    EXPECT_EQ(Check(CronExpressionText(), std::string(ok)), "ok") << ok;
  }
  for (const char* bad : {"0 0 * * *", "every hour", "0 0 0 * * * *", "0 0 0 * * $"}) {
    EXPECT_NE(Check(CronExpressionText(), std::string(bad)), "ok") << bad;
  }
  for (const char* ok : {" - ", "@HOURLY", "*/15 * * * * *", "0 0 0 ? * MON#1", "0 0 0 LW * *",
                         "0 0 9-17 * JAN-MAR 1-5"}) {
    EXPECT_EQ(Check(CronExpressionText(), std::string(ok)), "ok") << ok;
  }
  // Ranges are checked, with the parser's message naming the field and value.
  EXPECT_EQ(Check(CronExpressionText(), std::string("61 * * * * *")),
            "is not a cron expression: second '61': 61 is out of range 0-59");
  EXPECT_EQ(Check(CronExpressionText(), std::string("0 0 0 0 * *")),
            "is not a cron expression: day-of-month '0': 0 is out of range 1-31");
  EXPECT_EQ(Check(CronExpressionText(), std::string("0 0 0 * 13 *")),
            "is not a cron expression: month '13': 13 is out of range 1-12");
  EXPECT_EQ(Check(CronExpressionText(), std::string("0 */0 * * * *")),
            "is not a cron expression: minute '*/0': step must be at least 1");
}

TEST(ConfigValidatorsTest, Numbers) {
  EXPECT_EQ(Check(AtLeast<int32_t>(1), 1), "ok");
  EXPECT_EQ(Check(AtLeast<int32_t>(1), 0), "must be at least 1");
  EXPECT_EQ(Check(InClosedRange(0, 1), 1.0), "ok");
  EXPECT_EQ(Check(InClosedRange(0, 1), 1.5), "must be between 0 and 1");
  EXPECT_EQ(Check(DurationAtLeast(absl::ZeroDuration()), absl::Seconds(-1)), "must be at least 0s");
  EXPECT_EQ(Check(PositiveIfSet(), std::optional<absl::Duration>()), "ok");
  EXPECT_NE(Check(PositiveIfSet(), std::optional<absl::Duration>(absl::ZeroDuration())), "ok");
}

TEST(ConfigValidatorsTest, Strings) {
  EXPECT_EQ(Check(NotBlank(), std::string("x")), "ok");
  EXPECT_EQ(Check(NotBlank(), std::string("  ")), "must not be blank");
  EXPECT_EQ(Check(OneOf({"a", "b"}), std::string("b")), "ok");
  EXPECT_EQ(Check(OneOf({"a", "b"}), std::string("c")), "is not one of a, b");
  EXPECT_EQ(Check(HttpUrlOrEmpty(), std::string("")), "ok");
  EXPECT_EQ(Check(HttpUrlOrEmpty(), std::string("https://prom:9090")), "ok");
  EXPECT_EQ(Check(HttpUrlOrEmpty(), std::string("prom:9090")),
            "must be an http:// or https:// URL");
  EXPECT_EQ(Check(HttpUrlOrEmpty(), std::string("http://")), "must name a host");
  EXPECT_EQ(Check(SqlIdentifierOrEmpty(), std::string("tenant_1")), "ok");
  EXPECT_NE(Check(SqlIdentifierOrEmpty(), std::string("a.b")), "ok");
}

}  // namespace
}  // namespace failover

namespace failover {
namespace {

TEST(RedactUrlPasswordTest, MasksOnlyThePassword) {
  EXPECT_EQ(RedactUrlPassword("postgresql://app:s3cr%40t@db:5432/x"),
            "postgresql://app:****@db:5432/x");
  EXPECT_EQ(RedactUrlPassword("postgresql://app@db/x"), "postgresql://app@db/x");
  EXPECT_EQ(RedactUrlPassword("sqlite:///var/lib/a@b.db"), "sqlite:///var/lib/a@b.db");
  EXPECT_EQ(RedactUrlPassword("postgresql://u:p:q@h/d?x=@"), "postgresql://u:****@h/d?x=@");
  EXPECT_EQ(RedactUrlPassword("no url"), "no url");
  EXPECT_EQ(RedactUrlPassword("postgresql://h/d?sslmode=require&password=pw&x=1"),
            "postgresql://h/d?sslmode=require&password=****&x=1");
  EXPECT_EQ(RedactUrlPassword("postgresql://u:a@h/d?password=b"),
            "postgresql://u:****@h/d?password=****");
  EXPECT_EQ(RedactUrlPassword("postgresql://h/d?oldpassword=x"), "postgresql://h/d?oldpassword=x");
}

}  // namespace
}  // namespace failover
