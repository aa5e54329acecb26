#pragma once
// Reading an input file whole: the one place where corridor turns a path into text, so that
// every input (scenarios, the files they extend, tables, Flee's folders, sweep files) is
// checked the same way (docs/reliability.md, "Inputs"):
//  - it must be a regular file (never a directory, a device or a FIFO: opened without
//    blocking and checked before anything is read);
//  - it must be at most input_size_limit() bytes (64 MiB unless raised with
//    `corridor --max-input-mb N` or CORRIDOR_MAX_INPUT_MB), so that a huge or endless file
//    (/dev/zero through a link) cannot take all memory;
//  - every file read while an InputRecorder is active is recorded with a hash of its bytes
//    (the run's inputs: an output must not overwrite one, a resumed sweep must find them unchanged).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace corridor {

/// The whole text of `file`, or an InputError "FILE: WHAT not found", "FILE: is a directory /
/// a FIFO / ..., expected a WHAT", "FILE: WHAT of N bytes is larger than the limit" or "cannot
/// read" (`what` names the kind of file, e.g. "scenario file").
std::string read_file_text(const std::filesystem::path& file, const std::string& what);

/// Throws the same InputError as read_file_text would when `file` is missing, not a regular
/// file, too large or not readable; reads nothing (for paths checked now and read later).
void check_input_file(const std::filesystem::path& file, const std::string& what);

/// The largest input file read_file_text accepts, in bytes.
std::uint64_t input_size_limit();
/// Sets it (the --max-input-mb option); 0 restores the default. Also exported to child
/// processes as CORRIDOR_MAX_INPUT_MB, so that a sweep's runs read under the same limit.
void set_input_size_limit_mb(std::uint64_t megabytes);
constexpr std::uint64_t kDefaultInputSizeLimit = 64ull << 20;

/// "regular file", "directory", "FIFO", "character device", ... (for messages).
std::string file_kind(const std::filesystem::path& file);

/// A 64-bit FNV-1a hash of `bytes` (change detection, not security).
std::uint64_t content_hash(const std::string& bytes);

/// One input file read: its absolute, normalised path, size and content hash.
struct InputRecord {
  std::filesystem::path path;
  std::uint64_t bytes = 0;
  std::uint64_t hash = 0;
};

/// While alive, records every file read_file_text reads on this thread (nested recorders all
/// receive them). Used around loading a scenario to learn its inputs.
class InputRecorder {
 public:
  InputRecorder();
  ~InputRecorder();
  InputRecorder(const InputRecorder&) = delete;
  InputRecorder& operator=(const InputRecorder&) = delete;
  /// The files read so far, each once, in the order first read.
  const std::vector<InputRecord>& inputs() const { return inputs_; }
  void add(const InputRecord& r);

 private:
  std::vector<InputRecord> inputs_;
  InputRecorder* outer_;
};

}  // namespace corridor
