#pragma once
// Route choice (docs/flee-rules.md "Route choice"). The candidates from a location are every loop-free
// path of 1 .. awareness_level hops (markers do not count as a hop and are never
// destinations; each prefix is a candidate). They depend only on the network, so they are
// enumerated once; each day begin_day weighs them serially and the parallel step only draws.
//
//   w = [ (weight_softening + S(d)) / (softening + D)^distance_power x C(d) ]^weight_power
//
// A path through a closed link is not a candidate that day. If every open candidate weighs 0
// the draw is uniform over the open ones.
#include <cstdint>
#include <span>
#include <vector>

#include "models/flee/settings.hpp"
#include "sim/network.hpp"

namespace corridor::flee {

class PathSet {
 public:
  /// Enumerates the candidates of every location. awareness_level 0 gives every single arc
  /// (markers included) as a candidate, to be drawn uniformly (the reference's level 0).
  /// Throws InputError if there would be more than `max_paths` paths.
  static PathSet enumerate(const Network& net, const std::vector<std::uint8_t>& is_marker, int awareness_level,
                           std::size_t max_paths = 50'000'000);

  std::size_t size() const { return dest_.size(); }
  /// Paths leaving `origin`: ids [first(origin), first(origin + 1)).
  std::uint32_t first(std::uint32_t origin) const { return first_[origin]; }
  std::span<const std::uint32_t> arcs(std::uint32_t path) const {
    return {arcs_.data() + arc_offset_[path], arcs_.data() + arc_offset_[path + 1]};
  }
  std::uint32_t arc(std::uint32_t path, std::uint32_t hop) const { return arcs_[arc_offset_[path] + hop]; }
  std::uint32_t length(std::uint32_t path) const { return arc_offset_[path + 1] - arc_offset_[path]; }
  std::uint32_t dest(std::uint32_t path) const { return dest_[path]; }
  double km(std::uint32_t path) const { return km_[path]; }
  bool uniform() const { return uniform_; }

 private:
  std::vector<std::uint32_t> first_;       ///< per origin, size locations + 1
  std::vector<std::uint32_t> arc_offset_;  ///< per path, size paths + 1
  std::vector<std::uint32_t> arcs_;
  std::vector<std::uint32_t> dest_;
  std::vector<double> km_;
  bool uniform_ = false;
};

/// The weight of a path ending at a location of score `score` and capacity factor `cap`
/// after `km` kilometres.
double path_weight(double score, double km, double cap, const FleeSettings& s);

/// Today's cumulative weights of every path, per origin, for drawing.
class DayRoutes {
 public:
  /// `score` and `cap` per location; `arc_closed` per arc (1 = closed).
  void compute(const PathSet& paths, const std::vector<double>& score, const std::vector<double>& cap,
               const std::vector<std::uint8_t>& arc_closed, const FleeSettings& s);

  /// The path drawn by u in [0, 1) among the candidates of `origin`, or kNone if there is none open.
  std::uint32_t draw(const PathSet& paths, std::uint32_t origin, double u) const;
  /// Today's weight of one path (after the uniform fallback), for tests and diagnostics.
  double weight(std::uint32_t path) const;
  double total(std::uint32_t origin) const { return total_[origin]; }

 private:
  std::vector<double> w_;      ///< per path: today's weight
  std::vector<double> cum_;    ///< per path: cumulative weight within its origin
  std::vector<double> total_;  ///< per origin
};

}  // namespace corridor::flee
