#include "sim/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "sim/error.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

std::uint64_t g_limit_override = 0;  // 0: not set by the option (environment or default)
thread_local InputRecorder* g_recorder = nullptr;

std::string kind_of(mode_t m) {
  if (S_ISREG(m)) return "regular file";
  if (S_ISDIR(m)) return "directory";
  if (S_ISFIFO(m)) return "FIFO (named pipe)";
  if (S_ISCHR(m)) return "character device";
  if (S_ISBLK(m)) return "block device";
  if (S_ISSOCK(m)) return "socket";
  return "special file";
}

std::string mib(std::uint64_t bytes) { return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1 << 20)); }

[[noreturn]] void too_large(const fs::path& file, const std::string& what, const std::string& size) {
  throw InputError(fmt::format("{}: the {} is {}; inputs are limited to {} (raise the limit with corridor "
                               "--max-input-mb N or CORRIDOR_MAX_INPUT_MB=N)",
                               file.string(), what, size, mib(input_size_limit())));
}

/// Closes a descriptor on every way out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// Opens `file` for reading without blocking (a FIFO with no writer would block a plain open)
/// and checks that it is a regular file within the size limit. Returns the descriptor.
int open_checked(const fs::path& file, const std::string& what, struct stat& st) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw InputError(fmt::format("{}: {} not found", file.string(), what));
    if (err == ENXIO)  // a FIFO or socket nobody serves
      throw InputError(fmt::format("{}: is a {}, expected a {} (a regular file)", file.string(),
                                   file_kind(file), what));
    throw InputError(fmt::format("{}: cannot read the {}: {}", file.string(), what, std::strerror(err)));
  }
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw InputError(fmt::format("{}: cannot read the {}: {}", file.string(), what, std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("{}: is a {}, expected a {} (a regular file)", file.string(), kind_of(st.st_mode),
                                 what));
  }
  if (static_cast<std::uint64_t>(st.st_size) > input_size_limit()) {
    ::close(fd);
    too_large(file, what, fmt::format("{} bytes", static_cast<std::uint64_t>(st.st_size)));
  }
  // Regular files never block; reads below are plain blocking reads.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

}  // namespace

std::uint64_t input_size_limit() {
  if (g_limit_override > 0) return g_limit_override;
  if (const char* env = std::getenv("CORRIDOR_MAX_INPUT_MB"); env && *env) {
    char* end = nullptr;
    const unsigned long long mb = std::strtoull(env, &end, 10);
    if (*end == '\0' && mb > 0 && mb <= (1ull << 24)) return mb << 20;
  }
  return kDefaultInputSizeLimit;
}

void set_input_size_limit_mb(std::uint64_t megabytes) {
  g_limit_override = megabytes > 0 ? std::min<std::uint64_t>(megabytes, 1ull << 24) << 20 : 0;
  if (megabytes > 0)
    ::setenv("CORRIDOR_MAX_INPUT_MB", std::to_string(g_limit_override >> 20).c_str(), 1);
  else
    ::unsetenv("CORRIDOR_MAX_INPUT_MB");
}

std::string file_kind(const fs::path& file) {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return "missing file";
  return kind_of(st.st_mode);
}

std::uint64_t content_hash(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void check_input_file(const fs::path& file, const std::string& what) {
  struct stat st{};
  Fd fd{open_checked(file, what, st)};
}

std::string read_file_text(const fs::path& file, const std::string& what) {
  struct stat st{};
  Fd fd{open_checked(file, what, st)};
  const std::uint64_t limit = input_size_limit();
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("{}: cannot read the {}: {}", file.string(), what, std::strerror(errno)));
    }
    // A file that grows while it is read (a log being written) still stops at the limit.
    if (text.size() + static_cast<std::size_t>(n) > limit) too_large(file, what, "growing past the limit");
    text.append(buf, static_cast<std::size_t>(n));
  }
  if (g_recorder) {
    std::error_code ec;
    const fs::path abs = fs::absolute(file, ec).lexically_normal();
    g_recorder->add(InputRecord{ec ? file : abs, text.size(), content_hash(text)});  // and its outer ones
  }
  return text;
}

InputRecorder::InputRecorder() : outer_(g_recorder) { g_recorder = this; }

InputRecorder::~InputRecorder() { g_recorder = outer_; }

void InputRecorder::add(const InputRecord& r) {
  bool seen = false;
  for (const auto& x : inputs_) seen = seen || x.path == r.path;
  if (!seen) inputs_.push_back(r);
  if (outer_) outer_->add(r);
}

}  // namespace corridor
