#include "sim/sweep/lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sim/error.hpp"
#include "sim/sweep/index.hpp"

namespace corridor {

namespace fs = std::filesystem;

SweepLock::SweepLock(const fs::path& dir, Mode mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec))
    throw InputError(fmt::format("--out {}: cannot use it as the sweep directory: {}", dir.string(),
                                 ec ? ec.message() : std::string("it is not a directory")));
  const fs::path file = dir / ".sweep.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw InputError(fmt::format("--out {}: cannot create the lock file {}: {}", dir.string(), file.string(),
                                 std::strerror(errno)));
  if (::flock(fd_, (mode == Mode::kExclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    const int err = errno;
    char holder[256] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK)
      throw InputError(fmt::format("--out {}: cannot lock {}: {}", dir.string(), file.string(), std::strerror(err)));
    std::string who = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : std::string();
    while (!who.empty() && (who.back() == '\n' || who.back() == '\0')) who.pop_back();
    throw InputError(fmt::format("--out {}: another corridor sweep is using this directory{}; wait until it ends, "
                                 "or give another --out",
                                 dir.string(), who.empty() ? "" : fmt::format(" ({})", who)));
  }
  if (mode == Mode::kExclusive) {
    // Who holds it, for the message a second sweep prints.
    const std::string me = fmt::format("pid {} on {}", ::getpid(), this_host());
    if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, me.data(), me.size(), 0);
  }
}

SweepLock::~SweepLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace corridor
