// Sweep designs (sim/sweep/sampling.hpp, design.hpp) and their expansion into runs
// (sim/sweep/plan.hpp): the Sobol sequence against Joe & Kuo's (as scipy computes it), the
// Latin hypercube's strata, design CSV files, `sample:`, and a design crossed with scenarios.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>

#include "sim/sweep/design.hpp"
#include "sim/sweep/index.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/sampling.hpp"
#include "sim_support.hpp"

using corridor::derive_seed;
using corridor::read_sweep;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {
std::uint64_t as_integer(double u) { return static_cast<std::uint64_t>(std::ldexp(u, 32)); }
std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("the Sobol sequence is Joe and Kuo's, point for point") {
  const auto p = corridor::sobol_points(8, 4);
  // scipy.stats.qmc.Sobol(4, scramble=False).random(8)
  const double want[8][4] = {{0, 0, 0, 0},           {0.5, 0.5, 0.5, 0.5},         {0.75, 0.25, 0.25, 0.25},
                             {0.25, 0.75, 0.75, 0.75}, {0.375, 0.375, 0.625, 0.875}, {0.875, 0.875, 0.125, 0.375},
                             {0.625, 0.125, 0.875, 0.625}, {0.125, 0.625, 0.375, 0.125}};
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) CHECK(p[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] == want[i][j]);
  // Every dimension we tabulate, 4096 points, against a checksum of scipy's integers:
  //   x = (qmc.Sobol(64, scramble=False, bits=32).random(4096) * 2**32).astype(np.uint64)
  //   sum over i, j of x[i, j] * (i + 1) * (j + 1), modulo 2^64  (scipy 1.10.1)
  const auto all = corridor::sobol_points(4096, corridor::kSobolMaxDimensions);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < all[i].size(); ++j) sum += as_integer(all[i][j]) * (i + 1) * (j + 1);
  CHECK(sum == 585058898872893440ull);
  CHECK(as_integer(all[4095][63]) == 2377121792ull);
  CHECK_THROWS_AS(corridor::sobol_points(4, corridor::kSobolMaxDimensions + 1), std::invalid_argument);
}

TEST_CASE("a digital shift keeps the Sobol net's strata and depends only on the seed") {
  const auto a = corridor::shifted_sobol_points(64, 5, 7), b = corridor::shifted_sobol_points(64, 5, 7);
  const auto c = corridor::shifted_sobol_points(64, 5, 8);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a[0] != std::vector<double>(5, 0.0));  // the first point is off the corner
  // 64 = 2^6 points: in every dimension each interval [k/64, (k+1)/64) holds one point, and in
  // every pair of dimensions each 8 x 8 box holds one point (a (0, 6, 2)-net for the first two).
  for (std::size_t j = 0; j < 5; ++j) {
    std::set<int> strata;
    for (const auto& p : a) strata.insert(static_cast<int>(p[j] * 64));
    CHECK(strata.size() == 64);
  }
  std::set<int> boxes;
  for (const auto& p : a) boxes.insert(static_cast<int>(p[0] * 8) * 8 + static_cast<int>(p[1] * 8));
  CHECK(boxes.size() == 64);
}

TEST_CASE("a Latin hypercube puts one point in every stratum of every dimension, the same for the same seed") {
  const std::size_t n = 37, d = 6;
  const auto a = corridor::latin_hypercube(n, d, 11);
  REQUIRE(a.size() == n);
  for (std::size_t j = 0; j < d; ++j) {
    std::set<int> strata;
    for (const auto& p : a) {
      CHECK(p[j] >= 0.0);
      CHECK(p[j] < 1.0);
      strata.insert(static_cast<int>(p[j] * static_cast<double>(n)));
    }
    CHECK(strata.size() == n);
  }
  CHECK(a == corridor::latin_hypercube(n, d, 11));
  CHECK(a != corridor::latin_hypercube(n, d, 12));
  // Pinned: a later version must draw the same design for the same seed (sweeps resume).
  CHECK(a[0][0] == Approx(0.1792780036).epsilon(1e-9));
  CHECK(a[36][5] == Approx(0.4999073247).epsilon(1e-9));
}

TEST_CASE("a design CSV gives its key paths, its rows and their labels") {
  TempDir d("design-csv");
  const auto f = d.write("d.csv",
                         "point,corridor.scale,corridor.x.y\n"
                         "a,0.1,\"{scale: 2, from: 2019-06-07, max: 1}\"\n"
                         "# a comment line\n"
                         "b,0.2,3\n");
  const auto design = corridor::read_design_csv(f);
  CHECK(design.keys == std::vector<std::string>{"corridor.scale", "corridor.x.y"});
  CHECK(design.points == std::vector<std::string>{"a", "b"});
  CHECK(design.assignments(0) ==
        std::vector<std::string>{"corridor.scale=0.1", "corridor.x.y={scale: 2, from: 2019-06-07, max: 1}"});
  const auto unlabelled = corridor::read_design_csv(d.write("u.csv", "corridor.scale\n0.1\n0.2\n"));
  CHECK(unlabelled.points == std::vector<std::string>{"p0000", "p0001"});
  auto err = [&](const std::string& body) { return input_error_of([&] { corridor::read_design_csv(d.write("bad.csv", body)); }); };
  CHECK_THAT(err("point,a.b,a.b\nx,1,2\n"), Catch::Contains("bad.csv:1: header names column 'a.b' twice"));
  CHECK_THAT(err("point,seed\nx,1\n"), Catch::Contains("column 'seed': the seed of each run"));
  CHECK_THAT(err("point\nx\n"), Catch::Contains("at least one column of a key path"));
  CHECK_THAT(err("a.b\n"), Catch::Contains("at least one row"));
  CHECK_THAT(err("point,a.b\nx,1\nx,2\n"), Catch::Contains("bad.csv:3: point 'x' appears twice"));
  CHECK_THAT(err("a.b,c\n1,\n"), Catch::Contains("bad.csv:2: column 'c': empty value"));
  CHECK_THAT(err("a..b\n1\n"), Catch::Contains("expected a scenario key path"));
}

TEST_CASE("sample: draws a design from ranges on a linear or log scale") {
  TempDir d("design-sample");
  d.write("base.yaml", "name: base\n");
  const auto f = d.write("s.yaml", R"(name: s
base: base.yaml
seed: 3
sample:
  method: lhs
  n: 20
  parameters:
    corridor.a: [0.5, 1.5, lin]
    corridor.b.c: [0.01, 100, log]
)");
  const auto plan = read_sweep(f);
  REQUIRE(plan.design.points.size() == 20);
  CHECK(plan.design.keys == std::vector<std::string>{"corridor.a", "corridor.b.c"});
  std::set<int> lin_strata, log_strata;
  for (const auto& row : plan.design.values) {
    const double a = std::stod(row[0]), b = std::stod(row[1]);
    CHECK(a >= 0.5);
    CHECK(a < 1.5);
    CHECK(b >= 0.01);
    CHECK(b < 100);
    lin_strata.insert(static_cast<int>((a - 0.5) * 20));
    log_strata.insert(static_cast<int>((std::log10(b) + 2) / 4 * 20));  // equal strata in log b
  }
  CHECK(lin_strata.size() == 20);
  CHECK(log_strata.size() == 20);
  // The design's seed defaults to the sweep's; an explicit one changes the points.
  const auto g = d.write("t.yaml", R"(name: s
base: base.yaml
seed: 3
sample: {method: lhs, n: 20, seed: 4, parameters: {corridor.a: [0.5, 1.5, lin], corridor.b.c: [0.01, 100, log]}}
)");
  CHECK(read_sweep(g).design.values != plan.design.values);
  auto err = [&](const std::string& sample) {
    const auto bad = d.write("bad.yaml", "name: s\nbase: base.yaml\nseed: 1\n" + sample);
    return input_error_of([&] { read_sweep(bad); });
  };
  CHECK_THAT(err("sample: {method: grid, n: 3, parameters: {a.b: [0, 1, lin]}}\n"),
             Catch::Contains("bad.yaml:4: key 'sample.method': expected lhs or sobol, got 'grid'"));
  CHECK_THAT(err("sample: {method: lhs, n: 3, parameters: {a.b: [0, 1, cubic]}}\n"),
             Catch::Contains("key 'sample.parameters.a.b': expected the scale lin or log, got 'cubic'"));
  CHECK_THAT(err("sample: {method: lhs, n: 3, parameters: {a.b: [0, 1, log]}}\n"),
             Catch::Contains("a log scale needs low > 0"));
  CHECK_THAT(err("sample: {method: lhs, n: 3, parameters: {a.b: [1, 1, lin]}}\n"), Catch::Contains("must be below high"));
  CHECK_THAT(err("sample: {method: lhs, n: 3, parameters: {a.b: [0, 1]}}\n"),
             Catch::Contains("expected [low, high, lin|log]"));
  CHECK_THAT(err("sample: {method: lhs, n: 0, parameters: {a.b: [0, 1, lin]}}\n"),
             Catch::Contains("key 'sample.n': expected an integer in [1, 200000]"));
  CHECK_THAT(err("sample: {method: lhs, n: 2, parameters: {a.b: [0, 1, lin]}}\ndesign: d.csv\n"),
             Catch::Contains("give either design (a CSV file) or sample, not both"));
  CHECK_THAT(err("sample: {method: lhs, n: 2, parameters: {a.b: [0, 1, lin]}, extra: 1}\n"),
             Catch::Contains("unknown key 'sample.extra'"));
}

TEST_CASE("every scenario runs at every design point, and per_point seeds are shared by scenarios, not by points") {
  TempDir d("design-plan");
  d.write("base.yaml", "name: base\n");
  d.write("other.yaml", "name: other\n");
  d.write("d.csv", "point,corridor.a\nlow,1\nhigh,2\nmid,1.5\n");
  const auto f = d.write("s.yaml", R"(name: s
base: base.yaml
seed: 9
seeds: per_point
replicates: 2
set: {output.events: false}
design: d.csv
grid: [{key: corridor.b, values: [x, y]}]
scenarios:
  - {name: elsewhere, file: other.yaml, set: {corridor.c: 1}}
)");
  const auto plan = read_sweep(f);
  REQUIRE(plan.runs.size() == 3 * 3 * 2);  // 3 scenarios x 3 points x 2 replicates
  CHECK(plan.own_files);
  // Scenario-major, then point, then replicate.
  CHECK(plan.runs[0].scenario == "corridor.b=x");
  CHECK(plan.runs[3].point == 1);
  CHECK(plan.runs[3].replicate == 1);
  CHECK(plan.runs[6].scenario == "corridor.b=y");
  // The sweep's overrides, then the point's, then the scenario's.
  CHECK(plan.runs[3].overrides == std::vector<std::string>{"output.events=false", "corridor.a=2", "corridor.b=x"});
  CHECK(plan.runs[16].overrides == std::vector<std::string>{"output.events=false", "corridor.a=1.5", "corridor.c=1"});
  CHECK(plan.runs[13].base == (d.path() / "other.yaml").lexically_normal());
  CHECK(plan.runs[0].base == plan.base);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(plan.runs[i].seed == plan.runs[6 + i].seed);   // common random numbers across scenarios
    CHECK(plan.runs[i].seed == plan.runs[12 + i].seed);
    CHECK(plan.runs[i].seed == derive_seed(9, plan.runs[i].point * 2 + static_cast<std::uint64_t>(plan.runs[i].replicate)));
  }
  std::set<std::uint64_t> within;
  for (std::size_t i = 0; i < 6; ++i) within.insert(plan.runs[i].seed);
  CHECK(within.size() == 6);  // distinct across points and replicates

  // index.csv: the scenario file, the point and one column per design key; read back, and a
  // changed design is refused.
  std::vector<corridor::IndexRow> rows(plan.runs.size());
  corridor::write_index(d.path(), plan, rows);
  const std::string text = read_text(d / "index.csv");
  CHECK_THAT(text, Catch::StartsWith("run_id,scenario,replicate,seed,status,output,wall_s,exit_code,host,overrides,"
                                     "file,point,axis.corridor.b,param.corridor.a\n"));
  CHECK_THAT(text, Catch::Contains(",high,x,2\n"));
  CHECK(corridor::read_index(d.path(), plan).size() == plan.runs.size());
  d.write("d.csv", "point,corridor.a\nlow,1\nhigh,2.5\nmid,1.5\n");
  CHECK_THAT(input_error_of([&] { corridor::read_index(d.path(), read_sweep(f)); }),
             Catch::Contains("run r0002: overrides is"));
}
