#pragma once
// The states of a travel party (docs/model.md §1.2), declared once: the enum gives each its
// number (the value stored in /agents/state, so the numbers never change: a new state is
// appended), and kStates gives its name and whether it is final (the party then leaves the
// active set). Nothing else lists states: CorridorModel::declare registers this table, and
// is_final_state reads it, so a final state may sit anywhere in the enum.
//
// A party in a waiting state does nothing until its `wait_until` day; then the module that
// handles the state acts (CorridorModel::act says which).
#include <array>
#include <cstdint>
#include <string_view>

namespace corridor::cm {

enum State : std::uint8_t {
  kTravelling,      ///< on its route north (may be resting at a stop until wait_until)
  kDetainedMexico,  ///< intercepted by Mexico; then returned to origin or seeks asylum in Mexico
  kAsylumMexico,    ///< waiting for asylum in Tapachula; then continues north or settles
  kHome,            ///< back at origin after a return; departs again at wait_until
  kAtBorder,        ///< at a northern border city; attempts to cross at wait_until
  kRemainInMexico,  ///< returned under MPP to a border city to await a hearing
  kUsCustody,       ///< in US custody pending removal
  kInUsReleased,    ///< released into the US (Title 8, MPP relief, children to sponsors)
  kInUsUndetected,  ///< crossed without being encountered
  kStayedHome,      ///< returned home and did not try again
  kSettledMexico,   ///< stayed in Mexico (asylum)
  kStateCount
};

struct StateInfo {
  State state;
  std::string_view name;  ///< as in /agents/state_labels
  bool final;             ///< the party leaves the active set
};

inline constexpr std::array<StateInfo, kStateCount> kStates = {{
    {kTravelling, "travelling", false},
    {kDetainedMexico, "detained_mexico", false},
    {kAsylumMexico, "asylum_mexico", false},
    {kHome, "home", false},
    {kAtBorder, "at_border", false},
    {kRemainInMexico, "remain_in_mexico", false},
    {kUsCustody, "us_custody", false},
    {kInUsReleased, "in_us_released", true},
    {kInUsUndetected, "in_us_undetected", true},
    {kStayedHome, "stayed_home", true},
    {kSettledMexico, "settled_mexico", true},
}};

namespace detail {
constexpr bool states_in_enum_order() {
  for (std::size_t s = 0; s < kStates.size(); ++s)
    if (kStates[s].state != s) return false;
  return true;
}
constexpr std::uint64_t final_state_mask() {
  std::uint64_t m = 0;
  for (const StateInfo& s : kStates) m |= s.final ? std::uint64_t{1} << s.state : 0;
  return m;
}
}  // namespace detail
static_assert(detail::states_in_enum_order(), "kStates lists every State once, in enum order");
static_assert(kStateCount <= 64, "final_state_mask holds one bit per state");

/// Bit s set: state s is final (from kStates).
inline constexpr std::uint64_t kFinalStateMask = detail::final_state_mask();

inline constexpr bool is_final_state(int s) {
  return static_cast<unsigned>(s) < kStateCount && ((kFinalStateMask >> s) & 1u);
}

}  // namespace corridor::cm
