#include "sim/output_paths.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sim/error.hpp"
#include "sim/files.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

fs::path normal(const fs::path& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal();
}

/// The same file: the same inode when both exist (hard links, symbolic links, "./a" and "a"),
/// else the same normalised path.
bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa{}, sb{};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return normal(a) == normal(b);
}

void check_one(const OutputTarget& o) {
  const std::string p = o.path.string();
  if (o.path.empty() || !o.path.has_filename())
    throw InputError(fmt::format("{} '{}': expected a file name, not a folder", o.what, p));
  struct stat st{};
  if (::stat(o.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw InputError(fmt::format("{} {}: is a {}; expected a new file or a regular file to replace", o.what, p,
                                 file_kind(o.path)));
  // The folder: the nearest existing ancestor must be a folder we may write in (the rest of
  // the path is created when the output is).
  fs::path dir = normal(o.path).parent_path();
  while (!dir.empty() && ::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT)
      throw InputError(fmt::format("{} {}: cannot reach {}: {}", o.what, p, dir.string(), std::strerror(errno)));
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  if (!S_ISDIR(st.st_mode))
    throw InputError(fmt::format("{} {}: cannot be created: {} is a {}, not a folder", o.what, p, dir.string(),
                                 file_kind(dir)));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(fmt::format("{} {}: cannot be written: the folder {} is not writable ({})", o.what, p,
                                 dir.string(), std::strerror(errno)));
}

}  // namespace

void check_output_targets(const std::vector<OutputTarget>& outputs, const std::vector<fs::path>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const OutputTarget& o = outputs[i];
    check_one(o);
    for (const auto& in : inputs)
      if (same_file(o.path, in))
        throw InputError(fmt::format("{} {}: is an input of this run ({}); writing it would destroy the input",
                                     o.what, o.path.string(), in.string()));
    for (std::size_t j = 0; j < i; ++j)
      if (same_file(o.path, outputs[j].path))
        throw InputError(fmt::format("{} {}: is the same file as {} ({})", o.what, o.path.string(), outputs[j].what,
                                     outputs[j].path.string()));
  }
}

fs::path output_inside(const fs::path& folder, const std::string& name, const std::string& extension,
                       const std::string& what) {
  const fs::path leaf(name + extension);
  if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos || leaf.filename() != leaf)
    throw InputError(fmt::format("{} '{}': expected a plain file name; it would write outside {}", what, name,
                                 folder.string()));
  return folder / leaf;
}

void write_text_atomically(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += fmt::format(".tmp-{}", ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  auto fail = [&](const char* doing) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot {} {}: {}", doing, file.string(), std::strerror(err)));
  };
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("write");  // a full disk may show only here (delayed allocation)
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", file.string(), std::strerror(err)));
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp.string(), file.string(), std::strerror(err)));
  }
}

}  // namespace corridor
