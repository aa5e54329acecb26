// Unit tests for sim/parameters (the declarer every model uses) and the numeric Bounds of
// sim/config: one declaration reads the scenario, lists the table and gives scripts the JSON.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/config.hpp"
#include "sim/parameters.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::Bounds;
using corridor::ParameterDeclarer;
using corridor::Range;
using corridor::ScenarioDoc;
using corridor::Schedule;
using corridor::test::input_error_of;

namespace {

struct Params {
  double rate = 0;
  int k = 0;
  bool on = false;
  Schedule share;
  std::string node;
};

void declare(ParameterDeclarer& d, Params& p) {
  d.number("travel.rate", p.rate, 2.5, "km/day", Bounds(Range::kPositive).at_most(1000), "assumption");
  d.integer("k", p.k, 3, 1, 10, "routes", "Yen's k");
  d.flag("enabled", p.on, true, "mechanism switch");
  d.schedule("share", p.share, "2020-01-01:0.1, 2020-02-01~0.5", "share", Range::kProbability, "ramped");
  d.text("node", p.node, "TAP", "node id", "where");
}

}  // namespace

TEST_CASE("a declaration gives the default when the scenario is silent, and the scenario's value otherwise") {
  const ScenarioDoc doc = ScenarioDoc::from_text("m:\n  travel: {rate: 40}\n  k: 5\n", "/s/m.yaml");
  const auto sec = doc.root().section("m");
  Params p;
  ParameterDeclarer d(&sec);
  declare(d, p);
  CHECK(p.rate == 40);
  CHECK(p.k == 5);
  CHECK(p.on);
  CHECK(p.share.at(corridor::Date::from_ymd(2020, 2, 1)) == 0.5);
  CHECK(p.node == "TAP");
}

TEST_CASE("a declared upper end is enforced with file, line and key") {
  const ScenarioDoc doc = ScenarioDoc::from_text("m:\n  travel: {rate: 1e308}\n", "/s/m.yaml");
  const auto sec = doc.root().section("m");
  Params p;
  ParameterDeclarer d(&sec);
  CHECK_THAT(input_error_of([&] { declare(d, p); }),
             Contains("/s/m.yaml:2: key 'm.travel.rate': expected a number in (0, 1000], got '1e308'"));
}

TEST_CASE("listing the declarations fills the table without a scenario") {
  Params p;
  ParameterDeclarer d(nullptr);
  declare(d, p);
  REQUIRE(d.docs().size() == 5);
  CHECK(d.docs()[0].key == "travel.rate");
  CHECK(d.docs()[0].range == "(0, 1000]");
  CHECK(d.docs()[0].hi == 1000);
  CHECK(d.docs()[1].range == "1–10");
  const std::string md = corridor::parameter_table_markdown(d.docs(), "m");
  CHECK_THAT(md, Contains("| key (under `m:`) |"));
  CHECK_THAT(md, Contains("| `share` | 2020-01-01:0.1, 2020-02-01~0.5 | share | [0, 1] (schedule) | ramped |"));
}

TEST_CASE("the JSON table types each default and escapes text") {
  Params p;
  ParameterDeclarer d(nullptr);
  declare(d, p);
  d.document({"quoted", "text", "say \"hi\"\\n", "", "", "a\ttab"});
  const std::string js = corridor::parameter_table_json(d.docs(), "m", "m");
  CHECK_THAT(js, Contains("\"key\": \"travel.rate\", \"kind\": \"number\", \"default\": 2.5,"));
  CHECK_THAT(js, Contains("\"min\": 0, \"max\": 1000"));
  CHECK_THAT(js, Contains("\"default\": true"));
  CHECK_THAT(js, Contains("{\"date\": \"2020-02-01\", \"value\": 0.5, \"ramp\": true}"));
  CHECK_THAT(js, Contains("\"default\": \"say \\\"hi\\\"\\\\n\""));
  CHECK_THAT(js, Contains("\"source\": \"a\\ttab\""));
}

TEST_CASE("bounds say what they accept the way the messages always did") {
  CHECK(Bounds(Range::kProbability).describe() == "a probability in [0,1]");
  CHECK(Bounds(Range::kNonNegative).describe() == "a non-negative number");
  CHECK(Bounds(Range::kPositive).describe() == "a positive number");
  CHECK(Bounds(Range::kAny).describe() == "a number");
  CHECK(Bounds::between(-1, 1).describe() == "a number in [-1, 1]");
  CHECK(Bounds(Range::kNonNegative).at_most(365).text() == "[0, 365]");
  CHECK_FALSE(Bounds(Range::kAny).contains(std::nan("")));
  CHECK_FALSE(Bounds(Range::kAny).contains(INFINITY));
  CHECK_FALSE(Bounds(Range::kPositive).contains(0));
  CHECK(Bounds(Range::kPositive).contains(1e-300));
}
