#pragma once
// An agent's day of movement (docs/flee-rules.md "Move decision" and "Travel"), the parallel part of
// the model. Each agent reads only today's tables (built serially in begin_day from
// yesterday's state), writes only its own row and its thread's sink, and draws only from
// RandomStream(seed, agent, day, kMovePurpose): the result does not depend on threads.
//
// A day: an agent at a location with a planned path continues on it (chance 1) unless its
// next link is closed or the plan ends at a camp whose capacity factor is below 0.5; otherwise
// it moves with its location's move chance and draws a path. It then travels: the day is one
// budget shared across the links of that day (km / link speed as a share of the day); on
// arriving with budget left it decides again at once. A link that closed while it was on it
// is finished and the agent is put back at its start, for the rest of the day.
#include <cstdint>

#include "models/flee/route_choice.hpp"
#include "sim/edge_flows.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/tally.hpp"

namespace corridor::flee {

enum AgentState : std::uint8_t { kAtLocation = 0, kTravelling = 1 };

inline constexpr std::uint16_t kMovePurpose = 1;   ///< RandomStream purpose of movement draws
inline constexpr std::uint16_t kSpawnPurpose = 2;  ///< ... of the spawn location draw
/// Safety net against pathological inputs (e.g. chains of very short links): at most this many
/// link arrivals per agent and day.
inline constexpr int kMaxLinksPerDay = 1024;

/// The agent columns movement reads and writes (rows of the AgentStore).
struct AgentColumns {
  const std::uint64_t* id;
  std::uint32_t* node;   ///< current location; while travelling, the link's start
  std::uint8_t* state;   ///< AgentState
  std::uint32_t* arc;    ///< link being travelled (network arc), kNone at a location
  float* link_km;        ///< km done on that link
  std::uint32_t* path;   ///< planned path still to follow after the current link, kNone if none
  std::uint8_t* hop;     ///< index in `path` of the next link to take
  std::uint16_t* links;  ///< links completed so far (saturates)
};

/// Today's read-only tables.
struct MoveWorld {
  const PathSet* paths;
  const DayRoutes* routes;
  const std::uint64_t* move_threshold;  ///< per location: P(move) x 2^32; 2^32 = always
  const std::uint8_t* drop_plan_to;     ///< per location: a plan ending here is dropped today
  const std::uint8_t* arc_closed;       ///< per arc
  const Arc* arcs;                      ///< the network's arcs
  const double* arc_speed;              ///< per arc, km/day
  double walk_speed = 35.0;
  bool start_on_foot = false;
};

struct MoveOutput {
  SeriesId occupancy;  ///< [location] agents at a location at the end of the day
  SeriesId transit;    ///< [] agents on a link at the end of the day
  EdgeFlows edge_flows;  ///< [edge] agents stepping onto each link during the day
  std::uint16_t ev_depart = 0, ev_arrive = 0, ev_return = 0;
};

/// P(move) as a threshold on a 32-bit uniform draw.
std::uint64_t move_threshold(double p);

/// Moves rows [begin, end) through day `day`.
void move_agents(const MoveWorld& world, const AgentColumns& a, std::size_t begin, std::size_t end,
                 std::uint64_t seed, int day, const MoveOutput& out, ThreadSink& sink);

}  // namespace corridor::flee
