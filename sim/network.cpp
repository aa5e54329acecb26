#include "sim/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/csv.hpp"
#include "sim/error.hpp"

namespace corridor {

namespace {
/// The longest edge (the Earth's circumference is 40 075 km): bounds every path length and travel time.
constexpr double kMaxEdgeKm = 1e5;
const std::vector<std::string> kNodeColumns = {"id", "name", "kind", "country", "lat", "lon"};
const std::vector<std::string> kEdgeColumns = {"from", "to", "km", "mode"};

/// Extra columns are written to the result under their names (HDF5 datasets, docs/output.md).
std::vector<ExtraColumn> extra_columns(const CsvTable& t, const std::vector<std::string>& known) {
  std::vector<ExtraColumn> out;
  for (std::size_t c = 0; c < t.header().size(); ++c) {
    const std::string& name = t.header()[c];
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const bool control = std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
    if (name.find('/') != std::string::npos || name == "." || name == ".." || control || name.size() > 255)
      throw InputError(fmt::format("{}:1: column '{}': an extra column keeps its name in the result file, which "
                                   "allows no '/', no control character, not '.' or '..', at most 255 bytes",
                                   t.file(), name));
    ExtraColumn col{t.header()[c], {}};
    for (std::size_t r = 0; r < t.rows(); ++r) col.values.push_back(t.cell(r, static_cast<int>(c)));
    out.push_back(std::move(col));
  }
  return out;
}

double optional_coordinate(const CsvRow& row, const std::string& col, double limit) {
  if (row.text_or(col, "").empty()) return std::numeric_limits<double>::quiet_NaN();
  const double v = row.number(col);
  if (v < -limit || v > limit) row.fail(col, fmt::format("a coordinate in [-{0}, {0}]", limit));
  return v;
}
}  // namespace

Network Network::load(const NetworkFiles& files) {
  const CsvTable nt = CsvTable::read(files.nodes);
  nt.require_columns({"id"});
  std::vector<NodeInfo> nodes;
  std::map<std::string, std::uint32_t> seen;
  for (std::size_t r = 0; r < nt.rows(); ++r) {
    const CsvRow row = nt.row(r);
    NodeInfo n;
    n.id = row.text("id");
    if (n.id.empty()) row.fail("id", "a node id");
    if (auto it = seen.find(n.id); it != seen.end())
      throw InputError(fmt::format("{}:{}: duplicate node id '{}' (first defined on line {})", nt.file(), row.line(),
                                   n.id, nt.line_of(it->second)));
    seen[n.id] = static_cast<std::uint32_t>(r);
    n.name = row.text_or("name", n.id);
    n.kind = row.text_or("kind", "");
    n.country = row.text_or("country", "");
    n.lat = optional_coordinate(row, "lat", 90);
    n.lon = optional_coordinate(row, "lon", 180);
    nodes.push_back(std::move(n));
  }
  if (nodes.empty()) throw InputError(fmt::format("{}: the network has no nodes", nt.file()));

  const CsvTable et = CsvTable::read(files.edges);
  et.require_columns({"from", "to", "km"});
  std::vector<EdgeInfo> edges;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> pairs;
  for (std::size_t r = 0; r < et.rows(); ++r) {
    const CsvRow row = et.row(r);
    EdgeInfo e;
    for (const char* end : {"from", "to"}) {
      const std::string& id = row.text(end);
      auto it = seen.find(id);
      if (it == seen.end())
        throw InputError(fmt::format("{}:{}: column '{}': unknown node '{}' (not in {})", et.file(), row.line(), end,
                                     id, nt.file()));
      (std::string(end) == "from" ? e.from : e.to) = it->second;
    }
    if (e.from == e.to)
      throw InputError(fmt::format("{}:{}: edge from '{}' to itself", et.file(), row.line(), nodes[e.from].id));
    e.km = row.positive("km");
    if (e.km > kMaxEdgeKm) row.fail("km", fmt::format("a length in km in (0, {:g}]", kMaxEdgeKm));
    e.mode = row.text_or("mode", "");
    auto key = files.directed ? std::make_pair(e.from, e.to)
                              : std::make_pair(std::min(e.from, e.to), std::max(e.from, e.to));
    if (auto it = pairs.find(key); it != pairs.end())
      throw InputError(fmt::format("{}:{}: duplicate edge {} - {} (first on line {})", et.file(), row.line(),
                                   nodes[e.from].id, nodes[e.to].id, it->second));
    pairs[key] = row.line();
    edges.push_back(std::move(e));
  }
  Network net = build(std::move(nodes), std::move(edges), files.directed);
  net.node_extras_ = extra_columns(nt, kNodeColumns);
  net.edge_extras_ = extra_columns(et, kEdgeColumns);
  return net;
}

Network Network::build(std::vector<NodeInfo> nodes, std::vector<EdgeInfo> edges, bool directed) {
  Network net;
  net.nodes_ = std::move(nodes);
  net.edges_ = std::move(edges);
  net.directed_ = directed;
  for (std::uint32_t i = 0; i < net.nodes_.size(); ++i) net.by_id_[net.nodes_[i].id] = i;
  for (const auto& e : net.edges_)
    if (e.from >= net.nodes_.size() || e.to >= net.nodes_.size())
      throw std::invalid_argument("edge names a node index out of range");
  net.index();
  return net;
}

void Network::index() {
  const std::size_t n = nodes_.size();
  arcs_.clear();
  for (std::uint32_t e = 0; e < edges_.size(); ++e) {
    arcs_.push_back(Arc{edges_[e].from, edges_[e].to, edges_[e].km, e});
    if (!directed_) arcs_.push_back(Arc{edges_[e].to, edges_[e].from, edges_[e].km, e});
  }
  std::stable_sort(arcs_.begin(), arcs_.end(),
                   [](const Arc& a, const Arc& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; });
  arc_offset_.assign(n + 1, 0);
  for (const auto& a : arcs_) ++arc_offset_[a.from + 1];
  for (std::size_t i = 0; i < n; ++i) arc_offset_[i + 1] += arc_offset_[i];

  graph_ = Graph(n);
  for (std::uint32_t a = 0; a < arcs_.size(); ++a)
    boost::add_edge(arcs_[a].from, arcs_[a].to, Graph::edge_property_type(arcs_[a].km, a), graph_);
}

std::optional<std::uint32_t> Network::find(const std::string& id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> Network::arc_between(std::uint32_t from, std::uint32_t to) const {
  for (std::uint32_t a = arc_offset_[from]; a < arc_offset_[from + 1]; ++a)
    if (arcs_[a].to == to) return a;
  return std::nullopt;
}

std::string Network::node_extra(const std::string& column, std::uint32_t node) const {
  for (const auto& c : node_extras_)
    if (c.name == column) return c.values[node];
  return "";
}

}  // namespace corridor
