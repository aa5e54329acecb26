#pragma once
// Flee's CSV files are positional, and their header (when there is one) is a comment line
// starting with '#'. These records keep each line's number so that every error names file:line.
#include <filesystem>
#include <string>
#include <vector>

namespace corridor::flee {

struct Record {
  int line = 0;
  std::vector<std::string> fields;  ///< unquoted and trimmed
};

struct RecordFile {
  std::string file;                 ///< the path, for messages
  std::vector<std::string> header;  ///< fields of the first comment line ('#' removed); may be empty
  int header_line = 0;
  std::vector<Record> rows;         ///< non-blank, non-comment lines
};

/// Reads `file` as comma-separated records. A line whose first field starts with '#' is a
/// comment (the first one is kept as the header). Throws InputError if the file is missing.
RecordFile read_records(const std::filesystem::path& file);
RecordFile parse_records(const std::string& text, const std::string& name);

/// "file:line: message" as an InputError.
[[noreturn]] void fail_at(const std::string& file, int line, const std::string& message);

/// Strict readers of one field; the failure names file, line, column label and the text.
double field_number(const RecordFile& f, const Record& r, std::size_t i, const char* what);
int field_int(const RecordFile& f, const Record& r, std::size_t i, const char* what);

}  // namespace corridor::flee
