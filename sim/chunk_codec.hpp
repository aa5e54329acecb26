#pragma once
// Encoding one chunk of an appendable dataset ourselves, so that chunks can be compressed on
// several threads (or ranks) and stored with HDF5's direct chunk write (H5Dwrite_chunk), yet
// decoded by any HDF5 reader with its built-in filters (docs/output.md, "Compression").
//
// A compressed dataset's pipeline is, in order: scale-offset (integer columns only), shuffle,
// deflate. Each chunk records which of them it skipped (HDF5's per-chunk filter mask), so
// every chunk can take the encoding that suits its values:
//   - offset:  scale-offset alone packs each value minus the chunk's minimum into the fewest
//              bits (a day column: 2 bits a row; event kinds: 4), then deflate;
//   - shuffle: the bytes of all values regrouped by significance, then deflate (ids, nodes);
//   - plain:   deflate alone (columns with -1 among day numbers compress best unshuffled);
//   - raw:     nothing, when no encoding makes the chunk smaller.
// Deflate is libdeflate's (the same format as zlib's, several times faster). Scale-offset is
// written exactly as HDF5's own filter writes it (src/H5Zscaleoffset.c: a 21-byte header,
// then the values MSB first, with the dataset's fill value 0 coded as all ones), and the unit
// tests read every encoding back through the HDF5 library.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace corridor::h5 {

/// What the codec needs of a column's element type.
struct ElementType {
  enum Kind : std::uint8_t { Unsigned, Signed, Float } kind = Unsigned;
  std::size_t size = 1;  ///< bytes: 1, 2, 4 or 8
  bool integer() const { return kind != Float; }
  /// The element type of an HDF5 native integer or float type (throws for anything else).
  static ElementType of(hid_t native_type);
};

/// The encodings of a chunk (see the top of this file).
enum class ChunkEncoding : std::uint8_t { Offset, Shuffle, Plain, Raw };

/// One encoded chunk: its bytes and the filters of the pipeline it skipped (H5Dwrite_chunk).
struct EncodedChunk {
  std::vector<unsigned char> bytes;
  std::uint32_t filter_mask = 0;
};

class ChunkCodec {
 public:
  /// `chunk_elements`: values in one chunk (the chunk's shape multiplied out); `level`: deflate
  /// level 1-9, or 0 for an uncompressed dataset (no pipeline; chunks are stored as they are).
  ChunkCodec(ElementType type, std::size_t chunk_elements, int level);

  /// Adds this codec's pipeline to a dataset creation property list (nothing at level 0).
  void add_filters(hid_t dcpl) const;
  /// Encodes a whole chunk (`chunk_elements` values; rows past the dataset's end are padding).
  EncodedChunk encode(const void* chunk, ChunkEncoding encoding) const;
  /// The encoding that makes the first `n` values (a sample of a chunk) smallest; chunks that
  /// look alike (consecutive chunks of one column) share the choice (sim/chunked_column.hpp).
  ChunkEncoding choose(const void* values, std::size_t n) const;

  const ElementType& type() const { return type_; }
  std::size_t chunk_elements() const { return chunk_elements_; }
  int level() const { return level_; }

 private:
  std::uint32_t mask_of(ChunkEncoding e) const;
  std::size_t encode_into(const void* values, std::size_t n, ChunkEncoding e, std::vector<unsigned char>& out,
                          std::vector<unsigned char>& scratch) const;
  ElementType type_;
  std::size_t chunk_elements_;
  int level_;
};

}  // namespace corridor::h5

namespace corridor {
/// CRC-32 (zlib's polynomial; Python's zlib.crc32) of bytes, continuing `crc`.
std::uint32_t crc32_of(const void* data, std::size_t n, std::uint32_t crc = 0);
}  // namespace corridor
