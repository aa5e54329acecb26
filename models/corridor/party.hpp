#pragma once
// A travel party as the mechanisms see it (docs/model.md §1.2): the columns of the agent store
// that hold its state variables, raw pointers to them for one step() call, and one party's
// row with what never changes about it. Also what every mechanism uses to end a party's
// life in the model (Party::finish) and to draw a waiting time (geometric_days, §3.5).
#include <cstddef>
#include <cstdint>

#include "models/corridor/categories.hpp"
#include "models/corridor/states.hpp"
#include "sim/agents.hpp"
#include "sim/model.hpp"
#include "sim/rng.hpp"

namespace corridor::cm {

/// Random-number purposes (RandomStream keys), one per kind of draw; keep them distinct.
inline constexpr std::uint16_t kPurposeSpawn = 1;           ///< a new party's size, smuggler, route
inline constexpr std::uint16_t kPurposeDay = 2;             ///< a party's day (CorridorModel::step)
inline constexpr std::uint16_t kPurposeDepartureCount = 3;  ///< the day's number of new parties
inline constexpr std::uint16_t kPurposeNews = 4;            ///< the day's noise on trip news (TripNews)

/// Streams not of a party: their "agent" key lies far above any party id. Departure counts
/// use kDepartureStreamBase + origin * 3 + demographic; the news noise (TripNews) one stream,
/// apart from those.
inline constexpr std::uint64_t kDepartureStreamBase = 1ull << 62;
inline constexpr std::uint64_t kNewsStream = kDepartureStreamBase + (std::uint64_t{1} << 40);

/// Bits of the `flags` column.
inline constexpr std::uint8_t kFlagSmuggler = 1;
/// The party's MPP hearing fell in the suspension of hearings and was postponed (Closures).
inline constexpr std::uint8_t kFlagHearingDeferred = 2;

/// The model's columns, in the order of the /agents table (beside the engine's id, node, state).
struct PartyColumns {
  ColumnId<std::uint8_t> origin, demographic, size, flags;
  ColumnId<std::uint32_t> route;
  ColumnId<std::uint8_t> hop;
  ColumnId<float> progress;
  ColumnId<std::int32_t> wait_until, trip_start, departure_day;
  ColumnId<std::uint8_t> us_attempts, mx_interceptions, encounters;
  ColumnId<std::int32_t> last_encounter, final_day;

  /// What the index columns may hold (a restart range-checks the stored values against it).
  struct Limits {
    std::size_t origins = 0;   ///< departures.origins
    std::size_t routes = 0;    ///< candidate routes
    std::size_t max_hops = 0;  ///< the most hops of a route (nodes - 1)
  };
  void declare(AgentStore& store, const Limits& limits);
};

/// Raw pointers to every column, taken once per step() (or after appending rows): valid until
/// the store next grows or is compacted.
struct PartyRows {
  PartyRows(AgentStore& store, const PartyColumns& c);

  std::uint64_t* id;
  std::uint32_t* node;
  std::uint8_t* state;
  std::uint8_t *origin, *demographic, *size, *flags;
  std::uint32_t* route;
  std::uint8_t* hop;
  float* progress;
  std::int32_t *wait_until, *trip_start, *departure_day;
  std::uint8_t *us_attempts, *mx_interceptions, *encounters;
  std::int32_t *last_encounter, *final_day;
};

/// One party during its step: its row, and what does not change while it lives.
class Party {
 public:
  Party(const PartyRows& rows, std::size_t row, Nationality nationality)
      : id(rows.id[row]),
        origin(rows.origin[row]),
        demo(static_cast<Demographic>(rows.demographic[row])),
        size(rows.size[row]),
        smuggled((rows.flags[row] & kFlagSmuggler) != 0),
        nationality(nationality),
        rows_(rows),
        row_(row) {}

  const std::uint64_t id;
  const std::uint8_t origin;  ///< index into departures.origins
  const Demographic demo;
  const std::uint8_t size;  ///< people
  const bool smuggled;      ///< travels with a smuggler
  const Nationality nationality;

  std::uint32_t& node() const { return rows_.node[row_]; }
  std::uint8_t& state() const { return rows_.state[row_]; }
  std::uint32_t& route() const { return rows_.route[row_]; }
  std::uint8_t& hop() const { return rows_.hop[row_]; }
  float& progress() const { return rows_.progress[row_]; }
  std::int32_t& wait_until() const { return rows_.wait_until[row_]; }
  std::int32_t& trip_start() const { return rows_.trip_start[row_]; }
  std::uint8_t& us_attempts() const { return rows_.us_attempts[row_]; }
  std::uint8_t& mx_interceptions() const { return rows_.mx_interceptions[row_]; }
  std::uint8_t& encounters() const { return rows_.encounters[row_]; }
  std::int32_t& last_encounter() const { return rows_.last_encounter[row_]; }
  std::uint8_t& flags() const { return rows_.flags[row_]; }

  /// Puts the party in final state `s` today (it leaves the active set at the end of the day).
  void finish(int day, State s, ThreadSink& sink) const {
    rows_.state[row_] = s;
    rows_.final_day[row_] = day;
    ++sink.finished;
  }

 private:
  const PartyRows& rows_;
  std::size_t row_;
};

/// A geometric number of days on {0, 1, 2, ...} with the given mean (docs/model.md §3.5):
/// P(k) = (1 - q) q^k, q = mean / (1 + mean), drawn as floor(ln U / ln q), capped at 100 years.
/// Every waiting time in the model is drawn with it.
std::int32_t geometric_days(double mean, RandomStream& rng);

}  // namespace corridor::cm
