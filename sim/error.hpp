#pragma once
// Errors the command line maps to exit codes: InputError -> 2 (bad input), OutputError -> 1 with
// its one-line message, anything else -> 1 as an internal error.
#include <stdexcept>
#include <string>

namespace corridor {

/// Bad input from the user: a scenario, a table or a command-line value. The message already
/// names where the problem is (file:line, key path) and what was expected.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file that could not be written (a full disk, an I/O error). The message names the file and
/// the cause; the run ends with exit 1 and leaves nothing that looks complete (docs/output.md).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where a value came from: a file and a 1-based line (0 when unknown, e.g. a --set override).
struct SourceLocation {
  std::string file;
  int line = 0;
  std::string str() const {
    return line > 0 ? file + ":" + std::to_string(line) : file;
  }
};

}  // namespace corridor
