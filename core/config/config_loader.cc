#include "core/config/config_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/config/config_value.h"
#include "core/config/internal/binder.h"
#include "core/config/internal/env_overlay.h"
#include "core/config/internal/schema_index.h"
#include "core/config/internal/suggest.h"
#include "core/config/yaml_parser.h"

namespace failover {
namespace {

using config_internal::SectionSpec;

bool IsKebabSegment(absl::string_view segment) {
  if (segment.empty() || segment.front() == '-' || segment.back() == '-') return false;
  for (char c : segment) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '-') return false;
  }
  return true;
}

// Whether `inner`, a path below the section `outer` is registered at, lands on a key that
// `outer_spec` declares (and so would be bound twice).
bool Collides(absl::string_view outer, const SectionSpec& outer_spec, absl::string_view inner) {
  if (!absl::StartsWith(CanonicalPath(inner), CanonicalPath(outer) + ".")) return false;
  const SectionSpec* spec = &outer_spec;
  const std::vector<std::string> rest =
      absl::StrSplit(CanonicalPath(inner).substr(CanonicalPath(outer).size() + 1), '.');
  for (size_t i = 0; i < rest.size(); ++i) {
    const SectionSpec* next = nullptr;
    for (const auto& p : spec->properties) {
      if (CanonicalKey(p.key) == rest[i]) return true;
    }
    for (const auto& m : spec->maps) {
      if (CanonicalKey(m.key) == rest[i]) return true;
    }
    for (const auto& l : spec->lists) {
      if (CanonicalKey(l.key) == rest[i]) return true;
    }
    for (const auto& s : spec->sections) {
      if (CanonicalKey(s.key) == rest[i]) next = s.spec.get();
    }
    if (next == nullptr) return false;
    if (i + 1 == rest.size()) return true;
    spec = next;
  }
  return false;
}

uint64_t NextLoaderId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// The node registered at `path`, or nullptr when absent. Reports a non-map on the way unless a
// registered section at that point will report it, and keys on the way given more than once.
const ConfigNode* Navigate(const ConfigNode& root, absl::string_view path,
                           const std::set<std::string>& registered,
                           std::set<const ConfigMapEntry*>* reported_duplicates,
                           std::vector<ConfigProblem>* problems) {
  const ConfigNode* current = &root;
  std::string so_far;
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (current->kind != ConfigNode::Kind::kMap) {
      if (current->kind != ConfigNode::Kind::kNull && registered.count(so_far) == 0) {
        problems->push_back(ConfigProblem{
            so_far, std::nullopt,
            absl::StrCat("is a section: expected a map, got ", KindName(current->kind)),
            current->mark.line, current->mark.column, current->env_var});
      }
      return nullptr;
    }
    // Above a registered section nobody binds these maps, so duplicates are reported here (once,
    // even when several sections share the ancestor); inside one the binder reports them.
    const bool parent_bound = registered.count(so_far) > 0;
    const std::string parent = so_far;
    absl::StrAppend(&so_far, so_far.empty() ? "" : ".", segment);
    const ConfigMapEntry* first = nullptr;
    for (const ConfigMapEntry& entry : current->entries) {
      if (CanonicalKey(entry.key) != CanonicalKey(segment)) continue;
      if (first == nullptr) {
        first = &entry;
        continue;
      }
      if (parent_bound || !reported_duplicates->insert(&entry).second) continue;
      problems->push_back(
          ConfigProblem{absl::StrCat(parent, parent.empty() ? "" : ".", entry.key), std::nullopt,
                        absl::StrCat("is set more than once (first as '", first->key, "' at line ",
                                     first->key_mark.line, ")"),
                        entry.key_mark.line, entry.key_mark.column, ""});
    }
    if (first == nullptr) return nullptr;
    current = &first->value;
  }
  return current;
}

void WarnAboutUnusedEnv(const config_internal::SchemaIndex& index,
                        const config_internal::EnvIndex& env, std::vector<ConfigProblem>* out) {
  for (const config_internal::EnvIndex::Var* var : env.Unused()) {
    const std::string upper = absl::AsciiStrToUpper(var->name);
    const std::vector<std::string> tokens = absl::StrSplit(upper, '_');
    if (tokens.size() < 2 || std::find(index.env_roots.begin(), index.env_roots.end(), tokens[0]) ==
                                 index.env_roots.end()) {
      continue;
    }
    const std::string prefix = absl::StrCat(tokens[0], "_", tokens[1]);
    const bool known_prefix = std::find(index.env_prefixes.begin(), index.env_prefixes.end(),
                                        prefix) != index.env_prefixes.end();
    std::optional<std::string> suggestion = config_internal::SuggestName(upper, index.env_names);
    if (!known_prefix && !suggestion.has_value()) continue;  // e.g. FAILOVER_HOME: not ours
    std::string expected = "does not match any property; ignored";
    if (suggestion.has_value()) absl::StrAppend(&expected, " (did you mean ", *suggestion, "?)");
    out->push_back(ConfigProblem{var->name, std::nullopt, std::move(expected), 0, 0, var->name});
  }
}

// Top-level keys close to, but not, a registered root ("failovr:") are probably typos; other
// top-level keys belong to other frameworks and are ignored.
void WarnAboutTopLevelTypos(const ConfigNode& root, const std::set<std::string>& roots,
                            std::vector<ConfigProblem>* out) {
  for (const ConfigMapEntry& entry : root.entries) {
    const std::string key = CanonicalKey(entry.key);
    if (roots.count(key) > 0) continue;
    for (const std::string& candidate : roots) {
      if (config_internal::EditDistance(key, candidate) >
          config_internal::SuggestionThreshold(candidate.size())) {
        continue;
      }
      out->push_back(ConfigProblem{
          entry.key, std::nullopt,
          absl::StrCat("is ignored (not a configuration section); did you mean ", candidate, "?"),
          entry.key_mark.line, entry.key_mark.column, ""});
    }
  }
}

// File positions in order, then environment variables, then problems without a location.
void SortByLocation(std::vector<ConfigProblem>& problems) {
  auto rank = [](const ConfigProblem& p) {
    const int group = p.line > 0 ? 0 : (!p.env_var.empty() ? 1 : 2);
    return std::make_tuple(group, p.line, p.column);
  };
  std::stable_sort(
      problems.begin(), problems.end(),
      [&](const ConfigProblem& a, const ConfigProblem& b) { return rank(a) < rank(b); });
}

// Far above any real configuration; stops a wrong path (a log, a dump) from being slurped whole.
constexpr int64_t kMaxFileBytes = int64_t{16} << 20;

absl::Status TooLarge(const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat(path, " is larger than 16 MiB; not a configuration file"));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then rejects it.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  struct stat info;
  if (fstat(fd, &info) != 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot stat ", path));
  if (S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is a directory"));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file (a device, pipe or socket)"));
  }
  if (info.st_size > kMaxFileBytes) return TooLarge(path);
  std::string contents;
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
    if (static_cast<int64_t>(contents.size()) > kMaxFileBytes) return TooLarge(path);  // grew
  }
  return contents;
}

}  // namespace

absl::Status ConfigLoadResult::status() const {
  if (ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("invalid configuration (", problems_.size(),
                                                 problems_.size() == 1 ? " problem" : " problems",
                                                 "):\n", JoinProblems(problems_)));
}

void ConfigLoadResult::AbortForeignHandle() {
  std::fputs("ConfigLoadResult::Get(): handle is from another ConfigLoader\n", stderr);
  std::abort();
}

ConfigLoader::ConfigLoader() : id_(NextLoaderId()) {}

absl::Status ConfigLoader::AddSectionSpec(absl::string_view path,
                                          std::shared_ptr<const SectionSpec> spec,
                                          std::function<std::shared_ptr<void>()> make) {
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (!IsKebabSegment(segment)) {
      return absl::InvalidArgumentError(
          absl::StrCat("section path '", path,
                       "' must be dot-separated kebab-case names (e.g. failover.redis)"));
    }
  }
  if (!spec->declaration_errors.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("section ", path, ": ", absl::StrJoin(spec->declaration_errors, "; ")));
  }
  for (const Registered& other : sections_) {
    if (CanonicalPath(other.path) == CanonicalPath(path)) {
      return absl::AlreadyExistsError(absl::StrCat("section ", path, " is already registered"));
    }
    if (Collides(other.path, *other.spec, path) || Collides(path, *spec, other.path)) {
      return absl::AlreadyExistsError(
          absl::StrCat("section ", path, " overlaps a key of section ", other.path));
    }
  }
  sections_.push_back(Registered{std::string(path), std::move(spec), std::move(make)});
  return absl::OkStatus();
}

ConfigLoadResult ConfigLoader::Load(absl::string_view yaml_text, const Environment& env) const {
  ConfigLoadResult result;
  result.loader_id_ = id_;
  ParsedYaml parsed = ParseYaml(yaml_text);
  result.problems_ = std::move(parsed.problems);
  ConfigNode root = std::move(parsed.root);
  if (root.kind == ConfigNode::Kind::kScalar || root.kind == ConfigNode::Kind::kSequence) {
    result.problems_.push_back(ConfigProblem{
        "", std::nullopt,
        absl::StrCat("the document must be a map of properties, got ", KindName(root.kind)),
        root.mark.line, root.mark.column, ""});
    root = ConfigNode();
  }
  ExpandDottedKeys(&root, &result.problems_);

  config_internal::SchemaIndex index;
  std::set<std::string> registered, claimed, roots;
  for (const Registered& section : sections_) {
    config_internal::IndexSection(*section.spec, section.path, &index);
    registered.insert(section.path);
    claimed.insert(CanonicalPath(section.path));
    roots.insert(CanonicalKey(std::vector<std::string>(absl::StrSplit(section.path, '.'))[0]));
  }
  config_internal::EnvIndex env_index(env);
  for (const Registered& section : sections_) {
    config_internal::ApplyEnvironment(*section.spec, section.path, &env_index, &root,
                                      &result.applied_env_vars_, &result.problems_);
  }
  WarnAboutUnusedEnv(index, env_index, &result.warnings_);
  WarnAboutTopLevelTypos(root, roots, &result.warnings_);

  config_internal::Binder binder(claimed, &index.known_paths, &result.problems_, &result.warnings_);
  std::set<const ConfigMapEntry*> reported_duplicates;
  for (const Registered& section : sections_) {
    std::shared_ptr<void> object = section.make();
    binder.BindSection(
        *section.spec,
        Navigate(root, section.path, registered, &reported_duplicates, &result.problems_),
        object.get(), section.path);
    result.sections_.push_back(std::move(object));
  }
  binder.ReportOmittedUnknowns();
  result.properties_set_ = binder.properties_set();
  SortByLocation(result.problems_);
  SortByLocation(result.warnings_);
  return result;
}

absl::StatusOr<ConfigLoadResult> ConfigLoader::LoadFile(const std::string& path,
                                                        const Environment& env) const {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return Load(*text, env);
}

std::vector<PropertyDescription> ConfigLoader::DescribeProperties() const {
  config_internal::SchemaIndex index;
  for (const Registered& section : sections_) {
    config_internal::IndexSection(*section.spec, section.path, &index);
  }
  return index.properties;
}

}  // namespace failover
