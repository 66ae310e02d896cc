// demo_fleet: N simulated application instances in one process, each with its own
// MetricsRegistry and PeerPublisher, pushing to a failoverd in shared-store mode, so the
// dashboard shows a live fleet (a healthy, a degraded and an unhealthy API, Redis failovers, the
// naming switch). See demo_instance.h for what each instance records.
//
//   demo_fleet --publish-url http://127.0.0.1:8080/failover-dashboard [--instances 3]
//              [--username U --password-file F | --token-file F] [--seconds S] [--seed N]
//
// Pushes at most every 2 s per instance, heartbeats every 5 s, traffic every 200 ms. --seconds 0
// (the default) runs until SIGINT/SIGTERM; either way every instance flushes a final snapshot
// and the process exits 0. Exit 1 when a publisher cannot start, 2 on a usage error.
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/warning_sink.h"
#include "dashboard/demo/demo_instance.h"
#include "dashboard/publisher/peer_publisher.h"

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void OnStopSignal(int) { stop_requested.store(true); }

constexpr char kUsage[] =
    "Usage: demo_fleet --publish-url URL [--instances N (3)] [--username U --password-file F |\n"
    "                  --token-file F] [--seconds S (0 = until SIGINT/SIGTERM)] [--seed N (1)]\n";

struct Flags {
  std::string publish_url;
  int instances = 3;
  std::string username;
  std::string password_file;
  std::string token_file;
  int seconds = 0;
  int seed = 1;
};

// "" or what is wrong.
std::string Parse(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return absl::StrCat("option '", arg, "' needs a value");
    const std::string value = argv[++i];
    const auto number = [&](int* out, int min) {
      return absl::SimpleAtoi(value, out) && *out >= min
                 ? std::string()
                 : absl::StrCat(arg, ": '", value, "' is not a number >= ", min);
    };
    std::string error;
    if (arg == "--publish-url") {
      flags->publish_url = value;
    } else if (arg == "--instances") {
      error = number(&flags->instances, 1);
    } else if (arg == "--username") {
      flags->username = value;
    } else if (arg == "--password-file") {
      flags->password_file = value;
    } else if (arg == "--token-file") {
      flags->token_file = value;
    } else if (arg == "--seconds") {
      error = number(&flags->seconds, 0);
    } else if (arg == "--seed") {
      error = number(&flags->seed, 0);
    } else {
      return absl::StrCat("unknown option '", arg, "'");
    }
    if (!error.empty()) return error;
  }
  if (flags->publish_url.empty()) return "--publish-url is required";
  if (flags->username.empty() != flags->password_file.empty()) {
    return "--username and --password-file go together";
  }
  if (!flags->token_file.empty() && !flags->username.empty()) {
    return "--token-file and --username exclude each other";
  }
  return "";
}

// The file's content without surrounding whitespace (a trailing newline, typically).
absl::StatusOr<std::string> ReadSecret(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  std::stringstream content;
  content << in.rdbuf();
  std::string secret(absl::StripAsciiWhitespace(content.str()));
  if (secret.empty()) return absl::InvalidArgumentError(absl::StrCat("'", path, "' is empty"));
  return secret;
}

}  // namespace

int main(int argc, char** argv) {
  using failover::dashboard::DemoInstance;
  using failover::dashboard::PeerPublisher;
  Flags flags;
  if (std::string error = Parse(argc, argv, &flags); !error.empty()) {
    std::cerr << "demo_fleet: " << error << "\n" << kUsage;
    return 2;
  }
  failover::SnapshotConfig config;
  config.publish_url = flags.publish_url;
  config.interval_seconds = 2;
  config.retry_interval_seconds = 10;
  config.heartbeat.enabled = true;
  config.heartbeat.interval_seconds = 5;
  failover::dashboard::TokenProvider token_provider;
  if (!flags.username.empty()) {
    absl::StatusOr<std::string> password = ReadSecret(flags.password_file);
    if (!password.ok()) {
      std::cerr << "demo_fleet: --password-file: " << password.status().message() << "\n";
      return 1;
    }
    config.username = flags.username;
    config.password = *password;
  } else if (!flags.token_file.empty()) {
    config.oauth2_client_registration_id = "demo-fleet";  // bearer token from the file
    token_provider = [file = flags.token_file] { return ReadSecret(file); };
  } else {
    config.allow_insecure_ingest = true;  // a demo against an open failoverd; said once below
    std::cerr << "demo_fleet: pushing without credentials (failoverd must accept open ingest)\n";
  }

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  failover::Clock& clock = failover::SystemClock();
  failover::SeededRandom random(static_cast<uint64_t>(flags.seed));
  std::vector<std::unique_ptr<DemoInstance>> instances;
  std::vector<std::unique_ptr<PeerPublisher>> publishers;
  for (int i = 1; i <= flags.instances; ++i) {
    instances.push_back(std::make_unique<DemoInstance>(absl::StrCat("demo-orders-", i), random));
    failover::dashboard::PeerPublisherOptions options;
    options.instance_id = instances.back()->instance_id();
    options.warnings = failover::StderrWarningSink();
    absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher = PeerPublisher::Create(
        config, instances.back()->registry(), clock, std::move(options), token_provider);
    if (!publisher.ok()) {
      std::cerr << "demo_fleet: " << publisher.status().message() << "\n";
      return 1;
    }
    publishers.push_back(*std::move(publisher));
  }
  std::cerr << "demo_fleet: " << flags.instances << " instances pushing to " << flags.publish_url
            << "\n";

  const failover::MonotonicTime end = flags.seconds == 0
                                          ? failover::MonotonicTime::InfiniteFuture()
                                          : clock.Now() + absl::Seconds(flags.seconds);
  while (!stop_requested.load() && clock.Now() < end) {
    for (size_t i = 0; i < instances.size(); ++i) {
      instances[i]->Tick();
      publishers[i]->NotifyChanged();
    }
    clock.SleepFor(absl::Milliseconds(200));
  }
  publishers.clear();  // each pushes its final snapshot
  std::cerr << "demo_fleet: stopped\n";
  return 0;
}
