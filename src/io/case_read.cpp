// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE import: one pass over the package with simdjson's On-Demand parser, keeping each node's
// original JSON, then the framework builder's validation.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <masterymap/io/case.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "../file_util.hpp"
#include "../json_util.hpp"
#include "case_detail.hpp"

namespace masterymap::io {

namespace {

namespace dom = simdjson::dom;

// A node reference (LinkGenURI): who an association points at.
struct node_ref {
  std::string identifier;
  std::string uri;
};

// What `write_case` put in a node's extensions under "masterymap" (what CASE cannot say).
struct own_fields {
  std::optional<std::string> title, description, domain, kind, strength;
  bool has_level = false;  // "level" given (null = no level)
  std::optional<int> level;
  std::optional<double> min_level;
  std::map<std::string, std::string> metadata;
};

struct raw_item {
  std::string identifier, uri, code, full, abbreviated, item_type;
  std::vector<std::string> education_levels, keywords;
  std::string json;
  own_fields own;
};

struct raw_association {
  std::string identifier, type, json, grouping;
  node_ref origin, destination;
  std::optional<long long> sequence;
  own_fields own;
};

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw parse_error(fmt::format("{}: {}", path, what), 0, 0);
}

std::string path_of(std::string_view list, std::size_t k, std::string_view key = {}) {
  std::string p = fmt::format("/{}/{}", list, k);
  if (!key.empty()) fmt::format_to(std::back_inserter(p), "/{}", key);
  return p;
}

// A node's JSON, minified. Strings are re-escaped minimally and numbers written from their
// values (integers exactly, doubles as the shortest text that reads back the same), so a kept
// node equals the original as canonical JSON.
std::string minified(dom::element e) { return simdjson::minify(e); }

// A text field: a string, or null (a 1.0 export writes null for an absent description).
std::string text(dom::element v, const std::string& path) {
  if (v.is_null()) return {};
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) fail(path, "expected a string");
  return std::string(s);
}

// A list of texts; a single string (1.0's `educationalLevel`) is read as a list, split at
// commas ("06,07" in some 1.0 exports).
std::vector<std::string> texts(dom::element v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (v.is_string()) {
    const std::string s = text(v, path);
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t comma = std::min(s.find(',', start), s.size());
      if (comma > start) out.push_back(s.substr(start, comma - start));
      start = comma + 1;
    }
    return out;
  }
  dom::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) fail(path, "expected an array of strings");
  std::size_t k = 0;
  for (dom::element x : a) out.push_back(text(x, fmt::format("{}/{}", path, k++)));
  return out;
}

node_ref node(dom::element v, const std::string& path) {
  dom::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) fail(path, "expected an object");
  node_ref r;
  for (auto [key, x] : o) {
    if (key == "identifier")
      r.identifier = text(x, path + "/identifier");
    else if (key == "uri")
      r.uri = text(x, path + "/uri");
  }
  if (r.identifier.empty() && r.uri.empty()) fail(path, "a node needs an identifier or a uri");
  return r;
}

// sequenceNumber: an integer, or (1.0) a numeric string; anything else orders last.
std::optional<long long> sequence_number(dom::element v) {
  std::int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) return static_cast<long long>(i);
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  long long x = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return x;
}

// extensions.masterymap of a node written by write_case; other extensions are only kept.
own_fields own_of(dom::element extensions, const std::string& path) {
  own_fields out;
  dom::element mm;
  if (extensions.at_key("masterymap").get(mm) != simdjson::SUCCESS) return out;
  dom::object o;
  if (mm.get_object().get(o) != simdjson::SUCCESS) fail(path + "/masterymap", "expected an object");
  for (auto [key, v] : o) {
    const std::string at = fmt::format("{}/masterymap/{}", path, key);
    if (key == "title") {
      out.title = text(v, at);
    } else if (key == "description") {
      out.description = text(v, at);
    } else if (key == "domain") {
      out.domain = text(v, at);
    } else if (key == "kind") {
      out.kind = text(v, at);
    } else if (key == "strength") {
      out.strength = text(v, at);
    } else if (key == "level") {
      out.has_level = true;
      if (v.is_null()) continue;
      std::int64_t l = 0;
      if (v.get_int64().get(l) != simdjson::SUCCESS || l < -(1 << 24) || l > (1 << 24))
        fail(at, "expected an integer level");
      out.level = static_cast<int>(l);
    } else if (key == "min_level") {
      double d = 0;
      if (v.get_double().get(d) != simdjson::SUCCESS) fail(at, "expected a number");
      out.min_level = d;
    } else if (key == "metadata") {
      dom::object m;
      if (v.get_object().get(m) != simdjson::SUCCESS) fail(at, "expected an object of strings");
      for (auto [k, x] : m)
        out.metadata.emplace(std::string(k), text(x, at + "/" + std::string(k)));
    }
  }
  return out;
}

// One object of a list: its fields through `on_field`, and its minified JSON.
template <class OnField>
std::string object_of(dom::element element, std::string_view list, std::size_t k,
                      OnField&& on_field) {
  dom::object o;
  if (element.get_object().get(o) != simdjson::SUCCESS)
    fail(list == "CFDocument" ? "/CFDocument" : path_of(list, k), "expected an object");
  for (auto [key, v] : o) on_field(key, v);
  return minified(element);
}

raw_item read_item(dom::element element, std::size_t k) {
  raw_item it;
  it.json = object_of(element, "CFItems", k, [&](std::string_view key, dom::element v) {
    if (key == "identifier")
      it.identifier = text(v, path_of("CFItems", k, key));
    else if (key == "uri")
      it.uri = text(v, path_of("CFItems", k, key));
    else if (key == "humanCodingScheme")
      it.code = text(v, path_of("CFItems", k, key));
    else if (key == "fullStatement")
      it.full = text(v, path_of("CFItems", k, key));
    else if (key == "abbreviatedStatement")
      it.abbreviated = text(v, path_of("CFItems", k, key));
    else if (key == "CFItemType")
      it.item_type = text(v, path_of("CFItems", k, key));
    else if (key == "educationLevel" || key == "educationalLevel")
      it.education_levels = texts(v, path_of("CFItems", k, key));
    else if (key == "conceptKeywords")
      it.keywords = texts(v, path_of("CFItems", k, key));
    else if (key == "extensions")
      it.own = own_of(v, path_of("CFItems", k, key));
  });
  if (it.identifier.empty()) fail(path_of("CFItems", k, "identifier"), "missing or empty");
  return it;
}

raw_association read_association(dom::element element, std::size_t k) {
  raw_association a;
  bool has_origin = false, has_destination = false;
  a.json = object_of(element, "CFAssociations", k, [&](std::string_view key, dom::element v) {
    if (key == "identifier") {
      a.identifier = text(v, path_of("CFAssociations", k, key));
    } else if (key == "associationType") {
      a.type = text(v, path_of("CFAssociations", k, key));
    } else if (key == "originNodeURI") {
      a.origin = node(v, path_of("CFAssociations", k, key));
      has_origin = true;
    } else if (key == "destinationNodeURI") {
      a.destination = node(v, path_of("CFAssociations", k, key));
      has_destination = true;
    } else if (key == "sequenceNumber") {
      a.sequence = sequence_number(v);
    } else if (key == "extensions") {
      a.own = own_of(v, path_of("CFAssociations", k, key));
    } else if (key == "CFAssociationGroupingURI") {
      const node_ref g = node(v, path_of("CFAssociations", k, key));
      a.grouping = g.identifier.empty() ? g.uri : g.identifier;
    }
  });
  if (a.type.empty()) fail(path_of("CFAssociations", k, "associationType"), "missing or empty");
  if (!has_origin) fail(path_of("CFAssociations", k, "originNodeURI"), "missing");
  if (!has_destination) fail(path_of("CFAssociations", k, "destinationNodeURI"), "missing");
  return a;
}

// CEDS grade codes (and the caller's own) to levels; nullopt for an unknown code.
std::optional<int> level_of_code(const std::string& raw, const std::map<std::string, int>& extra) {
  std::string code = raw;
  code.erase(0, code.find_first_not_of(" \t"));
  code.erase(code.find_last_not_of(" \t") + 1);
  if (auto it = extra.find(code); it != extra.end()) return it->second;
  std::string up = code;
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "PK") return -1;
  if (up == "KG" || up == "K" || up == "TK") return 0;
  int x = 0;
  const auto r = std::from_chars(up.data(), up.data() + up.size(), x);
  if (r.ec == std::errc() && r.ptr == up.data() + up.size() && x >= 1 && x <= 13) return x;
  return std::nullopt;
}

struct package {
  std::string skeleton;  // the package with [] for CFItems / CFAssociations
  std::string title, doc_identifier, doc_uri;
  std::vector<raw_item> items;
  std::vector<raw_association> associations;
};

package read_package(std::string_view text) {
  dom::parser parser;
  dom::element doc;
  const simdjson::error_code e = parser.parse(text.data(), text.size()).get(doc);
  if (e != simdjson::SUCCESS) throw simdjson::simdjson_error(e);
  dom::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) fail("", "expected a CFPackage object");
  package p;
  p.skeleton = "{";
  bool has_document = false;
  for (auto [key, v] : top) {
    if (p.skeleton.size() > 1) p.skeleton += ',';
    p.skeleton += nlohmann::json(std::string(key)).dump();  // the key, escaped as JSON
    p.skeleton += ':';
    if (key == "CFItems" || key == "CFAssociations") {
      dom::array a;
      if (v.get_array().get(a) != simdjson::SUCCESS)
        fail("/" + std::string(key), "expected an array");
      std::size_t k = 0;
      if (key == "CFItems") {
        p.items.reserve(a.size());
        for (dom::element x : a) p.items.push_back(read_item(x, k++));
      } else {
        p.associations.reserve(a.size());
        for (dom::element x : a) p.associations.push_back(read_association(x, k++));
      }
      p.skeleton += "[]";
    } else if (key == "CFDocument") {
      has_document = true;
      p.skeleton += object_of(v, "CFDocument", 0, [&](std::string_view k, dom::element x) {
        if (k == "title")
          p.title = io::text(x, "/CFDocument/title");
        else if (k == "identifier")
          p.doc_identifier = io::text(x, "/CFDocument/identifier");
        else if (k == "uri")
          p.doc_uri = io::text(x, "/CFDocument/uri");
      });
    } else {
      p.skeleton += minified(v);
    }
  }
  p.skeleton += '}';
  if (!has_document) fail("/CFDocument", "missing");
  return p;
}

}  // namespace

framework parse_case(std::string_view text, const case_options& options,
                     std::vector<std::string>* notes) {
  package p;
  try {
    p = read_package(text);
  } catch (const simdjson::simdjson_error& e) {
    // A syntax error: nlohmann's parser names its line and column; if it accepts the text,
    // simdjson's own message is all there is.
    (void)detail::parse_json(text, "CASE package");
    throw parse_error(fmt::format("CASE package: {}", e.what()), 0, 0);
  }
  const auto note = [&](std::string line) {
    if (notes != nullptr) notes->push_back(std::move(line));
  };
  std::vector<problem> problems;
  const std::size_t n = p.items.size();

  // Items by identifier (and by uri, for ends given only by uri).
  std::unordered_map<std::string_view, std::size_t> by_identifier, by_uri;
  by_identifier.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, fresh] = by_identifier.emplace(p.items[i].identifier, i);
    if (!fresh)
      problems.push_back(
          {problem_kind::duplicate_id,
           {p.items[i].identifier},
           fmt::format("duplicate CFItem identifier '{}' (/CFItems/{} and /CFItems/{})",
                       p.items[i].identifier, it->second, i)});
    if (!p.items[i].uri.empty()) by_uri.emplace(p.items[i].uri, i);
  }
  const auto item_of = [&](const node_ref& r) -> std::optional<std::size_t> {
    if (auto it = by_identifier.find(r.identifier);
        !r.identifier.empty() && it != by_identifier.end())
      return it->second;
    if (auto it = by_uri.find(r.uri); !r.uri.empty() && it != by_uri.end()) return it->second;
    return std::nullopt;
  };
  const auto is_document = [&](const node_ref& r) {
    return (!r.identifier.empty() && r.identifier == p.doc_identifier) ||
           (!r.uri.empty() && r.uri == p.doc_uri);
  };

  // Competency ids.
  std::vector<std::string> ids(n);
  std::unordered_set<std::string_view> codes;
  for (std::size_t i = 0; i < n; ++i) {
    const raw_item& it = p.items[i];
    switch (options.id) {
      case case_id::identifier:
        ids[i] = it.identifier;
        break;
      case case_id::uri:
        ids[i] = it.uri.empty() ? it.identifier : it.uri;
        if (it.uri.empty())
          note(fmt::format("/CFItems/{}: no uri; the id is its identifier '{}'", i, it.identifier));
        break;
      case case_id::human_coding_scheme:
        if (it.code.empty()) {
          ids[i] = it.identifier;
          note(fmt::format("/CFItems/{}: no humanCodingScheme; the id is its identifier '{}'", i,
                           it.identifier));
        } else if (!codes.insert(it.code).second) {
          ids[i] = it.identifier;
          note(fmt::format(
              "/CFItems/{}: humanCodingScheme '{}' is taken by an earlier item; the id is its "
              "identifier '{}'",
              i, it.code, it.identifier));
        } else {
          ids[i] = it.code;
        }
        break;
    }
  }

  // Hierarchy links (child, parent, sequence, package position) and prerequisites.
  struct link {
    std::size_t child, parent;
    std::optional<long long> sequence;
    std::size_t position;
  };
  std::vector<link> links;
  struct prerequisite {
    std::size_t from, to;
    strength s;
    std::optional<double> min_level;
  };
  std::vector<prerequisite> precedes;
  for (std::size_t k = 0; k < p.associations.size(); ++k) {
    const raw_association& a = p.associations[k];
    if (a.type == "isChildOf") {
      const auto child = item_of(a.origin);
      const auto parent = item_of(a.destination);
      if (!child || (!parent && !is_document(a.destination))) {
        const node_ref& bad = !child ? a.origin : a.destination;
        const std::string who = bad.identifier.empty() ? bad.uri : bad.identifier;
        problems.push_back({problem_kind::unknown_id,
                            {who},
                            fmt::format("/CFAssociations/{} (isChildOf): {} '{}' is not {}", k,
                                        !child ? "origin" : "destination", who,
                                        !child ? "an item of the package"
                                               : "an item or the document of the package")});
        continue;
      }
      if (parent) links.push_back({*child, *parent, a.sequence, k});
    } else if (a.type == "precedes") {
      const auto from = item_of(a.origin);
      const auto to = item_of(a.destination);
      if (from && to) {
        strength st = options.precedes_strength;
        if (a.own.strength) {
          try {
            st = parse_strength(*a.own.strength);
          } catch (const std::invalid_argument& e) {
            fail(fmt::format("/CFAssociations/{}/extensions/masterymap/strength", k), e.what());
          }
        }
        precedes.push_back({*from, *to, st, a.own.min_level});
      } else
        note(
            fmt::format("/CFAssociations/{} (precedes): an end is outside the package; kept as an "
                        "association, not a prerequisite",
                        k));
    }
  }
  // Children in sequenceNumber order per parent, then package order (stable).
  std::vector<link> ordered = links;
  std::stable_sort(ordered.begin(), ordered.end(), [](const link& x, const link& y) {
    if (x.parent != y.parent) return x.parent < y.parent;
    const long long sx = x.sequence.value_or(std::numeric_limits<long long>::max());
    const long long sy = y.sequence.value_or(std::numeric_limits<long long>::max());
    return sx < sy;
  });

  // First parent (package order) of each item, for the domain and the inherited level.
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> first_parent(n, none);
  for (const link& l : links)
    if (first_parent[l.child] == none) first_parent[l.child] = l.parent;
  const auto name_of = [&](std::size_t i) -> const std::string& {
    const raw_item& it = p.items[i];
    return !it.abbreviated.empty() ? it.abbreviated : !it.code.empty() ? it.code : it.full;
  };
  std::vector<std::optional<int>> own_level(n);
  std::unordered_set<std::string> unknown_codes;
  for (std::size_t i = 0; i < n; ++i)
    for (const std::string& c : p.items[i].education_levels) {
      const auto l = level_of_code(c, options.education_levels);
      if (!l) {
        if (unknown_codes.insert(c).second)
          note(fmt::format("educationLevel '{}' is not a grade code; it sets no level", c));
        continue;
      }
      if (!own_level[i] || *l < *own_level[i]) own_level[i] = l;
    }

  framework_builder b(p.title);
  for (std::size_t i = 0; i < n; ++i) {
    raw_item& it = p.items[i];
    competency c;
    c.id = ids[i];
    c.title = it.own.title ? *it.own.title : it.abbreviated.empty() ? it.full : it.abbreviated;
    c.description = it.own.description ? *it.own.description : it.full;
    c.tags = std::move(it.keywords);
    // Walk up the first parents (at most n steps: a hierarchy cycle is reported by build).
    std::optional<int> level = own_level[i];
    std::size_t domain_node = none, top = i;
    for (std::size_t at = i, steps = 0; at != none && steps <= n; at = first_parent[at], ++steps) {
      if (!level) level = own_level[at];
      if (domain_node == none && !options.domain_item_type.empty() &&
          p.items[at].item_type == options.domain_item_type)
        domain_node = at;
      top = at;
    }
    c.level = it.own.has_level ? it.own.level : level;
    c.domain = it.own.domain ? *it.own.domain : name_of(domain_node != none ? domain_node : top);
    if (it.own.kind) {
      try {
        c.kind = parse_competency_kind(*it.own.kind);
      } catch (const std::invalid_argument& e) {
        fail(fmt::format("/CFItems/{}/extensions/masterymap/kind", i), e.what());
      }
    }
    c.metadata = std::move(it.own.metadata);
    c.metadata.emplace(case_keys::identifier, it.identifier);
    if (!it.uri.empty()) c.metadata.emplace(case_keys::uri, it.uri);
    if (!it.code.empty()) c.metadata.emplace(case_keys::human_coding_scheme, it.code);
    if (!it.item_type.empty()) c.metadata.emplace(case_keys::item_type, it.item_type);
    c.metadata.emplace(case_keys::json, std::move(it.json));
    b.add_competency(std::move(c));
  }
  for (const link& l : ordered) b.add_child(ids[l.parent], ids[l.child]);
  for (const prerequisite& e : precedes)
    b.add_prerequisite(ids[e.to], ids[e.from], e.s, e.min_level);
  for (raw_association& a : p.associations) {
    const auto end = [&](const node_ref& r) {
      if (const auto i = item_of(r)) return ids[*i];
      return r.uri.empty() ? r.identifier : r.uri;
    };
    association x{a.type, end(a.origin), end(a.destination), std::move(a.own.metadata)};
    if (!a.identifier.empty()) x.metadata.emplace(case_keys::identifier, a.identifier);
    if (!a.grouping.empty()) x.metadata.emplace(case_keys::grouping, a.grouping);
    x.metadata.emplace(case_keys::json, std::move(a.json));
    b.add_association(std::move(x));
  }
  b.set_metadata(case_keys::package, std::move(p.skeleton));

  // Every problem at once: the package's own, then the graph's (cycles, repeated ids).
  std::optional<framework> f;
  try {
    f = b.build(options.build);
  } catch (const validation_error& e) {
    if (problems.empty()) throw;
    problems.insert(problems.end(), e.problems().begin(), e.problems().end());
  }
  if (!problems.empty()) throw validation_error(std::move(problems));
  return std::move(*f);
}

framework read_case(const std::string& path, const case_options& options,
                    std::vector<std::string>* notes) {
  return parse_case(detail::read_data_file(path, "CASE package"), options, notes);
}

}  // namespace masterymap::io
