#include "naming-client/internal/temp_dir.h"

#include <dirent.h>
#include <ftw.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace failover {
namespace naming_internal {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "TempDir: %s\n", message.c_str());
  std::abort();
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = absl::StrCat(base != nullptr ? base : "/tmp", "/naming-XXXXXX");
  if (::mkdtemp(&pattern[0]) == nullptr) Die("mkdtemp " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  ::nftw(
      path_.c_str(),
      [](const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); }, 16,
      FTW_DEPTH | FTW_PHYS);
}

std::string TempDir::Path(absl::string_view relative) const {
  return relative.empty() ? path_ : absl::StrCat(path_, "/", relative);
}

void TempDir::WriteFile(absl::string_view relative, absl::string_view content) const {
  std::ofstream out(Path(relative), std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out.good()) Die("write " + Path(relative));
}

std::string TempDir::ReadFile(absl::string_view relative) const {
  std::ifstream in(Path(relative), std::ios::binary);
  if (!in.good()) Die("read " + Path(relative));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> TempDir::List(absl::string_view relative) const {
  DIR* dir = ::opendir(Path(relative).c_str());
  if (dir == nullptr) Die("opendir " + Path(relative));
  std::vector<std::string> names;
  while (const struct dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace naming_internal
}  // namespace failover
