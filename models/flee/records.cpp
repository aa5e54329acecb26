#include "models/flee/records.hpp"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/files.hpp"

namespace corridor::flee {

void fail_at(const std::string& file, int line, const std::string& message) {
  throw InputError(line > 0 ? fmt::format("{}:{}: {}", file, line, message) : fmt::format("{}: {}", file, message));
}

RecordFile parse_records(const std::string& text, const std::string& name) {
  RecordFile out;
  out.file = name;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  bool seen_header = false;
  while (std::getline(in, line)) {
    ++lineno;
    if (lineno == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    bool ok = true;
    auto fields = split_csv_line(line, ok);
    if (!ok) fail_at(name, lineno, "unclosed double quote");
    if (!fields.empty() && !fields[0].empty() && fields[0][0] == '#') {
      if (!seen_header) {
        fields[0].erase(0, 1);
        out.header = std::move(fields);
        out.header_line = lineno;
        seen_header = true;
      }
      continue;
    }
    out.rows.push_back(Record{lineno, std::move(fields)});
  }
  return out;
}

RecordFile read_records(const std::filesystem::path& file) {
  return parse_records(read_file_text(file, "Flee input file"), file.string());
}

double field_number(const RecordFile& f, const Record& r, std::size_t i, const char* what) {
  double v = 0;
  const std::string text = i < r.fields.size() ? r.fields[i] : std::string();
  if (!parse_number(text, v)) fail_at(f.file, r.line, fmt::format("column {} ({}): expected a number, got '{}'", i + 1, what, text));
  return v;
}

int field_int(const RecordFile& f, const Record& r, std::size_t i, const char* what) {
  const std::string text = i < r.fields.size() ? r.fields[i] : std::string();
  int v = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (text.empty() || ec != std::errc() || p != e)
    fail_at(f.file, r.line, fmt::format("column {} ({}): expected an integer, got '{}'", i + 1, what, text));
  return v;
}

}  // namespace corridor::flee
