#include "tools/failoverctl/command_args.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

struct Walked {
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::string> positional;
  std::string error;
};

Walked Walk(const std::vector<std::string>& args, size_t first) {
  Walked walked;
  walked.error = WalkCommandArgs(
      args, first,
      [&](const std::string& flag, const std::string& value) -> std::string {
        if (flag == "--bad") return "bad flag";
        walked.options.emplace_back(flag, value);
        return "";
      },
      [&](const std::string& arg) -> std::string {
        walked.positional.push_back(arg);
        return "";
      });
  return walked;
}

TEST(WalkCommandArgsTest, SplitsOptionsFromPositionalArguments) {
  const Walked walked = Walk({"cmd", "--a", "1", "x", "--b=2=3", "--c=", "-y", "--d", "--e"}, 1);
  EXPECT_EQ(walked.error, "");
  // "--d --e": --e is --d's value, as the commands have always read it.
  EXPECT_THAT(walked.options, ElementsAre(Pair("--a", "1"), Pair("--b", "2=3"), Pair("--c", ""),
                                          Pair("--d", "--e")));
  EXPECT_THAT(walked.positional, ElementsAre("x", "-y"));
}

TEST(WalkCommandArgsTest, StartsAtFirst) {
  const Walked walked = Walk({"switch", "on", "--url", "u"}, 2);
  EXPECT_EQ(walked.error, "");
  EXPECT_THAT(walked.options, ElementsAre(Pair("--url", "u")));
  EXPECT_TRUE(walked.positional.empty());
}

TEST(WalkCommandArgsTest, AMissingValueOrACallbackErrorStopsTheWalk) {
  EXPECT_EQ(Walk({"cmd", "--a", "1", "--url"}, 1).error, "option '--url' needs a value");
  const Walked walked = Walk({"cmd", "--bad", "1", "--a", "2"}, 1);
  EXPECT_EQ(walked.error, "bad flag");
  EXPECT_TRUE(walked.options.empty());
  const std::string refused = WalkCommandArgs(
      {"cmd", "extra"}, 1, [](const std::string&, const std::string&) { return std::string(); },
      RefusePositional);
  EXPECT_EQ(refused, "unexpected argument 'extra'");
}

TEST(CommandUsageErrorTest, NamesTheGroupAndPrintsItsUsage) {
  std::ostringstream err;
  EXPECT_EQ(CommandUsageError(err, "store", "missing subcommand", "  usage line\n"), kExitUsage);
  EXPECT_EQ(err.str(), "failoverctl store: missing subcommand\n  usage line\n");
}

}  // namespace
}  // namespace failover
