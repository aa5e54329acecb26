// docs/flee.md lists every setting that settings_table() declares, so that the documented
// settings and the ones the code reads cannot drift apart.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "models/flee/settings.hpp"

TEST_CASE("docs/flee.md documents every declared Flee setting", "[flee]") {
  std::ifstream in(std::string(CORRIDOR_SOURCE_DIR) + "/docs/flee.md");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& s : corridor::flee::settings_table()) {
    const std::string section = s.section;
    // Supported keys have a row `section.key`; log levels one row for the section; rules we
    // reject or ignore are named in the text.
    const std::string needle = section == "log_levels" ? std::string("`log_levels.*`")
                               : s.supported           ? "`" + section + "." + s.key + "`"
                                                       : "`" + std::string(s.key) + "`";
    INFO("setting " << section << "." << s.key << " (looked for " << needle << ")");
    CHECK(doc.find(needle) != std::string::npos);
  }
}
