#pragma once
// The series edge_flows[day, edge]: how many start along each edge of the network on each day
// (docs/output.md, "/series"). Agents move inside the models (the engine sees only their node
// before and after a day, and an agent may pass several edges in one day), so each model that
// moves agents along edges declares the series here and counts a start where it puts an agent
// on an edge; declaring it in one place gives every model the same name, dimension and labels.
#include <cstdint>
#include <string>

#include "sim/network.hpp"
#include "sim/tally.hpp"

namespace corridor {

class EdgeFlows {
 public:
  /// Adds the series, one cell per edge in the order of /network/edges; `unit` is what one
  /// count is ("people", "agents"). A network without edges gets no series.
  void declare(SeriesLayout& series, const Network& net, const std::string& unit);

  /// `count` start along the edge of `arc` today (either direction of an undirected edge).
  void start(Tally& tally, const Arc& arc, std::int64_t count) const { tally.add(id_.at(arc.edge), count); }

  const SeriesId& id() const { return id_; }

 private:
  SeriesId id_;
};

/// The label of edge `e` in the series' `edge` dimension: "FROM->TO" for a directed network,
/// "FROM--TO" for an undirected one (node ids, in the order of the edges table).
std::string edge_label(const Network& net, std::uint32_t e);

}  // namespace corridor
