#include "core/config/yaml_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(ParseYamlTest, BuildsTreeWithPositions) {
  ParsedYaml parsed = ParseYaml("a:\n  b: 1\n  c: [x, \"y\"]\n  d:\n  e: ''\n");
  ASSERT_TRUE(parsed.problems.empty());
  const ConfigNode& root = parsed.root;
  ASSERT_EQ(root.kind, ConfigNode::Kind::kMap);
  const ConfigNode& a = root.entries[0].value;
  ASSERT_EQ(a.entries.size(), 4);
  EXPECT_EQ(a.entries[0].key, "b");
  EXPECT_EQ(a.entries[0].key_mark.line, 2);
  EXPECT_EQ(a.entries[0].key_mark.column, 3);
  EXPECT_EQ(a.entries[0].value.scalar, "1");
  EXPECT_EQ(a.entries[0].value.mark.column, 6);
  EXPECT_EQ(a.entries[1].value.kind, ConfigNode::Kind::kSequence);
  EXPECT_EQ(a.entries[1].value.items[1].scalar, "y");
  EXPECT_EQ(a.entries[2].value.kind, ConfigNode::Kind::kNull);
  EXPECT_EQ(a.entries[2].value.mark.line, 4);  // a null value is placed at its key
  EXPECT_EQ(a.entries[3].value.kind, ConfigNode::Kind::kScalar);
  EXPECT_EQ(a.entries[3].value.scalar, "");
}

TEST(ParseYamlTest, CrLfAndLoneCrAreLineBreaksWithTheirLineNumbers) {
  for (const char* eol : {"\n", "\r\n", "\r"}) {
    const std::string text = std::string("a:\n  b: 1\n  c: |\n    x\n    y\n  d: z\n");
    std::string converted;
    for (char c : text) converted += c == '\n' ? std::string(eol) : std::string(1, c);
    ParsedYaml parsed = ParseYaml(converted);
    ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].ToString();
    ASSERT_EQ(parsed.root.kind, ConfigNode::Kind::kMap);
    const ConfigNode& a = parsed.root.entries[0].value;
    ASSERT_EQ(a.entries.size(), 3) << testing::PrintToString(eol);
    EXPECT_EQ(a.entries[0].value.scalar, "1");
    EXPECT_EQ(a.entries[1].value.scalar, "x\ny\n");
    EXPECT_EQ(a.entries[2].key_mark.line, 6);
    EXPECT_EQ(a.entries[2].value.scalar, "z");
  }
}

TEST(ParseYamlTest, MergeKeysAreRejected) {
  ParsedYaml parsed = ParseYaml("base: &b {x: 1}\nfailover:\n  <<: *b\n  y: 2\n");
  ASSERT_EQ(parsed.problems.size(), 1);
  EXPECT_EQ(parsed.problems[0].ToString(),
            "YAML merge keys ('<<') are not supported; write the keys out instead (line 3, column "
            "3)");
  EXPECT_TRUE(ParseYaml("a:\n  '<<': 1\n").problems.empty());  // quoted: an ordinary key
}

TEST(ParseYamlTest, DeepNestingIsAProblemNotACrash) {
  for (const std::string& text : {std::string(100000, '['), std::string(100000, '{')}) {
    ParsedYaml parsed = ParseYaml(text);
    ASSERT_EQ(parsed.problems.size(), 1);
    EXPECT_EQ(parsed.problems[0].expected, "YAML is nested too deeply");
  }
}

TEST(ParseYamlTest, EmptyAndCommentOnlyAreNull) {
  EXPECT_EQ(ParseYaml("").root.kind, ConfigNode::Kind::kNull);
  EXPECT_EQ(ParseYaml("# nothing\n").root.kind, ConfigNode::Kind::kNull);
  EXPECT_TRUE(ParseYaml("# nothing\n").problems.empty());
}

TEST(ParseYamlTest, SyntaxErrorHasLineAndColumn) {
  ParsedYaml parsed = ParseYaml("failover:\n  store:\n    type: [jdbc\n  async: true\n");
  ASSERT_EQ(parsed.problems.size(), 1);
  EXPECT_EQ(parsed.problems[0].line, 4);
  EXPECT_GT(parsed.problems[0].column, 0);
  EXPECT_NE(parsed.problems[0].expected.find("YAML syntax error"), std::string::npos);
  EXPECT_EQ(parsed.root.kind, ConfigNode::Kind::kNull);
}

TEST(ParseYamlTest, SeveralDocumentsAreRejected) {
  ParsedYaml parsed = ParseYaml("a: 1\n---\nb: 2\n");
  ASSERT_EQ(parsed.problems.size(), 1);
  EXPECT_EQ(parsed.problems[0].line, 3);
}

TEST(ParseYamlTest, NonScalarKeysAreProblems) {
  ParsedYaml parsed = ParseYaml("? [a]\n: 1\nb: 2\n");
  ASSERT_EQ(parsed.problems.size(), 1);
  EXPECT_EQ(parsed.root.entries.size(), 1);
}

TEST(ParseYamlTest, AliasBombIsCapped) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string previous = "a";
  for (char name = 'b'; name <= 'h'; ++name) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *" : "*") + previous;
    text += "]\n";
    previous = std::string(1, name);
  }
  ParsedYaml parsed = ParseYaml(text);
  ASSERT_EQ(parsed.problems.size(), 1);
  EXPECT_NE(parsed.problems[0].expected.find("nodes"), std::string::npos);
}

TEST(ExpandDottedKeysTest, FlatKeysBecomeNestedAndMerge) {
  ParsedYaml parsed = ParseYaml(
      "failover.store.type: jdbc\nfailover:\n  store:\n    async: false\n"
      "failover.store.multitenant.tenants[acme.eu].table-prefix: X_\n");
  ASSERT_TRUE(parsed.problems.empty());
  ExpandDottedKeys(&parsed.root, &parsed.problems);
  ASSERT_EQ(parsed.root.entries.size(), 1);
  const ConfigNode& store = parsed.root.entries[0].value.entries[0].value;
  ASSERT_EQ(store.entries.size(), 3);
  EXPECT_EQ(store.entries[0].key, "type");
  EXPECT_EQ(store.entries[1].key, "async");
  EXPECT_EQ(store.entries[2].value.entries[0].value.entries[0].key, "acme.eu");
}

TEST(ExpandDottedKeysTest, PlainDuplicatesStay) {
  ParsedYaml parsed = ParseYaml("a:\n  b: 1\na:\n  c: 2\n");
  ExpandDottedKeys(&parsed.root, &parsed.problems);
  EXPECT_EQ(parsed.root.entries.size(), 2);
}

TEST(ExpandDottedKeysTest, EmptySegmentsAreProblems) {
  ParsedYaml parsed =
      ParseYaml("failover:\n  store..type: x\n  .a: 1\n  b.: 2\n  c[]: 3\n  d[e.f].g: 4\n");
  ExpandDottedKeys(&parsed.root, &parsed.problems);
  std::vector<std::string> problems;
  for (const ConfigProblem& p : parsed.problems) problems.push_back(p.ToString());
  const std::string why =
      ": has an empty name segment (\"..\", or a leading or trailing '.'); the key is ignored";
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "failover.store..type" + why + " (line 2, column 3)",
                          "failover..a" + why + " (line 3, column 3)",
                          "failover.b." + why + " (line 4, column 3)",
                          "failover.c[]" + why + " (line 5, column 3)",
                      }));
  const ConfigNode& failover = parsed.root.entries[0].value;
  ASSERT_EQ(failover.entries.size(), 1);
  EXPECT_EQ(failover.entries[0].key, "d");
}

TEST(SplitKeyPathTest, BracketsKeepDots) {
  EXPECT_EQ(SplitKeyPath("a.b.c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitKeyPath("tenants[acme.eu]"), (std::vector<std::string>{"tenants", "acme.eu"}));
  EXPECT_EQ(SplitKeyPath("[a.b]"), (std::vector<std::string>{"a.b"}));
  EXPECT_EQ(SplitKeyPath("plain"), (std::vector<std::string>{"plain"}));
}

}  // namespace
}  // namespace failover
