#pragma once
// CSV tables with a header row. Every error names file:line and the column.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace corridor {

class CsvTable;

/// One data row; typed accessors throw InputError naming file:line and the column.
class CsvRow {
 public:
  CsvRow(const CsvTable& table, std::size_t index) : table_(&table), index_(index) {}
  int line() const;
  const std::string& text(const std::string& column) const;   ///< required column
  std::string text_or(const std::string& column, const std::string& fallback) const;
  double number(const std::string& column) const;              ///< finite number
  std::int64_t integer(const std::string& column) const;
  double positive(const std::string& column) const;            ///< finite and > 0
  double probability(const std::string& column) const;         ///< in [0, 1]
  bool has(const std::string& column) const;
  [[noreturn]] void fail(const std::string& column, const std::string& expected) const;

 private:
  const CsvTable* table_;
  std::size_t index_;
};

/// A whole table read into memory. Lines that are empty or start with '#' are skipped
/// (the header may not be a comment). Fields may be double-quoted ("a, b" and "" escapes).
class CsvTable {
 public:
  static CsvTable read(const std::filesystem::path& file);
  static CsvTable parse(const std::string& text, const std::string& name);

  const std::string& file() const { return file_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return cells_.size(); }
  CsvRow row(std::size_t i) const { return CsvRow(*this, i); }
  int column_index(const std::string& column) const;  ///< -1 if absent
  void require_columns(const std::vector<std::string>& columns) const;
  const std::string& cell(std::size_t row, int column) const { return cells_[row][column]; }
  int line_of(std::size_t row) const { return lines_[row]; }

 private:
  std::string file_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<int> lines_;
};

/// Splits one CSV line into fields (handles quotes); sets `ok` false on an unclosed quote.
std::vector<std::string> split_csv_line(const std::string& line, bool& ok);

/// Parses a number strictly: the whole string must be a finite decimal number.
bool parse_number(const std::string& text, double& out);

}  // namespace corridor
