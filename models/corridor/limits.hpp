#pragma once
// Upper ends of the corridor model's parameters and inputs (docs/reliability.md, "Parameter
// ranges"). Every number a scenario or a table gives has a finite range, so that no accepted
// value overflows a double, a conversion to an integer or an allocation. Each end is far
// beyond anything the corridor has seen, and low enough that what the model computes from it
// stays finite; departures are checked once more as a whole when the model is built
// (Departures::foresee), since their factors multiply.
#include "sim/config.hpp"

namespace corridor::cm {

/// A delay, wait or duration in days: ten years. Days are drawn as int32 offsets
/// (geometric_days caps a draw at 100 years), and a report window is summed every day.
inline constexpr double kMaxDays = 3650;
/// A time constant in days (relaxation, decay, ramp, the repeat window): a century.
inline constexpr double kMaxTimeConstantDays = 36500;
/// People a day from one origin and demographic at reference conditions: the whole of FY2021's
/// southwest border encounters (about 1.7 million) in a fortnight.
inline constexpr double kMaxBasePerDay = 1e5;
/// `scale`: a thousand times the real flows (stress tests); no real run needs more, and a
/// larger one could not be held in memory anyway (the memory estimate refuses it).
inline constexpr double kMaxScale = 1e3;
/// A coefficient in an exponent (push, perception, route utility): exp(60) is about 1e26,
/// far beyond any calibrated value (docs/calibration.md searches 0.002-15).
inline constexpr double kMaxCoefficient = 60;
/// The push coefficients, per unit of their indicator: a homicide per 100k, a % of GDP per
/// capita, a CPI point; one unit changing departures by more than a factor e^2 is no push.
inline constexpr double kMaxPushCoefficient = 2;
/// The hurricane coefficient, per share of the population affected (at most 1): e^60.
inline constexpr double kMaxHurricaneCoefficient = kMaxCoefficient;
/// A multiplier or relative weight (mobility, family sizes, origin shares, smugglers' factors).
inline constexpr double kMaxFactor = 1e3;
/// The smugglers' speed factor: at least 1/100 (divides waits) and at most 100.
inline constexpr double kMinSpeedFactor = 1e-2;
inline constexpr double kMaxSpeedFactor = 1e2;
/// A speed in km a day: 1e5 (the Earth's circumference is 40 075 km), as Flee's.
inline constexpr double kMaxKmPerDay = 1e5;
/// Money per person or per km in USD: a million (smugglers' fees are 5,000-10,000 USD); the
/// fees series sums them in 64-bit integers.
inline constexpr double kMaxUsd = 1e6;
/// Total aid in USD: ten trillion (the 2021 plan pledged four billion).
inline constexpr double kMaxAidUsd = 1e13;
/// Aid's effect and hump, per USD a head: one dollar a head changing departures by a factor
/// e is far beyond the assumed 0.002.
inline constexpr double kMaxPerUsdPerCapita = 1;
/// A utility, in the units of the route logit: its exponent stays finite (exp(200) ~ 7e86).
inline constexpr double kMaxUtility = 100;
/// A shift of perceived openness (misinformation, announcements): openness is in [0, 1].
inline constexpr double kMaxOpennessShift = 1;
/// A shift of log-odds (the trip news' distortion, and the sd of its noise): e^20 is about
/// 5e8, which turns any share of trips into 0 or 1 to within 1e-8.
inline constexpr double kMaxLogOdds = 20;
/// The most people a day expected to leave from one origin in one demographic (after every
/// factor, perception at its most favourable): ten million. Parties are Poisson counts and
/// rows of the agent store; beyond this a day alone would not fit in memory.
inline constexpr double kMaxPeoplePerDay = 1e7;

/// Push indicators read from the push-factors table.
inline constexpr double kMaxHomicideRate = 1e3;    ///< per 100,000 (the highest national rates are ~100)
inline constexpr double kMaxGdpPerCapita = 1e7;    ///< USD PPP
inline constexpr double kMaxPopulation = 1e10;     ///< people (more than the world's)

/// [0, hi] and (0, hi].
inline Bounds non_negative_at_most(double hi) { return Bounds(Range::kNonNegative).at_most(hi); }
inline Bounds positive_at_most(double hi) { return Bounds(Range::kPositive).at_most(hi); }
/// [-m, m].
inline Bounds symmetric(double m) { return Bounds::between(-m, m); }

}  // namespace corridor::cm
