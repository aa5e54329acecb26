#include "sim/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "sim/error.hpp"

namespace corridor {

ModelRegistry::ModelRegistry(std::vector<ModelEntry> entries) {
  for (auto& e : entries) add(std::move(e));
}

void ModelRegistry::add(ModelEntry entry) {
  if (find(entry.name)) throw std::logic_error(fmt::format("model registry: '{}' is registered twice", entry.name));
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), entry.name,
                                   [](const ModelEntry& e, const std::string& n) { return e.name < n; });
  entries_.insert(at, std::move(entry));
}

const ModelEntry* ModelRegistry::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

const ModelEntry& ModelRegistry::at(std::string_view name, std::string_view where) const {
  if (const ModelEntry* e = find(name)) return *e;
  throw InputError(fmt::format("{}{}", where, unknown(name)));
}

std::string ModelRegistry::unknown(std::string_view name) const {
  return fmt::format("unknown model '{}' (known: {})", name, fmt::join(names(), ", "));
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

}  // namespace corridor
