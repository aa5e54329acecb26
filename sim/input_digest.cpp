#include "sim/input_digest.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "sim/chunk_codec.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"

namespace corridor {

InputDigest digest_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the input table", file.string()));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return InputDigest{file.string(), crc32_of(text.data(), text.size()), text.size()};
}

std::vector<InputDigest> input_digests(const ScenarioDoc& doc) {
  std::vector<InputDigest> out;
  for (const auto& table : doc.tables()) out.push_back(digest_file(table));
  return out;
}

std::string digests_text(const std::vector<InputDigest>& digests) {
  std::string out;
  for (const auto& d : digests)
    out += fmt::format("crc32={:08x} bytes={} {}\n", d.crc32, d.bytes, std::filesystem::path(d.path).filename().string());
  return out;
}

}  // namespace corridor
