#include "models/flee/closures.hpp"

#include <algorithm>

namespace corridor::flee {

ClosureState::ClosureState(const FleeCase& c, const Network& net)
    : arc_closed_(net.arc_count(), 0), camp_closed_(c.locations.size(), 0) {
  auto find = [&](const std::string& name) {
    for (std::uint32_t i = 0; i < c.locations.size(); ++i)
      if (c.locations[i].name == name) return i;
    return kNone;  // the readers reject unknown names; cases built in code must use real ones
  };
  for (const Closure& cl : c.closures) {
    Resolved r{cl.start, cl.end, {}, kNone};
    for (std::uint32_t a = 0; a < net.arc_count(); ++a) {
      const Arc& arc = net.arc(a);
      const Location& from = c.locations[arc.from];
      const Location& to = c.locations[arc.to];
      bool hit = false;
      switch (cl.kind) {
        case Closure::Kind::kCountry:
          // Every arc between the two countries, whichever way it points.
          hit = (from.country == cl.name1 && to.country == cl.name2) ||
                (from.country == cl.name2 && to.country == cl.name1);
          break;
        case Closure::Kind::kLocation:
          hit = from.name == cl.name1 || to.name == cl.name1;
          break;
        case Closure::Kind::kLink:
          hit = (from.name == cl.name1 && to.name == cl.name2) || (from.name == cl.name2 && to.name == cl.name1);
          break;
        case Closure::Kind::kCamp:
          break;
      }
      if (hit) r.arcs.push_back(a);
    }
    if (cl.kind == Closure::Kind::kCamp) r.camp = find(cl.name1);
    closures_.push_back(std::move(r));
  }
}

void ClosureState::apply(int day) {
  std::fill(arc_closed_.begin(), arc_closed_.end(), 0);
  std::fill(camp_closed_.begin(), camp_closed_.end(), 0);
  for (const Resolved& r : closures_) {
    if (day < r.start || (r.end >= 0 && day >= r.end)) continue;
    for (std::uint32_t a : r.arcs) arc_closed_[a] = 1;
    if (r.camp != kNone) camp_closed_[r.camp] = 1;
  }
}

std::size_t ClosureState::closed_arc_count() const {
  return static_cast<std::size_t>(std::count(arc_closed_.begin(), arc_closed_.end(), std::uint8_t{1}));
}

}  // namespace corridor::flee
