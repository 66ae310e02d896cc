#include "redis-failover/redis_reply.h"

#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {

RedisReply RedisReply::Integer(int64_t value) {
  RedisReply r(Kind::kInteger);
  r.integer_ = value;
  return r;
}

RedisReply RedisReply::Array(std::vector<RedisReply> elements) {
  RedisReply r(Kind::kArray);
  r.elements_ = std::move(elements);
  return r;
}

std::string RedisReply::DebugString() const {
  switch (kind_) {
    case Kind::kNil:
      return "(nil)";
    case Kind::kStatus:
      return text_;
    case Kind::kError:
      return absl::StrCat("(error) ", text_);
    case Kind::kInteger:
      return absl::StrCat("(integer) ", integer_);
    case Kind::kString:
      return absl::StrCat("\"", text_, "\"");
    case Kind::kArray: {
      if (elements_.empty()) return "(empty array)";
      std::string s;
      for (size_t i = 0; i < elements_.size(); ++i) {
        absl::StrAppend(&s, i == 0 ? "" : "\n", i + 1, ") ", elements_[i].DebugString());
      }
      return s;
    }
  }
  return "";
}

absl::Status RedisReply::ErrorAsStatus() const {
  if (kind_ != Kind::kError) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("redis replied with an error: ", text_));
}

bool operator==(const RedisReply& a, const RedisReply& b) {
  return a.kind_ == b.kind_ && a.text_ == b.text_ && a.integer_ == b.integer_ &&
         a.elements_ == b.elements_;
}

}  // namespace redis
}  // namespace failover
