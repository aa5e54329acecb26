#pragma once
// Model v2 mechanism, who travels (docs/model.md §3.16; issue 11 item 4). A household with
// children that decides to leave chooses who goes: the family together, a child sent alone
// (an unaccompanied child, UC), or one parent going ahead alone (a single adult), by what it
// believes each will meet at the US border: the perceived openness P_d of that demographic
// (Perception, §3.4; with the trip news on, the news of whole trips, §3.14). When families are
// expelled under Title 42 and children admitted (2020 to the February 2021 change), sending
// the children becomes the household's best option.
//
// Per nationality n and day, with the day's neutral departures N_d (departures with
// perception at its reference, §3.3) and the mean family size m, the pool of households is
//
//   H_family = N_family / m,   H_child = N_child,   H_adult = parent_share * N_single_adult,
//
// so that its shares at reference, s_d = H_d / H, are the base rates' own mix. Each household
// chooses option d with the multinomial logit
//
//   p_d = s_d exp(kappa (P_d - P_ref)) / sum_e s_e exp(kappa (P_e - P_ref)),
//
// (kappa = choice_sensitivity; the option "adult" meets what single adults meet), and the pool
// leaves at the rate of its best prospect, the logit's inclusive value
//
//   IV = P_ref + log(sum_e s_e exp(kappa (P_e - P_ref))) / kappa     (sum_e s_e (P_e - P_ref) at kappa 0),
//
// through the families' response to perceived openness: factor f = exp(gamma_family (IV - P_ref))
// (Perception::factor_at). So departures are
//
//   family:        H f p_family m          (parties of the family sizes, §3.3)
//   child:         H f p_child             (one child per household)
//   single adult:  (1 - parent_share) N_single_adult exp(gamma_adult (P_adult - P_ref)) + H f p_adult.
//
// At reference beliefs (every P_d = P_ref) this is exactly N_d: the base rates keep their
// meaning, and what the mechanism changes is the response, a nested logit instead of three
// independent demographics. The number of households (of parties) leaving does not depend on
// who goes: sending a child instead of a family of four turns four people into one.
//
// With the switch off (the default until the v2 refit) departures are the v1 ones, each
// demographic responding to its own perception only.
//
// Reads: the perception (openness, reference, the families' gamma). Writes: the day's people
// leaving per demographic (read by Departures), the series household_choice (declared only when
// switched on). No state of its own: it is computed from the perception, which a checkpoint keeps.
#include <array>

#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/perception.hpp"
#include "sim/tally.hpp"

namespace corridor::cm {

/// A pool of households' choice among the three options, indexed by demographic (family,
/// child, single adult for a parent alone).
struct HouseholdChoice {
  PerDemoNumber share{};  ///< p_d; all 0 for an empty pool
  double inclusive = 0;   ///< IV, the pool's best prospect as an openness
};

/// The logit above, from the pool's households at reference per option, the believed openness
/// per option, the reference openness and kappa (>= 0). No switch.
HouseholdChoice choose_who_travels(const PerDemoNumber& households, const PerDemoNumber& believed, double reference,
                                   double kappa);

class Households {
 public:
  struct Params {
    bool enabled = false;
    double choice_sensitivity = 0;  ///< kappa, per unit openness
    double parent_share = 0;        ///< share of single adults' departures who are parents of the pool
    /// households.*
    static void declare(Declarer& d, Params& p);
  };

  /// `perception` must outlive this. `base` are the base departure rates (departures.base_per_day)
  /// and `family_size` the mean family size: they fix the pool's mix at reference.
  Households(const Params& p, const Perception& perception, const std::array<PerDemoNumber, kNationalities>& base,
             double family_size);
  void declare_series(SeriesLayout& series);

  bool enabled() const { return p_.enabled; }
  /// Today's people leaving of nationality n per demographic, from its neutral departures
  /// (perception factor 1; any common factor of the base rates). Departures asks only when on.
  PerDemoNumber people(Nationality n, const PerDemoNumber& neutral) const;
  /// The most people of demographic d that neutral departures `neutral` can send: every
  /// household of the pool choosing d, at the largest factors perception can reach
  /// (Departures::foresee).
  double max_people(Nationality n, Demographic d, const PerDemoNumber& neutral) const;
  /// Today's choice of nationality n's pool.
  HouseholdChoice choice(Nationality n) const;
  /// End of day: tomorrow's choice shares into today's totals (after the perception's update).
  void end_day(Tally& totals) const;

  struct Series {
    SeriesId choice;  ///< household_choice [nationality, demographic], ppm; only when switched on
  };
  const Series& series() const { return series_; }

 private:
  /// The pool's households per option, from neutral departures.
  PerDemoNumber pool(const PerDemoNumber& neutral) const;
  /// What nationality n believes each option meets (the reference when perception is off).
  PerDemoNumber believed(Nationality n) const;

  const Params& p_;
  const Perception& perception_;
  std::array<PerDemoNumber, kNationalities> base_;
  double family_size_;
  Series series_;
};

}  // namespace corridor::cm
