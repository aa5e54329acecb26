#pragma once
// The sweep directory's lock (docs/hpc.md, docs/reliability.md): a whole sweep (`corridor
// sweep FILE --out DIR`, with or without --resume) holds DIR/.sweep.lock exclusively for as
// long as it runs, so that a second sweep or resume on DIR is refused (exit 2) instead of
// deleting the first one's files. SLURM array tasks (--task-id) hold it shared: many tasks at
// once, but never beside a whole sweep. The lock is flock(2): the kernel releases it when the
// process ends, however it ends, so a killed sweep leaves no stale lock.
#include <filesystem>

namespace corridor {

class SweepLock {
 public:
  enum class Mode { kExclusive, kShared };
  /// Takes the lock without waiting (creating DIR if needed); throws InputError naming the
  /// directory, and the process holding it when known, if another sweep holds it.
  SweepLock(const std::filesystem::path& dir, Mode mode);
  ~SweepLock();
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace corridor
