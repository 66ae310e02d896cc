#include "naming-client/internal/posix_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace failover {
namespace naming_internal {
namespace {

absl::StatusCode CodeForErrno(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::StatusCode::kNotFound;
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::StatusCode::kPermissionDenied;
    case EEXIST:
      return absl::StatusCode::kAlreadyExists;
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kInternal;
  }
}

// "<operation> '<path>': <strerror>", with the code that errno maps to.
absl::Status ErrnoError(absl::string_view operation, absl::string_view path, int error) {
  return absl::Status(CodeForErrno(error),
                      absl::StrCat(operation, " '", path, "': ", std::strerror(error)));
}

// Closes a descriptor on scope exit unless released.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error close() returns (a delayed write error on some systems).
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

absl::Status WriteAll(int fd, absl::string_view content, absl::string_view path) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", path, errno);
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("open directory", directory, errno);
  if (::fsync(fd.get()) != 0) return ErrnoError("fsync directory", directory, errno);
  return absl::OkStatus();
}

// Writes and syncs the temporary file at `temp_path`, then gives it `path` as the mode says.
absl::Status WriteThenPublish(int fd, const std::string& temp_path, const std::string& path,
                              absl::string_view content, WriteMode mode) {
  if (::fchmod(fd, 0644) != 0) return ErrnoError("chmod", temp_path, errno);
  absl::Status written = WriteAll(fd, content, temp_path);
  if (!written.ok()) return written;
  if (::fsync(fd) != 0) return ErrnoError("fsync", temp_path, errno);
  if (mode == WriteMode::kReplace) {
    if (::rename(temp_path.c_str(), path.c_str()) != 0) return ErrnoError("rename to", path, errno);
    return absl::OkStatus();
  }
  if (::link(temp_path.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat("'", path, "' already exists; left as it is (replace it explicitly)"));
    }
    return ErrnoError("link to", path, errno);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path, size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("open", path, errno);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return ErrnoError("stat", path, errno);
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat("'", path, "' is not a regular file"));
  }
  const auto too_large = [&](size_t size) {
    return absl::OutOfRangeError(
        absl::StrCat("'", path, "' is ", size, " bytes, more than the limit of ", max_bytes));
  };
  if (static_cast<size_t>(info.st_size) > max_bytes) return too_large(info.st_size);
  std::string content;
  char buffer[8192];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read", path, errno);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > max_bytes) return too_large(content.size());  // Grew while reading.
  }
  return content;
}

absl::StatusOr<std::vector<std::string>> ListRegularFiles(const std::string& directory) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return ErrnoError("open directory", directory, errno);
  std::vector<std::string> names;
  int error = 0;
  while (true) {
    errno = 0;
    const struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      error = errno;
      break;
    }
    const absl::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat info;
    const std::string path = absl::StrCat(directory, "/", name);
    // A failing stat is a dangling link or a file deleted since readdir: not a file to read.
    if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) names.emplace_back(name);
  }
  ::closedir(dir);
  if (error != 0) return ErrnoError("read directory", directory, error);
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status MakeDirectories(const std::string& directory) {
  if (directory.empty()) return absl::InvalidArgumentError("empty directory path");
  for (size_t slash = directory.find('/', 1);; slash = directory.find('/', slash + 1)) {
    const std::string prefix = directory.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoError("create directory", prefix, errno);
    }
    if (slash == std::string::npos) break;
  }
  struct stat info;
  if (::stat(directory.c_str(), &info) != 0) return ErrnoError("stat", directory, errno);
  if (!S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat("'", directory, "' is not a directory"));
  }
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& directory, absl::string_view name,
                                 absl::string_view content, WriteMode mode) {
  const std::string path = absl::StrCat(directory, "/", name);
  std::string temp_path = absl::StrCat(directory, "/", kTempFilePrefix, "XXXXXX");
  FileDescriptor fd(::mkostemp(&temp_path[0], O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("create temporary file in", directory, errno);
  absl::Status status = WriteThenPublish(fd.get(), temp_path, path, content, mode);
  // After a rename the temporary name is gone (and may already be another writer's); after a
  // link or a failure it must go.
  const bool renamed = status.ok() && mode == WriteMode::kReplace;
  if (fd.Close() != 0 && status.ok()) status = ErrnoError("close", temp_path, errno);
  if (!renamed && ::unlink(temp_path.c_str()) != 0 && status.ok()) {
    status = ErrnoError("remove", temp_path, errno);
  }
  if (!status.ok()) return status;
  return SyncDirectory(directory);
}

absl::Status RemoveFileDurably(const std::string& directory, absl::string_view name) {
  const std::string path = absl::StrCat(directory, "/", name);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoError("remove", path, errno);
  }
  return SyncDirectory(directory);
}

}  // namespace naming_internal
}  // namespace failover
