#include "sim/tally.hpp"

#include <stdexcept>

namespace corridor {

SeriesId SeriesLayout::add(SeriesSpec spec) {
  if (spec.dims.size() > 8) throw std::invalid_argument("a series has at most 8 dimensions");
  SeriesId id;
  id.offset = cells_;
  id.cells = 1;
  for (const auto& d : spec.dims) id.cells *= d.labels.size();
  // Row-major strides: stride[k] = product of the sizes of dims after k.
  for (std::size_t k = 0; k < spec.dims.size(); ++k) {
    std::size_t s = 1;
    for (std::size_t m = k + 1; m < spec.dims.size(); ++m) s *= spec.dims[m].labels.size();
    id.stride[k] = s;
  }
  cells_ += id.cells;
  specs_.push_back(std::move(spec));
  ids_.push_back(id);
  return id;
}

}  // namespace corridor
