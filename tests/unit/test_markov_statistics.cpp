// Statistical verification of the engine against an analytic result: the occupancy of a
// Markov walk. With N_s agents starting at node s, the count at node i after day t is a sum
// of independent Bernoulli variables, so its mean is sum_s N_s p_s,t(i) and its variance
// sum_s N_s p_s,t(i) (1 - p_s,t(i)), where p_s,t = (P^T)^(t+1) e_s is propagated exactly with
// Eigen. Tolerance per cell (Bernstein's inequality for sums of independent [0,1] variables):
//   P(|X - mu| >= b) <= 2 exp(-b^2 / (2 sigma^2 + 2b/3)) = delta  =>  b = L/3 + sqrt(L^2/9 + 2 sigma^2 L),
// L = ln(2/delta), delta = 1e-6 per cell: about 5.4 sigma for large sigma, and still valid for
// cells whose mean is tiny (where a normal 5-sigma bound is not). Over ~1,500 cells the chance
// of a false alarm is below 0.2 %; the seed is fixed, so the test is repeatable.
#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "models/markov/markov_model.hpp"
#include "models/registry.hpp"
#include "sim/csv.hpp"
#include "sim/runner.hpp"

using namespace corridor;

namespace {

const std::string kSource = CORRIDOR_SOURCE_DIR;

double bernstein_bound(double variance, double delta = 1e-6) {
  const double L = std::log(2.0 / delta);
  return L / 3.0 + std::sqrt(L * L / 9.0 + 2.0 * variance * L);
}

struct Observed {
  std::vector<std::vector<std::int64_t>> occupancy;  // [day][node]
};

Observed run_markov(const std::string& scenario, int threads) {
  auto ls = load_scenario(scenario, {});
  Observed obs;
  RunOptions opt;
  opt.threads = threads;
  opt.events = false;
  opt.write_agents = false;
  const std::size_t nodes = ls->network->node_count();
  opt.on_totals = [&](const DayContext&, const Tally& t) {
    // occupancy is the first series the markov model declares: cells [0, nodes)
    obs.occupancy.emplace_back(t.data(), t.data() + nodes);
  };
  ls->runner->run(opt, nullptr);
  return obs;
}

/// Exact mean and variance per [day][node] for the given daily matrices.
struct Expected {
  std::vector<Eigen::VectorXd> mean, variance;
};

Expected propagate(const std::vector<Eigen::MatrixXd>& P_by_day, const std::map<int, double>& start_counts,
                   int nodes) {
  Expected e;
  std::vector<std::pair<double, Eigen::VectorXd>> groups;
  for (auto [node, n] : start_counts) {
    Eigen::VectorXd p = Eigen::VectorXd::Zero(nodes);
    p[node] = 1.0;
    groups.push_back({n, p});
  }
  for (const auto& P : P_by_day) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(nodes), var = Eigen::VectorXd::Zero(nodes);
    for (auto& [n, p] : groups) {
      p = P.transpose() * p;
      mean += n * p;
      var += n * p.cwiseProduct(Eigen::VectorXd::Ones(nodes) - p);
    }
    e.mean.push_back(mean);
    e.variance.push_back(var);
  }
  return e;
}

/// Number of (day, node) cells where the simulation is outside the Bernstein bound.
int cells_outside(const Observed& obs, const Expected& ex, double* worst_ratio = nullptr) {
  int outside = 0;
  double worst = 0;
  for (std::size_t d = 0; d < obs.occupancy.size(); ++d)
    for (std::size_t i = 0; i < obs.occupancy[d].size(); ++i) {
      const double dev = std::fabs(static_cast<double>(obs.occupancy[d][i]) - ex.mean[d][i]);
      const double bound = bernstein_bound(ex.variance[d][i]);
      worst = std::max(worst, dev / bound);
      if (dev > bound) ++outside;
    }
  if (worst_ratio) *worst_ratio = worst;
  return outside;
}

Eigen::MatrixXd matrix_from_csv(const std::string& file, const Network& net) {
  const auto n = static_cast<Eigen::Index>(net.node_count());
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
  const CsvTable t = CsvTable::read(file);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto row = t.row(r);
    P(*net.find(row.text("from")), *net.find(row.text("to"))) = row.number("p");
  }
  for (Eigen::Index i = 0; i < n; ++i) P(i, i) = 1.0 - P.row(i).sum();
  return P;
}

}  // namespace

TEST_CASE("simulated Markov occupancy matches the exact distribution on every node and day") {
  const std::string scenario = kSource + "/scenarios/markov/chain24.yaml";
  auto ls = load_scenario(scenario, {});
  const int nodes = static_cast<int>(ls->network->node_count());
  const int days = ls->scenario.calendar.days();
  REQUIRE(nodes >= 20);
  REQUIRE(days >= 30);
  // P is built here from the table itself, independently of the model's alias tables.
  const Eigen::MatrixXd P = matrix_from_csv(kSource + "/scenarios/markov/transitions.csv", *ls->network);
  const std::map<int, double> starts = {{static_cast<int>(*ls->network->find("n000")), 60000.0},
                                        {static_cast<int>(*ls->network->find("n100")), 40000.0}};
  const Expected ex = propagate(std::vector<Eigen::MatrixXd>(static_cast<std::size_t>(days), P), starts, nodes);
  const Observed obs = run_markov(scenario, 2);
  REQUIRE(static_cast<int>(obs.occupancy.size()) == days);
  double worst = 0;
  CHECK(cells_outside(obs, ex, &worst) == 0);
  INFO("largest deviation / bound = " << worst);
  CHECK(worst < 1.0);

  SECTION("and the comparison is sharp enough to catch a 10% error in one transition probability") {
    Eigen::MatrixXd wrong = P;
    const auto a = *ls->network->find("n003"), b = *ls->network->find("n004");
    wrong(a, b) *= 0.9;  // 0.25 -> 0.225
    wrong(a, a) += 0.025;
    const Expected ex_wrong =
        propagate(std::vector<Eigen::MatrixXd>(static_cast<std::size_t>(days), wrong), starts, nodes);
    CHECK(cells_outside(obs, ex_wrong) > 0);
  }
}

TEST_CASE("a time-varying transition (a schedule with a linear ramp) follows the exact law day by day") {
  const std::string scenario = kSource + "/scenarios/markov_demo.yaml";
  auto ls = load_scenario(scenario, {});
  auto& runner = dynamic_cast<RunnerFor<markov::MarkovModel>&>(*ls->runner);
  const int nodes = static_cast<int>(ls->network->node_count());
  const Calendar cal = ls->scenario.calendar;
  std::vector<Eigen::MatrixXd> P_by_day;
  for (int d = 0; d < cal.days(); ++d) {
    const auto dense = runner.model().dense_matrix(cal.date_of(d));
    P_by_day.push_back(Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        dense.data(), nodes, nodes));
  }
  // The ramp really changes the matrix: 0.25 until 2020-02-01, 0.6 from 2020-02-15.
  const auto a = *ls->network->find("n005"), b = *ls->network->find("n006");
  CHECK(P_by_day[0](a, b) == Approx(0.25));
  CHECK(P_by_day[cal.day_of(Date::from_ymd(2020, 2, 8))](a, b) == Approx(0.25 + 0.35 * 7.0 / 14.0));
  CHECK(P_by_day[cal.day_of(Date::from_ymd(2020, 2, 20))](a, b) == Approx(0.6));
  const std::map<int, double> starts = {{static_cast<int>(*ls->network->find("n000")), 60000.0},
                                        {static_cast<int>(*ls->network->find("n100")), 40000.0}};
  const Expected ex = propagate(P_by_day, starts, nodes);
  const Observed obs = run_markov(scenario, 3);
  CHECK(cells_outside(obs, ex) == 0);
}
