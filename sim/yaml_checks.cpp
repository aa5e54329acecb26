#include "sim/yaml_checks.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "sim/error.hpp"

namespace corridor {

namespace {

/// Walks the events of one document: keeps the open maps and lists on a stack, the expanded
/// size of every anchored node, and each open map's keys with their lines.
class Checker : public YAML::EventHandler {
 public:
  explicit Checker(std::string name) : name_(std::move(name)) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (in_key_position()) fail(mark, "a key with no name (an empty or null key)");
    node(mark);
    close_leaf(anchor, std::nullopt);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto size = anchor_size_.find(anchor);
    if (size == anchor_size_.end()) {
      // Still open: the alias stands for a node that contains it.
      fail(mark, "a recursive alias (it refers to an anchor whose value contains the alias itself)");
    }
    if (in_key_position()) {
      const auto scalar = anchor_scalar_.find(anchor);
      if (scalar == anchor_scalar_.end() || !scalar->second)
        fail(mark, "a key that is not a scalar (an alias of a list or a map)");
      key(mark, *scalar->second);
    }
    count(mark, size->second);
    after_child();
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    if (in_key_position()) key(mark, value);
    node(mark);
    close_leaf(anchor, value);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool is_map = false;
    YAML::anchor_t anchor = 0;
    std::size_t expanded_before = 0;  ///< nodes counted before this one opened
    bool expect_key = true;           ///< maps: the next child is a key
    std::map<std::string, int> keys;  ///< maps: key -> line
  };

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const {
    throw InputError(fmt::format("{}:{}: {}", name_, mark.line + 1, what));
  }

  bool in_key_position() const { return !stack_.empty() && stack_.back().is_map && stack_.back().expect_key; }

  void key(const YAML::Mark& mark, const std::string& k) {
    auto& keys = stack_.back().keys;
    const auto [it, inserted] = keys.emplace(k, mark.line + 1);
    if (!inserted)
      fail(mark, fmt::format("key '{}' given twice in one map (first on line {}); YAML keeps only one of them, so "
                             "remove the other",
                             k, it->second));
  }

  void count(const YAML::Mark& mark, std::size_t n) {
    expanded_ += n;
    if (expanded_ > kMaxYamlNodes)
      fail(mark, fmt::format("the document has more than {} values once its aliases are expanded (an alias bomb?)",
                             kMaxYamlNodes));
  }

  void node(const YAML::Mark& mark) { count(mark, 1); }

  /// The parent's key/value alternation after a whole child node.
  void after_child() {
    if (!stack_.empty() && stack_.back().is_map) stack_.back().expect_key = !stack_.back().expect_key;
  }

  void close_leaf(YAML::anchor_t anchor, std::optional<std::string> scalar) {
    if (anchor != YAML::NullAnchor) {
      anchor_size_[anchor] = 1;
      anchor_scalar_[anchor] = std::move(scalar);
    }
    after_child();
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (in_key_position()) fail(mark, fmt::format("a key that is not a scalar (a {})", is_map ? "map" : "list"));
    if (stack_.size() >= kMaxYamlDepth)
      fail(mark, fmt::format("maps and lists nested more than {} deep", kMaxYamlDepth));
    node(mark);
    Frame f;
    f.is_map = is_map;
    f.anchor = anchor;
    f.expanded_before = expanded_ - 1;
    stack_.push_back(std::move(f));
  }

  void close() {
    const Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor != YAML::NullAnchor) {
      anchor_size_[f.anchor] = expanded_ - f.expanded_before;
      anchor_scalar_[f.anchor] = std::nullopt;
    }
    after_child();
  }

  std::string name_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::size_t> anchor_size_;  ///< closed anchored nodes: expanded size
  std::map<YAML::anchor_t, std::optional<std::string>> anchor_scalar_;
  std::size_t expanded_ = 0;
};

}  // namespace

YAML::Node load_checked_yaml(const std::string& text, const std::string& name) {
  try {
    // yaml-cpp's own parse first, so that a syntax error is reported as one (the checks below
    // would misread the events of a broken document). It expands no alias and cannot loop.
    YAML::Node node = YAML::Load(text);
    std::istringstream in(text);
    YAML::Parser parser(in);
    Checker checker(name);
    if (parser.HandleNextDocument(checker)) {
      Checker second(name);
      // A second document would be ignored by YAML::Load: say so instead.
      if (parser.HandleNextDocument(second))
        throw InputError(fmt::format("{}: more than one YAML document (a second '---'); a file holds one document",
                                     name));
    }
    return node;
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(fmt::format("{}:{}: maps and lists nested more than {} deep", name, e.mark.line + 1,
                                 kMaxYamlDepth));
  } catch (const YAML::ParserException& e) {
    throw InputError(fmt::format("{}:{}: YAML syntax error: {}", name, e.mark.line + 1, e.msg));
  }
}

}  // namespace corridor
