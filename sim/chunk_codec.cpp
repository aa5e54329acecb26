#include "sim/chunk_codec.hpp"

#include <libdeflate.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace corridor::h5 {

namespace {

// ---- deflate: one libdeflate compressor per thread and level (a compressor is not shareable) ----

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

libdeflate_compressor* compressor(int level) {
  thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> cached[13];
  auto& c = cached[level];
  if (!c) {
    c.reset(libdeflate_alloc_compressor(level));
    if (!c) throw std::runtime_error("libdeflate: cannot allocate a compressor (out of memory)");
  }
  return c.get();
}

/// zlib-format deflate of `in` appended to `out`.
void deflate_into(const unsigned char* in, std::size_t n, int level, std::vector<unsigned char>& out) {
  libdeflate_compressor* c = compressor(level);
  const std::size_t bound = libdeflate_zlib_compress_bound(c, n);
  const std::size_t at = out.size();
  out.resize(at + bound);
  const std::size_t got = libdeflate_zlib_compress(c, in, n, out.data() + at, bound);
  if (got == 0) throw std::logic_error("libdeflate: output larger than its own bound");
  out.resize(at + got);
}

// ---- shuffle: byte k of every value, then byte k+1, ... (HDF5's shuffle filter) ----

template <std::size_t S>
void shuffle_fixed(const unsigned char* in, std::size_t n, unsigned char* out) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < S; ++k) out[k * n + i] = in[i * S + k];
}

void shuffle(const unsigned char* in, std::size_t n, std::size_t size, unsigned char* out) {
  switch (size) {
    case 2: shuffle_fixed<2>(in, n, out); return;
    case 4: shuffle_fixed<4>(in, n, out); return;
    case 8: shuffle_fixed<8>(in, n, out); return;
    default: std::memcpy(out, in, n * size); return;
  }
}

// ---- scale-offset, as HDF5's filter writes it for an integer type whose fill value is 0 ----

constexpr std::size_t kOffsetHeader = 21;  // minbits (4 bytes LE), sizeof minval (1), minval (8 LE), 8 zero

/// Bits for codes 0..n-1: ceil(log2(n)) (n >= 1).
unsigned bits_for(unsigned long long n) {
  unsigned b = 0;
  while (b < 64 && (n - 1) >> b) ++b;
  return b;
}

/// Writes values MSB first, as HDF5's scale-offset filter packs them.
class BitWriter {
 public:
  explicit BitWriter(unsigned char* out) : p_(out) {}
  void put(std::uint64_t code, unsigned bits) {
    if (bits > 32) {
      put32(static_cast<std::uint32_t>(code >> 32), bits - 32);
      put32(static_cast<std::uint32_t>(code), 32);
    } else {
      put32(static_cast<std::uint32_t>(code), bits);
    }
  }
  unsigned char* finish() {
    if (pending_) *p_++ = static_cast<unsigned char>(acc_ << (8 - pending_));
    return p_;
  }

 private:
  void put32(std::uint32_t code, unsigned bits) {
    acc_ = (acc_ << bits) | code;
    pending_ += bits;
    while (pending_ >= 8) {
      pending_ -= 8;
      *p_++ = static_cast<unsigned char>(acc_ >> pending_);
    }
  }
  unsigned char* p_;
  std::uint64_t acc_ = 0;
  unsigned pending_ = 0;
};

/// Fills `out` with the scale-offset encoding of n values of T. The fill value (0) is coded
/// as all ones, so that the codes of the other values, v - min, stop one short of it; a span
/// that leaves no room is stored at full precision (the raw values after the header).
template <class T>
void offset_encode(const T* v, std::size_t n, std::vector<unsigned char>& out) {
  using U = std::make_unsigned_t<T>;
  constexpr unsigned kBits = sizeof(T) * 8;
  bool any = false;
  T lo{}, hi{};
  for (std::size_t i = 0; i < n; ++i) {
    if (v[i] == 0) continue;
    if (!any) {
      lo = hi = v[i];
      any = true;
    } else {
      lo = v[i] < lo ? v[i] : lo;
      hi = v[i] > hi ? v[i] : hi;
    }
  }
  const U span = static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo));
  unsigned minbits = 0;  // no value but the fill value: the header alone says "all fill"
  if (any) minbits = span > static_cast<U>(~U{0} - 2) ? kBits : bits_for(static_cast<unsigned long long>(span) + 2);
  const auto minval = static_cast<unsigned long long>(static_cast<std::conditional_t<std::is_signed_v<T>, long long,
                                                                                      unsigned long long>>(lo));
  out.assign(kOffsetHeader + (minbits == kBits ? n * sizeof(T) : (n * minbits + 7) / 8), 0);
  for (unsigned i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(minbits >> (8 * i));
  out[4] = sizeof(unsigned long long);
  for (unsigned i = 0; i < 8; ++i) out[5 + i] = static_cast<unsigned char>(minval >> (8 * i));
  if (minbits == 0) return;
  if (minbits == kBits) {
    std::memcpy(out.data() + kOffsetHeader, v, n * sizeof(T));
    return;
  }
  const U fill_code = static_cast<U>((U{1} << minbits) - 1);
  BitWriter w(out.data() + kOffsetHeader);
  for (std::size_t i = 0; i < n; ++i) {
    const U code = v[i] == 0 ? fill_code : static_cast<U>(static_cast<U>(v[i]) - static_cast<U>(lo));
    w.put(code, minbits);
  }
  w.finish();
}

void offset_encode(const ElementType& t, const void* values, std::size_t n, std::vector<unsigned char>& out) {
  const bool s = t.kind == ElementType::Signed;
  switch (t.size) {
    case 1: return s ? offset_encode(static_cast<const std::int8_t*>(values), n, out)
                     : offset_encode(static_cast<const std::uint8_t*>(values), n, out);
    case 2: return s ? offset_encode(static_cast<const std::int16_t*>(values), n, out)
                     : offset_encode(static_cast<const std::uint16_t*>(values), n, out);
    case 4: return s ? offset_encode(static_cast<const std::int32_t*>(values), n, out)
                     : offset_encode(static_cast<const std::uint32_t*>(values), n, out);
    case 8: return s ? offset_encode(static_cast<const std::int64_t*>(values), n, out)
                     : offset_encode(static_cast<const std::uint64_t*>(values), n, out);
    default: throw std::logic_error("scale-offset: unsupported element size");
  }
}

}  // namespace

ElementType ElementType::of(hid_t native_type) {
  ElementType t;
  t.size = H5Tget_size(native_type);
  const H5T_class_t c = H5Tget_class(native_type);
  if (c == H5T_FLOAT)
    t.kind = Float;
  else if (c == H5T_INTEGER)
    t.kind = H5Tget_sign(native_type) == H5T_SGN_2 ? Signed : Unsigned;
  else
    throw std::logic_error("chunk codec: only integer and floating-point columns");
  if (t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8) throw std::logic_error("chunk codec: element size");
  return t;
}

ChunkCodec::ChunkCodec(ElementType type, std::size_t chunk_elements, int level)
    : type_(type), chunk_elements_(chunk_elements), level_(level) {
  if (level < 0 || level > 9) throw std::invalid_argument("chunk codec: deflate level must be 0-9");
}

void ChunkCodec::add_filters(hid_t dcpl) const {
  if (level_ == 0) return;
  const auto check = [](herr_t rc, const char* what) {
    if (rc < 0) throw std::runtime_error(std::string("HDF5: cannot add the ") + what + " filter");
  };
  if (type_.integer()) check(H5Pset_scaleoffset(dcpl, H5Z_SO_INT, H5Z_SO_INT_MINBITS_DEFAULT), "scale-offset");
  check(H5Pset_shuffle(dcpl), "shuffle");
  check(H5Pset_deflate(dcpl, static_cast<unsigned>(level_)), "deflate");
}

std::uint32_t ChunkCodec::mask_of(ChunkEncoding e) const {
  // Bit i set: filter i of the pipeline (scale-offset, shuffle, deflate; floats: shuffle, deflate) skipped.
  const std::uint32_t all = type_.integer() ? 0b111U : 0b11U;
  switch (e) {
    case ChunkEncoding::Offset: return 0b010U;
    case ChunkEncoding::Shuffle: return type_.integer() ? 0b001U : 0b00U;
    case ChunkEncoding::Plain: return type_.integer() ? 0b011U : 0b01U;
    case ChunkEncoding::Raw: return all;
  }
  return all;
}

std::size_t ChunkCodec::encode_into(const void* values, std::size_t n, ChunkEncoding e, std::vector<unsigned char>& out,
                                    std::vector<unsigned char>& scratch) const {
  const auto* bytes = static_cast<const unsigned char*>(values);
  const std::size_t raw = n * type_.size;
  out.clear();
  switch (e) {
    case ChunkEncoding::Offset:
      offset_encode(type_, values, n, scratch);
      deflate_into(scratch.data(), scratch.size(), level_, out);
      break;
    case ChunkEncoding::Shuffle:
      scratch.resize(raw);
      shuffle(bytes, n, type_.size, scratch.data());
      deflate_into(scratch.data(), raw, level_, out);
      break;
    case ChunkEncoding::Plain: deflate_into(bytes, raw, level_, out); break;
    case ChunkEncoding::Raw: out.assign(bytes, bytes + raw); break;
  }
  return out.size();
}

EncodedChunk ChunkCodec::encode(const void* chunk, ChunkEncoding e) const {
  EncodedChunk c;
  const auto* bytes = static_cast<const unsigned char*>(chunk);
  const std::size_t raw = chunk_elements_ * type_.size;
  if (level_ == 0) {
    c.bytes.assign(bytes, bytes + raw);
    return c;
  }
  if (e == ChunkEncoding::Offset && !type_.integer()) e = ChunkEncoding::Shuffle;
  thread_local std::vector<unsigned char> scratch;
  if (encode_into(chunk, chunk_elements_, e, c.bytes, scratch) >= raw) {
    c.bytes.assign(bytes, bytes + raw);
    e = ChunkEncoding::Raw;
  }
  c.filter_mask = mask_of(e);
  return c;
}

ChunkEncoding ChunkCodec::choose(const void* values, std::size_t n) const {
  if (level_ == 0 || n == 0) return ChunkEncoding::Plain;
  thread_local std::vector<unsigned char> out, scratch;
  ChunkEncoding best = ChunkEncoding::Plain;
  std::size_t best_size = encode_into(values, n, ChunkEncoding::Plain, out, scratch);
  const auto consider = [&](ChunkEncoding e) {
    const std::size_t s = encode_into(values, n, e, out, scratch);
    if (s < best_size) {
      best = e;
      best_size = s;
    }
  };
  if (type_.size > 1) consider(ChunkEncoding::Shuffle);
  if (type_.integer()) consider(ChunkEncoding::Offset);
  return best;
}

}  // namespace corridor::h5

namespace corridor {
std::uint32_t crc32_of(const void* data, std::size_t n, std::uint32_t crc) {
  return libdeflate_crc32(crc, data, n);
}
}  // namespace corridor
