#pragma once
// Shortest routes by distance: next-hop tables to a destination (Dijkstra on the reversed
// graph) and k alternative loop-free routes (Yen's algorithm).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/network.hpp"

namespace corridor {

/// For every node: the next node on a shortest route to one destination, and the km left.
class RouteTable {
 public:
  static RouteTable to(const Network& net, std::uint32_t destination);
  std::uint32_t destination() const { return destination_; }
  bool reachable(std::uint32_t n) const { return next_[n] != kNoNode || n == destination_; }
  std::uint32_t next_hop(std::uint32_t n) const { return next_[n]; }  ///< kNoNode at or beyond reach
  double km_to_go(std::uint32_t n) const { return km_[n]; }            ///< +inf if unreachable
  /// The node sequence from `from` to the destination (empty if unreachable).
  std::vector<std::uint32_t> path_from(std::uint32_t from) const;

 private:
  std::uint32_t destination_ = kNoNode;
  std::vector<std::uint32_t> next_;
  std::vector<double> km_;
};

/// Next-hop tables for several destinations, indexed in the given order.
std::vector<RouteTable> route_tables(const Network& net, const std::vector<std::uint32_t>& destinations);

struct Route {
  std::vector<std::uint32_t> nodes;  ///< from ... to
  std::vector<std::uint32_t> arcs;   ///< arc indices, nodes.size() - 1 of them
  double km = 0;
};

/// Up to k loop-free routes from `from` to `to`, shortest first (Yen 1971). The result is
/// deterministic: the first route is the one Dijkstra's search settles first among equally
/// short ones; later candidates of equal length are ordered by node sequence. Nodes marked in `avoid` (indexed by
/// node; empty = none) are never passed through (they may still be `from` or `to`).
std::vector<Route> k_shortest_routes(const Network& net, std::uint32_t from, std::uint32_t to, int k,
                                     const std::vector<char>& avoid = {});

/// Throws InputError if some destination cannot be reached from some origin (names both;
/// `where` says which scenario keys listed them).
void check_reachability(const Network& net, const std::vector<std::string>& origins,
                        const std::vector<std::string>& destinations, const std::string& where);

}  // namespace corridor
