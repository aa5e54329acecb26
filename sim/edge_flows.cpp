#include "sim/edge_flows.hpp"

namespace corridor {

std::string edge_label(const Network& net, std::uint32_t e) {
  const EdgeInfo& edge = net.edge(e);
  return net.node(edge.from).id + (net.directed() ? "->" : "--") + net.node(edge.to).id;
}

void EdgeFlows::declare(SeriesLayout& series, const Network& net, const std::string& unit) {
  if (net.edge_count() == 0) return;  // nothing can move; a series needs at least one cell per day
  Dimension edge{"edge", {}};
  edge.labels.reserve(net.edge_count());
  for (std::uint32_t e = 0; e < net.edge_count(); ++e) edge.labels.push_back(edge_label(net, e));
  id_ = series.add({"edge_flows", unit,
                    "starts along each edge during the day (edges in the order of /network/edges; "
                    "either direction of an undirected edge)",
                    {std::move(edge)}});
}

}  // namespace corridor
