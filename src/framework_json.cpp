// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// framework: native JSON and DOT.
#include <fmt/format.h>

#include <masterymap/framework.hpp>
#include <nlohmann/json.hpp>

#include "framework_impl.hpp"
#include "json_util.hpp"

namespace masterymap {

using nlohmann::json;

namespace {
constexpr const char* format_name = "masterymap.framework";
// Version 2 names an edge's ends `prerequisite` and `dependent`, the words of the C++ and
// Python APIs and of the edge CSV; version 1 (`requires` and `competency`) is still read.
constexpr int format_version = 2;
}  // namespace

std::string framework::to_json(int indent) const {
  json doc;
  doc["format"] = format_name;
  doc["version"] = format_version;
  doc["name"] = name();
  json comps = json::array();
  for (const auto& c : competencies()) {
    json j;
    j["id"] = c.id;
    j["title"] = c.title;
    if (!c.description.empty()) j["description"] = c.description;
    j["domain"] = c.domain;
    if (c.level) j["level"] = *c.level;
    j["kind"] = masterymap::to_string(c.kind);
    if (!c.tags.empty()) j["tags"] = c.tags;
    if (!c.metadata.empty()) j["metadata"] = c.metadata;
    comps.push_back(std::move(j));
  }
  doc["competencies"] = std::move(comps);
  json hier = json::array();
  for (const auto& [p, c] : hierarchy())
    hier.push_back({{"parent", id_of(p)}, {"child", id_of(c)}});
  doc["hierarchy"] = std::move(hier);
  json pre = json::array();
  for (const auto& e : edges()) {
    json j{{"prerequisite", id_of(e.prerequisite)},
           {"dependent", id_of(e.dependent)},
           {"strength", masterymap::to_string(e.strength)}};
    if (e.min_level) j["min_level"] = *e.min_level;
    pre.push_back(std::move(j));
  }
  doc["prerequisites"] = std::move(pre);
  return doc.dump(indent < 0 ? -1 : indent);
}

framework framework::from_json(std::string_view text, const build_options& options) {
  const json doc = detail::parse_json(text, "framework JSON");
  detail::json_reader r(doc, "");
  if (r.get_string("format") != format_name)
    throw parse_error(fmt::format("/format: expected \"{}\"", format_name), 0, 0);
  const auto version = r.get_int("version");
  if (version != 1 && version != format_version)
    throw parse_error(fmt::format("/version: unsupported version {} (this library reads 1 and {})",
                                  version, format_version),
                      0, 0);
  framework_builder b(r.get_string("name", ""));
  r.for_each("competencies", [&](const detail::json_reader& c) {
    competency x;
    x.id = c.get_string("id");
    x.title = c.get_string("title", "");
    x.description = c.get_string("description", "");
    x.domain = c.get_string("domain", "");
    if (c.has("level")) x.level = static_cast<int>(c.get_int("level"));
    const std::string kind = c.get_string("kind", "academic");
    try {
      x.kind = parse_competency_kind(kind);
    } catch (const std::invalid_argument& e) {
      throw parse_error(c.path("kind") + ": " + e.what(), 0, 0);
    }
    x.tags = c.get_string_list("tags");
    x.metadata = c.get_string_map("metadata");
    b.add_competency(std::move(x));
  });
  r.for_each(
      "hierarchy",
      [&](const detail::json_reader& h) {
        b.add_child(h.get_string("parent"), h.get_string("child"));
      },
      true);
  r.for_each(
      "prerequisites",
      [&](const detail::json_reader& e) {
        const std::string s = e.get_string("strength", "required");
        strength st;
        try {
          st = parse_strength(s);
        } catch (const std::invalid_argument& ex) {
          throw parse_error(e.path("strength") + ": " + ex.what(), 0, 0);
        }
        std::optional<double> min_level;
        if (e.has("min_level")) min_level = e.get_double("min_level");
        if (version == 1)
          b.add_prerequisite(e.get_string("competency"), e.get_string("requires"), st, min_level);
        else
          b.add_prerequisite(e.get_string("dependent"), e.get_string("prerequisite"), st,
                             min_level);
      },
      true);
  return b.build(options);
}

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

std::string framework::to_dot() const {
  std::string out = fmt::format("digraph {} {{\n  rankdir=LR;\n  node [shape=box];\n",
                                dot_quote(name().empty() ? "framework" : name()));
  for (const auto& c : competencies()) {
    const std::string label = c.title.empty() ? c.id : c.id + "\n" + c.title;
    out += fmt::format("  {} [label={}];\n", dot_quote(c.id), dot_quote(label));
  }
  for (const auto& e : edges()) {
    const char* style = e.strength == strength::familiar      ? " [style=dashed]"
                        : e.strength == strength::recommended ? " [style=dotted]"
                                                              : "";
    out += fmt::format("  {} -> {}{};\n", dot_quote(id_of(e.prerequisite)),
                       dot_quote(id_of(e.dependent)), style);
  }
  out += "}\n";
  return out;
}

}  // namespace masterymap
