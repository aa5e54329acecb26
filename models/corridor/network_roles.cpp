// The network's roles in the corridor model (docs/model.md §1.2).
#include "models/corridor/network_roles.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/error.hpp"

namespace corridor::cm {

NetworkRoles::NetworkRoles(const Network& net, const std::filesystem::path& nodes_file, const Section& sec,
                           const std::vector<OriginSpec>& origins, const std::string& asylum_node)
    : net_(net) {
  const std::size_t n = net.node_count();
  border_slot_.assign(n, -1);
  sector_of_node_.assign(n, -1);
  avoid_.assign(n, 0);
  interception_.assign(n, InterceptionPoint::kNone);
  for (std::uint32_t i = 0; i < n; ++i) {
    const NodeInfo& node = net.node(i);
    if (node.kind == "sector") {
      sector_node_.push_back(i);
      sector_labels_.push_back(net.node_extra("sector", i).empty() ? node.id : net.node_extra("sector", i));
    }
    // Routes avoid the US and other border cities (RouteChoice relaxes the latter only for
    // border cities that cannot be reached otherwise).
    if (node.kind == "border_city" || node.kind == "sector" || node.kind == "destination") avoid_[i] = 1;
    if (node.kind == "crossing" && node.country.find("MX") != std::string::npos)
      interception_[i] = InterceptionPoint::kCrossing;
    if (node.kind == "transit" && node.country == "MX") interception_[i] = InterceptionPoint::kCheckpoint;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    if (net.node(i).kind != "border_city") continue;
    border_slot_[i] = static_cast<int>(border_cities_.size());
    border_cities_.push_back(i);
    const std::string label = net.node_extra("sector", i);
    auto it = std::find(sector_labels_.begin(), sector_labels_.end(), label);
    if (it == sector_labels_.end())
      throw InputError(fmt::format("{}: border city '{}' names sector '{}', which is no node of kind 'sector'",
                                   nodes_file.string(), net.node(i).id, label));
    sector_of_node_[i] = static_cast<int>(it - sector_labels_.begin());
  }
  if (border_cities_.empty() || sector_node_.empty())
    throw InputError(fmt::format("{}: the corridor model needs nodes of kind 'border_city' and 'sector'",
                                 nodes_file.string()));

  nationality_.fill(kMexico);
  for (std::size_t o = 0; o < origins.size(); ++o) {
    auto id = net.find(origins[o].node);
    if (!id)
      sec.fail(fmt::format("departures.origins.{}.node", o),
               fmt::format("unknown node '{}' (not in the network)", origins[o].node));
    origin_labels_.push_back(origins[o].node);
    origin_node_.push_back(*id);
    if (o < nationality_.size()) nationality_[o] = origins[o].nationality;
    if (std::find(starts_.begin(), starts_.end(), *id) == starts_.end()) starts_.push_back(*id);
  }
  if (origin_node_.size() > 250) sec.fail("departures.origins", "at most 250 origins");
  auto asylum = net.find(asylum_node);
  if (!asylum) sec.fail("mexico.asylum_node", fmt::format("unknown node '{}'", asylum_node));
  asylum_node_ = *asylum;
  if (std::find(starts_.begin(), starts_.end(), asylum_node_) == starts_.end()) starts_.push_back(asylum_node_);
}

Dimension NetworkRoles::origin_dim() const { return {"origin", origin_labels_}; }

Dimension NetworkRoles::node_dim() const {
  Dimension d{"node", {}};
  for (const auto& nd : net_.nodes()) d.labels.push_back(nd.id);
  return d;
}

Dimension NetworkRoles::sector_dim() const { return {"sector", sector_labels_}; }

Dimension NetworkRoles::border_city_dim() const {
  Dimension d{"border_city", {}};
  for (auto b : border_cities_) d.labels.push_back(net_.node(b).id);
  return d;
}

}  // namespace corridor::cm
