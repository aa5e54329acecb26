#pragma once
// The roles the corridor model gives the network's nodes (docs/model.md §1.2, "The network"):
// the origins' home nodes, the asylum node, the northern border cities and the Border Patrol
// sector across from each, and the Mexican interception points. Read once, at construction;
// every mechanism looks places up here instead of in node kinds.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/corridor/categories.hpp"
#include "sim/config.hpp"
#include "sim/network.hpp"
#include "sim/tally.hpp"

namespace corridor::cm {

/// Where people of one nationality set out from, and in which proportion (departures.origins).
struct OriginSpec {
  std::string node;
  Nationality nationality = kMexico;
  double share = 1.0;
};

/// Where Mexico intercepts (docs/model.md §3.6).
enum class InterceptionPoint : std::uint8_t {
  kNone,        ///< not an interception point
  kCrossing,    ///< a Guatemala-Mexico crossing on the Mexican side (kind `crossing`, country contains MX)
  kCheckpoint,  ///< a Mexican transit town (kind `transit`, country MX)
};

class NetworkRoles {
 public:
  /// Throws InputError naming `nodes_file` (the network's node table) or the key of `section`
  /// (the scenario's `corridor:`) at fault.
  NetworkRoles(const Network& net, const std::filesystem::path& nodes_file, const Section& section,
               const std::vector<OriginSpec>& origins, const std::string& asylum_node);

  const Network& network() const { return net_; }

  std::size_t origin_count() const { return origin_node_.size(); }
  std::uint32_t origin_node(std::size_t origin) const { return origin_node_[origin]; }
  /// The nationality of a party from `origin` (the origin entry's).
  Nationality nationality(std::uint8_t origin) const { return nationality_[origin]; }
  /// Where asylum seekers in Mexico wait (mexico.asylum_node).
  std::uint32_t asylum_node() const { return asylum_node_; }
  /// The nodes trips start from: the distinct origin nodes, then the asylum node.
  const std::vector<std::uint32_t>& starts() const { return starts_; }

  const std::vector<std::uint32_t>& border_cities() const { return border_cities_; }
  /// The border city's index among border_cities(), or -1 for any other node.
  int border_slot(std::uint32_t node) const { return border_slot_[node]; }
  /// The sector across from a border city.
  std::size_t sector_of(std::uint32_t border_city) const {
    return static_cast<std::size_t>(sector_of_node_[border_city]);
  }
  std::uint32_t sector_node(std::size_t sector) const { return sector_node_[sector]; }
  std::size_t sector_count() const { return sector_node_.size(); }
  /// Nodes no route passes through (border cities, sectors, destinations; docs/model.md §3.5).
  const std::vector<char>& avoided_by_routes() const { return avoid_; }
  InterceptionPoint interception_point(std::uint32_t node) const { return interception_[node]; }

  // Dimensions of the series, labelled as in the scenario and the network.
  Dimension origin_dim() const;
  Dimension node_dim() const;
  Dimension sector_dim() const;
  Dimension border_city_dim() const;

 private:
  const Network& net_;
  std::vector<std::string> origin_labels_;
  std::vector<std::uint32_t> origin_node_;
  std::array<Nationality, 256> nationality_{};
  std::uint32_t asylum_node_ = 0;
  std::vector<std::uint32_t> starts_;
  std::vector<std::uint32_t> border_cities_;
  std::vector<int> border_slot_;
  std::vector<int> sector_of_node_;
  std::vector<std::uint32_t> sector_node_;
  std::vector<std::string> sector_labels_;
  std::vector<char> avoid_;
  std::vector<InterceptionPoint> interception_;
};

}  // namespace corridor::cm
