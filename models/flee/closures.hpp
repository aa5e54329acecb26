#pragma once
// Closures (docs/flee-rules.md "Closures"): each closure is active on days [start, end) (end -1: for
// ever). `country` closes every link between the two countries, `location` every link into or
// out of the location, `link` the link between two locations, in both directions each (the
// reference code closes links in one direction only, a known bug); `camp` makes a camp act as
// a town. Overlapping closures of one link keep it closed until the last one ends.
#include <cstdint>
#include <vector>

#include "models/flee/case.hpp"
#include "sim/network.hpp"

namespace corridor::flee {

class ClosureState {
 public:
  ClosureState(const FleeCase& c, const Network& net);

  /// Sets the closures active on `day` (any day, in any order).
  void apply(int day);

  bool arc_closed(std::uint32_t arc) const { return arc_closed_[arc] != 0; }
  bool camp_closed(std::uint32_t loc) const { return camp_closed_[loc] != 0; }
  /// One byte per network arc: 1 when closed today.
  const std::vector<std::uint8_t>& closed_arcs() const { return arc_closed_; }
  std::size_t closed_arc_count() const;

 private:
  struct Resolved {
    int start, end;
    std::vector<std::uint32_t> arcs;  ///< both directions
    std::uint32_t camp = kNone;
  };
  std::vector<Resolved> closures_;
  std::vector<std::uint8_t> arc_closed_;
  std::vector<std::uint8_t> camp_closed_;
};

}  // namespace corridor::flee
