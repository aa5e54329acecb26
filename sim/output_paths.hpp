#pragma once
// Where corridor may write (docs/reliability.md, "Outputs"). Checked after every input is
// loaded and before anything is created, so that a bad path costs no simulation and
// destroys nothing:
//  - an output is a new file or replaces a regular file: never a directory, a device
//    (`--out /dev/null` as root would replace the device node) or a FIFO;
//  - an output is none of the run's inputs (`--out scenario.yaml`, `--out nodes.csv`), and
//    no two outputs of one run are the same file;
//  - its folder exists or can be created (the nearest existing ancestor is a writable folder);
//  - output names built from scenario fields stay inside their folder.
// Plain-text outputs (index.csv, SLURM scripts, Flee's out.csv) are written with
// write_text_atomically: a temporary name beside the file, then a rename.
#include <filesystem>
#include <string>
#include <vector>

namespace corridor {

/// One file a command is about to write, and how messages name it ("--out", "--checkpoint").
struct OutputTarget {
  std::filesystem::path path;
  std::string what;
};

/// Throws InputError naming the option and the path for the first output that breaks a rule
/// above; `inputs` are every file the command read (sim/files.hpp InputRecorder).
void check_output_targets(const std::vector<OutputTarget>& outputs, const std::vector<std::filesystem::path>& inputs);

/// `folder/<name><extension>`, after checking that `name` (from a scenario field) is one
/// plain file name, so that the result stays inside `folder`. Throws InputError naming `what`.
std::filesystem::path output_inside(const std::filesystem::path& folder, const std::string& name,
                                    const std::string& extension, const std::string& what);

/// Writes `text` to `file` through `file.tmp-<pid>` and a rename: readers see the old file or
/// the whole new one, never a part. On failure the temporary file is removed and a
/// std::runtime_error names the file and the cause (a full disk: "No space left on device").
void write_text_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace corridor
