#pragma once
// The little JSON that corridor writes (parameter tables for scripts): quoted strings and numbers.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>

namespace corridor::json {

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped).
inline std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
  return out + "\"";
}

/// A number that reads back to the same double; null for NaN and infinities (JSON has neither).
inline std::string number(double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : "null"; }

}  // namespace corridor::json
