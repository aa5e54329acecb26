// Unit tests for sim/chunk_codec: every encoding of every integer type (and floats), written
// with H5Dwrite_chunk into a dataset with the codec's pipeline and read back through the HDF5
// library's own filters, must give the values back exactly.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/chunk_codec.hpp"
#include "sim/hdf5.hpp"
#include "sim_support.hpp"

namespace h5 = corridor::h5;
using corridor::test::TempDir;
using h5::ChunkEncoding;

namespace {

/// Writes `values` (whole chunks of `chunk` values; the last one padded) with `encoding` and
/// reads the dataset back with H5Dread.
template <class T>
std::vector<T> round_trip(const std::vector<T>& values, std::size_t chunk, ChunkEncoding encoding, int level,
                          std::vector<std::uint32_t>* masks = nullptr) {
  TempDir dir("codec");
  const std::string path = (dir / "c.h5").string();
  const hid_t type = h5::native_type<T>();
  const h5::ChunkCodec codec(h5::ElementType::of(type), chunk, level);
  {
    h5::Handle file = h5::create_file(path);
    const hsize_t dims = values.size(), maxdims = H5S_UNLIMITED, cdims = chunk;
    h5::Handle space(H5Screate_simple(1, &dims, &maxdims), H5Sclose);
    h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    REQUIRE(H5Pset_chunk(dcpl, 1, &cdims) >= 0);
    codec.add_filters(dcpl);
    h5::Handle ds(H5Dcreate2(file, "x", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose);
    REQUIRE(ds.id() >= 0);
    for (std::size_t at = 0; at < values.size(); at += chunk) {
      std::vector<T> buf(chunk, T{});
      for (std::size_t i = 0; i < chunk && at + i < values.size(); ++i) buf[i] = values[at + i];
      const h5::EncodedChunk e = codec.encode(buf.data(), encoding);
      if (masks) masks->push_back(e.filter_mask);
      const hsize_t offset = at;
      REQUIRE(H5Dwrite_chunk(ds, H5P_DEFAULT, e.filter_mask, &offset, e.bytes.size(), e.bytes.data()) >= 0);
    }
  }
  h5::Handle file = h5::open_file_readonly(path);
  return h5::read_column<T>(file, "x");
}

template <class T>
std::vector<T> random_values(std::size_t n, T lo, T hi, double zeros, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<T> v(n);
  for (auto& x : v) {
    if (u(rng) < zeros) {
      x = 0;
    } else if constexpr (std::is_floating_point_v<T>) {
      x = static_cast<T>(lo + (hi - lo) * u(rng));
    } else {
      const auto span = static_cast<long double>(hi) - static_cast<long double>(lo);
      x = static_cast<T>(static_cast<long double>(lo) + std::floor(span * static_cast<long double>(u(rng))));
    }
  }
  return v;
}

template <class T>
void check_integer_type() {
  using L = std::numeric_limits<T>;
  const std::vector<std::vector<T>> cases = {
      random_values<T>(1000, 0, 12, 0.2, 1),                          // small codes with fill values
      random_values<T>(1000, L::max() / 4, L::max() / 4 + 3000, 0.0, 2),  // a narrow band far from 0
      random_values<T>(1000, L::min(), L::max(), 0.1, 3),             // the whole range: full precision
      std::vector<T>(1000, T{0}),                                     // only the fill value
      std::vector<T>(1000, T{7}),                                     // one value
      {L::min(), L::max(), 0, 1, static_cast<T>(L::max() - 1)},       // extremes, a partial chunk
  };
  for (int level : {0, 1, 6}) {
    for (ChunkEncoding e : {ChunkEncoding::Offset, ChunkEncoding::Shuffle, ChunkEncoding::Plain, ChunkEncoding::Raw}) {
      for (std::size_t c = 0; c < cases.size(); ++c) {
        INFO("level " << level << ", encoding " << static_cast<int>(e) << ", case " << c);
        CHECK(round_trip(cases[c], 256, e, level) == cases[c]);
      }
    }
  }
  if constexpr (std::is_signed_v<T> && sizeof(T) >= 2) {
    const std::vector<T> negative = {-1, -1, 5, 1900, -1, 0, 3};  // day columns with -1 for "never"
    CHECK(round_trip(negative, 4, ChunkEncoding::Offset, 1) == negative);
  }
}

}  // namespace

TEST_CASE("every encoding of every integer type reads back through HDF5's own filters", "[output][codec]") {
  check_integer_type<std::uint8_t>();
  check_integer_type<std::int8_t>();
  check_integer_type<std::uint16_t>();
  check_integer_type<std::int16_t>();
  check_integer_type<std::uint32_t>();
  check_integer_type<std::int32_t>();
  check_integer_type<std::uint64_t>();
  check_integer_type<std::int64_t>();
}

TEST_CASE("floating-point chunks are shuffled or deflated, never offset-packed, and read back exactly",
          "[output][codec]") {
  const auto f = random_values<float>(999, -5.0f, 5.0f, 0.1, 4);
  const auto d = random_values<double>(999, -1e300, 1e300, 0.1, 5);
  for (ChunkEncoding e : {ChunkEncoding::Offset, ChunkEncoding::Shuffle, ChunkEncoding::Plain, ChunkEncoding::Raw}) {
    CHECK(round_trip(f, 128, e, 1) == f);
    CHECK(round_trip(d, 128, e, 1) == d);
  }
}

TEST_CASE("a chunk that no encoding shrinks is stored raw, every filter skipped", "[output][codec]") {
  std::mt19937_64 rng(6);
  std::vector<std::uint64_t> noise(512);
  for (auto& x : noise) x = rng();
  std::vector<std::uint32_t> masks;
  CHECK(round_trip(noise, 512, ChunkEncoding::Shuffle, 1, &masks) == noise);
  REQUIRE(masks.size() == 1);
  CHECK(masks[0] == 0b111U);
}

TEST_CASE("the encoding chosen on a sample is the smallest for it", "[output][codec]") {
  const h5::ChunkCodec day(h5::ElementType::of(H5T_NATIVE_INT32), 4096, 1);
  std::vector<std::int32_t> days(4096);
  for (std::size_t i = 0; i < days.size(); ++i) days[i] = 1200 + static_cast<std::int32_t>(i / 1500);
  CHECK(day.choose(days.data(), days.size()) == ChunkEncoding::Offset);  // 2 bits a row before deflate
  const h5::ChunkCodec ids(h5::ElementType::of(H5T_NATIVE_UINT64), 4096, 1);
  std::vector<std::uint64_t> id(4096);
  std::mt19937_64 rng(7);
  std::uint64_t at = 1'300'000;
  for (auto& x : id) x = at += 1 + rng() % 4;  // increasing ids with small gaps
  CHECK(ids.choose(id.data(), id.size()) == ChunkEncoding::Shuffle);
  const h5::ChunkCodec stored(h5::ElementType::of(H5T_NATIVE_UINT64), 4096, 0);
  CHECK(stored.choose(id.data(), id.size()) == ChunkEncoding::Plain);  // uncompressed: no choice to make
}
