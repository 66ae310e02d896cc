// The yaml-cpp adapter. yaml-cpp reports errors by throwing; every exception is caught here and
// turned into a ConfigProblem with the parser's position.
#include "core/config/yaml_parser.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "yaml-cpp/depthguard.h"
#include "yaml-cpp/yaml.h"

namespace failover {
namespace {

// Aliases may point at an enclosing node, or fan out exponentially ("billion laughs"); caps on
// depth and node count turn both into errors instead of hangs.
constexpr int kMaxDepth = 64;
constexpr int kMaxNodes = 100'000;

SourceMark ToSourceMark(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return SourceMark{};
  return SourceMark{mark.line + 1, mark.column + 1};
}

ConfigProblem ProblemAt(SourceMark mark, std::string message) {
  ConfigProblem problem;
  problem.expected = std::move(message);
  problem.line = mark.line;
  problem.column = mark.column;
  return problem;
}

class Converter {
 public:
  explicit Converter(std::vector<ConfigProblem>* problems) : problems_(problems) {}

  // `fallback` is used when yaml-cpp has no position for the node (null values).
  ConfigNode Convert(const YAML::Node& node, SourceMark fallback, int depth) {
    ConfigNode out;
    out.mark = node.IsNull() ? fallback : ToSourceMark(node.Mark());
    if (out.mark.line == 0) out.mark = fallback;
    if (depth > kMaxDepth || ++nodes_ > kMaxNodes) {
      if (!limit_reported_) {
        problems_->push_back(ProblemAt(
            out.mark, absl::StrCat("YAML deeper than ", kMaxDepth, " levels or larger than ",
                                   kMaxNodes, " nodes (alias cycle?)")));
      }
      limit_reported_ = true;
      return out;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = ConfigNode::Kind::kScalar;
        out.scalar = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        out.kind = ConfigNode::Kind::kSequence;
        for (const YAML::Node& item : node) out.items.push_back(Convert(item, out.mark, depth + 1));
        break;
      case YAML::NodeType::Map:
        out.kind = ConfigNode::Kind::kMap;
        ConvertEntries(node, depth, &out);
        break;
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return out;
  }

 private:
  void ConvertEntries(const YAML::Node& node, int depth, ConfigNode* out) {
    for (YAML::const_iterator it = node.begin(); it != node.end(); ++it) {
      const SourceMark key_mark = ToSourceMark(it->first.Mark());
      if (!it->first.IsScalar()) {
        problems_->push_back(ProblemAt(key_mark, "map keys must be plain names"));
        continue;
      }
      // yaml-cpp does not implement "<<: *base" and would bind it as a key named "<<"; a quoted
      // '<<' (tag "!") is an ordinary key.
      if (it->first.Scalar() == "<<" && it->first.Tag() != "!") {
        problems_->push_back(ProblemAt(
            key_mark, "YAML merge keys ('<<') are not supported; write the keys out instead"));
        continue;
      }
      out->entries.push_back(
          ConfigMapEntry{it->first.Scalar(), key_mark, Convert(it->second, key_mark, depth + 1)});
    }
  }

  std::vector<ConfigProblem>* problems_;
  int nodes_ = 0;
  bool limit_reported_ = false;
};

// YAML treats "\r\n", "\r" and "\n" alike as line breaks, but yaml-cpp only knows the last two
// and reads a file of lone "\r" (classic Mac) as one line. Each break stays one '\n', so line
// numbers are unchanged.
std::string NormalizeLineBreaks(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
      continue;
    }
    out.push_back('\n');
    if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
  }
  return out;
}

}  // namespace

ParsedYaml ParseYaml(absl::string_view text) {
  ParsedYaml parsed;
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(NormalizeLineBreaks(text));
    if (documents.size() > 1) {
      parsed.problems.push_back(
          ProblemAt(ToSourceMark(documents[1].Mark()),
                    absl::StrCat("the file holds ", documents.size(),
                                 " YAML documents ('---'); only one is supported")));
      return parsed;
    }
    if (documents.empty()) return parsed;
    Converter converter(&parsed.problems);
    parsed.root = converter.Convert(documents[0], SourceMark{1, 1}, 0);
  } catch (const YAML::DeepRecursion& e) {
    parsed.root = ConfigNode();
    parsed.problems.push_back(ProblemAt(ToSourceMark(e.mark), "YAML is nested too deeply"));
  } catch (const YAML::Exception& e) {
    parsed.root = ConfigNode();
    parsed.problems.push_back(
        ProblemAt(ToSourceMark(e.mark), absl::StrCat("YAML syntax error: ", e.msg)));
  } catch (const std::exception& e) {
    parsed.root = ConfigNode();
    parsed.problems.push_back(ProblemAt(SourceMark{}, absl::StrCat("YAML error: ", e.what())));
  }
  return parsed;
}

}  // namespace failover
