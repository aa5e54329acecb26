#include "sim/output.hpp"

#include <fmt/format.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "sim/error.hpp"
#include "sim/version.hpp"

namespace corridor {

namespace fs = std::filesystem;

std::string utc_now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

void write_extras(hid_t group, const std::vector<ExtraColumn>& extras) {
  for (const auto& c : extras) h5::write_strings(group, c.name, c.values);
}

template <class T>
hid_t type_of(const std::vector<T>&) {
  return h5::native_type<T>();
}

static_assert(sizeof(Event) == 32 && offsetof(Event, other) == 24, "the events table reads struct Event's layout");

/// Series chunks hold whole days, about 64 k cells, at most 366 days.
hsize_t series_chunk_days(std::size_t cells) {
  return std::max<hsize_t>(1, std::min<hsize_t>(366, 65536 / std::max<std::size_t>(cells, 1)));
}

void check(herr_t rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("HDF5: " + what);
}

/// Makes `scale` a dimension scale named `name` and attaches it to dimension `dim` of `data`
/// (docs/output.md: netCDF-4 readers such as xarray's h5netcdf engine see named dimensions).
void attach_scale(hid_t data, hid_t scale, const std::string& name, unsigned dim) {
  check(H5DSset_scale(scale, name.c_str()), "dimension scale " + name);
  check(H5DSattach_scale(data, scale, dim), "attach dimension scale " + name);
}

}  // namespace

// ---- ResultLayout ----

ResultLayout ResultLayout::of(const ModelSetup& setup, const AgentStore& store, const OutputOptions& options) {
  ResultLayout r;
  r.events_on = options.events;
  r.agents_on = options.agents;
  for (std::size_t s = 0; s < setup.series.specs().size(); ++s) {
    const SeriesSpec& spec = setup.series.specs()[s];
    TableLayout t;
    t.name = "series/" + spec.name;
    t.level = options.compression;
    std::vector<hsize_t> inner;
    for (const auto& d : spec.dims) inner.push_back(d.labels.size());
    t.chunk_rows = series_chunk_days(setup.series.ids()[s].cells);
    t.add("value", H5T_NATIVE_INT64, inner);
    t.add("day", H5T_NATIVE_INT32);
    r.series.push_back(std::move(t));
  }
  r.events.name = "events";
  r.events.level = options.compression;
  r.events.chunk_rows = static_cast<std::size_t>(options.event_chunk);
  r.events.add("day", H5T_NATIVE_INT32, {}, offsetof(Event, day));
  r.events.add("kind", H5T_NATIVE_UINT16, {}, offsetof(Event, kind));
  r.events.add("node", H5T_NATIVE_UINT32, {}, offsetof(Event, node));
  r.events.add("agent", H5T_NATIVE_UINT64, {}, offsetof(Event, agent));
  r.events.add("other", H5T_NATIVE_INT64, {}, offsetof(Event, other));
  r.events.record_bytes = sizeof(Event);
  r.agents.name = "agents";
  r.agents.level = options.compression;
  r.agents.chunk_rows = static_cast<std::size_t>(options.event_chunk);
  const auto& cols = store.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (!cols[c].output) continue;
    r.agents.add(cols[c].name, std::visit([](const auto& v) { return type_of(v); }, cols[c].data));
    r.agent_columns.push_back(c);
  }
  return r;
}

std::vector<unsigned char> ResultLayout::agent_records(const AgentStore& store,
                                                       const std::vector<std::uint32_t>* rows) const {
  const std::size_t n = rows ? rows->size() : store.size();
  const std::size_t rb = agents.record_bytes;
  std::vector<unsigned char> out(n * rb);
  for (std::size_t k = 0; k < agent_columns.size(); ++k) {
    const std::size_t off = agents.columns[k].offset;
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          unsigned char* dst = out.data() + off;
          for (std::size_t i = 0; i < n; ++i) std::memcpy(dst + i * rb, &v[rows ? (*rows)[i] : i], sizeof(T));
        },
        store.columns()[agent_columns[k]].data);
  }
  return out;
}

// ---- RemoteTables ----

RemoteTables::RemoteTables(const ResultLayout& layout, int write_workers)
    : pipeline_(std::make_unique<WritePipeline>(write_workers, std::size_t{64} << 20)) {
  const ChunkSink keep = [this](EncodedChunkRef&& c) {
    std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(c));
  };
  events_ = std::make_unique<TableStream>(layout.events_id(), layout.events, pipeline_.get(), keep);
  agents_ = std::make_unique<TableStream>(layout.agents_id(), layout.agents, pipeline_.get(), keep);
}

RemoteTables::~RemoteTables() { pipeline_.reset(); }

std::vector<EncodedChunkRef> RemoteTables::take_encoded(bool all) {
  if (all) pipeline_->drain();
  std::lock_guard lock(mutex_);
  std::vector<EncodedChunkRef> out = std::move(outbox_);
  outbox_.clear();
  return out;
}

// ---- RunOutput ----

void RunOutput::prepare_paths() {
  // An output path that cannot be written is the user's to fix (exit 2), and the message
  // names the path they gave, not only the temporary name.
  if (path_.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path_.parent_path(), ec);
    if (ec)
      throw InputError(fmt::format("output file {}: cannot create its directory {}: {}", path_.string(),
                                   path_.parent_path().string(), ec.message()));
  }
  tmp_ = path_;
  tmp_ += fmt::format(".tmp-{}", ::getpid());
}

RunOutput::RunOutput(fs::path path, const Scenario& sc, const Network& net, const RunInfo& info)
    : RunOutput(std::move(path), sc, info) {
  try {
    file_ = h5::create_file(tmp_.string());
  } catch (const std::runtime_error&) {
    throw InputError(fmt::format("output file {}: cannot create the temporary file {} beside it (is the directory "
                                 "writable?)",
                                 path_.string(), tmp_.filename().string()));
  }
  hid_t root = file_.id();
  h5::write_attribute(root, "format", std::string("corridor"));
  h5::write_attribute(root, "format_version", kFormatVersion);
  h5::write_attribute(root, "software_version", std::string(software_version()));
  h5::write_attribute(root, "git_commit", std::string(git_commit()));
  h5::write_attribute(root, "scenario_name", sc.name);
  h5::write_attribute(root, "model", sc.model);
  h5::write_attribute(root, "seed", fmt::format("{}", sc.seed));
  h5::write_attribute(root, "start_date", sc.calendar.start.iso());
  h5::write_attribute(root, "end_date", sc.calendar.end.iso());
  h5::write_attribute(root, "days", static_cast<std::int64_t>(sc.calendar.days()));
  h5::write_attribute(root, "threads", static_cast<std::int64_t>(info.threads));
  h5::write_attribute(root, "ranks", static_cast<std::int64_t>(info.ranks));
  h5::write_attribute(root, "created", utc_now_iso());
  h5::write_attribute(root, "scenario", info.scenario_yaml);
  h5::write_attribute(root, "inputs", info.inputs);
  h5::write_attribute(root, "complete", std::int64_t{0});

  h5::Handle netg = h5::create_group(root, "network");
  {
    h5::Handle g = h5::create_group(netg, "nodes");
    std::vector<std::string> id, name, kind, country;
    std::vector<double> lat, lon;
    for (const auto& n : net.nodes()) {
      id.push_back(n.id);
      name.push_back(n.name);
      kind.push_back(n.kind);
      country.push_back(n.country);
      lat.push_back(n.lat);
      lon.push_back(n.lon);
    }
    h5::write_strings(g, "id", id);
    h5::write_strings(g, "name", name);
    h5::write_strings(g, "kind", kind);
    h5::write_strings(g, "country", country);
    h5::write_column<double>(g, "lat", lat);
    h5::write_column<double>(g, "lon", lon);
    write_extras(g, net.node_extras());
  }
  {
    h5::Handle g = h5::create_group(netg, "edges");
    std::vector<std::uint32_t> from, to;
    std::vector<double> km;
    std::vector<std::string> mode;
    for (const auto& e : net.edges()) {
      from.push_back(e.from);
      to.push_back(e.to);
      km.push_back(e.km);
      mode.push_back(e.mode);
    }
    h5::write_column<std::uint32_t>(g, "from", from);
    h5::write_column<std::uint32_t>(g, "to", to);
    h5::write_column<double>(g, "km", km);
    h5::write_strings(g, "mode", mode);
    write_extras(g, net.edge_extras());
    h5::write_attribute(g.id(), "directed", static_cast<std::int64_t>(net.directed()));
  }
}

RunOutput::RunOutput(fs::path path, const Scenario& sc, const RunInfo& info)
    : path_(std::move(path)), options_(sc.output), info_(info) {
  prepare_paths();
}

std::unique_ptr<RunOutput> RunOutput::resume(fs::path path, const Scenario& sc, const fs::path& checkpoint,
                                             int next_day, const RunInfo& info) {
  std::unique_ptr<RunOutput> out(new RunOutput(std::move(path), sc, info));
  out->resumed_ = true;
  std::error_code ec;
  fs::copy_file(checkpoint, out->tmp_, fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw OutputError(fmt::format("output file {}: cannot copy the checkpoint {} to {}: {}", out->path_.string(),
                                  checkpoint.string(), out->tmp_.string(), ec.message()));
  out->file_ = h5::open_file_readwrite(out->tmp_.string());
  hid_t root = out->file_.id();
  // The copy is the result up to the checkpoint day; the checkpoint's own group goes.
  if (H5Ldelete(root, "checkpoint", H5P_DEFAULT) < 0) throw std::runtime_error("HDF5: cannot remove /checkpoint");
  h5::write_attribute(root, "threads", static_cast<std::int64_t>(info.threads));
  h5::write_attribute(root, "ranks", static_cast<std::int64_t>(info.ranks));
  h5::write_attribute(root, "restarted_from_day", static_cast<std::int64_t>(next_day));
  return out;
}

void RunOutput::post(std::function<void()> write) {
  if (pipeline_)
    pipeline_->post(std::move(write));
  else
    write();
}

void RunOutput::drain() {
  if (pipeline_) pipeline_->drain();
}

void RunOutput::close_datasets() {
  streams_.clear();
  datasets_.clear();
}

RunOutput::~RunOutput() {
  pipeline_.reset();  // drops writes not yet started and joins, before any handle closes
  if (!finished_) {
    close_datasets();
    file_.reset();
    std::error_code ec;
    fs::remove(tmp_, ec);
  }
}

void RunOutput::declare(const ModelSetup& setup, const AgentStore& store, const Calendar& cal) {
  layout_ = ResultLayout::of(setup, store, options_);
  if (resumed_)
    reopen();
  else
    create(setup, store, cal);
  start_streams();
  if (resumed_)
    for (std::size_t t = 0; t < streams_.size(); ++t) {
      const std::uint64_t rows = resumed_rows_[t];
      streams_[t]->resume(rows, datasets_[t].read_records(rows - rows % streams_[t]->layout().chunk_rows));
    }
}

void RunOutput::start_streams() {
  const int workers = info_.write_workers > 0 ? info_.write_workers : default_write_workers(1);
  pipeline_ = std::make_unique<WritePipeline>(workers, kMaxPendingBytes);
  const int tables = layout_.agents_id() + 1;
  for (int t = 0; t < tables; ++t) {
    const TableLayout& l = t < layout_.events_id() ? layout_.series[static_cast<std::size_t>(t)]
                           : t == layout_.events_id() ? layout_.events
                                                      : layout_.agents;
    // The sink runs as one of the pipeline's ordered writes: one chunk at a time.
    streams_.push_back(std::make_unique<TableStream>(
        t, l, pipeline_.get(), [this](EncodedChunkRef&& c) { datasets_[static_cast<std::size_t>(c.table)].put(c); }));
  }
}

void RunOutput::create(const ModelSetup& setup, const AgentStore&, const Calendar& cal) {
  hid_t root = file_.id();
  {
    h5::Handle cg = h5::create_group(root, "calendar");
    std::vector<std::string> dates;
    std::vector<std::int32_t> days;
    for (int d = 0; d < cal.days(); ++d) {
      dates.push_back(cal.date_of(d).iso());
      days.push_back(d);
    }
    h5::write_column<std::int32_t>(cg, "day", days);
    h5::write_strings(cg, "date", dates);
  }
  h5::Handle sg = h5::create_group(root, "series");
  for (std::size_t s = 0; s < setup.series.specs().size(); ++s) {
    const SeriesSpec& spec = setup.series.specs()[s];
    h5::Handle group = h5::create_group(sg, spec.name);
    std::vector<std::string> dim_names{"day"};
    std::vector<h5::Handle> labels;
    for (const auto& d : spec.dims) {
      dim_names.push_back(d.name);
      h5::write_strings(group, d.name, d.labels);
      labels.emplace_back(H5Dopen2(group, d.name.c_str(), H5P_DEFAULT), H5Dclose);
    }
    TableDatasets t = TableDatasets::create(group, layout_.series[s]);
    const hid_t value = t.dataset(0), day = t.dataset(1);
    h5::write_attribute(value, "dims", dim_names);
    h5::write_attribute(value, "unit", spec.unit);
    h5::write_attribute(group.id(), "description", spec.description);
    // Named dimensions with their coordinates: the day as a CF time axis, each other dimension
    // by its labels (docs/output.md, "Series as named dimensions").
    attach_scale(value, day, "day", 0);
    h5::write_attribute(day, "units", "days since " + cal.start.iso());
    h5::write_attribute(day, "calendar", std::string("proleptic_gregorian"));
    for (std::size_t d = 0; d < labels.size(); ++d)
      attach_scale(value, labels[d].id(), spec.dims[d].name, static_cast<unsigned>(d + 1));
    datasets_.push_back(std::move(t));
  }

  h5::Handle eg = h5::create_group(root, "events");
  h5::write_strings(eg, "kind_labels", setup.event_kinds);
  h5::write_attribute(eg.id(), "enabled", static_cast<std::int64_t>(options_.events));
  // Which kinds the log holds (output.event_kinds): a kind not listed was not recorded,
  // which is not the same as "did not happen".
  if (options_.events && !setup.event_kinds.empty())
    h5::write_attribute(eg.id(), "kinds_written",
                        options_.event_kinds.empty() ? setup.event_kinds : options_.event_kinds);
  datasets_.push_back(TableDatasets::create(eg, layout_.events));

  h5::Handle ag = h5::create_group(root, "agents");
  h5::write_strings(ag, "state_labels", setup.state_names);
  h5::write_attribute(ag.id(), "enabled", static_cast<std::int64_t>(options_.agents));
  datasets_.push_back(TableDatasets::create(ag, layout_.agents));
  resumed_rows_.assign(datasets_.size(), 0);
}

void RunOutput::reopen() {
  hid_t root = file_.id();
  h5::Handle sg = h5::open_group(root, "series");
  for (const TableLayout& l : layout_.series) {
    h5::Handle g = h5::open_group(sg, l.name.substr(l.name.find('/') + 1));
    datasets_.push_back(TableDatasets::open(g, l));
  }
  h5::Handle eg = h5::open_group(root, "events");
  datasets_.push_back(TableDatasets::open(eg, layout_.events));
  h5::Handle ag = h5::open_group(root, "agents");
  datasets_.push_back(TableDatasets::open(ag, layout_.agents));
  for (const TableDatasets& t : datasets_) resumed_rows_.push_back(t.rows());
}

std::uint64_t RunOutput::resumed_rows(int table) const { return resumed_rows_.at(static_cast<std::size_t>(table)); }

void RunOutput::append_day(int day, const Tally& totals) {
  for (std::size_t s = 0; s < layout_.series.size(); ++s) {
    const TableLayout& l = layout_.series[s];
    std::vector<unsigned char> record(l.record_bytes);
    const std::size_t value_bytes = l.columns[0].row_bytes();
    std::size_t offset = 0;
    for (std::size_t i = 0; i < s; ++i) offset += layout_.series[i].columns[0].row_elements();
    std::memcpy(record.data(), totals.data() + offset, value_bytes);
    const std::int32_t d = day;
    std::memcpy(record.data() + l.columns[1].offset, &d, sizeof d);
    streams_[s]->append(record.data(), 1);
  }
}

void RunOutput::append_events(const EventBuffer& events) { append_events(std::span<const Event>(events.events())); }

void RunOutput::append_events(std::span<const Event> ev) {
  if (!options_.events || ev.empty()) return;
  events_stream().append(ev.data(), ev.size());
}

void RunOutput::append_agents(const AgentStore& store, std::span<const std::uint32_t> rows) {
  if (!options_.agents || rows.empty()) return;
  const std::vector<std::uint32_t> r(rows.begin(), rows.end());
  const auto records = layout_.agent_records(store, &r);
  agents_stream().append(records.data(), rows.size());
}

void RunOutput::append_all_agents(const AgentStore& store) {
  if (!options_.agents || store.size() == 0) return;
  const auto records = layout_.agent_records(store, nullptr);
  agents_stream().append(records.data(), store.size());
}

void RunOutput::accept(std::vector<EncodedChunkRef> chunks) {
  for (auto& c : chunks) {
    const std::size_t bytes = c.data.bytes.size();
    pipeline_->submit(
        [this, c = std::move(c)]() mutable -> WritePipeline::Write {
          return [this, c = std::move(c)] { datasets_[static_cast<std::size_t>(c.table)].put(c); };
        },
        bytes);
  }
}

void RunOutput::set_attribute(const std::string& name, const std::string& value) {
  post([this, name, value] { h5::write_attribute(file_.id(), name, value); });
}
void RunOutput::set_attribute(const std::string& name, double value) {
  post([this, name, value] { h5::write_attribute(file_.id(), name, value); });
}

void RunOutput::flush_and_copy(const fs::path& dest) {
  drain();
  if (H5Fflush(file_.id(), H5F_SCOPE_GLOBAL) < 0)
    throw OutputError(fmt::format("cannot write {}: {}", tmp_.string(), h5::error_cause()));
  std::error_code ec;
  fs::copy_file(tmp_, dest, fs::copy_options::overwrite_existing, ec);
  if (ec) throw OutputError(fmt::format("cannot copy {} to {}: {}", tmp_.string(), dest.string(), ec.message()));
}

void RunOutput::snapshot(const fs::path& dest) {
  for (auto& s : streams_) s->flush_partial(s->rows(), true);
  flush_and_copy(dest);
}

void RunOutput::snapshot_series_and_copy(const fs::path& dest) {
  for (std::size_t s = 0; s < layout_.series.size(); ++s) streams_[s]->flush_partial(streams_[s]->rows(), true);
  flush_and_copy(dest);
}

void RunOutput::finish(const RunStats& stats) {
  for (auto& s : streams_) s->flush_partial(s->rows(), false);
  drain();
  pipeline_.reset();
  hid_t root = file_.id();
  // The figures of the summary line (`days` is already there: the run always covers the calendar).
  h5::write_attribute(root, "days", static_cast<std::int64_t>(stats.days));
  h5::write_attribute(root, "agents", static_cast<std::int64_t>(stats.agents));
  h5::write_attribute(root, "agent_steps", static_cast<std::int64_t>(stats.agent_steps));
  h5::write_attribute(root, "seconds", stats.seconds);
  h5::write_attribute(root, "agent_steps_per_s", stats.agent_steps_per_s());
  h5::write_attribute(root, "complete", std::int64_t{1});
  close_datasets();
  if (H5Fflush(root, H5F_SCOPE_GLOBAL) < 0)
    throw OutputError(fmt::format("cannot write {}: {}", tmp_.string(), h5::error_cause()));
  file_.reset();
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) throw OutputError(fmt::format("cannot rename {} to {}: {}", tmp_.string(), path_.string(), ec.message()));
  finished_ = true;
}

}  // namespace corridor
