// The declaration of every corridor parameter (docs/model.md §3.9 is generated from it).
#include "models/corridor/parameters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace corridor::cm {

namespace {

void declare(Declarer& d, Parameters& p) {
  Departures::Params::declare(d, p.departures);
  Perception::Params::declare(d, p.perception);
  RouteChoice::Params::declare(d, p.route_choice);
  Travel::Params::declare(d, p.travel);
  Smuggling::Params::declare(d, p.smuggling);
  MexicanEnforcement::Params::declare(d, p.mexico);
  // ---- 7. US border
  d.per_demo("us.port_share", p.port_share, {0.08, 0.10, 0.15}, "share", Range::kProbability,
             "parties that present at a port of entry rather than cross between ports (OFO was ~13% of FY2019 "
             "encounters)");
  d.schedule("us.encounter_probability", p.encounter_probability, "0.8", "probability", Range::kProbability,
             "chance that a crossing between ports is encountered by Border Patrol (the rest get away); DHS "
             "apprehension-rate estimates of 0.75-0.85");
  d.number("us.repeat_window_days", p.repeat_window_days, 365, "days", Range::kPositive,
           "an encounter is a repeat if the party was encountered within this window (CBP's definition)");
  d.flag("us.title42.enabled", p.title42_on, true, "mechanism switch");
  d.date("us.title42.start", p.title42_start, "2020-03-20", "policy_timeline.csv");
  d.date("us.title42.end", p.title42_end, "2023-05-11", "policy_timeline.csv");
  d.per_demo_schedule("us.title42.expel_share", p.expel_share,
                      {"0.9", "2020-03-20:0.6, 2021-02-01:0.35", "2020-03-20:0.5, 2020-11-18:0"}, "share",
                      Range::kProbability,
                      "share of encountered parties expelled while Title 42 is in force; families only in part; "
                      "children not after the injunction (2020-11-18) and the exception (2021-02-17); calibrated");
  d.per_group_demo("us.title42.retry_share", p.expelled_retry_share, {{{0.6, 0.6, 0.6}, {0.6, 0.6, 0.6}}}, "share",
                   Range::kProbability,
                   "expelled parties who try again (TRAC: most Title 42 apprehensions had a prior one); by nationality "
                   "group, since Mexicans are expelled into their own country near home and retry cheaply, Central "
                   "Americans into a Mexican border city far from home, and families retry less than single adults; "
                   "`us.title42.retry_share` may be one number for everyone, and each group one number for all its "
                   "demographics; calibrated");
  d.per_group_demo("us.title42.retry_delay_days", p.expelled_retry_delay_days, {{{10, 10, 10}, {10, 10, 10}}},
                   "days (mean)", Range::kNonNegative,
                   "time in the border city before the next attempt; one number, by group, or by group and "
                   "demographic, as retry_share; calibrated");
  for (int n = 0; n < kNationalities; ++n) {
    const PerDemoNumber def = n == kMexico ? PerDemoNumber{0.85, 0.5, 0.9} : PerDemoNumber{0.5, 0.15, 0.0};
    d.per_demo("us.title8.removal_share." + kNationalityKeys[n], p.removal_share[n], def, "share",
               Range::kProbability,
               "Title 8 outcome: removal (else release; children go to ORR care, then sponsors); Mexicans are mostly "
               "returned; assumption, calibrated");
  }
  d.number("us.title8.custody_days", p.custody_days, 20, "days", Range::kNonNegative, "detention before removal");
  d.number("us.title8.retry_share", p.removed_retry_share, 0.3, "share", Range::kProbability,
           "removed parties who try again");
  d.number("us.title8.retry_delay_days", p.removed_retry_delay_days, 60, "days (mean)", Range::kNonNegative,
           "time before trying again after removal");
  d.flag("us.mpp.enabled", p.mpp_on, true, "mechanism switch");
  {
    std::string leaf;
    auto s = d.custom("us.mpp.periods", "2019-01-29..2021-01-20; 2021-12-06..2022-08-08", "list of {start, end}",
                      "Migrant Protection Protocols (policy_timeline.csv)", leaf);
    p.mpp_periods = {{*parse_iso_date("2019-01-29"), *parse_iso_date("2021-01-20")},
                     {*parse_iso_date("2021-12-06"), *parse_iso_date("2022-08-08")}};
    if (s && s->has(leaf)) {
      p.mpp_periods.clear();
      for (const Section& per : s->list(leaf)) {
        const Date a = per.date("start"), b = per.date("end");
        if (b < a) per.fail("end", "end date is before start date");
        p.mpp_periods.push_back({a, b});
      }
    }
  }
  d.number("us.mpp.share.single_adult", p.mpp_share[kSingleAdult], 0.12, "share", Range::kProbability,
           "Title 8 non-Mexican parties returned to wait in Mexico (about 70,000 people in MPP 1.0)");
  d.number("us.mpp.share.family", p.mpp_share[kFamily], 0.12, "share", Range::kProbability,
           "as single_adult, for family units");
  // Unaccompanied children are never placed in MPP: a rule of the model, not a parameter.
  p.mpp_share[kChild] = 0;
  d.forbid("us.mpp.share.child",
           "unaccompanied children are exempt from Remain in Mexico by law (TVPRA 2008, 8 U.S.C. 1232: they are "
           "transferred to ORR care), so the MPP share has single_adult and family only");
  d.number("us.mpp.hearing_days", p.mpp_hearing_days, 150, "days (mean)", Range::kNonNegative,
           "wait for the hearing in the border city");
  d.number("us.mpp.abandon_share", p.mpp_abandon_share, 0.3, "share", Range::kProbability,
           "MPP parties who give up and go home");
  d.number("us.mpp.recross_share", p.mpp_recross_share, 0.3, "share", Range::kProbability,
           "MPP parties who cross again irregularly (the rest are released at the hearing)");
  Aid::Params::declare(d, p.aid);
}

}  // namespace

Parameters read_parameters(const Section& section) {
  Parameters p;
  Declarer d(&section);
  declare(d, p);
  return p;
}

std::vector<ParameterDoc> parameter_docs() {
  Parameters p;
  Declarer d(nullptr);
  declare(d, p);
  return d.docs();
}

std::string parameter_table_markdown() { return corridor::parameter_table_markdown(parameter_docs(), "corridor"); }

}  // namespace corridor::cm
