#pragma once
// What Flee's reference reader accepts and ignores (docs/flee-rules.md "More published cases, and what
// the reference accepts"; docs/flee.md §2): an empty header cell, a conflicts.csv column for a
// name that is not a location, a data_layout.csv row for a name that is not a camp of the
// network, a `remove_forced_redirection` closure. Users' cases rely on this, so the readers
// accept it with the reference's meaning and record here what they ignored; the run then
// prints one warning per file. In strict mode (scenario key `flee.strict`, `run --flee-strict`)
// the first such record is an InputError instead (exit 2).
#include <cstdio>
#include <string>
#include <vector>

namespace corridor::flee {

class InputNotes {
 public:
  explicit InputNotes(bool strict = false) : strict_(strict) {}

  bool strict() const { return strict_; }

  /// Records that `what` at file:line:column was ignored (line and column 1-based; column 0:
  /// the whole line). Strict mode: throws InputError "file:line:column: what ...".
  void ignored(const std::string& file, int line, int column, const std::string& what);

  /// One line per file, in the order the files were first noted:
  /// "warning: FILE:LINE:COL: ignored WHAT" and, when the file has more, how many and where.
  std::vector<std::string> warnings() const;

  /// Prints warnings() to `out` (stderr by default).
  void print(std::FILE* out = stderr) const;

  std::size_t count() const;

 private:
  struct Note {
    int line = 0, column = 0;
    std::string what;
  };
  struct File {
    std::string name;
    std::vector<Note> notes;
  };
  bool strict_;
  std::vector<File> files_;
};

}  // namespace corridor::flee
