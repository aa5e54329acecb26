// Unit tests for sim/csv: CSV tables with a header row, quoting, and errors naming file:line.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/csv.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::CsvTable;
using corridor::InputError;
using corridor::test::input_error_of;

TEST_CASE("quoted fields may hold commas and doubled quotes") {
  const auto t = CsvTable::parse(
      "id,name,note\n"
      "1,\"Smith, J\",\"she said \"\"hi\"\"\"\n"
      "2,plain,\"\"\n",
      "people.csv");
  REQUIRE(t.rows() == 2);
  CHECK(t.row(0).text("name") == "Smith, J");
  CHECK(t.row(0).text("note") == "she said \"hi\"");
  CHECK(t.row(1).text("name") == "plain");
  CHECK(t.row(1).text("note").empty());
}

TEST_CASE("split_csv_line splits on unquoted commas, trims blanks and reports an unclosed quote") {
  bool ok = false;
  auto f = corridor::split_csv_line(" a , \"b,c\" ,,d\r", ok);
  CHECK(ok);
  REQUIRE(f.size() == 4);
  CHECK(f[0] == "a");
  CHECK(f[1] == "b,c");
  CHECK(f[2].empty());
  CHECK(f[3] == "d");

  f = corridor::split_csv_line("x,\"open", ok);
  CHECK_FALSE(ok);
}

TEST_CASE("comment lines and blank lines are skipped and rows keep their file line numbers") {
  const auto t = CsvTable::parse(
      "id,km\n"
      "# a comment, with a comma\n"
      "a,1\n"
      "\n"
      "   \n"
      "b,2\n"
      "#,\n",
      "t.csv");
  REQUIRE(t.rows() == 2);
  CHECK(t.row(0).text("id") == "a");
  CHECK(t.row(0).line() == 3);
  CHECK(t.row(1).text("id") == "b");
  CHECK(t.row(1).line() == 6);
}

TEST_CASE("windows line endings and a byte order mark are tolerated") {
  const auto t = CsvTable::parse("\xEF\xBB\xBFid,km\r\na,1.5\r\n", "bom.csv");
  REQUIRE(t.header().size() == 2);
  CHECK(t.header()[0] == "id");
  CHECK(t.header()[1] == "km");
  CHECK(t.row(0).number("km") == 1.5);
}

TEST_CASE("a row with the wrong number of fields is an error naming file and line") {
  const auto msg = input_error_of([] { CsvTable::parse("id,name,km\na,A,1\n# note\nb,B\n", "edges.csv"); });
  CHECK_THAT(msg, Contains("edges.csv:4"));
  CHECK_THAT(msg, Contains("expected 3 fields"));
  CHECK_THAT(msg, Contains("found 2"));

  CHECK_THAT(input_error_of([] { CsvTable::parse("id\na,b\n", "x.csv"); }), Contains("x.csv:2"));
}

TEST_CASE("an unclosed quote is an error naming file and line") {
  CHECK_THAT(input_error_of([] { CsvTable::parse("id,name\na,\"open\n", "q.csv"); }),
             Contains("q.csv:2: unclosed double quote"));
}

TEST_CASE("a header must name every column once and a table must have a header") {
  CHECK_THAT(input_error_of([] { CsvTable::parse("id,,km\n", "h.csv"); }), Contains("h.csv:1: header column 2 is empty"));
  CHECK_THAT(input_error_of([] { CsvTable::parse("id,km,id\n", "h.csv"); }), Contains("column 'id' twice"));
  CHECK_THAT(input_error_of([] { CsvTable::parse("", "empty.csv"); }), Contains("empty.csv: empty table"));
  CHECK_THAT(input_error_of([] { CsvTable::parse("\n  \n", "blank.csv"); }), Contains("blank.csv: empty table"));
}

TEST_CASE("a missing required column is an error naming the file and the column") {
  const auto t = CsvTable::parse("from,to\na,b\n", "edges.csv");
  CHECK(t.column_index("to") == 1);
  CHECK(t.column_index("km") == -1);
  CHECK_NOTHROW(t.require_columns({"from", "to"}));
  const auto msg = input_error_of([&] { t.require_columns({"from", "to", "km"}); });
  CHECK_THAT(msg, Contains("edges.csv:1"));
  CHECK_THAT(msg, Contains("missing column 'km'"));
  // Reading a missing column from a row names it too.
  CHECK_THAT(input_error_of([&] { t.row(0).text("km"); }), Contains("column 'km'"));
}

TEST_CASE("typed accessors read numbers strictly") {
  const auto t = CsvTable::parse(
      "x,n,p\n"
      "2.5,42,0\n"
      "+3,-7,1\n"
      " 1e3 ,0,0.5\n",
      "nums.csv");
  CHECK(t.row(0).number("x") == 2.5);
  CHECK(t.row(0).integer("n") == 42);
  CHECK(t.row(0).probability("p") == 0.0);
  CHECK(t.row(1).number("x") == 3.0);
  CHECK(t.row(1).integer("n") == -7);
  CHECK(t.row(1).probability("p") == 1.0);
  CHECK(t.row(2).number("x") == 1000.0);
  CHECK(t.row(2).positive("x") == 1000.0);
  CHECK(t.row(2).probability("p") == 0.5);
}

TEST_CASE("typed accessors reject text, non-finite, out-of-range and negative values naming file:line and column") {
  const auto t = CsvTable::parse(
      "id,km,n,p\n"
      "a,abc,1.5,1.5\n"
      "b,-2,x,-0.1\n"
      "c,0,,nan\n"
      "d,inf,9999999999999999999999,0.5\n"
      "e,1e999,12abc,0x1\n"
      "f,3 km,2,1\n",
      "bad.csv");
  auto msg = input_error_of([&] { t.row(0).number("km"); });
  CHECK_THAT(msg, Contains("bad.csv:2"));
  CHECK_THAT(msg, Contains("column 'km'"));
  CHECK_THAT(msg, Contains("expected a number"));
  CHECK_THAT(msg, Contains("'abc'"));

  msg = input_error_of([&] { t.row(1).positive("km"); });
  CHECK_THAT(msg, Contains("bad.csv:3"));
  CHECK_THAT(msg, Contains("expected a positive number"));
  CHECK_THAT(msg, Contains("'-2'"));
  CHECK(t.row(1).number("km") == -2.0);  // a plain number may be negative

  CHECK_THAT(input_error_of([&] { t.row(2).positive("km"); }), Contains("bad.csv:4"));  // zero is not positive
  CHECK_THAT(input_error_of([&] { t.row(3).number("km"); }), Contains("bad.csv:5"));    // inf
  CHECK_THAT(input_error_of([&] { t.row(4).number("km"); }), Contains("bad.csv:6"));    // overflows to inf
  CHECK_THAT(input_error_of([&] { t.row(5).number("km"); }), Contains("bad.csv:7"));    // trailing text

  CHECK_THAT(input_error_of([&] { t.row(0).integer("n"); }), Contains("expected an integer"));
  CHECK_THAT(input_error_of([&] { t.row(1).integer("n"); }), Contains("bad.csv:3"));
  CHECK_THAT(input_error_of([&] { t.row(2).integer("n"); }), Contains("bad.csv:4"));  // empty
  CHECK_THAT(input_error_of([&] { t.row(3).integer("n"); }), Contains("bad.csv:5"));  // out of int64 range
  CHECK_THAT(input_error_of([&] { t.row(4).integer("n"); }), Contains("bad.csv:6"));

  CHECK_THAT(input_error_of([&] { t.row(0).probability("p"); }), Contains("expected a probability in [0,1]"));
  CHECK_THAT(input_error_of([&] { t.row(1).probability("p"); }), Contains("bad.csv:3"));
  CHECK_THAT(input_error_of([&] { t.row(2).probability("p"); }), Contains("bad.csv:4"));  // nan
  CHECK_THAT(input_error_of([&] { t.row(4).probability("p"); }), Contains("bad.csv:6"));  // hex is not accepted
}

TEST_CASE("parse_number accepts only a whole finite decimal number") {
  double v = 0;
  CHECK(corridor::parse_number("12.5", v));
  CHECK(v == 12.5);
  CHECK(corridor::parse_number("-0.25", v));
  CHECK(v == -0.25);
  CHECK(corridor::parse_number("+7", v));
  CHECK(v == 7.0);
  CHECK(corridor::parse_number("1e-3", v));
  CHECK(v == 0.001);
  for (const char* bad : {"", "+", "-", "abc", "1.2.3", " 1", "1 ", "nan", "inf", "-inf", "1e999", "0x10", "1,5"}) {
    INFO("text '" << bad << "'");
    CHECK_FALSE(corridor::parse_number(bad, v));
  }
}

TEST_CASE("text_or falls back for a missing column or an empty cell") {
  const auto t = CsvTable::parse("id,mode\na,\nb,road\n", "e.csv");
  CHECK(t.row(0).text_or("mode", "walk") == "walk");
  CHECK(t.row(1).text_or("mode", "walk") == "road");
  CHECK(t.row(1).text_or("absent", "none") == "none");
  CHECK(t.row(1).has("mode"));
  CHECK_FALSE(t.row(1).has("absent"));
}

TEST_CASE("reading a table file that is missing or a directory names the path") {
  corridor::test::TempDir dir("csv");
  const auto file = dir.write("nodes.csv", "id\nA\nB\n");
  const auto t = CsvTable::read(file);
  CHECK(t.rows() == 2);
  CHECK(t.file() == file.string());
  CHECK_THAT(input_error_of([&] { CsvTable::read(dir / "absent.csv"); }), Contains("absent.csv: table not found"));
  CHECK_THAT(input_error_of([&] { CsvTable::read(dir.path()); }), Contains("is a directory, expected a table"));
}

TEST_CASE("a first line starting with # is the header, not a comment") {
  // Flee's tables begin '#name,region,...': the header may not be commented out.
  const auto t = CsvTable::parse("#name,region\n# a comment\nKabul,AF\n", "locations.csv");
  REQUIRE(t.header().size() == 2);
  CHECK(t.header()[0] == "#name");
  REQUIRE(t.rows() == 1);
  CHECK(t.row(0).text("#name") == "Kabul");
  CHECK(t.row(0).line() == 3);
}
