#include "models/flee/input_notes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/error.hpp"

namespace corridor::flee {

namespace {

/// The places named in full in a warning; beyond them only a count (a conflicts.csv with
/// hundreds of unknown columns still gives one readable line).
constexpr std::size_t kNamedPerWarning = 4;

std::string where(int line, int column) {
  return column > 0 ? fmt::format("{}:{}", line, column) : fmt::format("{}", line);
}

}  // namespace

void InputNotes::ignored(const std::string& file, int line, int column, const std::string& what) {
  if (strict_)
    throw InputError(fmt::format("{}:{}: {} (the reference implementation ignores this; strict mode "
                                 "(flee.strict, --flee-strict) does not)",
                                 file, where(line, column), what));
  auto it = std::find_if(files_.begin(), files_.end(), [&](const File& f) { return f.name == file; });
  if (it == files_.end()) {
    files_.push_back(File{file, {}});
    it = files_.end() - 1;
  }
  it->notes.push_back(Note{line, column, what});
}

std::vector<std::string> InputNotes::warnings() const {
  std::vector<std::string> out;
  for (const File& f : files_) {
    const Note& first = f.notes.front();
    std::string w = fmt::format("warning: {}:{}: ignored {}", f.name, where(first.line, first.column), first.what);
    const std::size_t more = f.notes.size() - 1;
    if (more > 0) {
      w += fmt::format("; and {} more in this file:", more);
      const std::size_t named = std::min(more, kNamedPerWarning);
      for (std::size_t i = 1; i <= named; ++i)
        w += fmt::format("{} {}: {}", i == 1 ? "" : ";", where(f.notes[i].line, f.notes[i].column), f.notes[i].what);
      if (more > named) w += fmt::format("; ... ({} not listed)", more - named);
    }
    out.push_back(std::move(w));
  }
  return out;
}

void InputNotes::print(std::FILE* out) const {
  for (const std::string& w : warnings()) std::fprintf(out, "%s\n", w.c_str());
}

std::size_t InputNotes::count() const {
  std::size_t n = 0;
  for (const File& f : files_) n += f.notes.size();
  return n;
}

}  // namespace corridor::flee
