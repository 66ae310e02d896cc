// Serialisation. Written by hand rather than with protobuf's MessageToJsonString because the
// proto3 JSON mapping differs from what Nacos writes and reads: int64 fields become strings
// ("lastRefTime":"1689835375819"), keys follow field numbers, "allIPs" would come out as its
// json_name "allIps" (which Nacos 2.x ignores), and unset strings cannot be left out while unset
// numbers are written.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "naming-client/internal/utf8.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace {

// Appends JSON to a string on one line, keeping the first error. Members and elements are
// separated automatically. Not thread-safe (one per serialisation).
class JsonLine {
 public:
  explicit JsonLine(std::string* out) : out_(out) {}

  // Starts the member "key": (a key from our own code, so needs no escaping).
  void Key(absl::string_view key) {
    Separate();
    absl::StrAppend(out_, "\"", key, "\":");
  }
  // Starts a member whose key is data (a metadata key): escaped like any string.
  void DataKey(absl::string_view key, absl::string_view path) {
    Separate();
    AppendString(key, path);
    out_->push_back(':');
  }
  // Starts an array element.
  void Element() { Separate(); }

  void Open(char bracket) {
    out_->push_back(bracket);
    first_ = true;
  }
  void Close(char bracket) {
    out_->push_back(bracket);
    first_ = false;
  }

  void String(absl::string_view value, absl::string_view path) {
    AppendString(value, path);
    first_ = false;
  }
  void Int(int64_t value) {
    absl::StrAppend(out_, value);
    first_ = false;
  }
  void Bool(bool value) {
    out_->append(value ? "true" : "false");
    first_ = false;
  }
  // The shortest text that reads back as the same double, formatted as Java's Double.toString
  // (which Jackson uses): "1.0", "2.5", "0.001" in [10^-3, 10^7), else "1.0E7", "1.5E-5".
  void Double(double value, absl::string_view path) {
    first_ = false;
    if (!std::isfinite(value)) {
      Fail(absl::StrCat(path, ": ", value, " is not a finite number, which JSON cannot carry"));
      return;
    }
    const double magnitude = std::fabs(value);
    const bool plain = magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7);
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof(buffer), value,
                      plain ? std::chars_format::fixed : std::chars_format::scientific);
    absl::string_view text(buffer, result.ptr - buffer);
    if (plain) {
      out_->append(text.data(), text.size());
      if (text.find('.') == absl::string_view::npos) out_->append(".0");
      return;
    }
    // "1.5e-05" -> "1.5E-5", "1e+07" -> "1.0E7".
    const size_t e = text.find('e');
    const absl::string_view mantissa = text.substr(0, e);
    int exponent = 0;
    std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(),
                    exponent);
    out_->append(mantissa.data(), mantissa.size());
    if (mantissa.find('.') == absl::string_view::npos) out_->append(".0");
    absl::StrAppend(out_, "E", exponent);
  }

  const absl::Status& status() const { return status_; }

 private:
  void Separate() {
    if (!first_) out_->push_back(',');
    first_ = false;
  }

  // Escapes as Jackson does: quote, backslash and control characters; everything else,
  // non-ASCII UTF-8 included, as is.
  void AppendString(absl::string_view value, absl::string_view path) {
    if (!naming_internal::IsValidUtf8(value)) {
      Fail(absl::StrCat(path, ": not valid UTF-8, which JSON cannot carry"));
      return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out_->push_back('"');
    for (char c : value) {
      switch (c) {
        case '"':
          out_->append("\\\"");
          break;
        case '\\':
          out_->append("\\\\");
          break;
        case '\b':
          out_->append("\\b");
          break;
        case '\f':
          out_->append("\\f");
          break;
        case '\n':
          out_->append("\\n");
          break;
        case '\r':
          out_->append("\\r");
          break;
        case '\t':
          out_->append("\\t");
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            absl::StrAppend(out_, "\\u00", absl::string_view(&kHex[(c >> 4) & 0xF], 1),
                            absl::string_view(&kHex[c & 0xF], 1));
          } else {
            out_->push_back(c);
          }
      }
    }
    out_->push_back('"');
  }

  void Fail(std::string message) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(std::move(message));
  }

  std::string* out_;
  bool first_ = true;  // No member or element written yet at the current level.
  absl::Status status_;
};

void WriteMetadata(const v1::Instance& host, const std::string& path, JsonLine& json) {
  std::vector<std::pair<std::string, std::string>> entries(host.metadata().begin(),
                                                           host.metadata().end());
  std::sort(entries.begin(), entries.end());
  json.Open('{');
  for (const auto& [key, value] : entries) {
    const std::string entry_path = absl::StrCat(path, "[\"", key, "\"]");
    json.DataKey(key, entry_path);
    json.String(value, entry_path);
  }
  json.Close('}');
}

// Members in the order Jackson writes Instance: its fields as declared, then the getters.
void WriteInstance(const v1::Instance& host, const std::string& path, JsonLine& json) {
  json.Open('{');
  if (host.has_instance_id()) {
    json.Key("instanceId");
    json.String(host.instance_id(), path + ".instanceId");
  }
  if (host.has_ip()) {
    json.Key("ip");
    json.String(host.ip(), path + ".ip");
  }
  json.Key("port");
  json.Int(host.port());
  json.Key("weight");
  json.Double(host.weight(), path + ".weight");
  json.Key("healthy");
  json.Bool(host.healthy());
  json.Key("enabled");
  json.Bool(host.enabled());
  json.Key("ephemeral");
  json.Bool(host.ephemeral());
  if (host.has_cluster_name()) {
    json.Key("clusterName");
    json.String(host.cluster_name(), path + ".clusterName");
  }
  if (host.has_service_name()) {
    json.Key("serviceName");
    json.String(host.service_name(), path + ".serviceName");
  }
  json.Key("metadata");
  WriteMetadata(host, path + ".metadata", json);
  json.Key("instanceHeartBeatInterval");
  json.Int(host.instance_heart_beat_interval());
  json.Key("instanceHeartBeatTimeOut");
  json.Int(host.instance_heart_beat_time_out());
  json.Key("ipDeleteTimeout");
  json.Int(host.ip_delete_timeout());
  json.Close('}');
}

void WriteHosts(const v1::ServiceInfo& info, JsonLine& json) {
  json.Open('[');
  for (int i = 0; i < info.hosts_size(); ++i) {
    json.Element();
    WriteInstance(info.hosts(i), absl::StrCat("hosts[", i, "]"), json);
  }
  json.Close(']');
}

}  // namespace

absl::StatusOr<std::string> SerializeInstancesJson(const v1::ServiceInfo& info) {
  std::string out;
  JsonLine json(&out);
  WriteHosts(info, json);
  if (!json.status().ok()) return json.status();
  return out;
}

absl::StatusOr<std::string> SerializeServiceInfoJson(const v1::ServiceInfo& info) {
  std::string out;
  JsonLine json(&out);
  json.Open('{');
  if (info.has_name()) {
    json.Key("name");
    json.String(info.name(), "name");
  }
  if (info.has_group_name()) {
    json.Key("groupName");
    json.String(info.group_name(), "groupName");
  }
  if (info.has_clusters()) {
    json.Key("clusters");
    json.String(info.clusters(), "clusters");
  }
  json.Key("cacheMillis");
  json.Int(info.cache_millis());
  json.Key("hosts");
  WriteHosts(info, json);
  json.Key("lastRefTime");
  json.Int(info.last_ref_time());
  json.Key("checksum");
  json.String(info.checksum(), "checksum");
  json.Key("allIPs");
  json.Bool(info.allips());
  json.Key("reachProtectionThreshold");
  json.Bool(info.reach_protection_threshold());
  json.Key("valid");
  json.Bool(info.valid());
  json.Close('}');
  if (!json.status().ok()) return json.status();
  return out;
}

}  // namespace naming
}  // namespace failover
