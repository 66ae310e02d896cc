// `failoverctl naming ...` in-process, on real directories the tests write: the Nacos Java
// client's documented format, switch files as editors save them, broken and stray files, and
// dumps from a cache directory.
#include "tools/failoverctl/naming_commands.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/failoverctl/failoverctl.h"

namespace failover {
namespace {

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

// The example of the Nacos failover documentation, pretty-printed as it is there.
constexpr char kDocExamplePretty[] = R"({
    "name":"DEFAULT_GROUP@@test.2",
    "groupName":"DEFAULT_GROUP",
    "clusters":"",
    "cacheMillis":10000,
    "hosts":[
        {
            "instanceId":"1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2",
            "ip":"1.1.2.1",
            "port":8888,
            "weight":1,
            "healthy":true,
            "enabled":true,
            "ephemeral":true,
            "clusterName":"DEFAULT",
            "serviceName":"DEFAULT_GROUP@@test.2",
            "metadata":{
                "k1":"v1"
            },
            "instanceHeartBeatInterval":5000,
            "instanceHeartBeatTimeOut":15000,
            "ipDeleteTimeout":30000
        }
    ],
    "lastRefTime":1689835375819,
    "checksum":"",
    "allIPs":false,
    "reachProtectionThreshold":false,
    "valid":true
}
)";
constexpr char kDocExampleInstances[] =
    R"([{"instanceId":"1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2","ip":"1.1.2.1","port":8888,)"
    R"("weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"DEFAULT",)"
    R"("serviceName":"DEFAULT_GROUP@@test.2","metadata":{"k1":"v1"},)"
    R"("instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,)"
    R"("ipDeleteTimeout":30000}])";

// One line, as the Java client's DiskCache writes it: hosts in clusters c1 (healthy) and c2
// (unhealthy).
constexpr char kHostC1[] =
    R"({"instanceId":"10.0.0.1#8080#c1#DEFAULT_GROUP@@orders","ip":"10.0.0.1","port":8080,)"
    R"("weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"c1",)"
    R"("serviceName":"DEFAULT_GROUP@@orders","metadata":{"version":"v2","zone":"a"},)"
    R"("instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000})";
constexpr char kHostC2[] =
    R"({"instanceId":"10.0.0.2#8080#c2#DEFAULT_GROUP@@orders","ip":"10.0.0.2","port":8080,)"
    R"("weight":2.5,"healthy":false,"enabled":true,"ephemeral":true,"clusterName":"c2",)"
    R"("serviceName":"DEFAULT_GROUP@@orders","metadata":{},"instanceHeartBeatInterval":5000,)"
    R"("instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000})";

std::string OrdersSingleLine() {
  return absl::StrCat(
      R"({"name":"DEFAULT_GROUP@@orders","groupName":"DEFAULT_GROUP","clusters":"",)",
      R"("cacheMillis":10000,"hosts":[)", kHostC1, ",", kHostC2,
      R"(],"lastRefTime":1700000000123,"checksum":"3bbcf6dd1175203a8afdade0e77a27cd",)",
      R"("allIPs":false,"reachProtectionThreshold":false,"valid":true})");
}

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Failoverctl(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = RunFailoverctl(args, {}, out, err);
  return CommandRun{code, out.str(), err.str()};
}

// A fresh directory per test: {root}/nacos/naming/public (the cache directory) with the failover
// directory inside it.
class NamingCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/naming-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    cache_ = root_ + "/nacos/naming/public";
    dir_ = cache_ + "/failover";
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static void Write(const std::string& path, const std::string& content) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << content;
    ASSERT_TRUE(file.good()) << path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
  }
  void WriteFailover(const std::string& name, const std::string& content) {
    Write(dir_ + "/" + name, content);
  }
  // The documented example (pretty) and a Java-written file (one line), switch on.
  void WriteJavaDirectory() {
    WriteFailover(kSwitch, "1\n");
    WriteFailover("DEFAULT_GROUP%40%40test.2", kDocExamplePretty);
    WriteFailover("DEFAULT_GROUP%40%40orders", OrdersSingleLine());
  }
  CommandRun Lookup(std::vector<std::string> extra) {
    std::vector<std::string> args = {"naming", "lookup", "--dir", dir_};
    args.insert(args.end(), extra.begin(), extra.end());
    return Failoverctl(args);
  }

  std::string root_;
  std::string cache_;
  std::string dir_;
};

// ---- lookup ----

TEST_F(NamingCommandsTest, LookupServesTheJavaFormatSingleLineAndPrettyPrinted) {
  WriteJavaDirectory();
  CommandRun pretty = Lookup({"--service", "DEFAULT_GROUP@@test.2"});
  EXPECT_EQ(pretty.code, 0) << pretty.err;
  EXPECT_EQ(pretty.out, absl::StrCat(kDocExampleInstances, "\n"));
  EXPECT_EQ(pretty.err, "");

  // A name without a group is in DEFAULT_GROUP.
  CommandRun single = Lookup({"--service", "orders"});
  EXPECT_EQ(single.code, 0) << single.err;
  EXPECT_EQ(single.out, absl::StrCat("[", kHostC1, ",", kHostC2, "]\n"));
}

TEST_F(NamingCommandsTest, ClusterFilterKeepsTheRestIntact) {
  WriteJavaDirectory();
  const std::string before = Read(dir_ + "/DEFAULT_GROUP%40%40orders");
  CommandRun c2 = Lookup({"--service", "DEFAULT_GROUP@@orders", "--clusters", "c2"});
  EXPECT_EQ(c2.code, 0) << c2.err;
  EXPECT_EQ(c2.out, absl::StrCat("[", kHostC2, "]\n"));  // Every field of the kept host.
  CommandRun both = Lookup({"--service", "DEFAULT_GROUP@@orders", "--clusters", " c2 , c1 "});
  EXPECT_EQ(both.out, absl::StrCat("[", kHostC1, ",", kHostC2, "]\n"));
  CommandRun all = Lookup({"--service", "DEFAULT_GROUP@@orders"});
  EXPECT_EQ(all.out, absl::StrCat("[", kHostC1, ",", kHostC2, "]\n"));
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP%40%40orders"), before);
}

TEST_F(NamingCommandsTest, ClusterKeyedFileIsPreferredForItsClusters) {
  WriteJavaDirectory();
  WriteFailover("DEFAULT_GROUP%40%40orders@@c9",
                R"({"hosts":[{"ip":"10.9.9.9","port":1,"clusterName":"c9"}]})");
  CommandRun run = Lookup({"--service", "orders", "--clusters", "c9"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, R"("ip":"10.9.9.9")")) << run.out;
}

TEST_F(NamingCommandsTest, HealthyOnlyKeepsHealthyAndEnabled) {
  WriteJavaDirectory();
  WriteFailover("DEFAULT_GROUP%40%40mixed",
                R"({"hosts":[{"ip":"10.0.0.1","port":1,"healthy":true,"enabled":false},)"
                R"({"ip":"10.0.0.2","port":2,"healthy":false},{"ip":"10.0.0.3","port":3}]})");
  CommandRun run = Lookup({"--service", "mixed", "--healthy-only"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, R"("ip":"10.0.0.3")")) << run.out;
  EXPECT_FALSE(absl::StrContains(run.out, R"("ip":"10.0.0.1")")) << run.out;
  EXPECT_FALSE(absl::StrContains(run.out, R"("ip":"10.0.0.2")")) << run.out;

  CommandRun none = Lookup({"--service", "orders", "--clusters", "c2", "--healthy-only"});
  EXPECT_EQ(none.code, kExitNoFailoverData);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err,
            "none of the 1 failover instances of DEFAULT_GROUP@@orders@@c2 is healthy and "
            "enabled\n");
}

TEST_F(NamingCommandsTest, SwitchFileWithBomAndCrlfIsOn) {
  WriteJavaDirectory();
  WriteFailover(kSwitch,
                "\xEF\xBB\xBF"
                "1\r\n");
  EXPECT_EQ(Lookup({"--service", "orders"}).code, 0);
  CommandRun status = Failoverctl({"naming", "switch", "status", "--dir", dir_});
  EXPECT_EQ(status.code, 0);
  EXPECT_EQ(status.out, absl::StrCat("on: switch file '", dir_, "/", kSwitch, "' line 1 is '1'\n"));

  WriteFailover(kSwitch, "# maintenance\r\n0\r\n");
  CommandRun off = Lookup({"--service", "orders"});
  EXPECT_EQ(off.code, kExitNoFailoverData);
  EXPECT_EQ(off.out, "");
  EXPECT_EQ(off.err, absl::StrCat("failover is off: switch file '", dir_, "/", kSwitch,
                                  "' line 2 is '0'\n"));
}

TEST_F(NamingCommandsTest, NothingToServeExitsThreeWithTheReason) {
  WriteJavaDirectory();
  WriteFailover("DEFAULT_GROUP%40%40empty", R"({"name":"empty","hosts":[]})");
  WriteFailover("DEFAULT_GROUP%40%40broken", R"({"hosts":[{"ip":"10.0.0.1",)");

  CommandRun no_file = Lookup({"--service", "DEFAULT_GROUP@@nothere"});
  EXPECT_EQ(no_file.code, kExitNoFailoverData);
  EXPECT_EQ(no_file.out, "");
  EXPECT_EQ(no_file.err, absl::StrCat("no failover data for DEFAULT_GROUP@@nothere in '", dir_,
                                      "' (file 'DEFAULT_GROUP%40%40nothere')\n"));

  CommandRun empty = Lookup({"--service", "empty"});
  EXPECT_EQ(empty.code, kExitNoFailoverData);
  EXPECT_EQ(empty.out, "");
  EXPECT_EQ(empty.err,
            "failover data for DEFAULT_GROUP@@empty (file 'DEFAULT_GROUP%40%40empty') has no "
            "hosts; clients fall through\n");

  CommandRun filtered = Lookup({"--service", "orders", "--clusters", "c3"});
  EXPECT_EQ(filtered.code, kExitNoFailoverData);
  EXPECT_EQ(filtered.out, "");
  EXPECT_EQ(filtered.err,
            "no host of DEFAULT_GROUP@@orders (file 'DEFAULT_GROUP%40%40orders') is in clusters "
            "c3 (its hosts are in: c1, c2)\n");

  CommandRun broken = Lookup({"--service", "broken"});
  EXPECT_EQ(broken.code, kExitNoFailoverData);
  EXPECT_TRUE(absl::StartsWith(broken.err,
                               "failover data for DEFAULT_GROUP@@broken is not usable: failover "
                               "file 'DEFAULT_GROUP%40%40broken': line 1, column"))
      << broken.err;

  std::filesystem::remove(dir_ + "/" + kSwitch);
  CommandRun no_switch = Lookup({"--service", "orders"});
  EXPECT_EQ(no_switch.code, kExitNoFailoverData);
  EXPECT_EQ(no_switch.err,
            absl::StrCat("failover is off: no switch file '", dir_, "/", kSwitch, "'\n"));

  WriteFailover(kSwitch, "yes\n");
  CommandRun unknown = Lookup({"--service", "orders"});
  EXPECT_EQ(unknown.code, kExitNoFailoverData);
  EXPECT_TRUE(absl::StartsWith(unknown.err,
                               "failover switch unknown, so a starting client is off: "
                               "failover switch file"))
      << unknown.err;
}

TEST_F(NamingCommandsTest, LookupUsageAndDirectoryErrors) {
  CommandRun missing = Lookup({});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(missing.err,
                               "failoverctl: naming lookup: --service NAME is required\nUsage:\n"))
      << missing.err;

  CommandRun clusters_in_key = Lookup({"--service", "G@@s@@c1"});
  EXPECT_EQ(clusters_in_key.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(clusters_in_key.err,
                               "failoverctl: naming lookup: --service 'G@@s@@c1': names clusters; "
                               "give them with --clusters\n"));

  CommandRun bad_flag = Lookup({"--service", "s", "--cluster", "c1"});
  EXPECT_EQ(bad_flag.code, kExitUsage);
  EXPECT_TRUE(
      absl::StartsWith(bad_flag.err, "failoverctl: naming lookup: unknown option '--cluster'\n"));

  CommandRun no_dir =
      Failoverctl({"naming", "lookup", "--dir", root_ + "/nope", "--service", "orders"});
  EXPECT_EQ(no_dir.code, kExitInvalid);
  EXPECT_EQ(no_dir.err, absl::StrCat("failoverctl: naming lookup: --dir '", root_,
                                     "/nope': no such directory\n"));
}

// ---- switch ----

TEST_F(NamingCommandsTest, SwitchOnOffStatus) {
  const std::string path = absl::StrCat(dir_, "/", kSwitch);
  CommandRun absent = Failoverctl({"naming", "switch", "status", "--dir", dir_});
  EXPECT_EQ(absent.code, 0);
  EXPECT_EQ(absent.out, absl::StrCat("off: no switch file '", path, "'\n"));

  CommandRun on = Failoverctl({"naming", "switch", "on", "--dir", dir_ + "/"});
  EXPECT_EQ(on.code, 0) << on.err;
  EXPECT_EQ(on.out, absl::StrCat("on: switch file '", path, "' line 1 is '1'\n"));
  EXPECT_EQ(Read(path), "1\n");

  CommandRun off = Failoverctl({"naming", "switch", "off", "--dir=" + dir_});
  EXPECT_EQ(off.code, 0) << off.err;
  EXPECT_EQ(off.out, absl::StrCat("off: switch file '", path, "' line 1 is '0'\n"));
  EXPECT_EQ(Read(path), "0\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);  // No temporary file left.

  Write(path, "\n");
  CommandRun unknown = Failoverctl({"naming", "switch", "status", "--dir", dir_});
  EXPECT_EQ(unknown.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(unknown.out, "unknown: failover switch file")) << unknown.out;
}

TEST_F(NamingCommandsTest, SwitchNeedsAnExistingDirectory) {
  CommandRun missing = Failoverctl({"naming", "switch", "on", "--dir", root_ + "/typo"});
  EXPECT_EQ(missing.code, kExitInvalid);
  EXPECT_EQ(missing.err, absl::StrCat("failoverctl: naming switch: --dir '", root_,
                                      "/typo': no such directory\n"));
  EXPECT_FALSE(std::filesystem::exists(root_ + "/typo"));

  Write(root_ + "/file", "");
  CommandRun file = Failoverctl({"naming", "switch", "off", "--dir", root_ + "/file"});
  EXPECT_EQ(file.code, kExitInvalid);
  EXPECT_EQ(file.err, absl::StrCat("failoverctl: naming switch: --dir '", root_,
                                   "/file': not a directory\n"));

  EXPECT_EQ(Failoverctl({"naming", "switch", "on"}).code, kExitUsage);
  EXPECT_EQ(Failoverctl({"naming", "switch", "--dir", dir_}).code, kExitUsage);
  CommandRun bad = Failoverctl({"naming", "switch", "yes", "--dir", dir_});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(bad.err,
                               "failoverctl: naming switch: 'yes' is not on, off or "
                               "status\n"));
}

// ---- validate ----

TEST_F(NamingCommandsTest, ValidateReportsEveryFile) {
  WriteJavaDirectory();
  WriteFailover(kSwitch,
                "\xEF\xBB\xBF"
                "1\r\n");
  WriteFailover(".DS_Store", std::string("\x00\x01", 2));
  WriteFailover("README", "ops notes");
  WriteFailover("DEFAULT_GROUP%40%40truncated", "{\n  \"hosts\": [\n    {\"ip\": \"10.0.0.1\",");
  WriteFailover("DEFAULT_GROUP%40%40nohosts", R"({"hosts": null})");
  std::filesystem::create_directory(dir_ + "/old");  // Not a file: not listed.

  CommandRun run = Failoverctl({"naming", "validate", "--dir", dir_});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "BAD .DS_Store: bad_name: failover file name '.DS_Store': '.DS_Store' is not "
            "GROUP@@SERVICE or GROUP@@SERVICE@@CLUSTERS (no \"@@\")\n"
            "OK 00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00 (on)\n"
            "OK DEFAULT_GROUP%40%40nohosts (DEFAULT_GROUP@@nohosts, no hosts: clients fall "
            "through)\n"
            "OK DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
            "OK DEFAULT_GROUP%40%40test.2 (DEFAULT_GROUP@@test.2, 1 host)\n"
            "BAD DEFAULT_GROUP%40%40truncated: bad_content: line 3, column 23 (end of input): "
            "Unexpected end of string. Expected an object key or }.\n"
            "BAD README: bad_name: failover file name 'README': 'README' is not GROUP@@SERVICE "
            "or GROUP@@SERVICE@@CLUSTERS (no \"@@\")\n");
}

TEST_F(NamingCommandsTest, ValidateCleanDirectoryAndBadSwitch) {
  WriteFailover("DEFAULT_GROUP%40%40orders", OrdersSingleLine());
  CommandRun clean = Failoverctl({"naming", "validate", "--dir", dir_});
  EXPECT_EQ(clean.code, 0);
  EXPECT_EQ(clean.out,
            "OK 00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00 (absent: failover off)\n"
            "OK DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n");

  WriteFailover(kSwitch, "on\n");
  CommandRun bad_switch = Failoverctl({"naming", "validate", "--dir", dir_});
  EXPECT_EQ(bad_switch.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(
      bad_switch.out, absl::StrCat("BAD 00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00: failover "
                                   "switch file '",
                                   dir_, "/", kSwitch, "' ")))
      << bad_switch.out;

  EXPECT_EQ(Failoverctl({"naming", "validate"}).code, kExitUsage);
  EXPECT_EQ(Failoverctl({"naming", "validate", "--dir", root_ + "/nope"}).code, kExitInvalid);
}

// ---- dump ----

TEST_F(NamingCommandsTest, DumpWritesFailoverFilesFromTheCache) {
  Write(cache_ + "/DEFAULT_GROUP%40%40orders", OrdersSingleLine());
  Write(cache_ + "/DEFAULT_GROUP%40%40test.2", kDocExamplePretty);
  Write(cache_ + "/DEFAULT_GROUP%40%40orders@@c1", absl::StrCat(R"({"hosts":[)", kHostC1, "]}"));
  Write(cache_ + "/DEFAULT_GROUP%40%40broken", "{\"hosts\":[");
  Write(cache_ + "/DEFAULT_GROUP%40%40gone", R"({"hosts":[]})");
  Write(cache_ + "/.DS_Store", "x");
  Write(cache_ + "/" + kSwitch, "1\n");                 // Not a service: never copied.
  WriteFailover("DEFAULT_GROUP%40%40elsewhere", "{}");  // Inside the failover subdirectory.
  WriteFailover(kSwitch, "0\n");

  CommandRun run = Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", cache_});
  EXPECT_EQ(run.code, kExitInvalid) << run.out << run.err;  // broken was not dumped.
  EXPECT_EQ(run.out,
            "SKIP .DS_Store: bad_name: failover file name '.DS_Store': '.DS_Store' is not "
            "GROUP@@SERVICE or GROUP@@SERVICE@@CLUSTERS (no \"@@\")\n"
            "SKIP DEFAULT_GROUP%40%40broken: bad_content: line 1, column 11 (end of input): "
            "Unexpected end of string. Expected a value or ] within an array.\n"
            "SKIP DEFAULT_GROUP%40%40gone: DEFAULT_GROUP@@gone has no hosts (a failover file "
            "without hosts is never served)\n"
            "WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
            "WROTE DEFAULT_GROUP%40%40orders@@c1 (DEFAULT_GROUP@@orders@@c1, 1 host)\n"
            "WROTE DEFAULT_GROUP%40%40test.2 (DEFAULT_GROUP@@test.2, 1 host)\n" +
                absl::StrCat("dumped 3 of 4 failover files to ", dir_, "\n"));
  EXPECT_EQ(run.err, "failoverctl: naming dump: 1 of 4 failover files not written (see above)\n");
  EXPECT_EQ(Read(dir_ + "/" + kSwitch), "0\n");
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP%40%40elsewhere"), "{}");
  // One line, in the Java client's shape; the pretty example comes out as one line too.
  const std::string orders = Read(dir_ + "/DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(orders.find('\n'), std::string::npos);
  EXPECT_TRUE(absl::StrContains(orders, absl::StrCat(R"("hosts":[)", kHostC1, ",", kHostC2, "]")))
      << orders;
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP%40%40test.2").find('\n'), std::string::npos);

  // What was dumped is served.
  WriteFailover(kSwitch, "1\n");
  CommandRun served = Lookup({"--service", "DEFAULT_GROUP@@test.2"});
  EXPECT_EQ(served.out, absl::StrCat(kDocExampleInstances, "\n"));
}

TEST_F(NamingCommandsTest, DumpKeepsExistingFilesUnlessForced) {
  Write(cache_ + "/DEFAULT_GROUP%40%40orders", OrdersSingleLine());
  Write(cache_ + "/DEFAULT_GROUP%40%40pay", R"({"hosts":[{"ip":"10.1.1.1","port":80}]})");
  // Hand-written, under the unencoded name: still this service's file.
  const std::string hand = R"({"hosts":[{"ip":"192.168.0.1","port":8080}]})";
  WriteFailover("DEFAULT_GROUP@@orders", hand);

  CommandRun kept = Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", cache_});
  EXPECT_EQ(kept.code, kExitInvalid);
  EXPECT_EQ(kept.out, absl::StrCat("KEPT DEFAULT_GROUP@@orders: exists; --force replaces it\n"
                                   "WROTE DEFAULT_GROUP%40%40pay (DEFAULT_GROUP@@pay, 1 host)\n"
                                   "dumped 1 of 2 failover files to ",
                                   dir_, "\n"));
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP@@orders"), hand);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/DEFAULT_GROUP%40%40orders"));

  // Again: now pay exists too.
  CommandRun again = Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", cache_});
  EXPECT_EQ(again.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(again.out, "KEPT DEFAULT_GROUP%40%40pay: exists")) << again.out;

  CommandRun forced = Failoverctl(
      {"naming", "dump", "--dir", dir_, "--from-cache", cache_, "--force", "--service", "orders"});
  EXPECT_EQ(forced.code, 0) << forced.out << forced.err;
  EXPECT_EQ(forced.out,
            absl::StrCat("WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)\n"
                         "NOTE DEFAULT_GROUP@@orders also holds DEFAULT_GROUP@@orders; clients "
                         "serve the first file by name: remove one\n"
                         "dumped 1 of 1 failover files to ",
                         dir_, "\n"));
  EXPECT_EQ(Read(dir_ + "/DEFAULT_GROUP@@orders"), hand);  // --force never deletes a file.

  Write(cache_ + "/DEFAULT_GROUP%40%40pay", R"({"hosts":[{"ip":"10.2.2.2","port":80}]})");
  CommandRun replaced = Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", cache_,
                                     "--force", "--service", "DEFAULT_GROUP@@pay"});
  EXPECT_EQ(replaced.code, 0) << replaced.out;
  EXPECT_TRUE(absl::StrContains(Read(dir_ + "/DEFAULT_GROUP%40%40pay"), "10.2.2.2"));
}

TEST_F(NamingCommandsTest, DumpSelectedServicesAndErrors) {
  Write(cache_ + "/DEFAULT_GROUP%40%40orders", OrdersSingleLine());
  Write(cache_ + "/DEFAULT_GROUP%40%40pay", R"({"hosts":[{"ip":"10.1.1.1","port":80}]})");
  const std::string fresh = root_ + "/new/failover";  // Created by the dump.
  CommandRun run = Failoverctl({"naming", "dump", "--dir", fresh, "--from-cache", cache_,
                                "--service", "pay", "--service", "G@@missing"});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_EQ(run.out, absl::StrCat("WROTE DEFAULT_GROUP%40%40pay (DEFAULT_GROUP@@pay, 1 host)\n"
                                  "MISSING G@@missing: not in ",
                                  cache_, "\ndumped 1 of 2 failover files to ", fresh, "\n"));
  EXPECT_FALSE(std::filesystem::exists(fresh + "/DEFAULT_GROUP%40%40orders"));
  EXPECT_FALSE(std::filesystem::exists(fresh + "/" + kSwitch));

  CommandRun empty = Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", dir_ + "/x"});
  EXPECT_EQ(empty.code, kExitInvalid);
  EXPECT_EQ(empty.err, absl::StrCat("failoverctl: naming dump: --from-cache '", dir_,
                                    "/x': no such directory\n"));
  std::filesystem::create_directory(root_ + "/blank");
  CommandRun nothing =
      Failoverctl({"naming", "dump", "--dir", dir_, "--from-cache", root_ + "/blank"});
  EXPECT_EQ(nothing.code, kExitInvalid);
  EXPECT_EQ(nothing.err, absl::StrCat("failoverctl: naming dump: nothing to dump: no service with "
                                      "hosts in ",
                                      root_, "/blank\n"));

  EXPECT_EQ(Failoverctl({"naming", "dump", "--dir", dir_}).code, kExitUsage);
  EXPECT_EQ(Failoverctl({"naming", "dump", "--from-cache", cache_}).code, kExitUsage);
  CommandRun same = Failoverctl({"naming", "dump", "--dir", cache_, "--from-cache", cache_ + "/"});
  EXPECT_EQ(same.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(same.err,
                               "failoverctl: naming dump: --dir and --from-cache are "
                               "the same directory\n"));
  CommandRun twice =
      Failoverctl({"naming", "dump", "--dir", dir_, "--dir", dir_, "--from-cache", cache_});
  EXPECT_EQ(twice.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(twice.err, "failoverctl: naming dump: --dir given more than once"));
}

// ---- help ----

TEST_F(NamingCommandsTest, HelpListsTheNamingCommands) {
  CommandRun help = Failoverctl({"naming", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_TRUE(absl::StrContains(help.out, "failoverctl naming lookup --dir DIR")) << help.out;
  CommandRun top = Failoverctl({"--help"});
  EXPECT_TRUE(absl::StrContains(top.out, "failoverctl naming dump --dir DIR --from-cache"));
  EXPECT_TRUE(absl::StrContains(top.out, "3 naming lookup: no failover answer"));
  CommandRun none = Failoverctl({"naming"});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(none.err, "failoverctl: naming needs a subcommand"));
}

}  // namespace
}  // namespace failover
