#pragma once
// Reading an input file whole: the one place where corridor turns a path into text, so that
// every input (scenarios, the files they extend, sweep files) is checked the same way.
#include <filesystem>
#include <string>

namespace corridor {

/// The whole text of `file`, or an InputError "FILE: WHAT not found" / "cannot read WHAT"
/// (`what` names the kind of file, e.g. "scenario file").
std::string read_file_text(const std::filesystem::path& file, const std::string& what);

}  // namespace corridor
