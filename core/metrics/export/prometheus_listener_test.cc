// The listener over real loopback HTTP (httplib::Client), and Prometheus's own checker on what it
// serves.
#include "core/metrics/export/prometheus_listener.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/metrics/prometheus_text.h"
#include "core/testing/warning_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kCounterLine[] = "failover_call_total{name=\"quotes\",result=\"success\"} ";

PrometheusEndpointConfig Config(std::string listen = "127.0.0.1:0", std::string path = "/metrics") {
  PrometheusEndpointConfig config;
  config.enabled = true;
  config.listen = std::move(listen);
  config.path = std::move(path);
  return config;
}

InstanceTagPolicy AutoPolicy() { return InstanceTagPolicy(InstanceMode::kAuto, "orders@host-1"); }

class PrometheusListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    calls_ =
        &registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}});
    calls_->Increment(3);
    absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
        PrometheusListener::Start(Config(), registry_, AutoPolicy(), warnings_.Sink());
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = std::move(*listener);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", listener_->port());
  }

  MetricsRegistry registry_;
  Counter* calls_ = nullptr;
  WarningLog warnings_;
  std::unique_ptr<PrometheusListener> listener_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(PrometheusListenerTest, ServesTheRegistryAsPrometheusText) {
  httplib::Result res = client_->Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kPrometheusTextContentType);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_THAT(res->body, HasSubstr("# TYPE failover_call_total counter\n"));
  EXPECT_THAT(res->body, HasSubstr(absl::StrCat(kCounterLine, "3\n")));
  // `auto` leaves the instance label to the scraper.
  EXPECT_THAT(res->body, ::testing::Not(HasSubstr("orders@host-1")));
  EXPECT_TRUE(warnings_.messages().empty());
}

TEST_F(PrometheusListenerTest, EveryScrapeSeesCurrentValues) {
  httplib::Result first = client_->Get("/metrics");
  ASSERT_TRUE(first);
  EXPECT_THAT(first->body, HasSubstr(absl::StrCat(kCounterLine, "3\n")));
  calls_->Increment(4);
  registry_.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.5);
  httplib::Result second = client_->Get("/metrics");
  ASSERT_TRUE(second);
  EXPECT_THAT(second->body, HasSubstr(absl::StrCat(kCounterLine, "7\n")));
  EXPECT_THAT(second->body, HasSubstr("failover_api_health{name=\"quotes\"} 0.5\n"));
}

TEST_F(PrometheusListenerTest, QueryStringIsIgnored) {
  httplib::Result res = client_->Get("/metrics?name[]=x");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr(kCounterLine));
}

TEST_F(PrometheusListenerTest, GzipWhenTheClientAcceptsIt) {
  client_->set_decompress(false);
  httplib::Result res = client_->Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  EXPECT_THAT(res->body, ::testing::Not(HasSubstr(kCounterLine)));  // compressed bytes
}

TEST_F(PrometheusListenerTest, HeadAnswersHeadersWithoutBody) {
  httplib::Result res = client_->Head("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kPrometheusTextContentType);
  EXPECT_EQ(res->body, "");
}

TEST_F(PrometheusListenerTest, OtherPathsAreNotFound) {
  for (const char* path : {"/", "/metric", "/metrics/", "/metrics/x", "/other"}) {
    httplib::Result res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << path;
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr(kCounterLine))) << path;
  }
  httplib::Result post = client_->Post("/other", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
}

TEST_F(PrometheusListenerTest, OtherMethodsOnThePathAreNotAllowed) {
  std::vector<httplib::Result> results;
  results.push_back(client_->Post("/metrics", "x", "text/plain"));
  results.push_back(client_->Put("/metrics", "x", "text/plain"));
  results.push_back(client_->Delete("/metrics"));
  results.push_back(client_->Options("/metrics"));
  httplib::Request trace;
  trace.method = "TRACE";
  trace.path = "/metrics";
  results.push_back(client_->send(trace));
  for (const httplib::Result& res : results) {
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr(kCounterLine)));
  }
}

// A refused request's body is read, so the next request on a kept-alive connection is parsed
// from where it starts.
TEST_F(PrometheusListenerTest, KeptAliveConnectionSurvivesARefusedBody) {
  client_->set_keep_alive(true);
  const std::string body(100000, 'x');
  for (const char* path : {"/metrics", "/other"}) {
    httplib::Result refused = client_->Post(path, body, "text/plain");
    ASSERT_TRUE(refused) << path << ": " << httplib::to_string(refused.error());
    EXPECT_EQ(refused->status, std::string(path) == "/metrics" ? 405 : 404);
    httplib::Result next = client_->Get("/metrics");
    ASSERT_TRUE(next) << path << ": " << httplib::to_string(next.error());
    EXPECT_EQ(next->status, 200) << path;
    EXPECT_THAT(next->body, HasSubstr(kCounterLine)) << path;
  }
}

// Idle kept-alive scrapers hold no worker: with two of them open, a third scrape and Stop() are
// immediate (httplib would otherwise keep each idle connection on a worker for 5 s).
TEST_F(PrometheusListenerTest, IdleKeptAliveScrapersBlockNeitherScrapesNorStop) {
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 2; ++i) {
    idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", listener_->port()));
    idle.back()->set_keep_alive(true);
    ASSERT_TRUE(idle.back()->Get("/metrics"));
  }
  const absl::Time before_scrape = absl::Now();
  httplib::Result third = client_->Get("/metrics");
  ASSERT_TRUE(third) << httplib::to_string(third.error());
  EXPECT_EQ(third->status, 200);
  EXPECT_LT(absl::Now() - before_scrape, absl::Seconds(2));
  const absl::Time before_stop = absl::Now();
  listener_->Stop();
  EXPECT_LT(absl::Now() - before_stop, absl::Seconds(2));
}

TEST_F(PrometheusListenerTest, PortZeroBindsARealPort) {
  EXPECT_GT(listener_->port(), 0);
  EXPECT_EQ(listener_->url(), absl::StrCat("http://127.0.0.1:", listener_->port(), "/metrics"));
}

TEST_F(PrometheusListenerTest, StopClosesThePortAndIsIdempotent) {
  ASSERT_TRUE(client_->Get("/metrics"));
  listener_->Stop();
  listener_->Stop();
  httplib::Client fresh("127.0.0.1", listener_->port());
  httplib::Result res = fresh.Get("/metrics");
  EXPECT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Connection);
}

TEST_F(PrometheusListenerTest, RefusesAPortThatIsInUse) {
  MetricsRegistry other;
  const std::string listen = absl::StrCat("127.0.0.1:", listener_->port());
  absl::StatusOr<std::unique_ptr<PrometheusListener>> second =
      PrometheusListener::Start(Config(listen), other, AutoPolicy(), warnings_.Sink());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(),
            absl::StrCat("failover.observable.prometheus.listen: ", listen, " is in use"));
  // The first listener still answers.
  httplib::Result res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

// A socket that allows port sharing (SO_REUSEPORT, as httplib and gRPC set by default) must not
// let the listener join it: the listener itself does not set SO_REUSEPORT.
TEST(PrometheusListenerPortTest, RefusesAPortHeldWithReusePort) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  const int yes = 1;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)), 0);
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)), 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);

  MetricsRegistry registry;
  absl::StatusOr<std::unique_ptr<PrometheusListener>> listener = PrometheusListener::Start(
      Config(absl::StrCat("127.0.0.1:", port)), registry, AutoPolicy(), nullptr);
  close(fd);
  ASSERT_FALSE(listener.ok());
  EXPECT_THAT(listener.status().message(), HasSubstr(absl::StrCat(":", port, " is in use")));
}

TEST(PrometheusListenerPortTest, ServesOnIpv6Loopback) {
  MetricsRegistry registry;
  registry.GetCounter("failover.store.total").Increment();
  absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
      PrometheusListener::Start(Config("[::1]:0", "/prom"), registry, AutoPolicy(), nullptr);
  ASSERT_TRUE(listener.ok()) << listener.status();
  EXPECT_EQ((*listener)->url(), absl::StrCat("http://[::1]:", (*listener)->port(), "/prom"));
  httplib::Client client("::1", (*listener)->port());
  httplib::Result res = client.Get("/prom");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("failover_store_total 1\n"));
}

TEST(PrometheusListenerPortTest, MalformedSettingsAreRefusedByName) {
  MetricsRegistry registry;
  for (const char* listen : {"9464", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:65536", ":9464",
                             "::1:0", "[::1:0", "127.0.0.1:-1"}) {
    absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
        PrometheusListener::Start(Config(listen), registry, AutoPolicy(), nullptr);
    ASSERT_FALSE(listener.ok()) << listen;
    EXPECT_EQ(listener.status().code(), absl::StatusCode::kInvalidArgument) << listen;
    EXPECT_THAT(std::string(listener.status().message()),
                StartsWith(absl::StrCat("failover.observable.prometheus.listen: '", listen, "'")));
  }
  for (const char* path : {"", "metrics", "/a b", "/metrics?x", "/m#x"}) {
    absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
        PrometheusListener::Start(Config("127.0.0.1:0", path), registry, AutoPolicy(), nullptr);
    ASSERT_FALSE(listener.ok()) << path;
    EXPECT_THAT(std::string(listener.status().message()),
                StartsWith(absl::StrCat("failover.observable.prometheus.path: '", path, "'")));
  }
}

TEST(PrometheusListenerPortTest, ClashingSeriesAreReportedOnce) {
  MetricsRegistry registry;
  // Both become the family failover_x_total; the gauge sorts second and is left out.
  registry.GetCounter("failover.x").Increment();
  registry.GetGauge("failover.x.total").Set(1);
  WarningLog warnings;
  absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
      PrometheusListener::Start(Config(), registry, AutoPolicy(), warnings.Sink());
  ASSERT_TRUE(listener.ok()) << listener.status();
  httplib::Client client("127.0.0.1", (*listener)->port());
  ASSERT_TRUE(client.Get("/metrics"));
  ASSERT_TRUE(client.Get("/metrics"));
  const std::vector<std::string> messages = warnings.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0], HasSubstr(": 1 series left out"));
  EXPECT_THAT(messages[0], HasSubstr((*listener)->url()));
}

// /usr/bin/promtool (Debian package `prometheus`, tools/lib/packages.txt), run as
// core/metrics/prometheus_text_promtool_test.cc runs it, on the page a scrape returned.
TEST(PrometheusListenerPromtoolTest, PromtoolAcceptsTheServedPage) {
  MetricsRegistry registry;
  registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
      .Increment(90);
  registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}})
      .Record(absl::Milliseconds(12));
  registry.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.98);
  absl::StatusOr<std::unique_ptr<PrometheusListener>> listener = PrometheusListener::Start(
      Config(), registry, InstanceTagPolicy(InstanceMode::kAlways, "orders@host-1"), nullptr);
  ASSERT_TRUE(listener.ok()) << listener.status();
  httplib::Client client("127.0.0.1", (*listener)->port());
  httplib::Result res = client.Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  ASSERT_THAT(res->body, HasSubstr("instance=\"orders@host-1\""));

  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = tmp != nullptr ? tmp : "/tmp";
  const std::string input = dir + "/scraped.txt";
  const std::string output = dir + "/promtool.out";
  std::ofstream(input) << res->body;
  const int status = std::system(
      absl::StrCat("/usr/bin/promtool check metrics < ", input, " > ", output, " 2>&1").c_str());
  std::stringstream text;
  text << std::ifstream(output).rdbuf();
  ASSERT_TRUE(WIFEXITED(status)) << text.str();
  EXPECT_EQ(WEXITSTATUS(status), 0) << text.str() << "\npage:\n" << res->body;
  EXPECT_EQ(text.str(), "") << "page:\n" << res->body;
}

}  // namespace
}  // namespace failover
