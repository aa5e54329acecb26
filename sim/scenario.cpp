#include "sim/scenario.hpp"

#include <fmt/format.h>

namespace corridor {

Scenario Scenario::read(const ScenarioDoc& doc) {
  const Section root = doc.root();
  Scenario s;
  s.name = root.text("name", doc.file().stem().string());
  s.description = root.text("description", "");
  s.model = root.text("model");
  s.seed = root.unsigned64("seed", 1);
  s.calendar.start = root.date("start");
  s.calendar.end = root.date("end");
  if (s.calendar.end < s.calendar.start)
    root.fail("end", fmt::format("end date {} is before start date {}", s.calendar.end.iso(), s.calendar.start.iso()));
  if (s.calendar.days() > 100 * 366) root.fail("end", "the simulated period exceeds 100 years");

  // Optional only for models that build their own network (e.g. from Flee's input files).
  if (auto net = root.optional_section("network")) {
    s.network.given = true;
    s.network.nodes = net->file("nodes");
    s.network.edges = net->file("edges");
    s.network.directed = net->boolean("directed", false);
    s.network.origins = net->text_list("origins");
    s.network.destinations = net->text_list("destinations");
  }

  if (auto out = root.optional_section("output")) {
    s.output.events = out->boolean("events", true);
    s.output.agents = out->boolean("agents", true);
    s.output.compression = static_cast<int>(out->integer("compression", 1, 0, 9));
  }
  return s;
}

}  // namespace corridor
