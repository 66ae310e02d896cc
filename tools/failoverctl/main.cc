// failoverctl entry point; everything else is in failoverctl.cc.
#include <iostream>
#include <string>
#include <vector>

#include "core/config/environment.h"
#include "tools/failoverctl/failoverctl.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return failover::RunFailoverctl(args, failover::ProcessEnvironment(), std::cout, std::cerr);
}
