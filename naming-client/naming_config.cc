#include "naming-client/naming_config.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/config/config_validators.h"

namespace failover {
namespace naming {
namespace {

// The name the gRPC failover data source registers under; it needs grpc.target.
constexpr absl::string_view kGrpcDataSourceName = "grpc";

constexpr ConfigEnumValue<NacosApiVersion> kApiVersions[] = {
    {NacosApiVersion::kV1, "v1"},
    {NacosApiVersion::kV2, "v2"},
};

absl::Status Invalid(std::string phrase) { return absl::InvalidArgumentError(std::move(phrase)); }

bool IsHostChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

// "host", "host:port", "[v6]" or "[v6]:port"; OK or why not (a phrase after "is not ...: ").
absl::Status CheckHostPort(absl::string_view text, bool port_required) {
  absl::string_view host;
  absl::string_view port;
  bool has_port = false;
  if (absl::ConsumePrefix(&text, "[")) {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return Invalid("'[' without ']'");
    host = text.substr(0, close);
    if (host.empty() || !std::all_of(host.begin(), host.end(), [](char c) {
          return absl::ascii_isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return Invalid("the bracketed part is not an IPv6 address");
    }
    text.remove_prefix(close + 1);
    if (!text.empty()) {
      if (!absl::ConsumePrefix(&text, ":")) return Invalid("text after ']' is not ':port'");
      port = text;
      has_port = true;
    }
  } else {
    const size_t colon = text.find(':');
    if (colon != absl::string_view::npos && text.find(':', colon + 1) != absl::string_view::npos) {
      return Invalid("more than one ':' (write IPv6 addresses in brackets: [::1]:8848)");
    }
    host = text.substr(0, colon);
    if (colon != absl::string_view::npos) {
      port = text.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return Invalid("no host");
    if (host.find('/') != absl::string_view::npos || port.find('/') != absl::string_view::npos) {
      return Invalid("has a path; give only the host and port");
    }
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
      return Invalid(
          absl::StrCat("host '", host, "' may contain only letters, digits, '.', '-'", " and '_'"));
    }
  }
  if (!has_port) return port_required ? Invalid("no port") : absl::OkStatus();
  uint32_t number = 0;
  if (port.empty() ||
      !std::all_of(port.begin(), port.end(), [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port, &number) || number < 1 || number > 65535) {
    return Invalid(absl::StrCat("port '", port, "' is not in 1..65535"));
  }
  return absl::OkStatus();
}

// What NacosHttpUpstream accepts: "host", "host:port", "[v6]:port", each optionally after
// "http://" and before trailing slashes.
absl::Status CheckServerAddress(const std::string& address) {
  absl::string_view rest = absl::StripAsciiWhitespace(address);
  if (absl::StartsWithIgnoreCase(rest, "https://")) {
    return Invalid("is not a Nacos server address: https is not supported");
  }
  if (absl::StartsWithIgnoreCase(rest, "http://")) {
    rest.remove_prefix(7);
  } else if (rest.find("://") != absl::string_view::npos) {
    return Invalid("is not a Nacos server address: only http:// is supported");
  }
  while (absl::ConsumeSuffix(&rest, "/")) {
  }
  if (absl::Status s = CheckHostPort(rest, /*port_required=*/false); !s.ok()) {
    return Invalid(absl::StrCat("is not a Nacos server address: ", s.message(),
                                " (expected host[:port] or http://host[:port])"));
  }
  return absl::OkStatus();
}

absl::Status CheckContextPath(const std::string& path) {
  if (path.empty() || absl::StartsWith(path, "/")) return absl::OkStatus();
  return Invalid("must start with '/' (or be empty)");
}

absl::Status CheckGrpcTarget(const std::string& target) {
  if (target.empty()) return absl::OkStatus();
  if (absl::Status s = CheckHostPort(target, /*port_required=*/true); !s.ok()) {
    return Invalid(absl::StrCat("is not host:port: ", s.message()));
  }
  return absl::OkStatus();
}

absl::Status CheckNamespace(const std::string& nacos_namespace) {
  if (NormalizeNamespace(nacos_namespace).ok()) return absl::OkStatus();
  return Invalid("cannot be a directory name (it is '.' or '..', or holds '/' or NUL)");
}

// The registry refuses such names, so no source could ever be found under one.
absl::Status CheckDataSourceName(const std::string& name) {
  if (absl::StripAsciiWhitespace(name).empty()) return Invalid("must not be blank");
  if (std::any_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isspace(static_cast<unsigned char>(c)) ||
               absl::ascii_iscntrl(static_cast<unsigned char>(c));
      })) {
    return Invalid("may not contain spaces or control characters");
  }
  return absl::OkStatus();
}

ConfigValidator<absl::Duration> Positive() {
  return [](const absl::Duration& d) {
    return d > absl::ZeroDuration() ? absl::OkStatus() : Invalid("must be positive");
  };
}

ConfigSchema<NamingGrpcConfig> GrpcSchema() {
  ConfigSchema<NamingGrpcConfig> s;
  s.Property("target", &NamingGrpcConfig::target,
             "host:port of the central failover server; required when data-source is grpc.")
      .Validate(CheckGrpcTarget);
  return s;
}

}  // namespace

ConfigEnumDescription<NacosApiVersion> DescribeConfigEnum(NacosApiVersion) {
  return {"NacosApiVersion", kApiVersions};
}

ConfigSchema<NamingConfig> NamingConfigSchema() {
  ConfigSchema<NamingConfig> s;
  s.Property("namespace", &NamingConfig::nacos_namespace,
             "Nacos namespace; blank = public. Names the failover directory.")
      .Validate(CheckNamespace);
  s.Property("snapshot-path", &NamingConfig::snapshot_path,
             "Base of {base}/nacos/naming/{namespace}/failover; empty = JM.SNAPSHOT.PATH, then "
             "JM_SNAPSHOT_PATH, then HOME.");
  s.Property("data-source", &NamingConfig::data_source,
             "Failover data source by registered name (disk built in); unknown names fail when "
             "the source is created.")
      .Validate(CheckDataSourceName);
  s.Property("poll-interval", &NamingConfig::poll_interval,
             "How often the failover switch and data are read again.")
      .Validate(Positive());
  s.Property("server-addresses", &NamingConfig::server_addresses,
             "Nacos servers: host[:port] or http://host[:port]; port 8848 when left out.")
      .ValidateEach(CheckServerAddress);
  s.Property("api-version", &NamingConfig::api_version,
             "Nacos HTTP Open API for instance lists; v1 is served by Nacos 1.x to 3.1, v2 is "
             "off by default in 3.x.");
  s.Property("context-path", &NamingConfig::context_path,
             "Nacos's web context path (server.servlet.contextPath).")
      .Validate(CheckContextPath);
  s.Property("connect-timeout", &NamingConfig::connect_timeout,
             "Time allowed to connect to a Nacos server.")
      .Validate(Positive());
  s.Property("request-timeout", &NamingConfig::request_timeout,
             "Time allowed for a Nacos server's answer once connected.")
      .Validate(Positive());
  s.Property("load-cache-at-start", &NamingConfig::load_cache_at_start,
             "Serve the cache directory's data before the first server answer "
             "(namingLoadCacheAtStart).");
  s.Property("push-empty-protection", &NamingConfig::push_empty_protection,
             "Ignore a server answer with no valid instance, keeping the previous list "
             "(namingPushEmptyProtection).");
  s.Section("grpc", &NamingConfig::grpc, GrpcSchema(), "The central failover server.");
  s.Check([](const NamingConfig& c, CheckReporter& reporter) {
    if (c.data_source == kGrpcDataSourceName && c.grpc.target.empty()) {
      reporter.Error("grpc.target", "must be set when data-source is grpc");
    }
  });
  return s;
}

absl::StatusOr<SectionHandle<NamingConfig>> AddNamingSection(ConfigLoader& loader) {
  return loader.AddSection(kNamingSectionPath, NamingConfigSchema());
}

FailoverDataSourceParams ToFailoverDataSourceParams(const NamingConfig& config,
                                                    const Environment& environment,
                                                    const ClientProperties& properties) {
  FailoverDataSourceParams params;
  params.nacos_namespace = config.nacos_namespace;
  params.snapshot_path = config.snapshot_path;
  params.properties = properties;
  params.environment = environment;
  params.grpc_target = config.grpc.target;
  return params;
}

FailoverReactorOptions ToFailoverReactorOptions(const NamingConfig& config) {
  FailoverReactorOptions options;
  options.poll_interval = config.poll_interval;
  return options;
}

NacosHttpUpstreamOptions ToNacosHttpUpstreamOptions(const NamingConfig& config) {
  NacosHttpUpstreamOptions options;
  options.server_addresses = config.server_addresses;
  options.api_version = config.api_version;
  options.nacos_namespace = config.nacos_namespace;
  options.context_path = config.context_path;
  options.connect_timeout = config.connect_timeout;
  options.request_timeout = config.request_timeout;
  return options;
}

absl::StatusOr<ServiceInfoHolderOptions> ToServiceInfoHolderOptions(
    const NamingConfig& config, const Environment& environment,
    const ClientProperties& properties) {
  absl::StatusOr<std::string> snapshot_path =
      ResolveSnapshotPath(config.snapshot_path, properties, environment);
  if (!snapshot_path.ok()) return snapshot_path.status();
  absl::StatusOr<std::string> cache_directory =
      NamingCacheDirectory(*snapshot_path, config.nacos_namespace);
  if (!cache_directory.ok()) return cache_directory.status();
  ServiceInfoHolderOptions options;
  options.cache_directory = *std::move(cache_directory);
  options.load_cache_at_start = config.load_cache_at_start;
  options.push_empty_protection = config.push_empty_protection;
  return options;
}

}  // namespace naming
}  // namespace failover
