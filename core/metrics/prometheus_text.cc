#include "core/metrics/prometheus_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/metrics/internal/utf8.h"

namespace failover {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One exported series, already in Prometheus terms.
struct Sample {
  std::string family;
  Labels labels;  // sorted by label name, values unescaped
  const SeriesSnapshot* series;
};

// [a-zA-Z0-9_] kept, anything else '_'; a leading digit gets a '_' prefix.
std::string SanitizeIdentifier(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 1);
  if (text.empty() || absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    out.push_back('_');
  }
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(absl::ascii_isalnum(u) || c == '_' ? c : '_');
  }
  return out;
}

// Shortest text that parses back to exactly `value` (Go's ParseFloat reads it as Prometheus
// does); integers print without a fraction.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// Claims the sample names `family` writes for `owner`: false when one belongs to another family.
bool ClaimSampleNames(const std::string& family, SeriesKind kind,
                      std::map<std::string, std::string>* owner) {
  std::vector<std::string> names = {family};
  if (kind == SeriesKind::kHistogram) {
    for (absl::string_view suffix : {"_bucket", "_sum", "_count"}) {
      names.push_back(absl::StrCat(family, suffix));
    }
  }
  for (const std::string& name : names) {
    const auto it = owner->find(name);
    if (it != owner->end() && it->second != family) return false;
  }
  for (std::string& name : names) owner->emplace(std::move(name), family);
  return true;
}

std::string EscapeHelp(absl::string_view raw) {
  const std::string text = metrics_internal::ToValidUtf8(raw);
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::string_view TypeName(SeriesKind kind) {
  switch (kind) {
    case SeriesKind::kCounter:
      return "counter";
    case SeriesKind::kGauge:
      return "gauge";
    case SeriesKind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// The labels of `tags` sorted by name; false when two tags map to one label name.
bool ToLabels(const Tags& tags, SeriesKind kind, Labels* out) {
  out->clear();
  for (const Tag& tag : tags.items()) {
    std::string name = PrometheusLabelName(tag.key);
    if (kind == SeriesKind::kHistogram && name == "le") name = "tag_le";
    out->emplace_back(std::move(name), tag.value);
  }
  std::sort(out->begin(), out->end());
  for (size_t i = 1; i < out->size(); ++i) {
    if ((*out)[i].first == (*out)[i - 1].first) return false;
  }
  return true;
}

// `{a="x",b="y"}`, with `extra` (e.g. le) last; "" when there are no labels at all.
std::string LabelText(const Labels& labels, absl::string_view extra_name = "",
                      absl::string_view extra_value = "") {
  if (labels.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", name, "=\"", EscapePrometheusLabelValue(value),
                    "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", extra_name, "=\"", extra_value, "\"");
  }
  out.push_back('}');
  return out;
}

void AppendSample(const Sample& sample, std::string* out) {
  const SeriesSnapshot& series = *sample.series;
  if (series.kind != SeriesKind::kHistogram) {
    absl::StrAppend(out, sample.family, LabelText(sample.labels), " ", FormatValue(series.value),
                    "\n");
    return;
  }
  const HistogramValue& h = series.histogram;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.bucket_counts.size(); ++i) {
    cumulative += h.bucket_counts[i];
    const std::string le =
        i < h.upper_bounds.size() ? FormatValue(h.upper_bounds[i]) : std::string("+Inf");
    absl::StrAppend(out, sample.family, "_bucket", LabelText(sample.labels, "le", le), " ",
                    cumulative, "\n");
  }
  if (h.bucket_counts.empty()) {  // A layout always has the overflow bucket; be safe anyway.
    absl::StrAppend(out, sample.family, "_bucket", LabelText(sample.labels, "le", "+Inf"), " ",
                    h.count, "\n");
  }
  const std::string labels = LabelText(sample.labels);
  absl::StrAppend(out, sample.family, "_sum", labels, " ", FormatValue(h.sum), "\n");
  absl::StrAppend(out, sample.family, "_count", labels, " ", cumulative, "\n");
}

}  // namespace

std::string PrometheusFamilyName(absl::string_view meter_name, SeriesKind kind,
                                 absl::string_view unit) {
  std::string name = SanitizeIdentifier(meter_name);
  absl::string_view base = name;
  const bool counter = kind == SeriesKind::kCounter;
  if (counter) absl::ConsumeSuffix(&base, "_total");
  std::string out(base);
  if (!unit.empty()) {
    const std::string unit_suffix = absl::StrCat("_", SanitizeIdentifier(unit));
    if (!absl::EndsWith(out, unit_suffix)) out += unit_suffix;
  }
  if (counter) out += "_total";
  return out;
}

std::string PrometheusLabelName(absl::string_view tag_key) {
  std::string name = SanitizeIdentifier(tag_key);
  if (absl::StartsWith(name, "__")) name = absl::StrCat("tag", name);
  return name;
}

std::string EscapePrometheusLabelValue(absl::string_view raw) {
  const std::string value = metrics_internal::ToValidUtf8(raw);
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

PrometheusExposition RenderPrometheusExposition(const MetricsSnapshot& snapshot,
                                                const InstanceTagPolicy& instance_policy) {
  PrometheusExposition page;
  page.content_type = std::string(kPrometheusTextContentType);
  // The snapshot is sorted by name, then tags: the first claimant of a family or label set wins.
  std::map<std::string, const SeriesSnapshot*> family_owner;
  // Every sample name a family writes (a histogram's _bucket, _sum and _count too) -> the family:
  // a gauge `h_count` beside a histogram `h` would give one name two TYPEs.
  std::map<std::string, std::string> sample_name_owner;
  std::set<std::pair<std::string, Labels>> seen;
  std::vector<Sample> samples;
  samples.reserve(snapshot.series().size());
  for (const SeriesSnapshot& series : snapshot.series()) {
    Sample sample{PrometheusFamilyName(series.name, series.kind, series.unit), {}, &series};
    const Tags tags = instance_policy.Apply(series.tags, ExporterKind::kPrometheusPull);
    if (!ClaimSampleNames(sample.family, series.kind, &sample_name_owner)) {
      ++page.dropped_series;
      continue;
    }
    const auto owner = family_owner.emplace(sample.family, &series).first->second;
    if (owner->kind != series.kind || !ToLabels(tags, series.kind, &sample.labels) ||
        !seen.emplace(sample.family, sample.labels).second) {
      ++page.dropped_series;
      continue;
    }
    samples.push_back(std::move(sample));
  }
  std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
    return std::tie(a.family, a.labels) < std::tie(b.family, b.labels);
  });
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& sample = samples[i];
    if (i == 0 || samples[i - 1].family != sample.family) {
      const SeriesSnapshot& owner = *family_owner[sample.family];
      absl::StrAppend(&page.body, "# HELP ", sample.family, " ", EscapeHelp(owner.name), "\n",
                      "# TYPE ", sample.family, " ", TypeName(owner.kind), "\n");
    }
    AppendSample(sample, &page.body);
  }
  return page;
}

}  // namespace failover
