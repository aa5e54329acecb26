// Unit tests for sim/hdf5: columns, strings and attributes written to a temporary file and read
// back (the appendable tables: test_chunked_table.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/hdf5.hpp"
#include "sim_support.hpp"

namespace h5 = corridor::h5;
using corridor::test::TempDir;

namespace {

double read_double_attribute(hid_t obj, const std::string& name) {
  h5::Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
  REQUIRE(attr.id() >= 0);
  double v = 0;
  REQUIRE(H5Aread(attr, H5T_NATIVE_DOUBLE, &v) >= 0);
  return v;
}

std::vector<std::string> read_string_list_attribute(hid_t obj, const std::string& name) {
  h5::Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
  REQUIRE(attr.id() >= 0);
  h5::Handle space(H5Aget_space(attr), H5Sclose);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  std::vector<char*> ptrs(n, nullptr);
  REQUIRE(H5Aread(attr, type, ptrs.data()) >= 0);
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, ptrs.data());
  return out;
}

std::vector<hsize_t> dataset_shape(hid_t group, const std::string& name) {
  h5::Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  REQUIRE(ds.id() >= 0);
  h5::Handle space(H5Dget_space(ds), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

template <class T>
void write_typed(hid_t g, const std::string& name, const std::vector<T>& v) {
  h5::write_column<T>(g, name, std::span<const T>(v));
}

}  // namespace

TEST_CASE("columns of every supported type round-trip through a file") {
  TempDir dir("h5cols");
  const std::string path = (dir / "cols.h5").string();
  const std::vector<std::uint8_t> u8{0, 1, 255};
  const std::vector<std::uint16_t> u16{0, 65535, 7};
  const std::vector<std::uint32_t> u32{0, 4000000000u, 9};
  const std::vector<std::int32_t> i32{-2147483647 - 1, 0, 2147483647};
  const std::vector<std::int64_t> i64{std::numeric_limits<std::int64_t>::min(), -1, std::numeric_limits<std::int64_t>::max()};
  const std::vector<std::uint64_t> u64{0, std::numeric_limits<std::uint64_t>::max(), 12345678901234567890ull};
  const std::vector<float> f32{0.5f, -1.25f, 3.4e38f};
  const std::vector<double> f64{0.1, -2.5e-300, std::numeric_limits<double>::quiet_NaN()};
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle g = h5::create_group(file, "g");
    write_typed(g, "u8", u8);
    write_typed(g, "u16", u16);
    write_typed(g, "u32", u32);
    write_typed(g, "i32", i32);
    write_typed(g, "i64", i64);
    write_typed(g, "u64", u64);
    write_typed(g, "f32", f32);
    write_typed(g, "f64", f64);
    write_typed(g, "empty", std::vector<double>{});
  }
  h5::Handle file = h5::open_file_readonly(path);
  h5::Handle g = h5::open_group(file, "g");
  CHECK(h5::read_column<std::uint8_t>(g, "u8") == u8);
  CHECK(h5::read_column<std::uint16_t>(g, "u16") == u16);
  CHECK(h5::read_column<std::uint32_t>(g, "u32") == u32);
  CHECK(h5::read_column<std::int32_t>(g, "i32") == i32);
  CHECK(h5::read_column<std::int64_t>(g, "i64") == i64);
  CHECK(h5::read_column<std::uint64_t>(g, "u64") == u64);
  CHECK(h5::read_column<float>(g, "f32") == f32);
  const auto d = h5::read_column<double>(g, "f64");
  REQUIRE(d.size() == 3);
  CHECK(d[0] == 0.1);
  CHECK(d[1] == -2.5e-300);
  CHECK(std::isnan(d[2]));
  CHECK(h5::read_column<double>(g, "empty").empty());
  CHECK(dataset_shape(g, "u32") == std::vector<hsize_t>{3});
}

TEST_CASE("string columns round-trip, including empty and non-ASCII strings") {
  TempDir dir("h5str");
  const std::string path = (dir / "s.h5").string();
  const std::vector<std::string> s{"Kabul", "", "Zürich, CH", "a \"quoted\" name", std::string(1000, 'x')};
  {
    h5::Handle file = h5::create_file(path);
    h5::write_strings(file, "names", s);
    h5::write_strings(file, "none", {});
  }
  h5::Handle file = h5::open_file_readonly(path);
  CHECK(h5::read_strings(file, "names") == s);
  CHECK(h5::read_strings(file, "none").empty());
}

TEST_CASE("attributes of every kind round-trip and can be overwritten") {
  TempDir dir("h5attr");
  const std::string path = (dir / "a.h5").string();
  {
    h5::Handle file = h5::create_file(path);
    h5::write_attribute(file, "text", std::string("first"));
    h5::write_attribute(file, "text", std::string("second"));  // replaces
    h5::write_attribute(file, "count", std::int64_t{-42});
    h5::write_attribute(file, "count", std::int64_t{1} << 40);
    h5::write_attribute(file, "ratio", 0.125);
    h5::write_attribute(file, "dims", std::vector<std::string>{"day", "node"});
    h5::write_attribute(file, "dims", std::vector<std::string>{"day", "from", "to"});
    h5::Handle g = h5::create_group(file, "group");
    h5::write_attribute(g, "text", std::string("in a group"));
  }
  h5::Handle file = h5::open_file_readonly(path);
  CHECK(h5::read_string_attribute(file, "text") == "second");
  CHECK(h5::read_int_attribute(file, "count") == (std::int64_t{1} << 40));
  CHECK(read_double_attribute(file, "ratio") == 0.125);
  CHECK(read_string_list_attribute(file, "dims") == std::vector<std::string>{"day", "from", "to"});
  h5::Handle g = h5::open_group(file, "group");
  CHECK(h5::read_string_attribute(g, "text") == "in a group");
}

TEST_CASE("HDF5 failures throw runtime errors naming the object") {
  TempDir dir("h5err");
  CHECK_THROWS_AS(h5::open_file_readonly((dir / "absent.h5").string()), std::runtime_error);
  CHECK_THROWS_AS(h5::create_file((dir / "no/such/dir/x.h5").string()), std::runtime_error);
  const std::string path = (dir / "e.h5").string();
  {
    h5::Handle file = h5::create_file(path);
    h5::create_group(file, "g");
    CHECK_THROWS_WITH(h5::create_group(file, "g"), Catch::Matchers::Contains("g"));
  }
  h5::Handle file = h5::open_file_readonly(path);
  CHECK_THROWS_WITH(h5::open_group(file, "missing"), Catch::Matchers::Contains("missing"));
  CHECK_THROWS_WITH(h5::read_column<double>(file, "nothing"), Catch::Matchers::Contains("nothing"));
  CHECK_THROWS_WITH(h5::read_string_attribute(file, "nope"), Catch::Matchers::Contains("nope"));
}

TEST_CASE("a handle closes its object once, also after a move") {
  TempDir dir("h5handle");
  const std::string path = (dir / "h.h5").string();
  h5::Handle file = h5::create_file(path);
  h5::Handle moved = std::move(file);
  CHECK(file.id() < 0);
  CHECK(moved.id() >= 0);
  CHECK(H5Iis_valid(moved.id()) > 0);
  const hid_t id = moved.id();
  moved.reset();
  CHECK(moved.id() < 0);
  CHECK(H5Iis_valid(id) <= 0);
}
