#pragma once
// The inputs a sweep's runs were made from (docs/hpc.md, "Resuming"): DIR/inputs.csv lists
// every file its scenarios read (the base scenario, the files it extends, every table, a
// model's own files) with its size and a hash of its bytes. A resume (or a SLURM task) that
// finds any of them changed is refused (exit 2): the runs already complete were made from the
// old inputs, and mixing them with runs of the new ones would give a sweep that looks
// complete but answers two different questions.
#include <filesystem>
#include <vector>

#include "sim/files.hpp"

namespace corridor {

enum class InputScope {
  kWholeSweep,  ///< `inputs` are every file of every scenario of the sweep
  kOneTask,     ///< `inputs` are the files of one run's scenario (a SLURM array task)
};

/// Records `inputs` in DIR/inputs.csv when it is absent; otherwise compares: a file whose
/// bytes changed is an InputError naming it. A whole sweep whose record is complete also
/// refuses files read now but not then, or then but not now; files new to a record made by
/// tasks are added to it. Written through a temporary name; a task calls this under the
/// index lock (sim/sweep/index.hpp with_index_lock).
void check_or_record_sweep_inputs(const std::filesystem::path& dir, const std::vector<InputRecord>& inputs,
                                  InputScope scope);

}  // namespace corridor
