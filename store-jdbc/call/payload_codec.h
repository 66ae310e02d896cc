// PayloadCodec<T>: turns a call's result into the bytes the failover store keeps (PAYLOAD) and
// back, and names the payload's type (PAYLOAD_CLASS), which is checked before decoding.
//
// Built in:
//   - ProtoJsonCodec<M>: protobuf messages as proto3 JSON. The type name defaults to the
//     message's full name; give a Java class name (e.g. "com.acme.Quote") to share rows with a
//     Java service whose payload class maps to the same JSON. Unknown JSON fields are ignored
//     on decode, so a newer writer does not break an older reader.
//   - StringCodec: a std::string stored as a JSON string, type "java.lang.String" (what the
//     Java framework's Jackson writes for a String payload).
//   - FunctionCodec<T>: any user type, from an encode and a decode function.
//
//   failover::ProtoJsonCodec<acme::Quote> quotes("com.acme.Quote");
//   absl::StatusOr<std::string> json = quotes.Encode(quote);   // {"symbol":"EURUSD","px":1.5}
//   absl::StatusOr<acme::Quote> back = quotes.Decode(*json);
//
//   failover::FunctionCodec<int> ints(
//       "java.lang.Integer", [](const int& v) -> absl::StatusOr<std::string> {
//         return std::to_string(v); },
//       [](absl::string_view s) -> absl::StatusOr<int> { ... });
//
// Thread-safety: codecs are immutable after construction; Encode/Decode may be called
// concurrently (FunctionCodec: if the user's functions may).
#ifndef FAILOVER_STORE_JDBC_CALL_PAYLOAD_CODEC_H_
#define FAILOVER_STORE_JDBC_CALL_PAYLOAD_CODEC_H_

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace failover {

template <typename T>
class PayloadCodec {
 public:
  virtual ~PayloadCodec() = default;
  // The PAYLOAD_CLASS written with every entry and required of every entry decoded.
  virtual const std::string& type_name() const = 0;
  virtual absl::StatusOr<std::string> Encode(const T& value) const = 0;
  // INVALID_ARGUMENT naming the type when `payload` is not a valid encoding.
  virtual absl::StatusOr<T> Decode(absl::string_view payload) const = 0;
};

namespace codec_internal {
// json_util adapters (payload_codec.cc).
absl::StatusOr<std::string> MessageToJson(const google::protobuf::Message& message,
                                          absl::string_view type_name);
absl::Status JsonToMessage(absl::string_view json, absl::string_view type_name,
                           google::protobuf::Message* message);
}  // namespace codec_internal

template <typename M>
class ProtoJsonCodec final : public PayloadCodec<M> {
  static_assert(std::is_base_of<google::protobuf::Message, M>::value,
                "ProtoJsonCodec needs a protobuf message type");

 public:
  // Type name = the message's full protobuf name.
  ProtoJsonCodec() : type_name_(M::descriptor()->full_name()) {}
  // Type name = `type_name` (e.g. the Java class the JSON maps to).
  explicit ProtoJsonCodec(std::string type_name) : type_name_(std::move(type_name)) {}

  const std::string& type_name() const override { return type_name_; }
  absl::StatusOr<std::string> Encode(const M& value) const override {
    return codec_internal::MessageToJson(value, type_name_);
  }
  absl::StatusOr<M> Decode(absl::string_view payload) const override {
    M message;
    absl::Status parsed = codec_internal::JsonToMessage(payload, type_name_, &message);
    if (!parsed.ok()) return parsed;
    return message;
  }

 private:
  const std::string type_name_;
};

class StringCodec final : public PayloadCodec<std::string> {
 public:
  StringCodec() : type_name_("java.lang.String") {}
  explicit StringCodec(std::string type_name) : type_name_(std::move(type_name)) {}

  const std::string& type_name() const override { return type_name_; }
  absl::StatusOr<std::string> Encode(const std::string& value) const override;
  absl::StatusOr<std::string> Decode(absl::string_view payload) const override;

 private:
  const std::string type_name_;
};

template <typename T>
class FunctionCodec final : public PayloadCodec<T> {
 public:
  using EncodeFunction = std::function<absl::StatusOr<std::string>(const T&)>;
  using DecodeFunction = std::function<absl::StatusOr<T>(absl::string_view)>;

  FunctionCodec(std::string type_name, EncodeFunction encode, DecodeFunction decode)
      : type_name_(std::move(type_name)), encode_(std::move(encode)), decode_(std::move(decode)) {}

  const std::string& type_name() const override { return type_name_; }
  absl::StatusOr<std::string> Encode(const T& value) const override { return encode_(value); }
  absl::StatusOr<T> Decode(absl::string_view payload) const override { return decode_(payload); }

 private:
  const std::string type_name_;
  const EncodeFunction encode_;
  const DecodeFunction decode_;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_PAYLOAD_CODEC_H_
