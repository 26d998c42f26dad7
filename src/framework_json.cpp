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

namespace {

// One prerequisite by ids, as both writers hold it.
struct id_edge {
  const std::string& prerequisite;
  const std::string& dependent;
  strength s;
  std::optional<double> min_level;
};

// The document both `to_json`s write: a framework's content, or a builder's before checks.
json document(const std::string& name, const std::vector<competency>& comps,
              const std::vector<std::pair<const std::string*, const std::string*>>& hierarchy,
              const std::vector<id_edge>& edges, const std::vector<dropped_edge>& dropped,
              const std::map<std::string, std::string>& metadata,
              const std::vector<association>& associations) {
  json doc;
  doc["format"] = format_name;
  doc["version"] = format_version;
  doc["name"] = name;
  json cs = json::array();
  for (const auto& c : comps) {
    json j;
    j["id"] = c.id;
    j["title"] = c.title;
    if (!c.description.empty()) j["description"] = c.description;
    j["domain"] = c.domain;
    if (c.level) j["level"] = *c.level;
    j["kind"] = masterymap::to_string(c.kind);
    if (!c.tags.empty()) j["tags"] = c.tags;
    if (!c.metadata.empty()) j["metadata"] = c.metadata;
    cs.push_back(std::move(j));
  }
  doc["competencies"] = std::move(cs);
  json hier = json::array();
  for (const auto& [p, c] : hierarchy) hier.push_back({{"parent", *p}, {"child", *c}});
  doc["hierarchy"] = std::move(hier);
  json pre = json::array();
  for (const auto& e : edges) {
    json j{{"prerequisite", e.prerequisite},
           {"dependent", e.dependent},
           {"strength", masterymap::to_string(e.s)}};
    if (e.min_level) j["min_level"] = *e.min_level;
    pre.push_back(std::move(j));
  }
  doc["prerequisites"] = std::move(pre);
  // Only when there are any: what a build with drop options removed, so that the report
  // survives a round trip (pickling, a saved copy); readers that predate it ignore the field.
  if (!dropped.empty()) {
    json dr = json::array();
    for (const auto& d : dropped)
      dr.push_back(
          {{"prerequisite", d.prerequisite}, {"dependent", d.dependent}, {"reason", d.reason}});
    doc["dropped_edges"] = std::move(dr);
  }
  // Like dropped_edges, only when there are any, so older readers and older files agree.
  if (!metadata.empty()) doc["metadata"] = metadata;
  if (!associations.empty()) {
    json as = json::array();
    for (const auto& a : associations) {
      json j{{"type", a.type}, {"origin", a.origin}, {"destination", a.destination}};
      if (!a.metadata.empty()) j["metadata"] = a.metadata;
      as.push_back(std::move(j));
    }
    doc["associations"] = std::move(as);
  }
  return doc;
}

}  // namespace

std::string framework::to_json(int indent) const {
  std::vector<std::pair<const std::string*, const std::string*>> hier;
  hier.reserve(hierarchy().size());
  for (const auto& [p, c] : hierarchy()) hier.emplace_back(&id_of(p), &id_of(c));
  std::vector<id_edge> es;
  es.reserve(edges().size());
  for (const auto& e : edges())
    es.push_back({id_of(e.prerequisite), id_of(e.dependent), e.strength, e.min_level});
  return document(name(), competencies(), hier, es, dropped_edges(), metadata(), associations())
      .dump(indent < 0 ? -1 : indent);
}

std::string framework_builder::to_json(int indent) const {
  std::vector<std::pair<const std::string*, const std::string*>> hier;
  hier.reserve(hierarchy_.size());
  for (const auto& [p, c] : hierarchy_) hier.emplace_back(&p, &c);
  std::vector<id_edge> es;
  es.reserve(prerequisites_.size());
  for (const auto& e : prerequisites_) es.push_back({e.from, e.to, e.s, e.min_level});
  return document(name_, competencies_, hier, es, dropped_, metadata_, associations_)
      .dump(indent < 0 ? -1 : indent);
}

framework_builder framework_builder::from_json(std::string_view text) {
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
        // One field at a time, so that a missing one is named in a fixed order whatever the
        // compiler's argument order (prerequisite first).
        std::string prerequisite = e.get_string(version == 1 ? "requires" : "prerequisite");
        std::string dependent = e.get_string(version == 1 ? "competency" : "dependent");
        b.add_prerequisite(std::move(dependent), std::move(prerequisite), st, min_level);
      },
      true);
  r.for_each(
      "dropped_edges",
      [&](const detail::json_reader& e) {
        b.dropped_.push_back(
            {e.get_string("prerequisite"), e.get_string("dependent"), e.get_string("reason")});
      },
      true);
  b.metadata_ = r.get_string_map("metadata");
  r.for_each(
      "associations",
      [&](const detail::json_reader& a) {
        association x;
        x.type = a.get_string("type");
        x.origin = a.get_string("origin");
        x.destination = a.get_string("destination");
        x.metadata = a.get_string_map("metadata");
        b.associations_.push_back(std::move(x));
      },
      true);
  return b;
}

framework framework::from_json(std::string_view text, const build_options& options) {
  return framework_builder::from_json(text).build(options);
}

}  // namespace masterymap
