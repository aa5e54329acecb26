#include "sim/checkpoint.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>

#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"
#include "sim/version.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

/// The one-line message of a failed checkpoint write (a full disk, an I/O error), in the form of
/// every output write: "cannot write FILE (what): CAUSE" (docs/output.md).
std::string write_failure(const fs::path& tmp, const std::exception& e) {
  if (dynamic_cast<const OutputError*>(&e)) return e.what();
  if (const auto* f = dynamic_cast<const h5::Failure*>(&e))
    return fmt::format("cannot write {} ({}): {}", tmp.string(), f->action, f->cause);
  return fmt::format("cannot write {}: {}", tmp.string(), e.what());
}

void check(herr_t rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("HDF5: " + what);
}

template <class T>
bool same_type(hid_t ds) {
  h5::Handle t(H5Dget_type(ds), H5Tclose);
  return t.id() >= 0 && H5Tequal(t, h5::native_type<T>()) > 0;
}

template <class T>
std::uint32_t crc_of_values(const std::vector<T>& v) {
  return crc32_of(v.data(), v.size() * sizeof(T));
}

/// The counters a checkpoint stores, in one CRC.
std::uint32_t counters_crc(const EngineState& s, std::uint64_t next_id, std::int64_t parts) {
  const std::int64_t v[5] = {s.next_day, static_cast<std::int64_t>(s.pending_final),
                             static_cast<std::int64_t>(s.agent_steps), static_cast<std::int64_t>(next_id), parts};
  return crc32_of(v, sizeof v);
}

// ---- the model's state: a CRC over every attribute and dataset of its group, in name order ----

void crc_of_value(hid_t type, hid_t space, const std::function<herr_t(hid_t, void*)>& read, std::uint32_t& crc) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  crc = crc32_of(dims.data(), dims.size() * sizeof(hsize_t), crc);
  if (n <= 0) return;
  if (H5Tget_class(type) == H5T_STRING) {
    h5::Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mt, H5T_VARIABLE);
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    if (H5Tis_variable_str(type) > 0) {
      check(read(mt, ptrs.data()), "read strings");
      for (char* p : ptrs) crc = crc32_of(p ? p : "", p ? std::strlen(p) + 1 : 1, crc);
      H5Dvlen_reclaim(mt, space, H5P_DEFAULT, ptrs.data());
      return;
    }
    const std::size_t size = H5Tget_size(type);
    std::vector<char> buf(static_cast<std::size_t>(n) * size);
    check(read(type, buf.data()), "read strings");
    crc = crc32_of(buf.data(), buf.size(), crc);
    return;
  }
  h5::Handle native(H5Tget_native_type(type, H5T_DIR_ASCEND), H5Tclose);
  if (native.id() < 0) throw std::runtime_error("HDF5: model state of a type without a native form");
  std::vector<unsigned char> buf(static_cast<std::size_t>(n) * H5Tget_size(native));
  check(read(native, buf.data()), "read model state");
  crc = crc32_of(buf.data(), buf.size(), crc);
}

void crc_of_attributes(hid_t obj, std::uint32_t& crc) {
  H5O_info_t info{};
  check(H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS), "object info");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    h5::Handle a(H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (a.id() < 0) throw std::runtime_error("HDF5: open attribute");
    const ssize_t len = H5Aget_name(a, 0, nullptr);
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Aget_name(a, name.size() + 1, name.data());
    crc = crc32_of(name.data(), name.size() + 1, crc);
    h5::Handle t(H5Aget_type(a), H5Tclose);
    h5::Handle sp(H5Aget_space(a), H5Sclose);
    crc_of_value(t, sp, [&](hid_t mt, void* buf) { return H5Aread(a, mt, buf); }, crc);
  }
}

void crc_of_group(hid_t group, std::uint32_t& crc) {
  crc_of_attributes(group, crc);
  H5G_info_t info{};
  check(H5Gget_info(group, &info), "group info");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    crc = crc32_of(name.data(), name.size() + 1, crc);
    h5::Handle obj(H5Oopen(group, name.c_str(), H5P_DEFAULT), H5Oclose);
    if (obj.id() < 0) throw std::runtime_error("HDF5: open " + name);
    switch (H5Iget_type(obj)) {
      case H5I_GROUP: crc_of_group(obj, crc); break;
      case H5I_DATASET: {
        crc_of_attributes(obj, crc);
        h5::Handle t(H5Dget_type(obj), H5Tclose);
        h5::Handle sp(H5Dget_space(obj), H5Sclose);
        crc_of_value(t, sp, [&](hid_t mt, void* buf) { return H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
                     crc);
        break;
      }
      default: break;
    }
  }
}

std::uint32_t model_crc(hid_t group) {
  std::uint32_t crc = 0;
  crc_of_group(group, crc);
  return crc;
}

std::string part_name(std::size_t p) { return fmt::format("part{:04}", p); }

/// Writes one part of the store (the rows of one rank) into group `parts`.
void write_part(hid_t parts, std::size_t p, const AgentStore& part) {
  h5::Handle g = h5::create_group(parts, part_name(p));
  h5::write_attribute(g, "rows", static_cast<std::int64_t>(part.size()));
  for (const auto& c : part.columns())
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          const std::span<const T> values(v.data(), part.size());
          h5::write_column<T>(g, c.name, values);
          h5::Handle ds(H5Dopen2(g, c.name.c_str(), H5P_DEFAULT), H5Dclose);
          h5::write_attribute(ds, "crc32", static_cast<std::int64_t>(crc32_of(values.data(), values.size_bytes())));
        },
        c.data);
}

void write_result_digests(hid_t g, const RunOutput& out) {
  std::vector<std::string> paths;
  std::vector<std::uint64_t> rows, chunk, bytes;
  std::vector<std::uint32_t> which, crc;
  for (const TableDatasets& t : out.result_tables())
    for (std::size_t c = 0; c < t.layout().columns.size(); ++c) {
      const auto index = static_cast<std::uint32_t>(paths.size());
      paths.push_back(t.path(c));
      rows.push_back(t.rows());
      for (const auto& [k, d] : t.digests()[c]) {
        which.push_back(index);
        chunk.push_back(k);
        crc.push_back(d.crc32);
        bytes.push_back(d.bytes);
      }
    }
  h5::Handle r = h5::create_group(g, "result");
  h5::write_strings(r, "dataset", paths);
  h5::write_column<std::uint64_t>(r, "rows", rows);
  h5::write_column<std::uint32_t>(r, "chunk_dataset", which);
  h5::write_column<std::uint64_t>(r, "chunk", chunk);
  h5::write_column<std::uint32_t>(r, "chunk_crc32", crc);
  h5::write_column<std::uint64_t>(r, "chunk_bytes", bytes);
}

std::string describe(const ColumnRange& r, const StoreLimits& l) {
  switch (r.kind) {
    case ColumnRange::Kind::Any: return "a finite number";
    case ColumnRange::Kind::Between: return fmt::format("between {} and {}", r.lo, r.hi);
    case ColumnRange::Kind::Node: return fmt::format("a node index (the network has {} nodes)", l.nodes);
    case ColumnRange::Kind::State: return fmt::format("a state (the model has {})", l.states);
    case ColumnRange::Kind::PastDay:
      return fmt::format("a day before the checkpoint's next day {}{}", l.next_day, r.never ? ", or -1" : "");
    case ColumnRange::Kind::Day: return fmt::format("a day index{}", r.never ? ", or -1" : "");
  }
  return "?";
}

/// Whether v may be stored in a column of range r.
bool allowed(double v, const ColumnRange& r, const StoreLimits& l) {
  if (!std::isfinite(v)) return false;
  switch (r.kind) {
    case ColumnRange::Kind::Any: return true;
    case ColumnRange::Kind::Between: return v >= r.lo && v <= r.hi;
    case ColumnRange::Kind::Node: return l.nodes == 0 || (v >= 0 && v < l.nodes);
    case ColumnRange::Kind::State: return v >= 0 && v < static_cast<double>(l.states);
    case ColumnRange::Kind::PastDay: return (r.never && v == -1) || (v >= 0 && v < l.next_day);
    case ColumnRange::Kind::Day: return (r.never && v == -1) || v >= 0;
  }
  return false;
}

}  // namespace

void write_checkpoint(const fs::path& path, const std::function<void(const fs::path&)>& snapshot,
                      const RunOutput* partial, const AgentStore& store, const EngineState& state,
                      const std::function<void(hid_t)>& save_model, const CheckpointProvenance& prov,
                      Cluster* cluster) {
  const bool multi = cluster && cluster->size() > 1;
  const bool root = !multi || cluster->root();
  const std::size_t parts = multi ? static_cast<std::size_t>(cluster->size()) : 1;
  fs::path tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  h5::Handle file, sg;
  std::string failure;
  if (root) {
    try {
      if (path.has_parent_path()) fs::create_directories(path.parent_path());
      if (snapshot) {
        snapshot(tmp);
        file = h5::open_file_readwrite(tmp.string());
      } else {
        file = h5::create_file(tmp.string());
      }
      h5::Handle g = h5::create_group(file, "checkpoint");
      h5::write_attribute(g, "format", std::string("corridor-checkpoint"));
      h5::write_attribute(g, "version", kCheckpointVersion);
      h5::write_attribute(g, "software_version", std::string(software_version()));
      h5::write_attribute(g, "git_commit", std::string(git_commit()));
      h5::write_attribute(g, "next_day", static_cast<std::int64_t>(state.next_day));
      h5::write_attribute(g, "pending_final", static_cast<std::int64_t>(state.pending_final));
      h5::write_attribute(g, "agent_steps", static_cast<std::int64_t>(state.agent_steps));
      h5::write_attribute(g, "next_id", static_cast<std::int64_t>(store.next_id()));
      h5::write_attribute(g, "counters_crc32",
                          static_cast<std::int64_t>(counters_crc(state, store.next_id(), static_cast<std::int64_t>(parts))));
      h5::write_attribute(g, "scenario_file", prov.scenario_file);
      h5::write_attribute(g, "output", prov.output);
      h5::write_attribute(g, "scenario", prov.effective_yaml);
      h5::write_attribute(g, "scenario_crc32",
                          static_cast<std::int64_t>(crc32_of(prov.effective_yaml.data(), prov.effective_yaml.size())));
      h5::write_attribute(g, "checkpoint_every", static_cast<std::int64_t>(prov.checkpoint_every));
      h5::write_attribute(g, "created", utc_now_iso());
      h5::write_strings(g, "overrides", prov.overrides);
      {
        h5::Handle in = h5::create_group(g, "inputs");
        std::vector<std::string> paths;
        std::vector<std::uint32_t> crc;
        std::vector<std::uint64_t> bytes;
        for (const auto& d : prov.inputs) {
          paths.push_back(d.path);
          crc.push_back(d.crc32);
          bytes.push_back(d.bytes);
        }
        h5::write_strings(in, "path", paths);
        h5::write_column<std::uint32_t>(in, "crc32", crc);
        h5::write_column<std::uint64_t>(in, "bytes", bytes);
      }
      if (partial) write_result_digests(g, *partial);
      h5::Handle mg = h5::create_group(g, "model");
      if (save_model) save_model(mg);
      h5::write_attribute(g, "model_crc32", static_cast<std::int64_t>(model_crc(mg)));
      mg.reset();
      sg = h5::create_group(g, "store");
      std::vector<std::string> names;
      for (const auto& c : store.columns()) names.push_back(c.name);
      h5::write_attribute(sg, "columns", names);
      h5::write_attribute(sg, "parts", static_cast<std::int64_t>(parts));
      write_part(sg, 0, store);
    } catch (const std::exception& e) {
      failure = write_failure(tmp, e);
    }
  }
  // The other ranks' shares, one at a time: rank 0 holds its own and one other, never the
  // whole store. A failure on rank 0 is shared, so that every rank stops alike.
  if (multi) {
    for (std::size_t p = 1; p < parts; ++p) {
      const bool sender = static_cast<std::size_t>(cluster->rank()) == p;
      const auto bytes = sender ? store.pack(nullptr) : std::vector<std::byte>{};
      const auto got = cluster->gather(bytes);
      if (root && failure.empty()) {
        try {
          AgentStore part = store.empty_copy();
          part.unpack_append(got[p]);
          write_part(sg, p, part);
        } catch (const std::exception& e) {
          failure = write_failure(tmp, e);
        }
      }
    }
  }
  if (root) {
    try {
      if (!failure.empty()) throw OutputError(failure);
      sg.reset();
      if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0)
        throw OutputError(fmt::format("cannot write {} (flush): {}", tmp.string(), h5::error_cause()));
      if (H5Fclose(file.release()) < 0)
        throw OutputError(fmt::format("cannot write {} (close): {}", tmp.string(), h5::error_cause()));
      std::error_code ec;
      fs::rename(tmp, path, ec);
      if (ec) throw OutputError(fmt::format("cannot rename the checkpoint {} into place: {}", path.string(), ec.message()));
    } catch (const std::exception& e) {
      failure = e.what();
      sg.reset();
      file.reset();
      std::error_code ec;
      fs::remove(tmp, ec);
    }
  }
  if (multi) {
    // Every rank learns whether the checkpoint is in place before going on (or stopping).
    std::int64_t failed = failure.empty() ? 0 : 1;
    cluster->allreduce_sum(&failed, 1);
    if (failed && failure.empty()) failure = "rank 0 could not write the checkpoint";
  }
  if (!failure.empty()) throw OutputError(failure);
}

// ---- reading ----

void CheckpointReader::fail(const std::string& what) const {
  throw InputError(fmt::format("checkpoint {}: {}", path_.string(), what));
}

CheckpointReader::CheckpointReader(const fs::path& path) : path_(path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail("file not found");
  try {
    file_ = h5::open_file_readonly(path.string());
  } catch (const std::runtime_error&) {
    fail("not an HDF5 file");
  }
  if (H5Lexists(file_, "checkpoint", H5P_DEFAULT) <= 0) fail("no /checkpoint group (a result file, not a checkpoint?)");
  try {
    group_ = h5::open_group(file_, "checkpoint");
    if (h5::read_string_attribute(group_, "format") != "corridor-checkpoint") fail("/checkpoint is not a corridor checkpoint");
    const std::int64_t version = h5::read_int_attribute(group_, "version");
    if (version != kCheckpointVersion)
      fail(fmt::format("version {}, this binary reads version {}", version, kCheckpointVersion));
    const std::string sw = h5::read_string_attribute(group_, "software_version");
    const std::string git = h5::read_string_attribute(group_, "git_commit");
    if (sw != software_version() || git != git_commit())
      fail(fmt::format("written by corridor {} (git {}), this binary is corridor {} (git {}); a restart needs the "
                       "binary that wrote the checkpoint",
                       sw, git, software_version(), git_commit()));
    state_.next_day = static_cast<int>(h5::read_int_attribute(group_, "next_day"));
    state_.pending_final = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "pending_final"));
    state_.agent_steps = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "agent_steps"));
    next_id_ = static_cast<std::uint64_t>(h5::read_int_attribute(group_, "next_id"));
    h5::Handle sg = h5::open_group(group_, "store");
    const std::int64_t parts = h5::read_int_attribute(sg, "parts");
    if (static_cast<std::uint32_t>(h5::read_int_attribute(group_, "counters_crc32")) !=
        counters_crc(state_, next_id_, parts))
      fail("the counters (next day, finished agents, agent-steps, next id, parts) do not match their checksum");
    if (state_.next_day < 1) fail(fmt::format("next day {} (a checkpoint is written after a day)", state_.next_day));
    prov_.scenario_file = h5::read_string_attribute(group_, "scenario_file");
    prov_.output = h5::read_string_attribute(group_, "output");
    prov_.effective_yaml = h5::read_string_attribute(group_, "scenario");
    if (static_cast<std::uint32_t>(h5::read_int_attribute(group_, "scenario_crc32")) !=
        crc32_of(prov_.effective_yaml.data(), prov_.effective_yaml.size()))
      fail("the stored scenario text does not match its checksum");
    prov_.overrides = h5::read_strings(group_, "overrides");
    prov_.checkpoint_every = static_cast<int>(h5::read_int_attribute(group_, "checkpoint_every"));
    h5::Handle in = h5::open_group(group_, "inputs");
    const auto paths = h5::read_strings(in, "path");
    const auto crc = h5::read_column<std::uint32_t>(in, "crc32");
    const auto bytes = h5::read_column<std::uint64_t>(in, "bytes");
    if (crc.size() != paths.size() || bytes.size() != paths.size()) fail("the input digests are torn");
    for (std::size_t i = 0; i < paths.size(); ++i) prov_.inputs.push_back(InputDigest{paths[i], crc[i], bytes[i]});
    model_ = h5::open_group(group_, "model");
    if (static_cast<std::uint32_t>(h5::read_int_attribute(group_, "model_crc32")) != model_crc(model_))
      fail("the model's saved state does not match its checksum (the file was changed or damaged)");
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    fail(fmt::format("unreadable ({})", e.what()));
  }
}

void CheckpointReader::verify_inputs(const std::vector<InputDigest>& now) const {
  std::map<std::string, InputDigest> then;
  for (const auto& d : prov_.inputs) then[d.path] = d;
  for (const auto& d : now) {
    const auto it = then.find(d.path);
    if (it == then.end()) fail(fmt::format("the input table {} was not read by the run that wrote it", d.path));
    if (!(it->second == d))
      fail(fmt::format("the input table {} changed since the checkpoint was written ({} bytes, CRC-32 {:08x}; now {} "
                       "bytes, CRC-32 {:08x}); a restart needs the very same inputs",
                       d.path, it->second.bytes, it->second.crc32, d.bytes, d.crc32));
    then.erase(it);
  }
  if (!then.empty()) fail(fmt::format("the input table {} is no longer read by the scenario", then.begin()->first));
}

void CheckpointReader::verify_result() const {
  try {
    if (H5Lexists(group_, "result", H5P_DEFAULT) <= 0) fail("no digests of the partial result");
    h5::Handle r = h5::open_group(group_, "result");
    const auto paths = h5::read_strings(r, "dataset");
    const auto rows = h5::read_column<std::uint64_t>(r, "rows");
    const auto which = h5::read_column<std::uint32_t>(r, "chunk_dataset");
    const auto chunk = h5::read_column<std::uint64_t>(r, "chunk");
    const auto crc = h5::read_column<std::uint32_t>(r, "chunk_crc32");
    const auto bytes = h5::read_column<std::uint64_t>(r, "chunk_bytes");
    if (rows.size() != paths.size() || chunk.size() != which.size() || crc.size() != which.size() ||
        bytes.size() != which.size())
      fail("the digests of the partial result are torn");
    std::vector<std::map<std::uint64_t, ChunkDigest>> expected(paths.size());
    for (std::size_t i = 0; i < which.size(); ++i) {
      if (which[i] >= paths.size()) fail("the digests of the partial result are torn");
      expected[which[i]][chunk[i]] = ChunkDigest{crc[i], bytes[i]};
    }
    for (std::size_t d = 0; d < paths.size(); ++d) {
      if (H5Lexists(file_, paths[d].c_str(), H5P_DEFAULT) <= 0) fail(fmt::format("the result has no {}", paths[d]));
      h5::Handle ds(H5Dopen2(file_, paths[d].c_str(), H5P_DEFAULT), H5Dclose);
      if (ds.id() < 0) fail(fmt::format("the result's {} is not a dataset", paths[d]));
      h5::Handle space(H5Dget_space(ds), H5Sclose);
      hsize_t dims[8] = {0};
      if (H5Sget_simple_extent_ndims(space) < 1 || H5Sget_simple_extent_ndims(space) > 8) fail(paths[d] + ": shape");
      H5Sget_simple_extent_dims(space, dims, nullptr);
      if (dims[0] != rows[d])
        fail(fmt::format("the result's {} has {} rows, the checkpoint recorded {}", paths[d], dims[0], rows[d]));
      // A series holds one row per day simulated: exactly the days before the next day.
      if (paths[d].rfind("series/", 0) == 0 && rows[d] != static_cast<std::uint64_t>(state_.next_day))
        fail(fmt::format("the result's {} has {} days, but the checkpoint says the next day is {}", paths[d], rows[d],
                         state_.next_day));
      const auto stored = stored_chunks(ds);
      if (stored.size() != expected[d].size())
        fail(fmt::format("the result's {} has {} chunks, the checkpoint recorded {}", paths[d], stored.size(),
                         expected[d].size()));
      for (const auto& [k, digest] : expected[d]) {
        const auto it = stored.find(k);
        if (it == stored.end() || it->second.crc32 != digest.crc32 || it->second.bytes != digest.bytes)
          fail(fmt::format("chunk {} of the result's {} does not match its checksum (the file was changed or damaged)",
                           k, paths[d]));
      }
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    fail(fmt::format("the partial result is unreadable ({})", e.what()));
  }
}

ResumePoint CheckpointReader::resume_point(const TableLayout& layout) const {
  try {
    h5::Handle g = h5::open_group(file_, layout.name);
    const TableDatasets t = TableDatasets::open(g, layout);
    ResumePoint p;
    p.rows = t.rows();
    p.tail = t.read_records(p.rows - p.rows % layout.chunk_rows);
    return p;
  } catch (const std::runtime_error& e) {
    fail(fmt::format("the partial result's {} is unreadable ({})", layout.name, e.what()));
  }
}

void CheckpointReader::load_store(AgentStore& store, const StoreLimits& limits) const {
  h5::Handle sg;
  std::int64_t parts = 0;
  try {
    sg = h5::open_group(group_, "store");
    parts = h5::read_int_attribute(sg, "parts");
  } catch (const std::runtime_error& e) {
    fail(fmt::format("no readable agent store ({})", e.what()));
  }
  if (parts < 1) fail(fmt::format("{} store parts", parts));
  std::vector<AgentStore> kept;
  std::vector<std::vector<std::uint64_t>> all_ids;
  std::uint64_t finished = 0;
  for (std::int64_t p = 0; p < parts; ++p) {
    const std::string pn = part_name(static_cast<std::size_t>(p));
    if (H5Lexists(sg, pn.c_str(), H5P_DEFAULT) <= 0) fail(fmt::format("store part {} is missing", p));
    h5::Handle pg = h5::open_group(sg, pn);
    H5G_info_t info{};
    H5Gget_info(pg, &info);
    if (info.nlinks != store.columns().size())
      fail(fmt::format("{} agent columns, this model has {} (another model or version?)", info.nlinks,
                       store.columns().size()));
    const auto rows = static_cast<std::size_t>(h5::read_int_attribute(pg, "rows"));
    AgentStore part = store.empty_copy();
    for (auto& c : part.columns()) {
      if (H5Lexists(pg, c.name.c_str(), H5P_DEFAULT) <= 0)
        fail(fmt::format("no agent column '{}' (written by another model or version?)", c.name));
      std::visit(
          [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            h5::Handle ds(H5Dopen2(pg, c.name.c_str(), H5P_DEFAULT), H5Dclose);
            if (!same_type<T>(ds)) fail(fmt::format("agent column '{}' has another type than this model's", c.name));
            const auto crc = static_cast<std::uint32_t>(h5::read_int_attribute(ds, "crc32"));
            v = h5::read_column<T>(pg, c.name);
            if (v.size() != rows) fail(fmt::format("agent column '{}' of part {} has {} rows, not {}", c.name, p, v.size(), rows));
            if (crc_of_values(v) != crc)
              fail(fmt::format("agent column '{}' (part {}) does not match its checksum (the file was changed or damaged)",
                               c.name, p));
            for (std::size_t i = 0; i < v.size(); ++i)
              if (!allowed(static_cast<double>(v[i]), c.range, limits))
                fail(fmt::format("agent column '{}', part {} row {}: {} is not {}", c.name, p, i,
                                 static_cast<double>(v[i]), describe(c.range, limits)));
          },
          c.data);
    }
    part.sync_size_from_columns();
    // Ids: increasing within the part and below the next id; finished agents as counted.
    const std::uint64_t* id = part.ids();
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (id[i] >= next_id_) fail(fmt::format("agent id {} (part {} row {}) is not below the next id {}", id[i], p, i, next_id_));
      if (i > 0 && id[i] <= id[i - 1]) fail(fmt::format("agent ids of part {} are not increasing at row {} (id {})", p, i, id[i]));
    }
    all_ids.emplace_back(id, id + part.size());
    if (limits.is_final)
      for (std::size_t i = 0; i < part.size(); ++i) finished += limits.is_final[part.states()[i]] ? 1 : 0;
    part.set_next_id(next_id_);
    part.set_partition(store.ranks(), store.rank());
    part.drop_not_owned();
    kept.push_back(std::move(part));
  }
  // No id twice across the parts.
  {
    std::vector<std::uint64_t> ids;
    for (const auto& v : all_ids) ids.insert(ids.end(), v.begin(), v.end());
    std::sort(ids.begin(), ids.end());
    const auto dup = std::adjacent_find(ids.begin(), ids.end());
    if (dup != ids.end()) fail(fmt::format("agent id {} is stored twice", *dup));
  }
  if (limits.is_final && finished != state_.pending_final)
    fail(fmt::format("{} stored agents are finished, the counters say {}", finished, state_.pending_final));
  AgentStore merged = AgentStore::merge_by_id(kept);
  store.columns() = std::move(merged.columns());
  store.sync_size_from_columns();
  store.set_next_id(next_id_);
}

}  // namespace corridor
