#include "sim/output.hpp"

#include <fmt/format.h>
#include <unistd.h>

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

}  // namespace

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
    : RunOutput(std::move(path), sc) {
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

RunOutput::RunOutput(fs::path path, const Scenario& sc)
    : path_(std::move(path)),
      events_on_(sc.output.events),
      agents_on_(sc.output.agents),
      level_(sc.output.compression),
      event_chunk_(sc.output.event_chunk),
      event_kinds_kept_(sc.output.event_kinds) {
  prepare_paths();
}

std::unique_ptr<RunOutput> RunOutput::resume(fs::path path, const Scenario& sc, const fs::path& checkpoint,
                                             int next_day, const RunInfo& info) {
  std::unique_ptr<RunOutput> out(new RunOutput(std::move(path), sc));
  out->resumed_ = true;
  std::error_code ec;
  fs::copy_file(checkpoint, out->tmp_, fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw InputError(fmt::format("output file {}: cannot copy the checkpoint {} to {}: {}", out->path_.string(),
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

void RunOutput::post(std::function<void()> task, std::size_t bytes) {
  if (writer_)
    writer_->post(std::move(task), bytes);
  else
    task();
}

void RunOutput::drain() {
  if (writer_) writer_->drain();
}

void RunOutput::snapshot(const fs::path& dest) {
  drain();
  if (H5Fflush(file_.id(), H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: flush failed");
  fs::copy_file(tmp_, dest, fs::copy_options::overwrite_existing);
}

RunOutput::~RunOutput() {
  writer_.reset();  // discards writes not yet started and joins, before any handle closes
  if (!finished_) {
    series_.clear();
    agent_cols_.clear();
    ev_day_ = {};
    ev_kind_ = {};
    ev_node_ = {};
    ev_agent_ = {};
    ev_other_ = {};
    file_.reset();
    std::error_code ec;
    fs::remove(tmp_, ec);
  }
}

void RunOutput::declare(const ModelSetup& setup, const AgentStore& store, const Calendar& cal) {
  if (resumed_)
    reopen(setup, store);
  else
    create(setup, store, cal);
  writer_ = std::make_unique<BackgroundWriter>(kMaxPendingBytes);
}

void RunOutput::create(const ModelSetup& setup, const AgentStore& store, const Calendar& cal) {
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
    const SeriesId& id = setup.series.ids()[s];
    SeriesOut out;
    out.group = h5::create_group(sg, spec.name);
    std::vector<hsize_t> inner;
    std::vector<std::string> dim_names{"day"};
    for (const auto& d : spec.dims) {
      inner.push_back(d.labels.size());
      dim_names.push_back(d.name);
      h5::write_strings(out.group, d.name, d.labels);
    }
    // About 64 k cells per chunk: whole days, several per chunk when a day is small.
    const hsize_t chunk_days = std::max<hsize_t>(1, std::min<hsize_t>(366, 65536 / std::max<std::size_t>(id.cells, 1)));
    out.value = h5::Appendable(out.group, "value", H5T_NATIVE_INT64, inner, chunk_days, level_);
    out.day = h5::Appendable(out.group, "day", H5T_NATIVE_INT32, {}, 1024, 0);
    h5::write_attribute(out.value.dataset(), "dims", dim_names);
    h5::write_attribute(out.value.dataset(), "unit", spec.unit);
    h5::write_attribute(out.group.id(), "description", spec.description);
    out.offset = id.offset;
    out.cells = id.cells;
    series_.push_back(std::move(out));
  }

  h5::Handle eg = h5::create_group(root, "events");
  h5::write_strings(eg, "kind_labels", setup.event_kinds);
  h5::write_attribute(eg.id(), "enabled", static_cast<std::int64_t>(events_on_));
  // Which kinds the log holds (output.event_kinds): a kind not listed was not recorded,
  // which is not the same as "did not happen".
  if (events_on_ && !setup.event_kinds.empty())
    h5::write_attribute(eg.id(), "kinds_written", event_kinds_kept_.empty() ? setup.event_kinds : event_kinds_kept_);
  const auto chunk = static_cast<hsize_t>(event_chunk_);
  ev_day_ = h5::Appendable(eg, "day", H5T_NATIVE_INT32, {}, chunk, level_);
  ev_kind_ = h5::Appendable(eg, "kind", H5T_NATIVE_UINT16, {}, chunk, level_);
  ev_node_ = h5::Appendable(eg, "node", H5T_NATIVE_UINT32, {}, chunk, level_);
  ev_agent_ = h5::Appendable(eg, "agent", H5T_NATIVE_UINT64, {}, chunk, level_);
  ev_other_ = h5::Appendable(eg, "other", H5T_NATIVE_INT64, {}, chunk, level_);

  h5::Handle ag = h5::create_group(root, "agents");
  h5::write_strings(ag, "state_labels", setup.state_names);
  h5::write_attribute(ag.id(), "enabled", static_cast<std::int64_t>(agents_on_));
  const auto& cols = store.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (!cols[c].output) continue;
    const hid_t t = std::visit([](const auto& v) { return type_of(v); }, cols[c].data);
    agent_cols_.emplace_back(ag, cols[c].name, t, std::vector<hsize_t>{}, chunk, level_);
    agent_col_index_.push_back(c);
  }
}

void RunOutput::reopen(const ModelSetup& setup, const AgentStore& store) {
  hid_t root = file_.id();
  h5::Handle sg = h5::open_group(root, "series");
  for (std::size_t s = 0; s < setup.series.specs().size(); ++s) {
    const SeriesSpec& spec = setup.series.specs()[s];
    SeriesOut out;
    out.group = h5::open_group(sg, spec.name);
    out.value = h5::Appendable::open(out.group, "value", H5T_NATIVE_INT64);
    out.day = h5::Appendable::open(out.group, "day", H5T_NATIVE_INT32);
    out.offset = setup.series.ids()[s].offset;
    out.cells = setup.series.ids()[s].cells;
    if (out.value.rows() != out.day.rows()) throw std::runtime_error("checkpoint: series " + spec.name + " is torn");
    series_.push_back(std::move(out));
  }
  h5::Handle eg = h5::open_group(root, "events");
  ev_day_ = h5::Appendable::open(eg, "day", H5T_NATIVE_INT32);
  ev_kind_ = h5::Appendable::open(eg, "kind", H5T_NATIVE_UINT16);
  ev_node_ = h5::Appendable::open(eg, "node", H5T_NATIVE_UINT32);
  ev_agent_ = h5::Appendable::open(eg, "agent", H5T_NATIVE_UINT64);
  ev_other_ = h5::Appendable::open(eg, "other", H5T_NATIVE_INT64);
  h5::Handle ag = h5::open_group(root, "agents");
  const auto& cols = store.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (!cols[c].output) continue;
    const hid_t t = std::visit([](const auto& v) { return type_of(v); }, cols[c].data);
    agent_cols_.push_back(h5::Appendable::open(ag, cols[c].name, t));
    agent_col_index_.push_back(c);
  }
}

void RunOutput::append_day(int day, const Tally& totals) {
  std::vector<std::int64_t> values(totals.data(), totals.data() + totals.size());
  const std::size_t bytes = values.size() * sizeof(std::int64_t);
  post(
      [this, day, values = std::move(values)] {
        const std::int32_t d = day;
        for (auto& s : series_) {
          s.value.append(values.data() + s.offset, 1);
          s.day.append(&d, 1);
        }
      },
      bytes);
}

void RunOutput::append_events(const EventBuffer& events) { append_events(std::span<const Event>(events.events())); }

namespace {

/// The event log's columns, one day's (or one buffer's) worth.
struct EventColumns {
  std::vector<std::int32_t> day;
  std::vector<std::uint16_t> kind;
  std::vector<std::uint32_t> node;
  std::vector<std::uint64_t> agent;
  std::vector<std::int64_t> other;
  explicit EventColumns(std::span<const Event> ev)
      : day(ev.size()), kind(ev.size()), node(ev.size()), agent(ev.size()), other(ev.size()) {
    for (std::size_t i = 0; i < ev.size(); ++i) {
      day[i] = ev[i].day;
      kind[i] = ev[i].kind;
      node[i] = ev[i].node;
      agent[i] = ev[i].agent;
      other[i] = ev[i].other;
    }
  }
  static constexpr std::size_t kRowBytes = sizeof(std::int32_t) + sizeof(std::uint16_t) + sizeof(std::uint32_t) +
                                           sizeof(std::uint64_t) + sizeof(std::int64_t);
};

}  // namespace

void RunOutput::append_events(std::span<const Event> ev) {
  if (!events_on_ || ev.empty()) return;
  const std::size_t bytes = ev.size() * EventColumns::kRowBytes;
  // std::function needs a copyable callable: the columns travel in a shared_ptr.
  auto cols = std::make_shared<const EventColumns>(ev);
  post(
      [this, cols] {
        const hsize_t n = cols->day.size();
        ev_day_.append(cols->day.data(), n);
        ev_kind_.append(cols->kind.data(), n);
        ev_node_.append(cols->node.data(), n);
        ev_agent_.append(cols->agent.data(), n);
        ev_other_.append(cols->other.data(), n);
      },
      bytes);
}

template <class T>
void RunOutput::post_agent_column(std::size_t k, std::vector<T> rows) {
  // std::function needs a copyable callable: the rows travel in a shared_ptr.
  auto buf = std::make_shared<const std::vector<T>>(std::move(rows));
  post([this, k, buf] { agent_cols_[k].append(buf->data(), buf->size()); }, buf->size() * sizeof(T));
}

void RunOutput::append_agents(const AgentStore& store, std::span<const std::uint32_t> rows) {
  if (!agents_on_ || rows.empty()) return;
  const auto& cols = store.columns();
  for (std::size_t k = 0; k < agent_cols_.size(); ++k) {
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          std::vector<T> buf(rows.size());
          for (std::size_t i = 0; i < rows.size(); ++i) buf[i] = v[rows[i]];
          post_agent_column(k, std::move(buf));
        },
        cols[agent_col_index_[k]].data);
  }
}

void RunOutput::append_all_agents(const AgentStore& store) {
  if (!agents_on_ || store.size() == 0) return;
  const auto& cols = store.columns();
  for (std::size_t k = 0; k < agent_cols_.size(); ++k)
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          post_agent_column(k, std::vector<T>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(store.size())));
        },
        cols[agent_col_index_[k]].data);
}

void RunOutput::set_attribute(const std::string& name, const std::string& value) {
  post([this, name, value] { h5::write_attribute(file_.id(), name, value); }, 0);
}
void RunOutput::set_attribute(const std::string& name, double value) {
  post([this, name, value] { h5::write_attribute(file_.id(), name, value); }, 0);
}

void RunOutput::finish(const RunStats& stats) {
  drain();
  writer_.reset();
  hid_t root = file_.id();
  // The figures of the summary line (`days` is already there: the run always covers the calendar).
  h5::write_attribute(root, "days", static_cast<std::int64_t>(stats.days));
  h5::write_attribute(root, "agents", static_cast<std::int64_t>(stats.agents));
  h5::write_attribute(root, "agent_steps", static_cast<std::int64_t>(stats.agent_steps));
  h5::write_attribute(root, "seconds", stats.seconds);
  h5::write_attribute(root, "agent_steps_per_s", stats.agent_steps_per_s());
  h5::write_attribute(root, "complete", std::int64_t{1});
  series_.clear();
  agent_cols_.clear();
  ev_day_ = {};
  ev_kind_ = {};
  ev_node_ = {};
  ev_agent_ = {};
  ev_other_ = {};
  if (H5Fflush(root, H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: flush failed");
  file_.reset();
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp_.string(), path_.string(), ec.message()));
  finished_ = true;
}

}  // namespace corridor
