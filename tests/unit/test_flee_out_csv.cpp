// models/flee outputs: the ARD (plain and rescaled) and Flee's out.csv columns.
#include <catch2/catch.hpp>

#include <fstream>

#include "models/flee/out_csv.hpp"
#include "models/flee/validation_metric.hpp"
#include "sim_support.hpp"

using namespace corridor::flee;
using corridor::Date;
using corridor::test::TempDir;

TEST_CASE("the daily relative difference sums absolute camp errors over the summed data", "[flee]") {
  // |90-100| + |10-0| over 100.
  CHECK(relative_difference(std::vector<std::int64_t>{90, 10}, std::vector<std::int64_t>{100, 0}) == Approx(0.2));
  // No data at all: divided by 1.
  CHECK(relative_difference(std::vector<std::int64_t>{3, 0}, std::vector<std::int64_t>{0, 0}) == Approx(3.0));
}

TEST_CASE("the rescaled difference first scales the simulation to the data total", "[flee]") {
  // sim 5, 15 (total 20) against data 30, 10 (total 40): plain (25 + 5) / 40 = 0.75;
  // rescaled x2 gives 10, 30: (20 + 20) / 40 = 1.0.
  const std::vector<std::int64_t> sim{5, 15}, data{30, 10};
  CHECK(relative_difference(sim, data) == Approx(0.75));
  CHECK(relative_difference_rescaled(sim, data) == Approx(1.0));
  // Nobody in camps: the scaling is undefined and the plain value is used.
  CHECK(relative_difference_rescaled(std::vector<std::int64_t>{0, 0}, data) == Approx(1.0));
}

TEST_CASE("the ARD is the mean of the daily differences", "[flee]") {
  const std::vector<std::int64_t> sim{90, 10, 5, 15}, data{100, 0, 30, 10};
  const ArdSummary a = averaged_relative_difference(sim, data, 2);
  REQUIRE(a.plain.size() == 2);
  CHECK(a.mean_plain == Approx((0.2 + 0.75) / 2));
  CHECK(a.mean_rescaled == Approx((0.2 + 1.0) / 2));
}

TEST_CASE("a camp's error is |sim/data - 1|, and 0 when the data is 0", "[flee]") {
  CHECK(camp_error(90, 100) == Approx(0.1));
  CHECK(camp_error(150, 100) == Approx(0.5));
  CHECK(camp_error(5, 0) == 0.0);
}

TEST_CASE("out.csv has Flee's columns in Flee's order", "[flee]") {
  const auto h = out_csv_header({"Mbera", "Abala"});
  const std::vector<std::string> expected{"Day",
                                          "Date",
                                          "Mbera sim",
                                          "Mbera data",
                                          "Mbera error",
                                          "Abala sim",
                                          "Abala data",
                                          "Abala error",
                                          "Total error",
                                          "refugees in camps (UNHCR)",
                                          "total refugees (simulation)",
                                          "raw UNHCR refugee count",
                                          "refugees in camps (simulation)",
                                          "refugee_debt"};
  CHECK(h == expected);
}

TEST_CASE("out.csv writes one row per day with the dates, counts, errors and totals", "[flee]") {
  TempDir d("flee-out");
  OutTable t;
  t.start = Date::from_ymd(2012, 2, 28);
  t.camps = {"A", "B"};
  t.sim = {50, 10, 5, 15};
  t.data = {100, 0, 30, 10};
  t.total_agents = {120, 130};
  t.raw_count = {100, 40};
  t.debt = {0, 7};
  write_out_csv(d / "out.csv", t);
  std::ifstream in(d / "out.csv");
  std::string header, day0, day1, extra;
  std::getline(in, header);
  std::getline(in, day0);
  std::getline(in, day1);
  CHECK_FALSE(std::getline(in, extra));
  CHECK(header.rfind("Day,Date,A sim,A data,A error,B sim,", 0) == 0);
  CHECK(day0 == "0,2012-02-28,50,100,0.5,10,0,0,0.6,100,120,100,60,0");
  CHECK(day1 == "1,2012-02-29,5,30,0.8333333333333334,15,10,0.5,0.75,40,130,40,20,7");
}
