// Unit tests for sim/config: scenario documents with `extends`, --set overrides, strict typed
// reading, provenance (file:line of every value) and the unknown-key check.
#include <catch2/catch.hpp>

#include "sim/config.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::Date;
using corridor::Range;
using corridor::ScenarioDoc;
using corridor::Section;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {
ScenarioDoc doc_of(const std::string& text) { return ScenarioDoc::from_text(text, "/scenarios/doc.yaml"); }
}  // namespace

// ------------------------------------------------------------------ extends

TEST_CASE("extends merges maps key by key and replaces lists and scalars whole") {
  TempDir dir("extends");
  dir.write("parent.yaml",
            "name: parent\n"
            "a:\n"
            "  x: 1\n"
            "  y: 2\n"
            "  inner:\n"
            "    k: 1\n"
            "list: [1, 2, 3]\n"
            "only_parent: p\n"
            "replaced_map:\n"
            "  m: 1\n");
  const auto child = dir.write("child.yaml",
                               "extends: parent.yaml\n"
                               "a:\n"
                               "  y: 3\n"
                               "  z: 4\n"
                               "list: [9]\n"
                               "replaced_map: 5\n");
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const Section root = doc.root();
  CHECK(root.text("name") == "parent");
  CHECK(root.text("only_parent") == "p");
  const Section a = root.section("a");
  CHECK(a.number("x") == 1);
  CHECK(a.number("y") == 3);
  CHECK(a.number("z") == 4);
  CHECK(a.section("inner").number("k") == 1);
  CHECK(root.text_list("list") == std::vector<std::string>{"9"});
  CHECK(root.number("replaced_map") == 5);
  CHECK_FALSE(root.has("extends"));  // consumed by the loader, not a scenario key
  CHECK_NOTHROW(doc.check_all_keys_used());
  CHECK(doc.file() == child);
}

TEST_CASE("extends chains through several files, each path relative to the file that names it") {
  TempDir dir("chain");
  dir.write("base/grand.yaml",
            "seed: 1\n"
            "net:\n"
            "  nodes: nodes.csv\n"
            "  edges: edges.csv\n");
  dir.write("base/nodes.csv", "id\nA\n");
  dir.write("base/edges.csv", "from,to,km\n");
  dir.write("mid/parent.yaml", "extends: ../base/grand.yaml\nseed: 2\n");
  dir.write("top/edges.csv", "from,to,km\n");
  const auto child = dir.write("top/child.yaml", "extends: ../mid/parent.yaml\nnet:\n  edges: edges.csv\n");
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const Section root = doc.root();
  CHECK(root.unsigned64("seed", 0) == 2);
  const Section net = root.section("net");
  // A table path is relative to the file that set it.
  CHECK(std::filesystem::equivalent(net.file("nodes"), dir / "base/nodes.csv"));
  CHECK(std::filesystem::equivalent(net.file("edges"), dir / "top/edges.csv"));
}

TEST_CASE("an error for a key set in the parent names the parent file and line, one set in the child names the child") {
  TempDir dir("provenance");
  dir.write("parent.yaml",
            "name: parent\n"   // 1
            "a:\n"             // 2
            "  x: 1.5\n"       // 3
            "  y: 0.5\n"       // 4
            "typo_parent: 1\n");  // 5
  const auto child = dir.write("child.yaml",
                               "extends: parent.yaml\n"  // 1
                               "a:\n"                    // 2
                               "  y: 7\n"                // 3
                               "b: 2.5\n");              // 4
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const Section root = doc.root();
  const Section a = root.section("a");

  auto msg = input_error_of([&] { a.probability("x"); });
  CHECK_THAT(msg, Contains("parent.yaml:3"));
  CHECK_THAT(msg, Contains("key 'a.x'"));
  CHECK_THAT(msg, Contains("expected a probability in [0,1]"));
  CHECK_THAT(msg, Contains("'1.5'"));

  msg = input_error_of([&] { a.probability("y"); });
  CHECK_THAT(msg, Contains("child.yaml:3"));
  CHECK_THAT(msg, Contains("key 'a.y'"));

  msg = input_error_of([&] { root.probability("b"); });
  CHECK_THAT(msg, Contains("child.yaml:4"));
  CHECK_THAT(msg, Contains("key 'b'"));

  CHECK(doc.where("a.x").line == 3);
  CHECK_THAT(doc.where("a.x").file, Contains("parent.yaml"));
  CHECK(doc.where("a.y").line == 3);
  CHECK_THAT(doc.where("a.y").file, Contains("child.yaml"));

  // An unknown key from the parent is reported at the parent's line.
  root.text("name");
  msg = input_error_of([&] { doc.check_all_keys_used(); });
  CHECK_THAT(msg, Contains("parent.yaml:5"));
  CHECK_THAT(msg, Contains("unknown key 'typo_parent'"));
}

TEST_CASE("a list replaced by the child forgets the parent's provenance for its items") {
  TempDir dir("listprov");
  dir.write("parent.yaml",
            "items:\n"       // 1
            "  - p: 0.1\n"   // 2
            "  - p: 0.2\n"   // 3
            "  - p: 0.3\n");  // 4
  const auto child = dir.write("child.yaml",
                               "extends: parent.yaml\n"  // 1
                               "items:\n"                // 2
                               "  - p: 1.5\n");          // 3
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const auto items = doc.root().list("items");
  REQUIRE(items.size() == 1);
  const auto msg = input_error_of([&] { items[0].probability("p"); });
  CHECK_THAT(msg, Contains("child.yaml:3"));
  CHECK_THAT(msg, Contains("key 'items.0.p'"));
  CHECK_THAT(doc.where("items.2.p").file, Contains("child.yaml"));
}

TEST_CASE("an extends cycle is an InputError naming the extends key") {
  TempDir dir("cycle");
  dir.write("a.yaml", "extends: b.yaml\nseed: 1\n");
  dir.write("b.yaml", "extends: a.yaml\nseed: 2\n");
  auto msg = input_error_of([&] { ScenarioDoc::load(dir / "a.yaml"); });
  CHECK_THAT(msg, Contains("key 'extends'"));
  CHECK_THAT(msg, Contains("cycle"));

  dir.write("self.yaml", "extends: ./self.yaml\n");
  msg = input_error_of([&] { ScenarioDoc::load(dir / "self.yaml"); });
  CHECK_THAT(msg, Contains("key 'extends'"));
  CHECK_THAT(msg, Contains("cycle"));
}

TEST_CASE("extends naming a missing file or not a path is an InputError naming the key and line") {
  TempDir dir("missing");
  const auto f = dir.write("child.yaml", "seed: 1\nextends: nowhere.yaml\n");
  auto msg = input_error_of([&] { ScenarioDoc::load(f); });
  CHECK_THAT(msg, Contains("child.yaml:2"));
  CHECK_THAT(msg, Contains("key 'extends'"));
  CHECK_THAT(msg, Contains("not found"));

  const auto g = dir.write("list.yaml", "extends: [a.yaml]\n");
  CHECK_THAT(input_error_of([&] { ScenarioDoc::load(g); }), Contains("key 'extends'"));
}

TEST_CASE("a missing scenario file, bad YAML and a non-map document are InputErrors naming the file") {
  TempDir dir("badyaml");
  CHECK_THAT(input_error_of([&] { ScenarioDoc::load(dir / "absent.yaml"); }), Contains("absent.yaml"));
  auto msg = input_error_of([] { ScenarioDoc::from_text("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml"); });
  CHECK_THAT(msg, Contains("broken.yaml:"));
  CHECK_THAT(msg, Contains("YAML syntax error"));
  CHECK_THAT(input_error_of([] { ScenarioDoc::from_text("- 1\n- 2\n", "list.yaml"); }),
             Contains("list.yaml: expected a YAML map"));
  // An empty document is an empty map.
  CHECK(ScenarioDoc::from_text("", "empty.yaml").root().keys().empty());
}

// ------------------------------------------------------------------ --set

TEST_CASE("a --set override changes one key and keeps every other key of the scenario") {
  ScenarioDoc doc = doc_of(
      "name: demo\n"
      "a:\n"
      "  b: 1\n"
      "  c: 2\n"
      "list: [1, 2, 3]\n");
  doc.set("a.b=3");
  const Section root = doc.root();
  CHECK(root.text("name") == "demo");
  CHECK(root.section("a").number("b") == 3);
  CHECK(root.section("a").number("c") == 2);
  CHECK(root.text_list("list") == std::vector<std::string>{"1", "2", "3"});
  CHECK_NOTHROW(doc.check_all_keys_used());
}

TEST_CASE("a --set value is YAML, and a top-level key or a whole list can be replaced") {
  ScenarioDoc doc = doc_of("seed: 1\nlist: [1, 2, 3]\n");
  doc.set("seed=42");
  doc.set("list=[4, 5]");
  CHECK(doc.root().unsigned64("seed", 0) == 42);
  CHECK(doc.root().text_list("list") == std::vector<std::string>{"4", "5"});
  doc.set("name=with = sign");  // only the first '=' separates the key
  CHECK(doc.root().text("name") == "with = sign");
}

TEST_CASE("a --set on a list index replaces that item") {
  ScenarioDoc doc = doc_of(
      "list: [1, 2, 3]\n"
      "items:\n"
      "  - p: 0.1\n"
      "  - p: 0.2\n");
  doc.set("list.1=7");
  doc.set("items.1.p=0.9");
  const Section root = doc.root();
  CHECK(root.text_list("list") == std::vector<std::string>{"1", "7", "3"});
  const auto items = root.list("items");
  REQUIRE(items.size() == 2);
  CHECK(items[0].probability("p") == 0.1);
  CHECK(items[1].probability("p") == 0.9);
}

TEST_CASE("an error in a --set value names the --set and the key path") {
  ScenarioDoc doc = doc_of("a:\n  p: 0.5\n");
  doc.set("a.p=1.5");
  const auto msg = input_error_of([&] { doc.root().section("a").probability("p"); });
  CHECK_THAT(msg, Contains("--set a.p"));
  CHECK_THAT(msg, Contains("key 'a.p'"));
}

TEST_CASE("a --set with a bad list index or a malformed assignment fails") {
  ScenarioDoc doc = doc_of(
      "name: demo\n"
      "list: [1, 2, 3]\n"
      "items:\n"
      "  - p: 0.1\n");
  CHECK_THAT(input_error_of([&] { doc.set("list.3=1"); }), Contains("list of 3 items"));
  CHECK_THAT(input_error_of([&] { doc.set("list.x=1"); }), Contains("--set list.x"));
  CHECK_THAT(input_error_of([&] { doc.set("list.-1=1"); }), Contains("--set list.-1"));
  CHECK_THAT(input_error_of([&] { doc.set("items.1.p=0.5"); }), Contains("list of 1 items"));
  CHECK_THAT(input_error_of([&] { doc.set("items.one.p=0.5"); }), Contains("--set items.one.p"));
  CHECK_THAT(input_error_of([&] { doc.set("name.sub=1"); }), Contains("--set name.sub"));
  CHECK_THAT(input_error_of([&] { doc.set("a..b=1"); }), Contains("empty component"));
  CHECK_THAT(input_error_of([&] { doc.set("novalue"); }), Contains("expected key.path=value"));
  CHECK_THAT(input_error_of([&] { doc.set("=3"); }), Contains("expected key.path=value"));
  CHECK_THAT(input_error_of([&] { doc.set("x=[1, 2"); }), Contains("not valid YAML"));
  // The failed attempts changed nothing.
  CHECK(doc.root().text_list("list") == std::vector<std::string>{"1", "2", "3"});
  CHECK(doc.root().text("name") == "demo");
}

TEST_CASE("a --set of a key nobody reads is reported as unknown, naming the --set") {
  ScenarioDoc doc = doc_of("a:\n  b: 1\n");
  doc.set("a.bee=2");
  doc.root().section("a").number("b");
  const auto msg = input_error_of([&] { doc.check_all_keys_used(); });
  CHECK_THAT(msg, Contains("--set a.bee"));
  CHECK_THAT(msg, Contains("unknown key 'a.bee'"));

  ScenarioDoc doc2 = doc_of("a:\n  b: 1\n");
  doc2.set("new.deep.key=1");  // creates the missing maps
  doc2.root().section("a").number("b");
  CHECK_THAT(input_error_of([&] { doc2.check_all_keys_used(); }), Contains("unknown key 'new'"));
}

// ------------------------------------------------------------------ unknown keys

TEST_CASE("check_all_keys_used reports an unknown key with its file, line and key path") {
  const ScenarioDoc doc = doc_of(
      "name: demo\n"     // 1
      "section:\n"       // 2
      "  known: 1\n"     // 3
      "  typo: 2\n");    // 4
  const Section root = doc.root();
  root.text("name");
  root.section("section").number("known");
  const auto msg = input_error_of([&] { doc.check_all_keys_used(); });
  CHECK_THAT(msg, Contains("/scenarios/doc.yaml:4"));
  CHECK_THAT(msg, Contains("unknown key 'section.typo'"));
  CHECK_THAT(msg, Contains("known keys here: known"));
}

TEST_CASE("check_all_keys_used reports a top-level key that nothing read") {
  const ScenarioDoc doc = doc_of("name: demo\nmodle: markov\n");
  doc.root().text("name");
  const auto msg = input_error_of([&] { doc.check_all_keys_used(); });
  CHECK_THAT(msg, Contains("doc.yaml:2"));
  CHECK_THAT(msg, Contains("unknown key 'modle'"));
}

TEST_CASE("check_all_keys_used looks inside the items of a list read with list()") {
  const ScenarioDoc doc = doc_of(
      "items:\n"        // 1
      "  - p: 0.5\n"    // 2
      "  - p: 0.2\n"    // 3
      "    q: 1\n");    // 4
  for (const Section& item : doc.root().list("items")) item.probability("p");
  const auto msg = input_error_of([&] { doc.check_all_keys_used(); });
  CHECK_THAT(msg, Contains("doc.yaml:4"));
  CHECK_THAT(msg, Contains("unknown key 'items.1.q'"));
}

TEST_CASE("check_all_keys_used passes when every key was read, including values read whole") {
  const ScenarioDoc doc = doc_of(
      "name: demo\n"
      "names: [a, b]\n"
      "rate:\n"
      "  - {date: 2020-01-01, value: 1}\n"
      "output:\n"
      "items:\n"
      "  - p: 0.5\n");
  const Section root = doc.root();
  root.text("name");
  root.text_list("names");
  root.schedule("rate");
  CHECK_FALSE(root.optional_section("output"));  // present but empty: counts as read
  for (const Section& item : root.list("items")) item.probability("p");
  CHECK_NOTHROW(doc.check_all_keys_used());
}

// ------------------------------------------------------------------ typed reading

TEST_CASE("a wrong type is an InputError naming the key path and what was found") {
  const ScenarioDoc doc = doc_of(
      "a:\n"
      "  num: abc\n"
      "  map: {x: 1}\n"
      "  list: [1, 2]\n"
      "  frac: 2.5\n"
      "  flag: maybe\n"
      "  big: 100\n"
      "  neg: -1\n"
      "  scalar: 3\n");
  const Section a = doc.root().section("a");
  auto msg = input_error_of([&] { a.number("num"); });
  CHECK_THAT(msg, Contains("doc.yaml:2"));
  CHECK_THAT(msg, Contains("key 'a.num'"));
  CHECK_THAT(msg, Contains("expected a number"));
  CHECK_THAT(msg, Contains("'abc'"));
  CHECK_THAT(input_error_of([&] { a.number("map"); }), Contains("key 'a.map': expected a number, got a map"));
  CHECK_THAT(input_error_of([&] { a.text("list"); }), Contains("key 'a.list': expected text, got a list"));
  CHECK_THAT(input_error_of([&] { a.integer("frac", 0, 10); }), Contains("key 'a.frac': expected an integer"));
  CHECK_THAT(input_error_of([&] { a.integer("big", 0, 10); }), Contains("key 'a.big': expected an integer in [0, 10]"));
  CHECK_THAT(input_error_of([&] { a.boolean("flag", false); }), Contains("key 'a.flag': expected true or false"));
  CHECK_THAT(input_error_of([&] { a.unsigned64("neg", 0); }), Contains("key 'a.neg'"));
  CHECK_THAT(input_error_of([&] { a.section("scalar"); }), Contains("key 'a.scalar': expected a map"));
  CHECK_THAT(input_error_of([&] { a.list("scalar"); }), Contains("key 'a.scalar': expected a list"));
  CHECK_THAT(input_error_of([&] { a.text_list("scalar"); }), Contains("key 'a.scalar'"));
  CHECK_THAT(input_error_of([&] { a.number("absent"); }), Contains("key 'a.absent': is required but missing"));
  CHECK_THAT(input_error_of([&] { a.section("absent"); }), Contains("key 'a.absent'"));
}

TEST_CASE("numbers are range-checked: probabilities between 0 and 1, non-negative and positive values") {
  const ScenarioDoc doc = doc_of(
      "p_high: 1.5\n"
      "p_low: -0.1\n"
      "p_ok: 1\n"
      "zero: 0\n"
      "minus: -2\n");
  const Section root = doc.root();
  CHECK_THAT(input_error_of([&] { root.probability("p_high"); }),
             Contains("key 'p_high': expected a probability in [0,1], got '1.5'"));
  CHECK_THAT(input_error_of([&] { root.probability("p_low"); }), Contains("key 'p_low'"));
  CHECK(root.probability("p_ok") == 1.0);
  CHECK(root.number("zero", Range::kNonNegative) == 0.0);
  CHECK_THAT(input_error_of([&] { root.number("zero", Range::kPositive); }),
             Contains("key 'zero': expected a positive number"));
  CHECK_THAT(input_error_of([&] { root.number("minus", Range::kNonNegative); }),
             Contains("key 'minus': expected a non-negative number"));
  CHECK(root.number("minus") == -2.0);
}

TEST_CASE("optional keys fall back when absent and are checked when present") {
  const ScenarioDoc doc = doc_of("p: 0.2\nflag: yes\nseed: 18446744073709551615\nn: 7\nname: x\n");
  const Section root = doc.root();
  CHECK(root.probability("absent", 0.7) == 0.7);
  CHECK(root.probability("p", 0.7) == 0.2);
  CHECK(root.boolean("flag", false));
  CHECK_FALSE(root.boolean("absent_flag", false));
  CHECK(root.unsigned64("seed", 0) == 18446744073709551615ull);
  CHECK(root.unsigned64("absent_seed", 9) == 9);
  CHECK(root.integer("n", 0, 0, 10) == 7);
  CHECK(root.integer("absent_n", 3, 0, 10) == 3);
  CHECK(root.text("name", "dflt") == "x");
  CHECK(root.text("absent_name", "dflt") == "dflt");
  CHECK(root.text_list("absent_list").empty());
  CHECK_FALSE(root.optional_section("absent_section"));
}

TEST_CASE("an optional key given with no value reads as absent and is not reported as unknown") {
  // `key:` with nothing after it is YAML null: the same as leaving the key out, as for an
  // empty section (see optional_section), and not an unknown key.
  const ScenarioDoc doc = doc_of(
      "name: demo\n"
      "description:\n"
      "seed:\n"
      "p:\n"
      "names:\n"
      "items:\n"
      "rate:\n");
  const Section root = doc.root();
  CHECK(root.text("name") == "demo");
  CHECK(root.text("description", "none") == "none");
  CHECK(root.unsigned64("seed", 1) == 1);
  CHECK(root.probability("p", 0.5) == 0.5);
  CHECK(root.text_list("names").empty());
  CHECK(root.list("items").empty());
  CHECK(root.schedule("rate", 2.0).is_constant());
  CHECK_NOTHROW(doc.check_all_keys_used());
  // A required key with no value is missing, not silently defaulted.
  CHECK_THAT(input_error_of([&] { doc_of("model:\n").root().text("model"); }),
             Contains("key 'model': is required but missing"));
}

TEST_CASE("a seed beyond 64 bits is rejected rather than wrapped") {
  const ScenarioDoc doc = doc_of("seed: 18446744073709551616\n");
  CHECK_THAT(input_error_of([&] { doc.root().unsigned64("seed", 1); }), Contains("key 'seed'"));
}

TEST_CASE("dates are read strictly as YYYY-MM-DD") {
  const ScenarioDoc doc = doc_of("start: 2020-02-29\nbad: 2021-02-29\nloose: 2021-2-1\n");
  const Section root = doc.root();
  CHECK(root.date("start") == Date::from_ymd(2020, 2, 29));
  auto msg = input_error_of([&] { root.date("bad"); });
  CHECK_THAT(msg, Contains("doc.yaml:2"));
  CHECK_THAT(msg, Contains("key 'bad': expected a date as YYYY-MM-DD, got '2021-02-29'"));
  CHECK_THAT(input_error_of([&] { root.date("loose"); }), Contains("key 'loose'"));
}

TEST_CASE("a schedule is read from a number or a list of dated points") {
  const ScenarioDoc doc = doc_of(
      "constant: 0.3\n"
      "rate:\n"
      "  - {date: 2020-01-01, value: 0}\n"
      "  - {date: 2020-01-11, value: 10, ramp: linear}\n"
      "  - {date: 2020-02-01, value: 2, ramp: step}\n");
  const Section root = doc.root();
  CHECK(root.schedule("constant").at(Date::from_ymd(2030, 1, 1)) == 0.3);
  CHECK(root.schedule("absent", 0.25).is_constant());
  const auto s = root.schedule("rate");
  REQUIRE(s.points().size() == 3);
  CHECK(s.at(Date::from_ymd(2020, 1, 6)) == Approx(5.0));
  CHECK(s.at(Date::from_ymd(2020, 1, 31)) == 10.0);
  CHECK(s.at(Date::from_ymd(2020, 2, 1)) == 2.0);
}

TEST_CASE("a schedule with decreasing or repeated dates is an InputError naming the point") {
  const ScenarioDoc doc = doc_of(
      "rate:\n"                                 // 1
      "  - {date: 2020-02-01, value: 1}\n"      // 2
      "  - {date: 2020-01-01, value: 2}\n"      // 3
      "same:\n"                                 // 4
      "  - {date: 2020-02-01, value: 1}\n"      // 5
      "  - {date: 2020-02-01, value: 2}\n");    // 6
  auto msg = input_error_of([&] { doc.root().schedule("rate"); });
  CHECK_THAT(msg, Contains("doc.yaml:3"));
  CHECK_THAT(msg, Contains("key 'rate.1.date'"));
  CHECK_THAT(msg, Contains("must increase"));
  msg = input_error_of([&] { doc.root().schedule("same"); });
  CHECK_THAT(msg, Contains("key 'same.1.date'"));
}

TEST_CASE("a malformed schedule point is an InputError naming its key path") {
  const ScenarioDoc doc = doc_of(
      "p_out:\n"
      "  - {date: 2020-01-01, value: 1.5}\n"
      "bad_date:\n"
      "  - {date: 2020-13-01, value: 1}\n"
      "no_value:\n"
      "  - {date: 2020-01-01}\n"
      "extra:\n"
      "  - {date: 2020-01-01, value: 1, when: now}\n"
      "ramp:\n"
      "  - {date: 2020-01-01, value: 1, ramp: cubic}\n"
      "empty: []\n"
      "map: {a: 1}\n");
  const Section root = doc.root();
  CHECK_THAT(input_error_of([&] { root.schedule("p_out", Range::kProbability); }),
             Contains("key 'p_out.0.value': expected a probability in [0,1]"));
  CHECK_THAT(input_error_of([&] { root.schedule("bad_date"); }), Contains("key 'bad_date.0.date'"));
  CHECK_THAT(input_error_of([&] { root.schedule("no_value"); }), Contains("key 'no_value.0'"));
  CHECK_THAT(input_error_of([&] { root.schedule("extra"); }), Contains("unknown key 'extra.0.when'"));
  CHECK_THAT(input_error_of([&] { root.schedule("ramp"); }), Contains("key 'ramp.0.ramp'"));
  CHECK_THAT(input_error_of([&] { root.schedule("empty"); }), Contains("key 'empty'"));
  CHECK_THAT(input_error_of([&] { root.schedule("map"); }), Contains("key 'map'"));
}

TEST_CASE("list items that are not maps are an InputError naming the item") {
  const ScenarioDoc doc = doc_of("items:\n  - p: 1\n  - 5\n");
  CHECK_THAT(input_error_of([&] { doc.root().list("items"); }), Contains("key 'items.1': expected a map"));
}

TEST_CASE("a table path must name a readable file relative to the scenario") {
  TempDir dir("files");
  dir.write("nodes.csv", "id\nA\n");
  std::filesystem::create_directories(dir / "sub");
  const ScenarioDoc doc = ScenarioDoc::from_text("ok: nodes.csv\nmissing: none.csv\ndir: sub\n", dir / "s.yaml");
  const Section root = doc.root();
  CHECK(std::filesystem::equivalent(root.file("ok"), dir / "nodes.csv"));
  auto msg = input_error_of([&] { root.file("missing"); });
  CHECK_THAT(msg, Contains("key 'missing'"));
  CHECK_THAT(msg, Contains("not found"));
  CHECK_THAT(input_error_of([&] { root.file("dir"); }), Contains("is a directory"));
}

TEST_CASE("the effective YAML holds the merged scenario without extends") {
  TempDir dir("effective");
  dir.write("parent.yaml", "a: {x: 1, y: 2}\n");
  const auto child = dir.write("child.yaml", "extends: parent.yaml\na: {y: 3}\n");
  ScenarioDoc doc = ScenarioDoc::load(child);
  doc.set("b=4");
  const ScenarioDoc again = ScenarioDoc::from_text(doc.effective_yaml(), dir / "again.yaml");
  CHECK(again.root().section("a").number("x") == 1);
  CHECK(again.root().section("a").number("y") == 3);
  CHECK(again.root().number("b") == 4);
  CHECK_FALSE(again.root().has("extends"));
}

TEST_CASE("assigning a Section rebinds it and leaves the scenario tree unchanged") {
  // A walker that steps down with `s = s.section(key)` must not turn the parent map into the
  // child (yaml-cpp's Node assignment writes through; this once lost corridor.push_factors_table
  // whenever a scenario set a nested corridor key).
  const ScenarioDoc doc = doc_of("top:\n  file: f.csv\n  inner:\n    k: 1\n");
  std::optional<Section> s = doc.root().section("top");
  s = s->section("inner");
  CHECK(s->number("k") == 1);
  CHECK(s->path() == "top.inner");
  const Section top = doc.root().section("top");
  CHECK(top.text("file") == "f.csv");
  CHECK(top.section("inner").number("k") == 1);
  Section t = doc.root().section("top");
  t = t.section("inner");
  CHECK(doc.root().section("top").has("file"));
}

// ---- changes of an inherited schedule (docs/scenarios.md, "Changing an inherited schedule") ----

TEST_CASE("an extending scenario changes the inherited schedule instead of replacing it") {
  corridor::test::TempDir d("schedule-change");
  d.write("base.yaml",
          "rate:\n"
          "  - {date: 2020-01-01, value: 0.2}\n"
          "  - {date: 2021-01-01, value: 0.4}\n");
  const auto child = d.write("child.yaml", "extends: base.yaml\nrate: {scale: 2, from: 2021-03-01, max: 0.7}\n");
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const auto s = doc.root().schedule("rate", corridor::Range::kProbability);
  CHECK(s.at(Date::from_ymd(2020, 6, 1)) == 0.2);
  CHECK(s.at(Date::from_ymd(2021, 2, 1)) == 0.4);
  CHECK(s.at(Date::from_ymd(2021, 3, 1)) == 0.7);  // 2 x 0.4 capped
  CHECK_NOTHROW(doc.check_all_keys_used());
  // The effective scenario says both what was inherited and how it was changed.
  CHECK_THAT(doc.effective_yaml(), Contains("scale: 2"));
  CHECK_THAT(doc.effective_yaml(), Contains("base:"));
}

TEST_CASE("a change of a change keeps both, and --set can change a schedule too") {
  corridor::test::TempDir d("schedule-change-chain");
  d.write("a.yaml", "rate: 1\n");
  d.write("b.yaml", "extends: a.yaml\nrate: {scale: 3}\n");
  const auto c = d.write("c.yaml", "extends: b.yaml\nrate: {add: 1}\n");
  ScenarioDoc doc = ScenarioDoc::load(c);
  CHECK(doc.root().schedule("rate").at(Date::from_ymd(2020, 1, 1)) == 4.0);
  doc.set("rate={scale: 0.5, from: 2021-01-01}");
  const auto s = doc.root().schedule("rate");
  CHECK(s.at(Date::from_ymd(2020, 1, 1)) == 4.0);
  CHECK(s.at(Date::from_ymd(2021, 1, 1)) == 2.0);
  // A plain value through --set still replaces the schedule.
  doc.set("rate=7");
  CHECK(doc.root().schedule("rate").at(Date::from_ymd(2021, 1, 1)) == 7.0);
}

TEST_CASE("a change of a key no file sets applies to its declared default") {
  const ScenarioDoc doc = doc_of("rate: {scale: 2, from: 2021-01-01}\n");
  const corridor::Schedule declared(0.25);
  const auto s = doc.root().schedule("rate", declared, corridor::Range::kProbability);
  CHECK(s.at(Date::from_ymd(2020, 1, 1)) == 0.25);
  CHECK(s.at(Date::from_ymd(2021, 1, 1)) == 0.5);
  // Without a default there is nothing to change: say so.
  CHECK_THAT(input_error_of([&] { doc.root().schedule("rate"); }),
             Contains("changes an inherited schedule, but this key inherits none here"));
}

TEST_CASE("a change that leaves the parameter's range is an input error naming the key") {
  corridor::test::TempDir d("schedule-change-range");
  d.write("base.yaml", "p: 0.6\n");
  const auto child = d.write("child.yaml", "extends: base.yaml\np: {scale: 2}\n");
  const ScenarioDoc doc = ScenarioDoc::load(child);
  const auto msg = input_error_of([&] { doc.root().schedule("p", corridor::Range::kProbability); });
  CHECK_THAT(msg, Contains("child.yaml:2: key 'p': after the change the schedule takes values from 1.2 to 1.2"));
  CHECK_THAT(msg, Contains("expected a probability in [0,1]"));
  const auto bad = doc_of("p: {scale: 2, from: 2021-01-01, until: 2020-01-01}\n");
  CHECK_THAT(input_error_of([&] { bad.root().schedule("p", corridor::Schedule(0.1)); }),
             Contains("key 'p.until': must be after 'from'"));
  const auto no_op = doc_of("p: {from: 2021-01-01, scale: 1, shift_days: 1.5}\n");
  CHECK_THAT(input_error_of([&] { no_op.root().schedule("p", corridor::Schedule(0.1)); }),
             Contains("key 'p.shift_days': expected a whole number of days"));
}
