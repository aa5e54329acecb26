#include "sim/checkpoint.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <stdexcept>

#include "sim/error.hpp"
#include "sim/output.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

template <class T>
bool same_type(hid_t ds) {
  h5::Handle t(H5Dget_type(ds), H5Tclose);
  return t.id() >= 0 && H5Tequal(t, h5::native_type<T>()) > 0;
}

}  // namespace

void write_checkpoint(const fs::path& path, RunOutput* partial, const AgentStore& store, const EngineState& state,
                      const std::function<void(hid_t)>& save_model, const CheckpointProvenance& prov) {
  fs::path tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  try {
    h5::Handle file;
    if (partial) {
      partial->snapshot(tmp);
      H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
      file = h5::Handle(H5Fopen(tmp.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
      if (file.id() < 0) throw std::runtime_error("HDF5: cannot open the checkpoint copy " + tmp.string());
    } else {
      file = h5::create_file(tmp.string());
    }
    h5::Handle g = h5::create_group(file, "checkpoint");
    h5::write_attribute(g, "format", std::string("corridor-checkpoint"));
    h5::write_attribute(g, "version", kCheckpointVersion);
    h5::write_attribute(g, "next_day", static_cast<std::int64_t>(state.next_day));
    h5::write_attribute(g, "pending_final", static_cast<std::int64_t>(state.pending_final));
    h5::write_attribute(g, "agent_steps", static_cast<std::int64_t>(state.agent_steps));
    h5::write_attribute(g, "next_id", static_cast<std::int64_t>(store.next_id()));
    h5::write_attribute(g, "scenario_file", prov.scenario_file);
    h5::write_attribute(g, "output", prov.output);
    h5::write_attribute(g, "scenario", prov.effective_yaml);
    h5::write_attribute(g, "checkpoint_every", static_cast<std::int64_t>(prov.checkpoint_every));
    h5::write_attribute(g, "created", utc_now_iso());
    h5::write_strings(g, "overrides", prov.overrides);
    h5::Handle sg = h5::create_group(g, "store");
    std::vector<std::string> names;
    for (const auto& c : store.columns()) {
      names.push_back(c.name);
      std::visit(
          [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            h5::write_column<T>(sg, c.name, std::span<const T>(v.data(), store.size()));
          },
          c.data);
    }
    h5::write_attribute(sg, "columns", names);
    h5::Handle mg = h5::create_group(g, "model");
    if (save_model) save_model(mg);
    mg.reset();
    sg.reset();
    g.reset();
    if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: flush of the checkpoint failed");
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error(fmt::format("cannot rename the checkpoint {} into place: {}", path.string(), ec.message()));
  }
}

CheckpointReader::CheckpointReader(const fs::path& path) : path_(path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw InputError(fmt::format("checkpoint {}: file not found", path.string()));
  try {
    file_ = h5::open_file_readonly(path.string());
  } catch (const std::runtime_error&) {
    throw InputError(fmt::format("checkpoint {}: not an HDF5 file", path.string()));
  }
  if (H5Lexists(file_, "checkpoint", H5P_DEFAULT) <= 0)
    throw InputError(fmt::format("checkpoint {}: no /checkpoint group (a result file, not a checkpoint?)", path.string()));
  group_ = h5::open_group(file_, "checkpoint");
  if (h5::read_string_attribute(group_, "format") != "corridor-checkpoint")
    throw InputError(fmt::format("checkpoint {}: /checkpoint is not a corridor checkpoint", path.string()));
  const std::int64_t version = h5::read_int_attribute(group_, "version");
  if (version != kCheckpointVersion)
    throw InputError(fmt::format("checkpoint {}: version {}, this binary reads version {}", path.string(), version,
                                 kCheckpointVersion));
  state_.next_day = static_cast<int>(h5::read_int_attribute(group_, "next_day"));
  state_.pending_final = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "pending_final"));
  state_.agent_steps = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "agent_steps"));
  next_id_ = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "next_id"));
  prov_.scenario_file = h5::read_string_attribute(group_, "scenario_file");
  prov_.output = h5::read_string_attribute(group_, "output");
  prov_.effective_yaml = h5::read_string_attribute(group_, "scenario");
  prov_.overrides = h5::read_strings(group_, "overrides");
  prov_.checkpoint_every = static_cast<int>(h5::read_int_attribute(group_, "checkpoint_every"));
  model_ = h5::open_group(group_, "model");
}

void CheckpointReader::load_store(AgentStore& store) const {
  h5::Handle sg = h5::open_group(group_, "store");
  for (auto& c : store.columns()) {
    if (H5Lexists(sg, c.name.c_str(), H5P_DEFAULT) <= 0)
      throw InputError(fmt::format("checkpoint {}: no agent column '{}' (written by another model or version?)",
                                   path_.string(), c.name));
    std::visit(
        [&](auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          {
            h5::Handle ds(H5Dopen2(sg, c.name.c_str(), H5P_DEFAULT), H5Dclose);
            if (!same_type<T>(ds))
              throw InputError(fmt::format("checkpoint {}: agent column '{}' has another type than this model's",
                                           path_.string(), c.name));
          }
          v = h5::read_column<T>(sg, c.name);
        },
        c.data);
  }
  H5G_info_t info{};
  H5Gget_info(sg, &info);
  const hsize_t n = info.nlinks;
  if (n != store.columns().size())
    throw InputError(fmt::format("checkpoint {}: {} agent columns, this model has {} (another model or version?)",
                                 path_.string(), n, store.columns().size()));
  try {
    store.sync_size_from_columns();
  } catch (const std::runtime_error& e) {
    throw InputError(fmt::format("checkpoint {}: {}", path_.string(), e.what()));
  }
  store.set_next_id(next_id_);
  store.drop_not_owned();
}

}  // namespace corridor
