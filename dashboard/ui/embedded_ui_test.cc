#include "dashboard/ui/embedded_ui.h"

#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace failover::dashboard {
namespace {

// The source file as the test's runfiles hold it (the working directory is the workspace root).
std::string ReadSource(const std::string& name) {
  std::ifstream in("dashboard/ui/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read dashboard/ui/" << name;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Expected {
  const char* path;
  const char* content_type;
};

TEST(EmbeddedUiTest, EveryFileIsEmbeddedWithItsTypeAndExactBytes) {
  const Expected kExpected[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"api.js", "text/javascript; charset=utf-8"},
      {"charts.js", "text/javascript; charset=utf-8"},
      {"dom.js", "text/javascript; charset=utf-8"},
      {"model.js", "text/javascript; charset=utf-8"},
      {"pages.js", "text/javascript; charset=utf-8"},
  };
  for (const Expected& expected : kExpected) {
    SCOPED_TRACE(expected.path);
    const UiFile* file = FindUiFile(expected.path);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->path, expected.path);
    EXPECT_EQ(file->content_type, expected.content_type);
    const std::string source = ReadSource(expected.path);
    ASSERT_FALSE(source.empty());
    EXPECT_EQ(file->body.size(), source.size());
    EXPECT_TRUE(file->body == source);  // not EXPECT_EQ: a mismatch would print whole files
  }
}

TEST(EmbeddedUiTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(FindUiFile(""), nullptr);
  EXPECT_EQ(FindUiFile("missing.js"), nullptr);
  EXPECT_EQ(FindUiFile("/index.html"), nullptr);
  EXPECT_EQ(FindUiFile("ui/app.js"), nullptr);
  EXPECT_EQ(FindUiFile("index.html.bak"), nullptr);
}

TEST(EmbeddedUiTest, TheIndexLoadsTheScriptAndStylesheetByRelativeUrl) {
  const UiFile* index = FindUiFile("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_NE(index->body.find("src=\"ui/app.js\""), absl::string_view::npos);
  EXPECT_NE(index->body.find("href=\"ui/style.css\""), absl::string_view::npos);
}

}  // namespace
}  // namespace failover::dashboard
