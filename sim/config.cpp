#include "sim/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <limits>
#include <sstream>

#include "sim/csv.hpp"
#include "sim/files.hpp"
#include "sim/yaml_checks.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

bool is_prefix_path(const std::string& prefix, const std::string& path) {
  return path == prefix || (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
                            path[prefix.size()] == '.');
}

std::string scalar_text(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  return "?";
}

void record_origins(const YAML::Node& node, const std::string& path, const std::string& file,
                    std::map<std::string, SourceLocation>& out) {
  out[path] = SourceLocation{file, node.Mark().line >= 0 ? node.Mark().line + 1 : 0};
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      record_origins(it->second, join_path(path, it->first.Scalar()), file, out);
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      record_origins(node[i], join_path(path, std::to_string(i)), file, out);
  }
}

void erase_origins(std::map<std::string, SourceLocation>& origins, const std::string& path) {
  for (auto it = origins.lower_bound(path); it != origins.end() && it->first.compare(0, path.size(), path) == 0;) {
    if (is_prefix_path(path, it->first))
      it = origins.erase(it);
    else
      ++it;
  }
}

YAML::Node parse_yaml(const std::string& text, const std::string& name) {
  YAML::Node n = load_checked_yaml(text, name);  // no recursive alias, alias bomb, duplicate key (sim/yaml_checks.hpp)
  if (n.IsNull()) return YAML::Node(YAML::NodeType::Map);
  if (!n.IsMap()) throw InputError(fmt::format("{}: expected a YAML map of scenario keys at the top level", name));
  return n;
}

/// A map that changes an inherited schedule (docs/scenarios.md): {scale, add, from, until,
/// min, max, shift_days}, with the inherited schedule under `base` once merged.
const std::set<std::string> kChangeKeys = {"base", "scale", "add", "from", "until", "min", "max", "shift_days"};

bool is_schedule_change(const YAML::Node& node) {
  if (!node.IsMap()) return false;
  bool changes = false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : std::string();
    if (!kChangeKeys.count(k)) return false;
    changes = changes || (k != "base" && k != "from" && k != "until");
  }
  return changes;
}

/// Puts `change` (a change map without `base`) in place of the inherited value at `path`, with
/// that value as its `base`; provenance of the inherited value moves under `path.base`.
YAML::Node wrap_inherited(const YAML::Node& inherited, const YAML::Node& change, const std::string& path,
                          std::map<std::string, SourceLocation>& origins) {
  YAML::Node wrapped = YAML::Clone(change);
  wrapped["base"] = YAML::Clone(inherited);
  std::map<std::string, SourceLocation> moved;
  for (auto o = origins.lower_bound(path); o != origins.end() && o->first.compare(0, path.size(), path) == 0; ++o)
    if (is_prefix_path(path, o->first)) moved[path + ".base" + o->first.substr(path.size())] = o->second;
  erase_origins(origins, path);
  origins.insert(moved.begin(), moved.end());
  return wrapped;
}

bool changes_inherited(const YAML::Node& inherited, const YAML::Node& top) {
  return is_schedule_change(top) && !top["base"] && inherited.IsDefined() && !inherited.IsNull() &&
         (!inherited.IsMap() || is_schedule_change(inherited));
}

std::string read_text(const fs::path& file, const std::string& what) { return read_file_text(file, what); }

/// A YAML value as the text of `--set key=value` (flow style, one line).
std::string one_line_yaml(const YAML::Node& v) {
  if (v.IsScalar()) return v.Scalar();
  YAML::Emitter e;
  e.SetSeqFormat(YAML::Flow);
  e.SetMapFormat(YAML::Flow);
  e << v;
  std::string s = e.c_str();
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

}  // namespace

/// Builds a merged ScenarioDoc: loads parents first, overlays children.
class ScenarioLoader {
 public:
  static void load_into(ScenarioDoc& doc, const std::string& text, const fs::path& file,
                        std::vector<fs::path>& chain, const std::string& what) {
    const std::string name = file.string();
    YAML::Node node = parse_yaml(text, name);
    std::map<std::string, SourceLocation> origins;
    record_origins(node, "", name, origins);
    if (node["extends"]) {
      const YAML::Node ext = node["extends"];
      const int line = ext.Mark().line + 1;
      if (!ext.IsScalar() || ext.Scalar().empty())
        throw InputError(fmt::format("{}:{}: key 'extends': expected the path of a {}", name, line, what));
      fs::path parent = file.parent_path() / ext.Scalar();
      std::error_code ec;
      const fs::path canon = fs::weakly_canonical(parent, ec);
      for (const auto& seen : chain)
        if (seen == canon)
          throw InputError(fmt::format("{}:{}: key 'extends': '{}' extends itself (cycle)", name, line, ext.Scalar()));
      if (!fs::exists(parent, ec))
        throw InputError(fmt::format("{}:{}: key 'extends': {} '{}' not found", name, line, what, parent.string()));
      std::string parent_text;
      try {
        parent_text = read_text(parent, what);
      } catch (const InputError& e) {  // a directory, a device, too large: say which key named it
        throw InputError(fmt::format("{}:{}: key 'extends': {}", name, line, e.what()));
      }
      chain.push_back(canon);
      load_into(doc, parent_text, parent, chain, what);
      chain.pop_back();
      node.remove("extends");
      origins.erase("extends");
    }
    if (!doc.tree_.IsMap()) {
      doc.tree_ = YAML::Node(YAML::NodeType::Map);
    }
    overlay(doc, doc.tree_, node, "", origins);
    doc.origin_[""] = SourceLocation{name, 0};
  }

  static void overlay(ScenarioDoc& doc, YAML::Node base, const YAML::Node& top, const std::string& path,
                      const std::map<std::string, SourceLocation>& top_origins) {
    for (auto it = top.begin(); it != top.end(); ++it) {
      const std::string key = it->first.Scalar();
      const std::string p = join_path(path, key);
      YAML::Node b = base[key];
      if (changes_inherited(b, it->second)) {
        // A change to the inherited schedule: keep it, and record what changes it.
        base[key] = wrap_inherited(b, it->second, p, doc.origin_);
        for (auto o = top_origins.lower_bound(p); o != top_origins.end(); ++o) {
          if (!is_prefix_path(p, o->first)) {
            if (o->first.compare(0, p.size(), p) != 0) break;
            continue;
          }
          doc.origin_[o->first] = o->second;
        }
      } else if (b.IsDefined() && b.IsMap() && it->second.IsMap() && !is_schedule_change(b)) {
        doc.origin_[p] = top_origins.at(p);
        overlay(doc, b, it->second, p, top_origins);
      } else {
        base[key] = YAML::Clone(it->second);
        erase_origins(doc.origin_, p);
        for (auto o = top_origins.lower_bound(p); o != top_origins.end(); ++o) {
          if (!is_prefix_path(p, o->first)) {
            if (o->first.compare(0, p.size(), p) != 0) break;
            continue;
          }
          doc.origin_[o->first] = o->second;
        }
      }
    }
  }
};

ScenarioDoc ScenarioDoc::load(const fs::path& file, const std::string& what) {
  ScenarioDoc doc;
  doc.file_ = file;
  std::vector<fs::path> chain;
  std::error_code ec;
  chain.push_back(fs::weakly_canonical(file, ec));
  ScenarioLoader::load_into(doc, read_text(file, what), file, chain, what);
  return doc;
}

ScenarioDoc ScenarioDoc::from_text(const std::string& text, const fs::path& name) {
  ScenarioDoc doc;
  doc.file_ = name;
  std::vector<fs::path> chain;
  std::error_code ec;
  chain.push_back(fs::weakly_canonical(name, ec));
  ScenarioLoader::load_into(doc, text, name, chain, "scenario file");
  return doc;
}

void ScenarioDoc::set(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(fmt::format("--set '{}': expected key.path=value", assignment));
  const std::string path = assignment.substr(0, eq);
  const std::string value_text = assignment.substr(eq + 1);
  const std::string where = "--set " + path;
  // Every component non-empty: "seed.", ".seed" and "a..b" name no key.
  std::vector<std::string> parts;
  for (std::size_t b = 0;;) {
    const std::size_t dot = path.find('.', b);
    const std::string part = path.substr(b, dot == std::string::npos ? std::string::npos : dot - b);
    if (part.empty()) throw InputError(fmt::format("{}: empty component in key path '{}'", where, path));
    parts.push_back(part);
    if (dot == std::string::npos) break;
    b = dot + 1;
  }
  try {
    (void)YAML::Load(value_text);
  } catch (const YAML::ParserException& e) {
    throw InputError(fmt::format("{}: value is not valid YAML: {}", where, e.msg));
  }
  const YAML::Node value = load_checked_yaml(value_text, where);  // recursive aliases, duplicate keys, ...
  YAML::Node node;
  node.reset(tree_);
  std::string prefix;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix = join_path(prefix, parts[i]);
    YAML::Node next;
    if (node.IsSequence()) {
      char* end = nullptr;
      const unsigned long idx = std::strtoul(parts[i].c_str(), &end, 10);
      if (*end != '\0' || idx >= node.size())
        throw InputError(fmt::format("{}: '{}' is a list of {} items; '{}' is not an index in it", where,
                                     prefix.substr(0, prefix.size() - parts[i].size() - 1), node.size(), parts[i]));
      next = node[idx];
    } else {
      if (!node.IsMap()) throw InputError(fmt::format("{}: '{}' is not a map", where, prefix));
      if (!node[parts[i]]) {
        node[parts[i]] = YAML::Node(YAML::NodeType::Map);
        origin_[prefix] = SourceLocation{where, 0};
      }
      next = node[parts[i]];
    }
    node.reset(next);  // rebind, not assign: Node::operator= would overwrite the parent's content
  }
  const std::string& last = parts.back();
  bool wrapped = false;
  if (node.IsSequence()) {
    char* end = nullptr;
    const unsigned long idx = std::strtoul(last.c_str(), &end, 10);
    if (*end != '\0' || idx >= node.size())
      throw InputError(fmt::format("{}: '{}' is not an index of a list of {} items", where, last, node.size()));
    node[idx] = value;
  } else if (node.IsMap()) {
    const YAML::Node& current = node;
    if (changes_inherited(current[last], value)) {
      // --set k={scale: 2, from: ...} changes the schedule in force rather than replacing it.
      node[last] = wrap_inherited(current[last], value, path, origin_);
      wrapped = true;
    } else {
      node[last] = value;
    }
  } else {
    throw InputError(fmt::format("{}: cannot set a key inside a scalar", where));
  }
  if (!wrapped) erase_origins(origin_, path);
  std::map<std::string, SourceLocation> tmp;
  record_origins(value, path, where, tmp);
  for (auto& [k, v] : tmp) origin_[k] = SourceLocation{where, 0};
}

Section ScenarioDoc::root() const { return Section(this, tree_, ""); }

SourceLocation ScenarioDoc::where(const std::string& path) const {
  std::string p = path;
  for (;;) {
    auto it = origin_.find(p);
    if (it != origin_.end()) return it->second;
    if (p.empty()) return SourceLocation{file_.string(), 0};
    const auto dot = p.rfind('.');
    p = dot == std::string::npos ? "" : p.substr(0, dot);
  }
}

void ScenarioDoc::mark_used(const std::string& path, bool whole) const {
  used_.insert(path);
  if (whole) used_whole_.insert(path);
}

void ScenarioDoc::check_all_keys_used() const {
  // Depth-first over the tree; every key must have been read (or lie inside a value read whole).
  struct Walker {
    const ScenarioDoc& d;
    void walk(const YAML::Node& node, const std::string& path) const {
      if (d.used_whole_.count(path)) return;
      if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
          const std::string p = join_path(path, it->first.Scalar());
          if (!d.used_.count(p)) {
            std::set<std::string> all = d.used_;
            all.insert(d.known_.begin(), d.known_.end());
            std::vector<std::string> known;
            for (const auto& u : all) {
              const std::string pre = path.empty() ? "" : path + ".";
              if (u.size() > pre.size() && u.compare(0, pre.size(), pre) == 0 &&
                  u.find('.', pre.size()) == std::string::npos)
                known.push_back(u.substr(pre.size()));
            }
            throw InputError(fmt::format("{}: unknown key '{}'{}", d.where(p).str(), p,
                                         known.empty() ? std::string()
                                                       : fmt::format(" (known keys here: {})", fmt::join(known, ", "))));
          }
          walk(it->second, p);
        }
      } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
          const std::string p = join_path(path, std::to_string(i));
          if (d.used_.count(p)) walk(node[i], p);
        }
      }
    }
  };
  Walker{*this}.walk(tree_, "");
}

std::string ScenarioDoc::effective_yaml() const {
  YAML::Emitter out;
  out << tree_;
  return std::string(out.c_str()) + "\n";
}

// ---------------------------------------------------------------- Section

Bounds::Bounds(Range r) : preset(r) {
  switch (r) {
    case Range::kProbability: lo = 0; hi = 1; break;
    case Range::kNonNegative: lo = 0; break;
    case Range::kPositive: lo = 0; lo_open = true; break;
    case Range::kAny: break;
  }
}

bool Bounds::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  if (hi_open ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

namespace {
std::string bound_number(double v) { return fmt::format("{:g}", v); }
}  // namespace

std::string Bounds::describe() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  switch (preset) {
    case Range::kProbability: return "a probability in [0,1]";
    case Range::kNonNegative: if (!has_hi) return "a non-negative number"; break;
    case Range::kPositive: if (!has_hi) return "a positive number"; break;
    case Range::kAny: break;
  }
  if (!has_lo && !has_hi) return "a number";
  return "a number in " + text();
}

std::string Bounds::text() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (preset == Range::kProbability) return "[0, 1]";
  if (!has_lo && !has_hi) return "any";
  if (!has_hi) return fmt::format("{} {}", lo_open ? ">" : "≥", bound_number(lo));
  if (!has_lo) return fmt::format("{} {}", hi_open ? "<" : "≤", bound_number(hi));
  return fmt::format("{}{}, {}{}", lo_open ? "(" : "[", bound_number(lo), bound_number(hi), hi_open ? ")" : "]");
}

std::string describe_range(const Bounds& range) { return range.describe(); }

double read_number(const YAML::Node& node, const std::string& key_path, const SourceLocation& where,
                   const Bounds& range) {
  double v = 0;
  if (!node.IsScalar() || !parse_number(node.Scalar(), v) || !range.contains(v))
    throw InputError(fmt::format("{}: key '{}': expected {}, got {}", where.str(), key_path,
                                 describe_range(range), scalar_text(node)));
  return v;
}

Section::Section(const ScenarioDoc* doc, YAML::Node node, std::string path)
    : doc_(doc), node_(std::move(node)), path_(std::move(path)) {
  doc_->mark_used(path_, false);
}

SourceLocation Section::where(const std::string& key) const { return doc_->where(key_path(key)); }

void Section::fail(const std::string& key, const std::string& message) const {
  throw InputError(fmt::format("{}: key '{}': {}", where(key).str(), key_path(key), message));
}

void Section::fail_here(const std::string& message) const {
  throw InputError(fmt::format("{}: {}{}", doc_->where(path_).str(),
                               path_.empty() ? "" : fmt::format("key '{}': ", path_), message));
}

bool Section::has(const std::string& key) const {
  doc_->mark_known(key_path(key));
  if (!node_.IsMap() || !node_[key].IsDefined()) return false;
  if (node_[key].IsNull()) {
    // `key:` with no value reads as absent (the fallback applies) and counts as read, as in
    // optional_section; otherwise check_all_keys_used would call a known key unknown.
    doc_->mark_used(key_path(key), true);
    return false;
  }
  return true;
}

bool Section::is_map(const std::string& key) const { return has(key) && node_[key].IsMap(); }

std::vector<std::string> Section::keys() const {
  std::vector<std::string> k;
  if (node_.IsMap())
    for (auto it = node_.begin(); it != node_.end(); ++it) k.push_back(it->first.Scalar());
  return k;
}

YAML::Node Section::get(const std::string& key) const {
  if (!has(key)) fail(key, "is required but missing");
  doc_->mark_used(key_path(key), true);
  return node_[key];
}

Section Section::section(const std::string& key) const {
  if (!has(key)) fail(key, "is required but missing (expected a map)");
  YAML::Node n = node_[key];
  if (!n.IsMap()) fail(key, fmt::format("expected a map of keys, got {}", scalar_text(n)));
  return Section(doc_, n, key_path(key));
}

std::optional<Section> Section::optional_section(const std::string& key) const {
  if (!has(key)) {
    if (node_.IsMap() && node_[key].IsDefined()) doc_->mark_used(key_path(key), true);
    return std::nullopt;
  }
  return section(key);
}

std::vector<Section> Section::list(const std::string& key) const {
  std::vector<Section> out;
  if (!has(key)) return out;
  YAML::Node n = node_[key];
  if (!n.IsSequence()) fail(key, fmt::format("expected a list, got {}", scalar_text(n)));
  doc_->mark_used(key_path(key), false);
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string p = key_path(key) + "." + std::to_string(i);
    if (!n[i].IsMap())
      throw InputError(fmt::format("{}: key '{}': expected a map, got {}", doc_->where(p).str(), p, scalar_text(n[i])));
    out.emplace_back(doc_, n[i], p);
  }
  return out;
}

std::string Section::text(const std::string& key) const {
  YAML::Node n = get(key);
  if (!n.IsScalar()) fail(key, fmt::format("expected text, got {}", scalar_text(n)));
  return n.Scalar();
}

std::string Section::text(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  return text(key);
}

std::vector<std::string> Section::text_list(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  YAML::Node n = get(key);
  if (!n.IsSequence()) fail(key, fmt::format("expected a list of names, got {}", scalar_text(n)));
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) fail(key + "." + std::to_string(i), fmt::format("expected a name, got {}", scalar_text(n[i])));
    out.push_back(n[i].Scalar());
  }
  return out;
}

std::vector<std::string> Section::assignments(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const YAML::Node n = get(key);
  const std::string kp = key_path(key);
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar().empty())
        fail(key, "expected a map {key.path: value} with key paths as keys");
      out.push_back(it->first.Scalar() + "=" + one_line_yaml(it->second));
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string p = kp + "." + std::to_string(i);
      if (!n[i].IsScalar() || n[i].Scalar().find('=') == std::string::npos || n[i].Scalar().front() == '=')
        throw InputError(fmt::format("{}: key '{}': expected key.path=value (as for --set), got {}",
                                     doc_->where(p).str(), p, scalar_text(n[i])));
      out.push_back(n[i].Scalar());
    }
  } else {
    fail(key, fmt::format("expected a map {{key.path: value}} or a list of key.path=value, got {}", scalar_text(n)));
  }
  return out;
}

std::vector<std::string> Section::value_texts(const std::string& key) const {
  const YAML::Node n = get(key);
  if (!n.IsSequence() || n.size() == 0) fail(key, fmt::format("expected a non-empty list of values, got {}", scalar_text(n)));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(one_line_yaml(n[i]));
  return out;
}

double Section::number(const std::string& key, Bounds range) const {
  return read_number(get(key), key_path(key), where(key), range);
}

double Section::number(const std::string& key, double fallback, Bounds range) const {
  if (!has(key)) return fallback;
  return number(key, range);
}

std::int64_t Section::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
  YAML::Node n = get(key);
  double v = 0;
  // Range-checked as a double first (the conversion of a value outside int64 is undefined),
  // then as an integer (max as a double may round up).
  const bool whole = n.IsScalar() && parse_number(n.Scalar(), v) && v == std::floor(v) && v >= -0x1p63 && v < 0x1p63;
  const std::int64_t i = whole ? static_cast<std::int64_t>(v) : 0;
  if (!whole || i < min || i > max)
    fail(key, fmt::format("expected an integer in [{}, {}], got {}", min, max, scalar_text(n)));
  return i;
}

std::int64_t Section::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) const {
  if (!has(key)) return fallback;
  return integer(key, min, max);
}

std::uint64_t Section::unsigned64(const std::string& key, std::uint64_t fallback) const {
  if (!has(key)) return fallback;
  YAML::Node n = get(key);
  const std::string s = n.IsScalar() ? n.Scalar() : "";
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    if (v > (std::numeric_limits<std::uint64_t>::max() - (s[i] - '0')) / 10) break;
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  }
  if (s.empty() || i != s.size()) fail(key, fmt::format("expected a non-negative 64-bit integer, got {}", scalar_text(n)));
  return v;
}

bool Section::boolean(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  YAML::Node n = get(key);
  const std::string s = n.IsScalar() ? n.Scalar() : "";
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(key, fmt::format("expected true or false, got {}", scalar_text(n)));
}

Date Section::date(const std::string& key) const {
  YAML::Node n = get(key);
  if (n.IsScalar())
    if (auto d = parse_iso_date(n.Scalar())) return *d;
  fail(key, fmt::format("expected a date as YYYY-MM-DD, got {}", scalar_text(n)));
}

fs::path Section::file(const std::string& key) const {
  const std::string rel = text(key);
  const SourceLocation loc = where(key);
  fs::path base = loc.line > 0 ? fs::path(loc.file).parent_path() : doc_->file().parent_path();
  fs::path p = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
  const std::string kind = file_kind(p);
  if (kind == "missing file") fail(key, fmt::format("table '{}' not found", p.string()));
  if (kind != "regular file") fail(key, fmt::format("'{}' is a {}, expected a file", p.string(), kind));
  try {
    check_input_file(p, "table");  // too large, unreadable
  } catch (const InputError& e) {
    fail(key, e.what());
  }
  doc_->note_table(p);
  return p;
}

void ScenarioDoc::note_table(const fs::path& file) const {
  std::error_code ec;
  const fs::path p = fs::absolute(file, ec).lexically_normal();
  if (std::find(tables_.begin(), tables_.end(), p) == tables_.end()) tables_.push_back(p);
}

Schedule Section::read_schedule(const YAML::Node& n, const std::string& kp, const Schedule* inherited,
                                const Bounds& range) const {
  if (n.IsScalar()) return Schedule(read_number(n, kp, doc_->where(kp), range));
  if (is_schedule_change(n)) return read_schedule_change(n, kp, inherited);
  if (!n.IsSequence() || n.size() == 0)
    throw InputError(fmt::format("{}: key '{}': expected {} or a list of {{date, value}} points, or a change of the "
                                 "inherited schedule ({{scale, add, from, until, min, max, shift_days}}), got {}",
                                 doc_->where(kp).str(), kp, describe_range(range), scalar_text(n)));
  std::vector<Schedule::Point> pts;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string pp = kp + "." + std::to_string(i);
    const SourceLocation loc = doc_->where(pp);
    const YAML::Node e = n[i];
    if (!e.IsMap() || !e["date"] || !e["value"])
      throw InputError(fmt::format("{}: key '{}': expected a map with 'date' and 'value' (and optional 'ramp')",
                                   loc.str(), pp));
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string k = it->first.Scalar();
      if (k != "date" && k != "value" && k != "ramp")
        throw InputError(fmt::format("{}: unknown key '{}.{}' (known keys here: date, value, ramp)",
                                     doc_->where(pp + "." + k).str(), pp, k));
    }
    Schedule::Point pt;
    const auto d = e["date"].IsScalar() ? parse_iso_date(e["date"].Scalar()) : std::nullopt;
    if (!d)
      throw InputError(fmt::format("{}: key '{}.date': expected a date as YYYY-MM-DD, got {}",
                                   doc_->where(pp + ".date").str(), pp, scalar_text(e["date"])));
    pt.date = *d;
    pt.value = read_number(e["value"], pp + ".value", doc_->where(pp + ".value"), range);
    if (e["ramp"]) {
      const std::string r = e["ramp"].IsScalar() ? e["ramp"].Scalar() : "";
      if (r == "linear") pt.ramp = true;
      else if (r == "none" || r == "step") pt.ramp = false;
      else
        throw InputError(fmt::format("{}: key '{}.ramp': expected 'linear' or 'step', got {}",
                                     doc_->where(pp + ".ramp").str(), pp, scalar_text(e["ramp"])));
    }
    if (!pts.empty() && !(pts.back().date < pt.date))
      throw InputError(fmt::format("{}: key '{}.date': schedule dates must increase, {} does not follow {}",
                                   doc_->where(pp + ".date").str(), pp, pt.date.iso(), pts.back().date.iso()));
    pts.push_back(pt);
  }
  return Schedule(std::move(pts));
}

Schedule Section::read_schedule_change(const YAML::Node& n, const std::string& kp, const Schedule* inherited) const {
  auto fail_at = [&](const std::string& sub, const std::string& msg) -> void {
    const std::string p = sub.empty() ? kp : kp + "." + sub;
    throw InputError(fmt::format("{}: key '{}': {}", doc_->where(p).str(), p, msg));
  };
  bool changes = false;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    if (!kChangeKeys.count(k))
      fail_at(k, "unknown key in a change of a schedule (known keys: base, scale, add, from, until, min, max, "
                 "shift_days)");
    changes = changes || (k != "base" && k != "from" && k != "until");
  }
  if (!changes) fail_at("", "a change of a schedule needs at least one of scale, add, min, max, shift_days");
  Schedule base;
  if (n["base"]) {
    base = read_schedule(n["base"], kp + ".base", inherited, Range::kAny);
  } else if (inherited) {
    base = *inherited;
  } else {
    fail_at("", "changes an inherited schedule, but this key inherits none here (no file it extends sets it): "
                "give the schedule itself");
  }
  ScheduleChange c;
  auto number = [&](const char* k, double& out) {
    if (n[k]) out = read_number(n[k], kp + "." + k, doc_->where(kp + "." + k), Range::kAny);
  };
  auto date = [&](const char* k, std::optional<Date>& out) {
    if (!n[k]) return;
    const auto d = n[k].IsScalar() ? parse_iso_date(n[k].Scalar()) : std::nullopt;
    if (!d) fail_at(k, fmt::format("expected a date as YYYY-MM-DD, got {}", scalar_text(n[k])));
    out = d;
  };
  number("scale", c.scale);
  number("add", c.add);
  number("min", c.min);
  number("max", c.max);
  date("from", c.from);
  date("until", c.until);
  if (c.from && c.until && !(*c.from < *c.until)) fail_at("until", "must be after 'from'");
  if (c.min > c.max) fail_at("max", "must not be below 'min'");
  if (n["shift_days"]) {
    double v = 0;
    if (!n["shift_days"].IsScalar() || !parse_number(n["shift_days"].Scalar(), v) || v != std::floor(v) ||
        std::abs(v) > 36600)
      fail_at("shift_days", fmt::format("expected a whole number of days in [-36600, 36600], got {}",
                                        scalar_text(n["shift_days"])));
    c.shift_days = static_cast<int>(v);
  }
  return base.changed(c);
}

Schedule Section::schedule(const std::string& key, Bounds range) const { return schedule(key, nullptr, range); }

Schedule Section::schedule(const std::string& key, const Schedule& inherited, Bounds range) const {
  return schedule(key, &inherited, range);
}

Schedule Section::schedule(const std::string& key, const Schedule* inherited, const Bounds& range) const {
  const YAML::Node n = get(key);
  const Schedule s = read_schedule(n, key_path(key), inherited, range);
  if (!s.changes().empty() && (!range.contains(s.min_value()) || !range.contains(s.max_value())))
    fail(key, fmt::format("after the change the schedule takes values from {:g} to {:g}; expected {} (a 'min' or "
                          "'max' in the change keeps it in range)",
                          s.min_value(), s.max_value(), describe_range(range)));
  return s;
}

Schedule Section::schedule(const std::string& key, double fallback, Bounds range) const {
  if (!has(key)) return Schedule(fallback);
  return schedule(key, Schedule(fallback), range);
}

}  // namespace corridor
