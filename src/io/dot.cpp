// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <masterymap/io/dot.hpp>

namespace masterymap::io {

namespace {
std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}
}  // namespace

std::string to_dot(const framework& f) {
  std::string out = fmt::format("digraph {} {{\n  rankdir=LR;\n  node [shape=box];\n",
                                dot_quote(f.name().empty() ? "framework" : f.name()));
  for (const auto& c : f.competencies()) {
    const std::string label = c.title.empty() ? c.id : c.id + "\n" + c.title;
    out += fmt::format("  {} [label={}];\n", dot_quote(c.id), dot_quote(label));
  }
  for (const auto& e : f.edges()) {
    const char* style = e.strength == strength::familiar      ? " [style=dashed]"
                        : e.strength == strength::recommended ? " [style=dotted]"
                                                              : "";
    out += fmt::format("  {} -> {}{};\n", dot_quote(f.id_of(e.prerequisite)),
                       dot_quote(f.id_of(e.dependent)), style);
  }
  out += "}\n";
  return out;
}

}  // namespace masterymap::io
