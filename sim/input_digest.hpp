#pragma once
// The input tables of a run as it read them (docs/output.md, root attribute `inputs`): each
// table's CRC-32 and length. A checkpoint records them so that a restart can refuse tables
// edited since (sim/checkpoint.hpp), and a result records them so that `sweep --resume` can
// rerun a finished run whose tables changed (sim/sweep/runner.cpp).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace corridor {

class ScenarioDoc;

/// An input file as the run read it: its CRC-32 (zlib's) and length.
struct InputDigest {
  std::string path;
  std::uint32_t crc32 = 0;
  std::uint64_t bytes = 0;
  bool operator==(const InputDigest&) const = default;
};

/// The digest of `file` now; throws InputError naming it when it cannot be read.
InputDigest digest_file(const std::filesystem::path& file);
/// The digests of every table the scenario's readers resolved (ScenarioDoc::tables), in order.
std::vector<InputDigest> input_digests(const ScenarioDoc& doc);
/// One line per table, "crc32=XXXXXXXX bytes=N FILE" (the file name only, so that the same
/// tables in another directory give the same text).
std::string digests_text(const std::vector<InputDigest>& digests);

}  // namespace corridor
