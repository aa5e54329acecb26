#pragma once
// The kinds of events the corridor model logs (docs/model.md §2.9), declared once: the enum
// gives each its number (the value stored in /events/kind, so the numbers never change: a new
// kind is appended), and kEventKinds its name (/events/kind_labels, and the names
// output.event_kinds accepts). CorridorModel::declare registers this table first, so a kind's
// number is its event id; the module that raises an event names it by the enum.
#include <array>
#include <cstdint>
#include <string_view>

namespace corridor::cm {

enum EventKind : std::uint16_t {
  kEventDeparture,        ///< a trip starts (departures.cpp)
  kEventArrival,          ///< a party reaches a node of its route (travel.cpp)
  kEventInterception,     ///< Mexico intercepts a party (mexico_enforcement.cpp)
  kEventEncounter,        ///< a US encounter; `other` is the title, 8 or 42 (us_border.cpp)
  kEventExpulsion,        ///< Title 42 expulsion (us_border.cpp)
  kEventRemoval,          ///< Title 8 removal, when custody ends (us_border.cpp)
  kEventRelease,          ///< release into the US (us_border.cpp)
  kEventReturn,           ///< Mexico returns a party to its origin (mexico_enforcement.cpp)
  kEventMppReturn,        ///< returned to Mexico under MPP (us_border.cpp)
  kEventAsylumMexico,     ///< an intercepted party seeks asylum in Mexico (mexico_enforcement.cpp)
  kEventUndetectedEntry,  ///< crossed without being encountered (us_border.cpp)
  kEventGiveUp,           ///< goes home for good (departures.cpp)
  kEventKindCount
};

struct EventKindInfo {
  EventKind kind;
  std::string_view name;
};

inline constexpr std::array<EventKindInfo, kEventKindCount> kEventKinds = {{
    {kEventDeparture, "departure"},
    {kEventArrival, "arrival"},
    {kEventInterception, "interception"},
    {kEventEncounter, "encounter"},
    {kEventExpulsion, "expulsion"},
    {kEventRemoval, "removal"},
    {kEventRelease, "release"},
    {kEventReturn, "return"},
    {kEventMppReturn, "mpp_return"},
    {kEventAsylumMexico, "asylum_mexico"},
    {kEventUndetectedEntry, "undetected_entry"},
    {kEventGiveUp, "give_up"},
}};

namespace detail {
constexpr bool event_kinds_in_enum_order() {
  for (std::size_t k = 0; k < kEventKinds.size(); ++k)
    if (kEventKinds[k].kind != k) return false;
  return true;
}
}  // namespace detail
static_assert(detail::event_kinds_in_enum_order(), "kEventKinds lists every EventKind once, in enum order");

}  // namespace corridor::cm
