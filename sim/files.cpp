#include "sim/files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "sim/error.hpp"

namespace corridor {

namespace fs = std::filesystem;

std::string read_file_text(const fs::path& file, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw InputError(fmt::format("{}: {} not found", file.string(), what));
  if (fs::is_directory(file, ec)) throw InputError(fmt::format("{}: is a directory, expected a {}", file.string(), what));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the {}", file.string(), what));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace corridor
