// The corridor model's parameter declarer (declarer.hpp).
#include "models/corridor/declarer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace corridor::cm {

void Declarer::per_demo(const std::string& key, PerDemoNumber& out, PerDemoNumber def, const std::string& unit,
                        const Bounds& range, const std::string& source) {
  for (int d = 0; d < kDemographics; ++d) number(key + "." + kDemographicKeys[d], out[d], def[d], unit, range, source);
}
void Declarer::per_demo_schedule(const std::string& key, PerDemo& out,
                                 const std::array<std::string, kDemographics>& def, const std::string& unit,
                                 const Bounds& range, const std::string& source) {
  for (int d = 0; d < kDemographics; ++d)
    schedule(key + "." + kDemographicKeys[d], out[d], def[d], unit, range, source);
}
void Declarer::per_group_demo(const std::string& key, std::array<PerDemoNumber, kNationalities>& out,
                              const std::array<PerDemoNumber, kNationalityGroups>& def, const std::string& unit,
                              const Bounds& range, const std::string& source) {
  const std::string first = key + "." + kNationalityGroupKeys[0] + "." + kDemographicKeys[0];
  for (int g = 0; g < kNationalityGroups; ++g)
    for (int dm = 0; dm < kDemographics; ++dm) {
      const std::string k = key + "." + kNationalityGroupKeys[g] + "." + kDemographicKeys[dm];
      document({k, "number", fmt::format("{:g}", def[g][dm]), unit, range.text(),
                k == first ? source : fmt::format("as `{}`", first), range.lo, range.hi, def[g][dm]});
    }
  std::array<PerDemoNumber, kNationalityGroups> v = def;
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) {
    if (!s->is_map(leaf)) {
      const double x = s->number(leaf, range);
      for (auto& g : v) g.fill(x);
    } else {
      const Section m = s->section(leaf);
      for (const auto& gk : m.keys()) {
        const auto g =
            std::find(kNationalityGroupKeys.begin(), kNationalityGroupKeys.end(), gk) - kNationalityGroupKeys.begin();
        if (g == kNationalityGroups)
          m.fail(gk, fmt::format("unknown nationality group '{}' (expected mexican or central_american; or one "
                                 "number for everyone)",
                                 gk));
        if (!m.is_map(gk)) {
          if (m.has(gk)) v[g].fill(m.number(gk, range));
          continue;
        }
        const Section gm = m.section(gk);
        for (const auto& dk : gm.keys()) {
          const auto dm = std::find(kDemographicKeys.begin(), kDemographicKeys.end(), dk) - kDemographicKeys.begin();
          if (dm == kDemographics)
            gm.fail(dk, fmt::format("unknown demographic '{}' (expected single_adult, family or child; or one "
                                    "number for the whole group)",
                                    dk));
          if (gm.has(dk)) v[g][dm] = gm.number(dk, range);
        }
      }
    }
  }
  for (int n = 0; n < kNationalities; ++n) out[n] = v[nationality_group(n)];
}

}  // namespace corridor::cm
