// Every numeric parameter a scenario can set has a finite valid range (docs/reliability.md):
// no accepted value can overflow a conversion or an allocation. Checked over every model's
// declared table (corridor params MODEL) and Flee's settings table.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "models/flee/settings.hpp"
#include "models/registry.hpp"

namespace {
bool numeric(const std::string& kind) { return kind == "number" || kind == "integer" || kind == "schedule"; }
}  // namespace

TEST_CASE("every numeric parameter of every model has a finite lower and upper end", "[parameters]") {
  for (const auto& entry : corridor::models::registry().entries()) {
    if (!entry.parameters) continue;
    for (const auto& row : entry.parameters()) {
      // A Flee setting corridor does not support accepts only its neutral value (range "only
      // absent", "only 0") and is never used in a computation: nothing to overflow.
      if (!numeric(row.kind) || row.range.rfind("only ", 0) == 0) continue;
      INFO(entry.name << ": " << row.key << " has range " << row.range);
      CHECK(std::isfinite(row.lo));
      CHECK(std::isfinite(row.hi));
    }
  }
}

TEST_CASE("every numeric Flee setting has a finite range", "[parameters][flee]") {
  using K = corridor::flee::SettingSpec::Kind;
  for (const auto& s : corridor::flee::settings_table()) {
    if (!s.supported || (s.kind != K::kNumber && s.kind != K::kInteger && s.kind != K::kNumberList)) continue;
    INFO(s.section << "." << s.key << ": [" << s.min << ", " << s.max << "]");
    CHECK(std::isfinite(s.min));
    CHECK(std::isfinite(s.max));
  }
}
