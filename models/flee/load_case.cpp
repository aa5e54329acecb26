#include "models/flee/load_case.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/flee/inputs.hpp"

namespace corridor::flee {

namespace fs = std::filesystem;

fs::path section_dir(const Section& sec, const std::string& key) {
  const std::string rel = sec.text(key);
  const SourceLocation loc = sec.where(key);
  const fs::path base = loc.line > 0 ? fs::path(loc.file).parent_path() : sec.doc().file().parent_path();
  const fs::path p = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
  std::error_code ec;
  if (!fs::exists(p, ec)) sec.fail(key, fmt::format("folder '{}' not found", p.string()));
  if (!fs::is_directory(p, ec)) sec.fail(key, fmt::format("'{}' is a file, expected a folder", p.string()));
  return p;
}

namespace {

struct Geography {
  std::vector<Location> locations;
  std::vector<Link> links;
  fs::path input;
};

Geography read_geography(const Section& sec) {
  Geography g;
  g.input = section_dir(sec, "input");
  g.locations = read_locations(g.input / "locations.csv");
  g.links = read_routes(g.input / "routes.csv", g.locations);
  return g;
}

}  // namespace

FleeCase load_case(const Scenario& sc, const ScenarioDoc& doc) {
  const Section sec = doc.root().section("flee");
  FleeCase c;
  Geography g = read_geography(sec);
  c.locations = std::move(g.locations);
  c.links = std::move(g.links);
  c.source = g.input.string();

  std::optional<ScenarioDoc> settings_doc;
  if (sec.has("settings")) settings_doc = ScenarioDoc::load(sec.file("settings"));
  c.settings = read_settings(settings_doc ? std::optional<Section>(settings_doc->root()) : std::nullopt, sec);

  const SimPeriod period = read_sim_period(g.input / "sim_period.csv");
  c.start = period.start;
  if (sc.calendar.start != period.start)
    doc.root().fail("start", fmt::format("the scenario starts on {} but {} gives StartDate {}; conflict and closure "
                                         "days count from StartDate, so the two must agree",
                                         sc.calendar.start.iso(), (g.input / "sim_period.csv").string(),
                                         period.start.iso()));
  InputNotes notes(sec.boolean("strict", false));
  if (fs::exists(g.input / "conflicts.csv"))
    c.conflicts = read_conflicts(g.input / "conflicts.csv", c.locations, notes);
  if (fs::exists(g.input / "closures.csv"))
    c.closures = read_closures(g.input / "closures.csv", c.locations, c.links, notes);

  const fs::path data_dir = section_dir(sec, "validation");
  c.validation = read_validation(data_dir, period.start, c.locations, c.settings, notes);
  const bool corrections = sec.boolean("registration_corrections", true);
  if (corrections && fs::exists(g.input / "registration_corrections.csv"))
    apply_registration_corrections(g.input / "registration_corrections.csv", period.start, c.locations, *c.validation);
  apply_hasten(c);
  notes.print();  // after every check passed: one warning per file that had something ignored
  return c;
}

Network build_network(const FleeCase& c) {
  std::vector<NodeInfo> nodes;
  for (const Location& l : c.locations) {
    NodeInfo n;
    n.id = n.name = l.name;
    n.kind = type_name(l.type);
    n.country = l.country;
    n.lat = l.lat;
    n.lon = l.lon;
    nodes.push_back(std::move(n));
  }
  std::vector<EdgeInfo> edges;
  for (const Link& l : c.links) edges.push_back(EdgeInfo{l.a, l.b, l.km, "route"});
  return Network::build(std::move(nodes), std::move(edges), /*directed=*/false);
}

Network load_flee_network(const Scenario&, const ScenarioDoc& doc) {
  const Section sec = doc.root().section("flee");
  FleeCase c;
  Geography g = read_geography(sec);
  c.locations = std::move(g.locations);
  c.links = std::move(g.links);
  return build_network(c);
}

}  // namespace corridor::flee
