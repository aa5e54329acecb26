#include "sim/routes.hpp"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <queue>
#include <set>

#include "sim/error.hpp"

namespace corridor {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

RouteTable RouteTable::to(const Network& net, std::uint32_t destination) {
  RouteTable t;
  t.destination_ = destination;
  const std::size_t n = net.node_count();
  const auto reversed = boost::make_reverse_graph(net.graph());
  std::vector<std::size_t> pred(n);
  t.km_.assign(n, kInf);
  boost::dijkstra_shortest_paths(
      reversed, destination,
      boost::predecessor_map(boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, reversed)))
          .distance_map(boost::make_iterator_property_map(t.km_.begin(), boost::get(boost::vertex_index, reversed)))
          .distance_inf(kInf));
  t.next_.assign(n, kNoNode);
  // In the reversed graph pred[v] is the node before v on the way out from the destination,
  // i.e. the node after v on the way in: v's next hop.
  for (std::size_t v = 0; v < n; ++v)
    if (v != destination && t.km_[v] < kInf) t.next_[v] = static_cast<std::uint32_t>(pred[v]);
  return t;
}

std::vector<std::uint32_t> RouteTable::path_from(std::uint32_t from) const {
  std::vector<std::uint32_t> p;
  if (!reachable(from)) return p;
  for (std::uint32_t v = from; v != kNoNode; v = next_[v]) {
    p.push_back(v);
    if (v == destination_) break;
  }
  return p;
}

std::vector<RouteTable> route_tables(const Network& net, const std::vector<std::uint32_t>& destinations) {
  std::vector<RouteTable> out;
  out.reserve(destinations.size());
  for (auto d : destinations) out.push_back(RouteTable::to(net, d));
  return out;
}

namespace {

/// Dijkstra on the out-arc index with some arcs and nodes banned (Yen's spur searches).
/// Ties are broken by the lower node index, which keeps the result deterministic.
bool restricted_shortest(const Network& net, std::uint32_t from, std::uint32_t to,
                         const std::vector<char>& banned_arc, const std::vector<char>& banned_node, Route& out) {
  const std::size_t n = net.node_count();
  std::vector<double> dist(n, kInf);
  std::vector<std::uint32_t> via(n, kNoNode);
  using Item = std::pair<double, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
  dist[from] = 0;
  q.push({0.0, from});
  while (!q.empty()) {
    auto [d, v] = q.top();
    q.pop();
    if (d > dist[v]) continue;
    if (v == to) break;
    for (const Arc& a : net.out_arcs(v)) {
      const auto ai = static_cast<std::uint32_t>(&a - &net.arc(0));
      if (banned_arc[ai] || banned_node[a.to]) continue;
      const double nd = d + a.km;
      if (nd < dist[a.to]) {
        dist[a.to] = nd;
        via[a.to] = ai;
        q.push({nd, a.to});
      }
    }
  }
  if (dist[to] == kInf) return false;
  out = Route{};
  out.km = dist[to];
  for (std::uint32_t v = to; v != from; v = net.arc(via[v]).from) out.arcs.push_back(via[v]);
  std::reverse(out.arcs.begin(), out.arcs.end());
  out.nodes.push_back(from);
  for (auto a : out.arcs) out.nodes.push_back(net.arc(a).to);
  return true;
}

bool route_less(const Route& a, const Route& b) {
  if (a.km != b.km) return a.km < b.km;
  return a.nodes < b.nodes;
}

}  // namespace

std::vector<Route> k_shortest_routes(const Network& net, std::uint32_t from, std::uint32_t to, int k,
                                     const std::vector<char>& avoid) {
  std::vector<Route> found;
  if (k <= 0 || from == to) return found;
  std::vector<char> base_ban(net.node_count(), 0);
  for (std::size_t i = 0; i < avoid.size() && i < base_ban.size(); ++i) base_ban[i] = avoid[i];
  base_ban[from] = base_ban[to] = 0;
  std::vector<char> banned_arc(net.arc_count(), 0), banned_node = base_ban;
  Route first;
  if (!restricted_shortest(net, from, to, banned_arc, banned_node, first)) return found;
  found.push_back(first);
  auto cmp = [](const Route& a, const Route& b) { return route_less(a, b); };
  std::set<Route, decltype(cmp)> candidates(cmp);
  while (static_cast<int>(found.size()) < k) {
    const Route& last = found.back();
    for (std::size_t i = 0; i + 1 < last.nodes.size(); ++i) {
      const std::uint32_t spur = last.nodes[i];
      std::fill(banned_arc.begin(), banned_arc.end(), 0);
      banned_node = base_ban;
      // Ban the next arc of every found route that shares this root path.
      for (const Route& r : found)
        if (r.nodes.size() > i + 1 && std::equal(r.nodes.begin(), r.nodes.begin() + i + 1, last.nodes.begin()))
          banned_arc[r.arcs[i]] = 1;
      for (std::size_t j = 0; j < i; ++j) banned_node[last.nodes[j]] = 1;  // keep routes loop-free
      Route spur_route;
      if (!restricted_shortest(net, spur, to, banned_arc, banned_node, spur_route)) continue;
      Route total;
      total.nodes.assign(last.nodes.begin(), last.nodes.begin() + i);
      total.arcs.assign(last.arcs.begin(), last.arcs.begin() + i);
      total.km = 0;
      for (auto a : total.arcs) total.km += net.arc(a).km;
      total.nodes.insert(total.nodes.end(), spur_route.nodes.begin(), spur_route.nodes.end());
      total.arcs.insert(total.arcs.end(), spur_route.arcs.begin(), spur_route.arcs.end());
      total.km += spur_route.km;
      bool dup = false;
      for (const Route& r : found) dup = dup || r.nodes == total.nodes;
      if (!dup) candidates.insert(std::move(total));
    }
    if (candidates.empty()) break;
    found.push_back(*candidates.begin());
    candidates.erase(candidates.begin());
  }
  return found;
}

void check_reachability(const Network& net, const std::vector<std::string>& origins,
                        const std::vector<std::string>& destinations, const std::string& where) {
  std::vector<std::uint32_t> o, d;
  for (const auto& id : origins) {
    auto i = net.find(id);
    if (!i) throw InputError(fmt::format("{}: origin '{}' is not a node of the network", where, id));
    o.push_back(*i);
  }
  for (const auto& id : destinations) {
    auto i = net.find(id);
    if (!i) throw InputError(fmt::format("{}: destination '{}' is not a node of the network", where, id));
    d.push_back(*i);
  }
  for (auto dest : d) {
    const RouteTable t = RouteTable::to(net, dest);
    for (auto orig : o)
      if (!t.reachable(orig))
        throw InputError(fmt::format("{}: destination '{}' is unreachable from origin '{}'", where, net.node(dest).id,
                                     net.node(orig).id));
  }
}

}  // namespace corridor
