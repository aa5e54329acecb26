#include "sim/scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

namespace corridor {

namespace {

// Dates a run may cover: wide enough for any history or projection, narrow enough that every
// day index and date conversion stays far from overflow.
const Date kFirstDate = Date::from_ymd(1900, 1, 1);
const Date kLastDate = Date::from_ymd(2199, 12, 31);

/// The scenario's name becomes the default output file, results/<name>.h5: it must be one
/// plain file name, so that no scenario writes outside results/.
void check_name(const Section& root, const std::string& name) {
  std::string why;
  if (name.empty()) why = "it is empty";
  else if (name.size() > kMaxScenarioNameBytes) why = fmt::format("it is longer than {} bytes", kMaxScenarioNameBytes);
  else if (name.front() == '.') why = "it starts with '.'";
  else if (name.find_first_of("/\\") != std::string::npos) why = "it holds a '/' or '\\'";
  else if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    why = "it holds a control character";
  if (!why.empty())
    root.fail("name", fmt::format("expected a plain file name (it names the default output results/<name>.h5), but "
                                  "{}",
                                  why));
}

}  // namespace

Scenario Scenario::read(const ScenarioDoc& doc) {
  const Section root = doc.root();
  Scenario s;
  s.name = root.text("name", doc.file().stem().string());
  if (root.has("name")) check_name(root, s.name);
  s.description = root.text("description", "");
  s.model = root.text("model");
  s.seed = root.unsigned64("seed", 1);
  s.calendar.start = root.date("start");
  s.calendar.end = root.date("end");
  for (const char* key : {"start", "end"}) {
    const Date d = std::string(key) == "start" ? s.calendar.start : s.calendar.end;
    if (d < kFirstDate || d > kLastDate)
      root.fail(key, fmt::format("{} is outside the dates a scenario may use ({} to {})", d.iso(), kFirstDate.iso(),
                                 kLastDate.iso()));
  }
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
    if (out->has("event_kinds")) {
      s.output.event_kinds = out->text_list("event_kinds");
      s.output.event_kinds_where = out->where("event_kinds");
      if (s.output.event_kinds.empty())
        out->fail("event_kinds", "expected a non-empty list of event kinds (leave the key out to write every kind, "
                                 "or set output.events: false to write none)");
    }
  }
  return s;
}

std::uint64_t event_kind_mask(const OutputOptions& output, const std::vector<std::string>& model_kinds,
                              const std::string& model) {
  if (model_kinds.size() > kMaxEventKinds)
    throw std::logic_error(fmt::format("model '{}' declares {} event kinds; at most {}", model, model_kinds.size(),
                                       kMaxEventKinds));
  if (output.event_kinds.empty()) return ~std::uint64_t{0};
  std::uint64_t mask = 0;
  for (const auto& name : output.event_kinds) {
    const auto it = std::find(model_kinds.begin(), model_kinds.end(), name);
    if (it == model_kinds.end())
      throw InputError(fmt::format("{}: key 'output.event_kinds': model '{}' has no event kind '{}' (its kinds: {})",
                                   output.event_kinds_where.str(), model, name, fmt::join(model_kinds, ", ")));
    mask |= std::uint64_t{1} << static_cast<unsigned>(it - model_kinds.begin());
  }
  return mask;
}

}  // namespace corridor
