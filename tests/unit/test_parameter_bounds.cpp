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
// Models whose bounds are still being applied (issue 14: the corridor model is restructured
// on another branch; its proposed bounds are in the report). Remove a name once its
// table is bounded: the last check below fails while a listed model is already bounded.
const std::set<std::string> kPending = {"corridor"};

bool numeric(const std::string& kind) { return kind == "number" || kind == "integer" || kind == "schedule"; }
}  // namespace

TEST_CASE("every numeric parameter of every model has a finite lower and upper end", "[parameters]") {
  for (const auto& entry : corridor::models::registry().entries()) {
    if (!entry.parameters) continue;
    std::size_t unbounded = 0;
    for (const auto& row : entry.parameters()) {
      if (!numeric(row.kind)) continue;
      const bool bounded = std::isfinite(row.lo) && std::isfinite(row.hi);
      unbounded += bounded ? 0 : 1;
      if (kPending.count(entry.name)) continue;
      INFO(entry.name << ": " << row.key << " has range " << row.range);
      CHECK(bounded);
    }
    if (kPending.count(entry.name)) {
      INFO(entry.name << " is bounded now: remove it from kPending");
      CHECK(unbounded > 0);
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
