#pragma once
// The network of places: nodes and edges read from CSV into a Boost.Graph adjacency_list,
// with a flat out-arc index for the day loop. Knows no geography: kinds, countries and any
// extra columns are plain labels for the models to interpret.
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace corridor {

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();

struct NodeInfo {
  std::string id;
  std::string name;
  std::string kind;
  std::string country;
  double lat = std::numeric_limits<double>::quiet_NaN();
  double lon = std::numeric_limits<double>::quiet_NaN();
};

struct EdgeInfo {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  double km = 0;
  std::string mode;
};

/// A directed arc of the graph. An undirected edge gives two arcs with the same `edge`.
struct Arc {
  std::uint32_t from;
  std::uint32_t to;
  double km;
  std::uint32_t edge;
};

/// Extra CSV columns, kept as text so that models can read them (e.g. a sector label).
struct ExtraColumn {
  std::string name;
  std::vector<std::string> values;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                    boost::property<boost::edge_weight_t, double,
                                                    boost::property<boost::edge_index_t, std::uint32_t>>>;

class Network {
 public:
  /// Reads nodes.csv (id, [name, kind, country, lat, lon, ...]) and edges.csv (from, to, km, [mode, ...]).
  static Network load(const NetworkFiles& files);
  /// Builds from memory (synthetic networks, tests). Throws std::invalid_argument on bad indices.
  static Network build(std::vector<NodeInfo> nodes, std::vector<EdgeInfo> edges, bool directed);

  std::size_t node_count() const { return nodes_.size(); }
  std::size_t edge_count() const { return edges_.size(); }
  std::size_t arc_count() const { return arcs_.size(); }
  bool directed() const { return directed_; }
  const NodeInfo& node(std::uint32_t i) const { return nodes_[i]; }
  const EdgeInfo& edge(std::uint32_t e) const { return edges_[e]; }
  const std::vector<NodeInfo>& nodes() const { return nodes_; }
  const std::vector<EdgeInfo>& edges() const { return edges_; }
  const std::vector<ExtraColumn>& node_extras() const { return node_extras_; }
  const std::vector<ExtraColumn>& edge_extras() const { return edge_extras_; }
  /// Value of an extra node column, or "" if the column is absent.
  std::string node_extra(const std::string& column, std::uint32_t node) const;

  std::optional<std::uint32_t> find(const std::string& id) const;
  /// Arcs leaving `n`, sorted by target node index.
  std::span<const Arc> out_arcs(std::uint32_t n) const {
    return {arcs_.data() + arc_offset_[n], arcs_.data() + arc_offset_[n + 1]};
  }
  /// Index of the arc from -> to, or nullopt.
  std::optional<std::uint32_t> arc_between(std::uint32_t from, std::uint32_t to) const;
  const Arc& arc(std::uint32_t a) const { return arcs_[a]; }
  const Graph& graph() const { return graph_; }

 private:
  void index();
  std::vector<NodeInfo> nodes_;
  std::vector<EdgeInfo> edges_;
  std::vector<ExtraColumn> node_extras_, edge_extras_;
  bool directed_ = false;
  std::map<std::string, std::uint32_t> by_id_;
  std::vector<Arc> arcs_;
  std::vector<std::uint32_t> arc_offset_;
  Graph graph_;
};

}  // namespace corridor
