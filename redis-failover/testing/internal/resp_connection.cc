#include "redis-failover/testing/internal/resp_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace redis_testing {
namespace internal {
namespace {

absl::Status ErrnoError(absl::string_view what, int error) {
  const std::string message = absl::StrCat(what, ": ", std::strerror(error));
  if (error == ECONNREFUSED || error == ECONNRESET || error == EPIPE) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

// Waits until `fd` is ready for `events` or the deadline passes.
absl::Status WaitFor(int fd, short events, RespConnection::Deadline deadline,
                     absl::string_view what) {
  while (true) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) {
      return absl::DeadlineExceededError(absl::StrCat(what, ": timed out"));
    }
    // Round up so that a sub-millisecond remainder still waits instead of spinning.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    pollfd p = {fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(ms));
    if (n > 0) return absl::OkStatus();
    if (n < 0 && errno != EINTR) return ErrnoError(absl::StrCat(what, ": poll"), errno);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<RespConnection>> RespConnection::Connect(const std::string& host,
                                                                        int port,
                                                                        Deadline deadline) {
  const std::string where = absl::StrCat(host, ":", port);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("'", host, "' is not an IPv4 address"));
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket", errno);
  std::unique_ptr<RespConnection> connection(new RespConnection(fd));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) {
    return connection;
  }
  if (errno != EINPROGRESS) return ErrnoError(absl::StrCat("connect to ", where), errno);
  absl::Status ready = WaitFor(fd, POLLOUT, deadline, absl::StrCat("connect to ", where));
  if (!ready.ok()) return ready;
  int error = 0;
  socklen_t length = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return ErrnoError(absl::StrCat("connect to ", where), error);
  return connection;
}

RespConnection::~RespConnection() { close(fd_); }

absl::StatusOr<RespReply> RespConnection::Call(const std::vector<std::string>& args,
                                               Deadline deadline) {
  absl::Status sent = SendAll(EncodeCommand(args), deadline);
  if (!sent.ok()) return sent;
  return ReadReply(deadline);
}

absl::Status RespConnection::SendAll(const std::string& bytes, Deadline deadline) {
  size_t done = 0;
  while (done < bytes.size()) {
    // MSG_NOSIGNAL: a server killed mid-test must not take the test down with SIGPIPE.
    const ssize_t n = send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      absl::Status ready = WaitFor(fd_, POLLOUT, deadline, "send");
      if (!ready.ok()) return ready;
    } else if (errno != EINTR) {
      return ErrnoError("send", errno);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RespReply> RespConnection::ReadReply(Deadline deadline) {
  while (true) {
    RespReply reply;
    absl::StatusOr<size_t> used = ParseReply(unread_, &reply);
    if (!used.ok()) return used.status();
    if (*used > 0) {
      unread_.erase(0, *used);
      return reply;
    }
    absl::Status ready =
        WaitFor(fd_, POLLIN, deadline,
                absl::StrCat("waiting for a complete reply (", unread_.size(), " bytes so far)"));
    if (!ready.ok()) return ready;
    char chunk[16384];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      unread_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      return absl::UnavailableError(absl::StrCat("connection closed by the server after ",
                                                 unread_.size(), " bytes of a reply"));
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      return ErrnoError("recv", errno);
    }
  }
}

}  // namespace internal
}  // namespace redis_testing
}  // namespace failover
