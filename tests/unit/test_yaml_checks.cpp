// Unit tests for sim/yaml_checks: the pass over a document's events that rejects what yaml-cpp
// would build into a cycle, an explosion or a silent loss (docs/reliability.md, "Inputs").
#include <catch2/catch.hpp>

#include <string>

#include "sim/config.hpp"
#include "sim/yaml_checks.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::load_checked_yaml;
using corridor::test::input_error_of;

TEST_CASE("a recursive alias is rejected with its line, in lists, maps and deeper", "[yaml]") {
  CHECK_THAT(input_error_of([] { load_checked_yaml("x: &a [1, *a]\n", "f.yaml"); }),
             Contains("f.yaml:1: a recursive alias"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("a: 1\nx: &a {y: *a}\n", "f.yaml"); }),
             Contains("f.yaml:2: a recursive alias"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("x: &a\n  - [1, [2, *a]]\n", "f.yaml"); }),
             Contains("f.yaml:2: a recursive alias"));
  // The same through ScenarioDoc, which used to overflow the stack walking the cycle.
  CHECK_THAT(input_error_of([] { corridor::ScenarioDoc::from_text("x: &a [1, *a]\n", "s.yaml"); }),
             Contains("s.yaml:1: a recursive alias"));
}

TEST_CASE("aliases of finished nodes are fine and counted at their expanded size", "[yaml]") {
  const YAML::Node n = load_checked_yaml("a: &a [1, 2, 3]\nb: *a\nc: [*a, *a]\n", "f.yaml");
  CHECK(n["b"].size() == 3);
  CHECK(n["c"][1][2].as<int>() == 3);
  // Ten levels of ten aliases: 10^10 values once expanded.
  std::string bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *l" : "*l") + std::to_string(i - 1);
    bomb += "]\n";
  }
  CHECK_THAT(input_error_of([&] { load_checked_yaml(bomb, "bomb.yaml"); }),
             Contains("more than 200000 values once its aliases are expanded"));
}

TEST_CASE("duplicate, non-scalar and empty keys name their lines", "[yaml]") {
  CHECK_THAT(input_error_of([] { load_checked_yaml("a: 1\nb: 2\na: 3\n", "f.yaml"); }),
             Contains("f.yaml:3: key 'a' given twice in one map (first on line 1)"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("m:\n  - {k: 1, k: 2}\n", "f.yaml"); }),
             Contains("f.yaml:2: key 'k' given twice"));
  // The same key in two different maps is fine.
  CHECK_NOTHROW(load_checked_yaml("a: {k: 1}\nb: {k: 2}\nc: [{k: 1}, {k: 2}]\n", "f.yaml"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("[1, 2]: x\n", "f.yaml"); }),
             Contains("f.yaml:1: a key that is not a scalar (a list)"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("{a: 1}: x\n", "f.yaml"); }),
             Contains("a key that is not a scalar (a map)"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("~: x\n", "f.yaml"); }), Contains("a key with no name"));
  // An alias of a scalar is a fine key, and counts as that key.
  CHECK_THAT(input_error_of([] { load_checked_yaml("x: &k name\n*k : 1\nname: 2\n", "f.yaml"); }),
             Contains("f.yaml:3: key 'name' given twice"));
}

TEST_CASE("nesting, second documents and syntax errors", "[yaml]") {
  const std::string deep = "x: " + std::string(70, '[') + "1" + std::string(70, ']') + "\n";
  CHECK_THAT(input_error_of([&] { load_checked_yaml(deep, "f.yaml"); }), Contains("nested more than 64 deep"));
  const std::string deeper = "x: " + std::string(5000, '[') + "1" + std::string(5000, ']') + "\n";
  CHECK_THAT(input_error_of([&] { load_checked_yaml(deeper, "f.yaml"); }), Contains("nested more than 64 deep"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("a: 1\n---\nb: 2\n", "f.yaml"); }),
             Contains("f.yaml: more than one YAML document"));
  CHECK_THAT(input_error_of([] { load_checked_yaml("a: [1, 2\n", "f.yaml"); }), Contains("YAML syntax error"));
  CHECK(load_checked_yaml("", "f.yaml").IsNull());
}
