#include "models/flee/route_choice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/flee/case.hpp"
#include "sim/error.hpp"

namespace corridor::flee {

namespace {

struct Enumerator {
  const Network& net;
  const std::vector<std::uint8_t>& marker;
  int awareness;
  std::size_t max_paths;
  std::vector<std::uint32_t>& arc_offset;
  std::vector<std::uint32_t>& arcs;
  std::vector<std::uint32_t>& dest;
  std::vector<double>& km;
  std::vector<std::uint32_t> stack_arcs;
  std::vector<std::uint8_t> on_path;

  void emit(std::uint32_t to, double length) {
    if (dest.size() >= max_paths)
      throw InputError(fmt::format("awareness_level {} gives more than {} candidate paths on this network; lower it",
                                   awareness, max_paths));
    if (stack_arcs.size() > 255)
      throw InputError("a candidate path passes more than 255 links (a long chain of markers); agents store "
                       "their place on a path in one byte");
    arcs.insert(arcs.end(), stack_arcs.begin(), stack_arcs.end());
    arc_offset.push_back(static_cast<std::uint32_t>(arcs.size()));
    dest.push_back(to);
    km.push_back(length);
  }

  // Depth-first over loop-free extensions; markers are passed through without counting a hop.
  void extend(std::uint32_t at, int hops, double length) {
    for (const Arc& a : net.out_arcs(at)) {
      if (on_path[a.to]) continue;
      const int h = hops + (marker[a.to] ? 0 : 1);
      if (h > awareness) continue;
      const auto arc_index = static_cast<std::uint32_t>(&a - &net.arc(0));
      stack_arcs.push_back(arc_index);
      on_path[a.to] = 1;
      if (!marker[a.to]) emit(a.to, length + a.km);
      extend(a.to, h, length + a.km);
      on_path[a.to] = 0;
      stack_arcs.pop_back();
    }
  }
};

}  // namespace

PathSet PathSet::enumerate(const Network& net, const std::vector<std::uint8_t>& is_marker, int awareness_level,
                           std::size_t max_paths) {
  PathSet p;
  const auto n = static_cast<std::uint32_t>(net.node_count());
  p.first_.assign(n + 1, 0);
  p.arc_offset_.push_back(0);
  if (awareness_level <= 0) {
    // Level 0: every open link equally likely, whatever lies at its end.
    p.uniform_ = true;
    for (std::uint32_t o = 0; o < n; ++o) {
      p.first_[o] = static_cast<std::uint32_t>(p.dest_.size());
      for (const Arc& a : net.out_arcs(o)) {
        p.arcs_.push_back(static_cast<std::uint32_t>(&a - &net.arc(0)));
        p.arc_offset_.push_back(static_cast<std::uint32_t>(p.arcs_.size()));
        p.dest_.push_back(a.to);
        p.km_.push_back(a.km);
      }
    }
    p.first_[n] = static_cast<std::uint32_t>(p.dest_.size());
    return p;
  }
  Enumerator e{net, is_marker, awareness_level, max_paths, p.arc_offset_, p.arcs_, p.dest_, p.km_, {},
               std::vector<std::uint8_t>(n, 0)};
  for (std::uint32_t o = 0; o < n; ++o) {
    p.first_[o] = static_cast<std::uint32_t>(p.dest_.size());
    e.on_path[o] = 1;
    e.extend(o, 0, 0.0);
    e.on_path[o] = 0;
  }
  p.first_[n] = static_cast<std::uint32_t>(p.dest_.size());
  return p;
}

double path_weight(double score, double km, double cap, const FleeSettings& s) {
  const double w = (s.weight_softening + score) / std::pow(s.softening + km, s.distance_power) * cap;
  return s.weight_power == 1.0 ? w : std::pow(w, s.weight_power);
}

void DayRoutes::compute(const PathSet& paths, const std::vector<double>& score, const std::vector<double>& cap,
                        const std::vector<std::uint8_t>& arc_closed, const FleeSettings& s) {
  const std::size_t np = paths.size();
  const std::size_t n = score.size();
  cum_.resize(np);
  total_.assign(n, 0.0);
  w_.resize(np);
  std::vector<double>& w = w_;
  std::vector<std::uint8_t> open(np);
  for (std::uint32_t o = 0; o < n; ++o) {
    const std::uint32_t b = paths.first(o), e = paths.first(o + 1);
    double sum = 0;
    std::size_t n_open = 0;
    for (std::uint32_t q = b; q < e; ++q) {
      bool ok = true;
      for (std::uint32_t a : paths.arcs(q)) ok = ok && !arc_closed[a];
      open[q] = ok;
      n_open += ok;
      w[q] = !ok ? 0.0 : paths.uniform() ? 1.0 : path_weight(score[paths.dest(q)], paths.km(q), cap[paths.dest(q)], s);
      sum += w[q];
    }
    if (!(sum > 0) && n_open > 0) {
      for (std::uint32_t q = b; q < e; ++q) w[q] = open[q] ? 1.0 : 0.0;  // all weights 0: uniform
    }
    double c = 0;
    for (std::uint32_t q = b; q < e; ++q) {
      c += w[q];
      cum_[q] = c;
    }
    total_[o] = c;
  }
}

std::uint32_t DayRoutes::draw(const PathSet& paths, std::uint32_t origin, double u) const {
  const double total = total_[origin];
  if (!(total > 0)) return kNone;
  const std::uint32_t b = paths.first(origin), e = paths.first(origin + 1);
  const double x = u * total;
  std::uint32_t q = b;
  if (e - b <= 8) {
    while (q < e && !(cum_[q] > x)) ++q;
  } else {
    q = static_cast<std::uint32_t>(std::upper_bound(cum_.begin() + b, cum_.begin() + e, x) - cum_.begin());
  }
  if (q == e) {
    // u * total rounded up to total: take the last path with weight.
    q = e - 1;
    while (q > b && cum_[q] == cum_[q - 1]) --q;
  }
  return q;
}

double DayRoutes::weight(std::uint32_t path) const { return w_[path]; }

}  // namespace corridor::flee
