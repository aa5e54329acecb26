// libFuzzer harness: the CSV reader (sim/csv.hpp). Any text is parsed as a table and every
// cell read through every typed accessor; bad input must be an InputError, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/csv.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const corridor::CsvTable t = corridor::CsvTable::parse(text, "fuzz.csv");
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const corridor::CsvRow row = t.row(r);
      for (const auto& column : t.header()) {
        (void)row.text_or(column, "");
        // Each accessor on its own: one failing must not hide a crash in the next.
        try { (void)row.number(column); } catch (const corridor::InputError&) {}
        try { (void)row.integer(column); } catch (const corridor::InputError&) {}
        try { (void)row.positive(column); } catch (const corridor::InputError&) {}
        try { (void)row.probability(column); } catch (const corridor::InputError&) {}
      }
    }
    t.require_columns({"id", "from", "to"});
  } catch (const corridor::InputError&) {
  }
  return 0;
}
