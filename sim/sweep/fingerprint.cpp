#include "sim/sweep/fingerprint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/output_paths.hpp"
#include "sim/sweep/index.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFile = "inputs.csv";

struct Recorded {
  std::string bytes_hash;  ///< "bytes:hash"
  std::string by;          ///< "sweep" (every scenario's files) or "task" (those of the tasks run so far)
};

std::string bytes_hash(const InputRecord& r) { return fmt::format("{}:{:016x}", r.bytes, r.hash); }

void write(const fs::path& dir, const std::map<std::string, Recorded>& files) {
  std::string text = "file,bytes,fnv1a64,recorded_by\n";
  for (const auto& [file, rec] : files) {
    const auto colon = rec.bytes_hash.find(':');
    text += fmt::format("{},{},{},{}\n", csv_field(file), rec.bytes_hash.substr(0, colon),
                        rec.bytes_hash.substr(colon + 1), rec.by);
  }
  write_text_atomically(dir / kFile, text);
}

}  // namespace

void check_or_record_sweep_inputs(const fs::path& dir, const std::vector<InputRecord>& inputs, InputScope scope) {
  const char* by = scope == InputScope::kWholeSweep ? "sweep" : "task";
  std::map<std::string, Recorded> files;
  std::error_code ec;
  if (!fs::exists(dir / kFile, ec)) {
    for (const auto& r : inputs) files[r.path.string()] = Recorded{bytes_hash(r), by};
    write(dir, files);
    return;
  }
  const CsvTable t = CsvTable::read(dir / kFile);
  t.require_columns({"file", "bytes", "fnv1a64", "recorded_by"});
  bool complete = t.rows() > 0;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const CsvRow row = t.row(i);
    files[row.text("file")] = Recorded{row.text("bytes") + ":" + row.text("fnv1a64"), row.text("recorded_by")};
    complete = complete && row.text("recorded_by") == "sweep";
  }
  const bool strict = scope == InputScope::kWholeSweep && complete;
  std::vector<std::string> changed;
  std::map<std::string, bool> read_now;
  bool added = false;
  for (const auto& r : inputs) {
    const std::string name = r.path.string();
    read_now[name] = true;
    const auto it = files.find(name);
    if (it == files.end()) {
      if (strict) changed.push_back(fmt::format("{} (not read before)", name));
      files[name] = Recorded{bytes_hash(r), by};
      added = true;
    } else if (it->second.bytes_hash != bytes_hash(r)) {
      changed.push_back(fmt::format("{} (changed)", name));
    }
  }
  if (strict)
    for (const auto& [file, _] : files)
      if (!read_now.count(file)) changed.push_back(fmt::format("{} (no longer read)", file));
  if (!changed.empty()) {
    const std::size_t shown = std::min<std::size_t>(changed.size(), 5);
    throw InputError(fmt::format(
        "sweep directory {}: the inputs changed since its runs were made: {}{}; the complete runs were made from the "
        "old inputs and would be mixed with runs of the new ones. Give another --out for the new inputs (or remove "
        "{} to redo every run)",
        dir.string(), fmt::join(changed.begin(), changed.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
        changed.size() > shown ? fmt::format(" and {} more", changed.size() - shown) : std::string(),
        dir.string()));
  }
  if (scope == InputScope::kWholeSweep && !complete) {
    for (auto& [file, rec] : files) rec.by = "sweep";  // every scenario's files are in now
    added = true;
  }
  if (added) write(dir, files);
}

}  // namespace corridor
