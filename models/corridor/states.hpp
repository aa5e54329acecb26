#pragma once
// The states of a travel party (docs/model.md §1.2). A party in a waiting
// state does nothing until its `wait_until` day; then the state says what happens next.
#include <cstdint>

namespace corridor::cm {

enum State : std::uint8_t {
  kTravelling = 0,    ///< on its route north (may be resting at a stop until wait_until)
  kDetainedMexico,    ///< intercepted by Mexico; then returned to origin or seeks asylum in Mexico
  kAsylumMexico,      ///< waiting for asylum in Tapachula; then continues north or settles
  kHome,              ///< back at origin after a return; departs again at wait_until
  kAtBorder,          ///< at a northern border city; attempts to cross at wait_until
  kRemainInMexico,    ///< returned under MPP to a border city to await a hearing
  kUsCustody,         ///< in US custody pending removal
  // final states: the party leaves the active set
  kInUsReleased,      ///< released into the US (Title 8, MPP relief, children to sponsors)
  kInUsUndetected,    ///< crossed without being encountered
  kStayedHome,        ///< returned home and did not try again
  kSettledMexico,     ///< stayed in Mexico (asylum)
  kStateCount
};

inline constexpr bool is_final_state(int s) { return s >= kInUsReleased; }

}  // namespace corridor::cm
