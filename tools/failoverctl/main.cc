// failoverctl entry point; everything else is in failoverctl.cc. Ctrl-C (SIGINT) or SIGTERM asks
// a long-running command (redis drill) to stop cleanly; a second Ctrl-C kills the process.
#include <atomic>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "core/config/environment.h"
#include "tools/failoverctl/failoverctl.h"

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void OnStopSignal(int signal_number) {
  stop_requested.store(true);
  std::signal(signal_number, SIG_DFL);  // A second signal ends the process.
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return failover::RunFailoverctl(args, failover::ProcessEnvironment(), std::cin, std::cout,
                                  std::cerr, stop_requested);
}
