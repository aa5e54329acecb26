#pragma once
// YAML that cannot hurt: every scenario, sweep file, settings file and --set value is parsed
// by load_checked_yaml, which first walks the document's events (yaml-cpp's Parser) and
// rejects, naming file:line (docs/reliability.md, "Inputs"):
//  - a recursive alias (`x: &a [1, *a]`; yaml-cpp would build a cyclic node graph that every
//    later walk follows forever);
//  - more than kMaxYamlNodes nodes once aliases are expanded (an alias bomb, "billion laughs");
//  - nesting deeper than kMaxYamlDepth;
//  - a key given twice in one map (yaml-cpp silently keeps the last), a key that is not a
//    scalar (a list or a map as key) and an empty key;
//  - more than one document in one file.
// Only then does yaml-cpp build the node tree.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace corridor {

/// Nodes of a document once every alias is expanded (a scenario has a few hundred; a sweep
/// file with a long list of runs a few tens of thousands).
constexpr std::size_t kMaxYamlNodes = 200'000;
/// Maps and lists inside each other (a scenario needs fewer than ten).
constexpr std::size_t kMaxYamlDepth = 64;

/// Parses `text` (named `name` in messages, e.g. a file path or "--set a.b") into a node tree
/// after the checks above. An empty document is a null node. Throws InputError
/// "NAME:LINE: ..." for a syntax error or a failed check.
YAML::Node load_checked_yaml(const std::string& text, const std::string& name);

}  // namespace corridor
