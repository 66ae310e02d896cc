#include "naming-client/internal/posix_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/internal/temp_dir.h"

namespace failover {
namespace naming_internal {
namespace {

using ::testing::ElementsAre;

TEST(ReadFileToStringTest, ReadsWholeFiles) {
  TempDir dir;
  dir.WriteFile("a", std::string(100000, 'x'));
  absl::StatusOr<std::string> content = ReadFileToString(dir.Path("a"), 1 << 20);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(content->size(), 100000u);
  dir.WriteFile("empty", "");
  EXPECT_EQ(*ReadFileToString(dir.Path("empty"), 10), "");
}

TEST(ReadFileToStringTest, ErrorsSayWhichFileAndWhy) {
  TempDir dir;
  absl::StatusOr<std::string> missing = ReadFileToString(dir.Path("missing"), 10);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(missing.status().message()),
            "open '" + dir.Path("missing") + "': No such file or directory");

  dir.WriteFile("big", "12345678901");
  absl::StatusOr<std::string> big = ReadFileToString(dir.Path("big"), 10);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(std::string(big.status().message()),
            "'" + dir.Path("big") + "' is 11 bytes, more than the limit of 10");

  ASSERT_EQ(::mkdir(dir.Path("sub").c_str(), 0755), 0);
  EXPECT_EQ(ReadFileToString(dir.Path("sub"), 10).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ListRegularFilesTest, ListsFilesAndFollowsLinksOnly) {
  TempDir dir;
  dir.WriteFile("b", "");
  dir.WriteFile("a", "");
  dir.WriteFile(".hidden", "");
  ASSERT_EQ(::mkdir(dir.Path("subdir").c_str(), 0755), 0);
  ASSERT_EQ(::symlink(dir.Path("a").c_str(), dir.Path("link-to-a").c_str()), 0);
  ASSERT_EQ(::symlink(dir.Path("gone").c_str(), dir.Path("dangling").c_str()), 0);
  absl::StatusOr<std::vector<std::string>> names = ListRegularFiles(dir.path());
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre(".hidden", "a", "b", "link-to-a"));
  EXPECT_EQ(ListRegularFiles(dir.Path("nope")).status().code(), absl::StatusCode::kNotFound);
}

TEST(MakeDirectoriesTest, CreatesParentsAndAcceptsExisting) {
  TempDir dir;
  ASSERT_TRUE(MakeDirectories(dir.Path("a/b/c")).ok());
  EXPECT_TRUE(MakeDirectories(dir.Path("a/b/c")).ok());
  EXPECT_TRUE(MakeDirectories(dir.Path("a/b/c/")).ok());
  dir.WriteFile("file", "");
  EXPECT_FALSE(MakeDirectories(dir.Path("file")).ok());
  EXPECT_FALSE(MakeDirectories(dir.Path("file/x")).ok());
}

TEST(WriteFileAtomicallyTest, ReplaceWritesAndLeavesNoTemporaryFile) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir.path(), "f", "one", WriteMode::kReplace).ok());
  ASSERT_TRUE(WriteFileAtomically(dir.path(), "f", "two", WriteMode::kReplace).ok());
  EXPECT_EQ(dir.ReadFile("f"), "two");
  EXPECT_THAT(dir.List(), ElementsAre("f"));
  struct stat info;
  ASSERT_EQ(::stat(dir.Path("f").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST(WriteFileAtomicallyTest, CreateOnlyKeepsAnExistingFile) {
  TempDir dir;
  dir.WriteFile("f", "hand-written");
  absl::Status s = WriteFileAtomically(dir.path(), "f", "generated", WriteMode::kCreateOnly);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(s.message()),
            "'" + dir.Path("f") + "' already exists; left as it is (replace it explicitly)");
  EXPECT_EQ(dir.ReadFile("f"), "hand-written");
  EXPECT_THAT(dir.List(), ElementsAre("f"));

  ASSERT_TRUE(WriteFileAtomically(dir.path(), "g", "new", WriteMode::kCreateOnly).ok());
  EXPECT_EQ(dir.ReadFile("g"), "new");
  EXPECT_THAT(dir.List(), ElementsAre("f", "g"));
}

TEST(WriteFileAtomicallyTest, FailureLeavesNoTemporaryFile) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.Path("target").c_str(), 0755), 0);
  dir.WriteFile("target/inside", "");
  // Renaming a file over a non-empty directory fails after the temporary file is written.
  absl::Status s = WriteFileAtomically(dir.path(), "target", "x", WriteMode::kReplace);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("rename to '" + dir.Path("target") + "'"), absl::string_view::npos)
      << s;
  EXPECT_THAT(dir.List(), ElementsAre("target"));

  EXPECT_EQ(WriteFileAtomically(dir.Path("missing"), "f", "x", WriteMode::kReplace).code(),
            absl::StatusCode::kNotFound);
}

// Readers racing a writer see the old or the new content, never a mix or nothing.
TEST(WriteFileAtomicallyTest, ConcurrentReadersSeeWholeFiles) {
  TempDir dir;
  const std::string a(50000, 'a');
  const std::string b(70000, 'b');
  ASSERT_TRUE(WriteFileAtomically(dir.path(), "f", a, WriteMode::kReplace).ok());
  std::thread writer([&] {
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(WriteFileAtomically(dir.path(), "f", i % 2 ? a : b, WriteMode::kReplace).ok());
    }
  });
  for (int i = 0; i < 300; ++i) {
    absl::StatusOr<std::string> content = ReadFileToString(dir.Path("f"), 1 << 20);
    ASSERT_TRUE(content.ok()) << content.status();
    EXPECT_TRUE(*content == a || *content == b) << "torn read of " << content->size() << " bytes";
  }
  writer.join();
  EXPECT_THAT(dir.List(), ElementsAre("f"));
}

TEST(RemoveFileDurablyTest, RemovesAndAcceptsMissingFiles) {
  TempDir dir;
  dir.WriteFile("f", "x");
  dir.WriteFile("g", "y");
  ASSERT_TRUE(RemoveFileDurably(dir.path(), "f").ok());
  EXPECT_THAT(dir.List(), ElementsAre("g"));
  EXPECT_TRUE(RemoveFileDurably(dir.path(), "f").ok());
  EXPECT_TRUE(RemoveFileDurably(dir.Path("missing"), "f").ok());
  // Not removable: a non-empty directory in the way. The message names the path.
  ASSERT_TRUE(MakeDirectories(dir.Path("d/sub")).ok());
  const absl::Status busy = RemoveFileDurably(dir.path(), "d");
  EXPECT_FALSE(busy.ok());
  EXPECT_NE(busy.message().find(dir.Path("d")), absl::string_view::npos) << busy;
}

}  // namespace
}  // namespace naming_internal
}  // namespace failover
