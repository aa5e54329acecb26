#include "sim/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <sstream>

#include "sim/error.hpp"
#include "sim/files.hpp"

namespace corridor {

std::vector<std::string> split_csv_line(const std::string& line, bool& ok) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  ok = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          fields.back() += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) ok = false;
  for (auto& f : fields) {  // trim surrounding blanks: hand-edited tables often have them
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && std::isfinite(out);
}

CsvTable CsvTable::read(const std::filesystem::path& file) {
  return parse(read_file_text(file, "table"), file.string());
}

CsvTable CsvTable::parse(const std::string& text, const std::string& name) {
  CsvTable t;
  t.file_ = name;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++lineno;
    if (lineno == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (have_header && line[0] == '#') continue;
    bool ok = true;
    auto fields = split_csv_line(line, ok);
    if (!ok) throw InputError(fmt::format("{}:{}: unclosed double quote", name, lineno));
    if (!have_header) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].empty())
          throw InputError(fmt::format("{}:{}: header column {} is empty", name, lineno, i + 1));
        for (std::size_t j = 0; j < i; ++j)
          if (fields[j] == fields[i])
            throw InputError(fmt::format("{}:{}: header names column '{}' twice", name, lineno, fields[i]));
      }
      t.header_ = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != t.header_.size())
      throw InputError(fmt::format("{}:{}: expected {} fields ({}), found {}", name, lineno,
                                   t.header_.size(), fmt::join(t.header_, ","), fields.size()));
    t.cells_.push_back(std::move(fields));
    t.lines_.push_back(lineno);
  }
  if (!have_header) throw InputError(fmt::format("{}: empty table (expected a header row)", name));
  return t;
}

int CsvTable::column_index(const std::string& column) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == column) return static_cast<int>(i);
  return -1;
}

void CsvTable::require_columns(const std::vector<std::string>& columns) const {
  for (const auto& c : columns)
    if (column_index(c) < 0)
      throw InputError(fmt::format("{}:1: missing column '{}' (header has: {})", file_, c,
                                   fmt::join(header_, ",")));
}

int CsvRow::line() const { return table_->line_of(index_); }
bool CsvRow::has(const std::string& column) const { return table_->column_index(column) >= 0; }

void CsvRow::fail(const std::string& column, const std::string& expected) const {
  const int c = table_->column_index(column);
  const std::string got = c >= 0 ? table_->cell(index_, c) : std::string("<missing column>");
  throw InputError(fmt::format("{}:{}: column '{}': expected {}, got '{}'", table_->file(), line(),
                               column, expected, got));
}

const std::string& CsvRow::text(const std::string& column) const {
  const int c = table_->column_index(column);
  if (c < 0) fail(column, "a value");
  return table_->cell(index_, c);
}

std::string CsvRow::text_or(const std::string& column, const std::string& fallback) const {
  const int c = table_->column_index(column);
  if (c < 0 || table_->cell(index_, c).empty()) return fallback;
  return table_->cell(index_, c);
}

double CsvRow::number(const std::string& column) const {
  double v = 0;
  if (!parse_number(text(column), v)) fail(column, "a number");
  return v;
}

std::int64_t CsvRow::integer(const std::string& column) const {
  const std::string& s = text(column);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) fail(column, "an integer");
  return v;
}

double CsvRow::positive(const std::string& column) const {
  double v = 0;
  if (!parse_number(text(column), v) || !(v > 0)) fail(column, "a positive number");
  return v;
}

double CsvRow::probability(const std::string& column) const {
  double v = 0;
  if (!parse_number(text(column), v) || v < 0 || v > 1) fail(column, "a probability in [0,1]");
  return v;
}

}  // namespace corridor
