// The parameter declarer (sim/parameters.hpp) and the tables it prints.
#include "sim/parameters.hpp"

#include <fmt/format.h>

#include <sstream>

#include "sim/json.hpp"

namespace corridor {

Schedule parse_default_schedule(const std::string& text) {
  if (text.find(':') == std::string::npos && text.find('~') == std::string::npos) return Schedule(std::stod(text));
  std::vector<Schedule::Point> pts;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = item.substr(item.find_first_not_of(' '));
    const bool ramp = item[10] == '~';
    pts.push_back(Schedule::Point{*parse_iso_date(item.substr(0, 10)), std::stod(item.substr(11)), ramp});
  }
  return Schedule(std::move(pts));
}

void ParameterDeclarer::number(const std::string& key, double& out, double def, const std::string& unit,
                               const Bounds& range, const std::string& source) {
  document({key, "number", fmt::format("{:g}", def), unit, range.text(), source, range.lo, range.hi, def});
  out = def;
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = s->number(leaf, range);
}

void ParameterDeclarer::integer(const std::string& key, int& out, int def, int lo, int hi, const std::string& unit,
                                const std::string& source) {
  document({key, "integer", std::to_string(def), unit, fmt::format("{}–{}", lo, hi), source,
                   static_cast<double>(lo), static_cast<double>(hi)});
  out = def;
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = static_cast<int>(s->integer(leaf, lo, hi));
}

void ParameterDeclarer::schedule(const std::string& key, Schedule& out, const std::string& def,
                                 const std::string& unit, const Bounds& range, const std::string& source) {
  document({key, "schedule", def, unit, range.text() + " (schedule)", source, range.lo, range.hi});
  out = parse_default_schedule(def);
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = s->schedule(leaf, out, range);
}

void ParameterDeclarer::flag(const std::string& key, bool& out, bool def, const std::string& source) {
  document({key, "flag", def ? "true" : "false", "", "true/false", source});
  out = def;
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = s->boolean(leaf, def);
}

void ParameterDeclarer::date(const std::string& key, Date& out, const std::string& def, const std::string& source) {
  document({key, "date", def, "date", "YYYY-MM-DD", source});
  out = *parse_iso_date(def);
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = s->date(leaf);
}

void ParameterDeclarer::text(const std::string& key, std::string& out, const std::string& def,
                             const std::string& unit, const std::string& source) {
  document({key, "text", def, unit, "", source});
  out = def;
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) out = s->text(leaf);
}

std::optional<Section> ParameterDeclarer::custom(const std::string& key, const std::string& def,
                                                 const std::string& unit, const std::string& source,
                                                 std::string& leaf) {
  document({key, "custom", def, unit, "", source});
  return parent(key, leaf);
}

void ParameterDeclarer::document(ParameterDoc row) {
  row.group = group_;
  row.group_note = group_note_;
  docs_.push_back(std::move(row));
}

void ParameterDeclarer::group(std::string title, std::string note) {
  group_ = std::move(title);
  group_note_ = std::move(note);
}

void ParameterDeclarer::forbid(const std::string& key, const std::string& message) const {
  std::string leaf;
  if (auto s = parent(key, leaf); s && s->has(leaf)) s->fail(leaf, message);
}

std::optional<Section> ParameterDeclarer::parent(const std::string& key, std::string& leaf) const {
  std::vector<std::string> parts;
  std::stringstream ss(key);
  std::string p;
  while (std::getline(ss, p, '.')) parts.push_back(p);
  leaf = parts.empty() ? std::string() : parts.back();
  if (!root_) return std::nullopt;
  std::optional<Section> s = *root_;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    s = s->optional_section(parts[i]);
    if (!s) return std::nullopt;
  }
  return s;
}

std::string parameter_table_markdown(const std::vector<ParameterDoc>& docs, const std::string& section_name) {
  const std::string header = fmt::format(
      "| key (under `{}:`) | default | unit | range | source or reasoning |\n|---|---|---|---|---|\n", section_name);
  std::string out;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto& r = docs[i];
    const bool starts_group = i == 0 || r.group != docs[i - 1].group;
    if (starts_group && !r.group.empty()) out += fmt::format("{}**{}**: {}\n\n", i ? "\n" : "", r.group, r.group_note);
    if (starts_group) out += header;
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", r.key, r.default_value, r.unit, r.range, r.source);
  }
  return out;
}

namespace {
std::string typed_default(const ParameterDoc& r) {
  if (r.kind == "number") return json::number(r.exact_default);
  if (r.kind == "integer") return r.default_value;
  if (r.kind == "flag") return r.default_value == "true" ? "true" : "false";
  if (r.kind == "schedule") {
    const Schedule s = parse_default_schedule(r.default_value);
    if (s.points().size() == 1 && s.points()[0].date == Date{}) return json::number(s.points()[0].value);
    std::string out = "[";
    for (std::size_t i = 0; i < s.points().size(); ++i) {
      const auto& pt = s.points()[i];
      out += fmt::format("{}{{\"date\": {}, \"value\": {}, \"ramp\": {}}}", i ? ", " : "", json::quote(pt.date.iso()),
                         json::number(pt.value), pt.ramp ? "true" : "false");
    }
    return out + "]";
  }
  return json::quote(r.default_value);
}
}  // namespace

std::string parameter_table_json(const std::vector<ParameterDoc>& docs, const std::string& model,
                                 const std::string& section_name) {
  std::string out = fmt::format("{{\"model\": {}, \"section\": {}, \"parameters\": [", json::quote(model),
                                json::quote(section_name));
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto& r = docs[i];
    const bool numeric = r.kind == "number" || r.kind == "integer" || r.kind == "schedule";
    out += fmt::format(
        "{}\n  {{\"key\": {}, \"kind\": {}, \"default\": {}, \"default_text\": {}, \"unit\": {}, \"range\": {}, "
        "\"min\": {}, \"max\": {}, \"source\": {}, \"group\": {}}}",
        i ? "," : "", json::quote(r.key), json::quote(r.kind), typed_default(r), json::quote(r.default_value),
        json::quote(r.unit), json::quote(r.range), numeric ? json::number(r.lo) : "null",
        numeric ? json::number(r.hi) : "null", json::quote(r.source), json::quote(r.group));
  }
  return out + "\n]}\n";
}

}  // namespace corridor
