// failoverd: the failover dashboard server. Web UI and JSON API over HTTP, snapshot ingest and
// the failover-data services over gRPC.
//
//   failoverd --config failoverd.yml [--vendor-dir node_modules/chart.js/dist]
//   failoverd --data-dir .failoverd        # embedded defaults (see server/default_config.h)
//
// Prints "failoverd: http listening on HOST:PORT" and "failoverd: grpc listening on HOST:PORT"
// once both servers accept connections. SIGTERM or SIGINT: stop taking requests, make every
// accepted snapshot durable, exit 0 (1 if that fails).
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/config/environment.h"
#include "core/config/failover_config_loader.h"
#include "core/warning_sink.h"
#include "dashboard/server/dashboard_server.h"
#include "dashboard/server/default_config.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kUsage[] =
    "usage: failoverd [--config FILE | --data-dir DIR] [--vendor-dir DIR]\n"
    "  --config FILE     failover.* YAML (failover.dashboard.enabled must be true)\n"
    "  --data-dir DIR    no config file: embedded defaults, state and credentials in DIR\n"
    "                    (default .failoverd)\n"
    "  --vendor-dir DIR  folder holding chart.umd.js (default node_modules/chart.js/dist)\n";

struct Flags {
  std::string config;
  std::string data_dir = ".failoverd";
  std::string vendor_dir = "node_modules/chart.js/dist";
};

// Flags, or an error message for stderr.
absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string* target = nullptr;
    if (arg == "--config") target = &flags.config;
    if (arg == "--data-dir") target = &flags.data_dir;
    if (arg == "--vendor-dir") target = &flags.vendor_dir;
    if (target == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown argument ", arg));
    if (i + 1 >= args.size()) return absl::InvalidArgumentError(absl::StrCat(arg, " needs a value"));
    *target = args[++i];
  }
  return flags;
}

absl::StatusOr<FailoverConfig> LoadConfig(const Flags& flags) {
  if (!flags.config.empty()) return LoadFailoverConfigFile(flags.config, ProcessEnvironment());
  std::ostringstream notice;
  absl::StatusOr<std::string> yaml = PrepareDefaultConfig(flags.data_dir, notice);
  std::cout << notice.str() << std::flush;
  if (!yaml.ok()) return yaml.status();
  return LoadFailoverConfig(*yaml, ProcessEnvironment());
}

int Run(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  absl::StatusOr<Flags> flags = ParseFlags(args);
  if (!flags.ok()) {
    std::cerr << "failoverd: " << flags.status().message() << "\n" << kUsage;
    return 2;
  }
  // Signals are taken by sigwait below: block them before any thread starts, so every thread
  // inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<FailoverConfig> config = LoadConfig(*flags);
  if (!config.ok()) {
    std::cerr << "failoverd: invalid configuration: " << config.status().message() << "\n";
    return 1;
  }
  DashboardServerOptions options;
  options.vendor_dir = flags->vendor_dir;
  absl::StatusOr<std::unique_ptr<DashboardServer>> server =
      DashboardServer::Start(*config, SystemClock(), StderrWarningSink(), options);
  if (!server.ok()) {
    std::cerr << "failoverd: cannot start: " << server.status().message() << "\n";
    return 1;
  }
  const auto host = [](const std::string& listen) { return listen.substr(0, listen.rfind(':')); };
  std::cout << "failoverd: http listening on " << host(config->dashboard.listen) << ":"
            << (*server)->http_port() << "\n"
            << "failoverd: grpc listening on " << host(config->dashboard.grpc_listen) << ":"
            << (*server)->grpc_port() << "\n"
            << "failoverd: dashboard at http://" << host(config->dashboard.listen) << ":"
            << (*server)->http_port() << config->dashboard.base_path << "/\n"
            << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "failoverd: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
            << ", shutting down\n"
            << std::flush;
  const absl::Status flushed = (*server)->Shutdown();
  if (!flushed.ok()) {
    std::cerr << "failoverd: shutdown could not make everything durable: " << flushed.message()
              << "\n";
    return 1;
  }
  std::cout << "failoverd: stopped\n" << std::flush;
  return 0;
}

}  // namespace
}  // namespace dashboard
}  // namespace failover

int main(int argc, char** argv) {
  return failover::dashboard::Run(std::vector<std::string>(argv + 1, argv + argc));
}
