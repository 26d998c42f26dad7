// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE import, second half: the package's records mapped to a framework (ids, hierarchy,
// prerequisites, levels, domains, associations), then the framework builder's validation.
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
#include "case_detail.hpp"
#include "case_package.hpp"

namespace masterymap::io {

namespace {

using namespace case_reader;

// CEDS grade codes (and the caller's own) to levels; nullopt for an unknown code.
std::optional<int> level_of_code(std::string_view code, const std::map<std::string, int>& extra) {
  const auto first = code.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  code = code.substr(first, code.find_last_not_of(" \t") + 1 - first);
  if (!extra.empty())
    if (auto it = extra.find(std::string(code)); it != extra.end()) return it->second;
  const auto is = [&](std::string_view upper) {
    return code.size() == upper.size() &&
           std::equal(code.begin(), code.end(), upper.begin(), [](char c, char u) {
             return std::toupper(static_cast<unsigned char>(c)) == u;
           });
  };
  if (is("PK")) return -1;
  if (is("KG") || is("K") || is("TK")) return 0;
  int x = 0;
  const auto r = std::from_chars(code.data(), code.data() + code.size(), x);
  if (r.ec == std::errc() && r.ptr == code.data() + code.size() && x >= 1 && x <= 13) return x;
  return std::nullopt;
}

// `readable`: see read_package.
framework parse_case_text(std::string_view text, std::size_t readable, const case_options& options,
                          std::vector<std::string>* notes) {
  // A UTF-8 byte order mark (some editors write one) is not JSON; it is skipped.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    readable -= 3;
  }
  package p = read_package(text, readable);
  const auto note = [&](std::string line) {
    if (notes != nullptr) notes->push_back(std::move(line));
  };
  for (std::string& line : p.notes) note(std::move(line));
  std::vector<problem> problems;
  const std::size_t n = p.items.size();

  // Items by identifier (and by uri, for ends given only by uri).
  std::unordered_map<std::string_view, std::size_t> by_identifier, by_uri;
  by_identifier.reserve(2 * n);
  by_uri.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, fresh] = by_identifier.emplace(p.items[i].identifier, i);
    if (!fresh)
      problems.push_back(
          {problem_kind::duplicate_id,
           {std::string(p.items[i].identifier)},
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

  // Competency ids. Under human_coding_scheme, the first item (in package order) with a code
  // keeps it; the others (no code, a code of blanks, a code taken) fall back to their
  // identifier, else their uri, else "<identifier>#<n>": the first not taken by any code or
  // earlier fallback, so a fallback never collides.
  std::vector<std::string> ids(n);
  const auto blank = [](std::string_view x) {
    return x.find_first_not_of(" \t\r\n") == std::string::npos;
  };
  if (options.id == case_id::human_coding_scheme) {
    // Views of the package's codes and of ids[] (sized once: its strings never move).
    std::unordered_set<std::string_view> used;
    used.reserve(2 * n);
    std::vector<bool> fallback(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view code = p.items[i].code;
      if (!blank(code) && used.insert(code).second)
        ids[i] = code;
      else
        fallback[i] = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!fallback[i]) continue;
      const raw_item& it = p.items[i];
      std::string id(it.identifier);
      if (used.count(id) != 0 && !it.uri.empty()) id = it.uri;
      for (int k = 2; used.count(id) != 0; ++k) id = fmt::format("{}#{}", it.identifier, k);
      ids[i] = std::move(id);
      used.insert(ids[i]);
      note(fmt::format("/CFItems/{}: {}; the id is '{}'", i,
                       blank(it.code) ? "no humanCodingScheme"
                                      : fmt::format("humanCodingScheme '{}' is taken by an "
                                                    "earlier item",
                                                    it.code),
                       ids[i]));
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const raw_item& it = p.items[i];
      if (options.id == case_id::identifier) {
        ids[i] = it.identifier;
      } else {
        ids[i] = it.uri.empty() ? it.identifier : it.uri;
        if (it.uri.empty())
          note(fmt::format("/CFItems/{}: no uri; the id is its identifier '{}'", i, it.identifier));
      }
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
  // Each end's item, looked up once.
  std::vector<std::optional<std::size_t>> origin_item(p.associations.size()),
      destination_item(p.associations.size());
  for (std::size_t k = 0; k < p.associations.size(); ++k) {
    origin_item[k] = item_of(p.associations[k].origin);
    destination_item[k] = item_of(p.associations[k].destination);
  }
  for (std::size_t k = 0; k < p.associations.size(); ++k) {
    const raw_association& a = p.associations[k];
    if (a.type == "isChildOf") {
      const auto child = origin_item[k];
      const auto parent = destination_item[k];
      if (!child || (!parent && !is_document(a.destination))) {
        const node_ref& bad = !child ? a.origin : a.destination;
        const std::string who(bad.identifier.empty() ? bad.uri : bad.identifier);
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
      const auto from = origin_item[k];
      const auto to = destination_item[k];
      if (from && to) {
        strength st = options.precedes_strength;
        if (a.own && a.own->strength) {
          try {
            st = parse_strength(*a.own->strength);
          } catch (const std::invalid_argument& e) {
            fail(fmt::format("/CFAssociations/{}/extensions/masterymap/strength", k), e.what());
          }
        }
        precedes.push_back({*from, *to, st, a.own ? a.own->min_level : std::nullopt});
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
  const auto name_of = [&](std::size_t i) -> std::string_view {
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
          note(fmt::format(
              "/CFItems/{}/educationLevel: '{}' is not a grade code; it sets no level (first of "
              "the items that have it)",
              i, c));
        continue;
      }
      if (!own_level[i] || *l < *own_level[i]) own_level[i] = l;
    }

  framework_builder b(p.title);
  for (std::size_t i = 0; i < n; ++i) {
    raw_item& it = p.items[i];
    own_fields none_own;
    own_fields& own = it.own ? *it.own : none_own;
    competency c;
    c.id = ids[i];
    if (own.title)
      c.title = std::move(*own.title);
    else
      c.title = it.abbreviated.empty() ? it.full : it.abbreviated;
    if (own.description)
      c.description = std::move(*own.description);
    else
      c.description = it.full;
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
    c.level = own.has_level ? own.level : level;
    if (own.domain)
      c.domain = std::move(*own.domain);
    else
      c.domain = name_of(domain_node != none ? domain_node : top);
    if (own.kind) {
      try {
        c.kind = parse_competency_kind(*own.kind);
      } catch (const std::invalid_argument& e) {
        fail(fmt::format("/CFItems/{}/extensions/masterymap/kind", i), e.what());
      }
    }
    c.metadata = std::move(own.metadata);
    // In key order, each at the end (the common case: no metadata of its own), so each insert
    // is O(1) instead of a walk of string comparisons.
    auto& m = c.metadata;
    if (!it.item_type.empty()) m.emplace_hint(m.end(), case_keys::item_type, it.item_type);
    if (!it.code.empty()) m.emplace_hint(m.end(), case_keys::human_coding_scheme, it.code);
    m.emplace_hint(m.end(), case_keys::identifier, it.identifier);
    m.emplace_hint(m.end(), case_keys::json, std::move(it.json));
    if (!it.uri.empty()) m.emplace_hint(m.end(), case_keys::uri, it.uri);
    b.add_competency(std::move(c));
  }
  for (const link& l : ordered) b.add_child(ids[l.parent], ids[l.child]);
  for (const prerequisite& e : precedes)
    b.add_prerequisite(ids[e.to], ids[e.from], e.s, e.min_level);
  for (std::size_t k = 0; k < p.associations.size(); ++k) {
    raw_association& a = p.associations[k];
    const auto end = [&](const node_ref& r, const std::optional<std::size_t>& i) {
      if (i) return ids[*i];
      return std::string(r.uri.empty() ? r.identifier : r.uri);
    };
    association x{std::string(a.type), end(a.origin, origin_item[k]),
                  end(a.destination, destination_item[k]),
                  a.own ? std::move(a.own->metadata) : std::map<std::string, std::string>{}};
    auto& m = x.metadata;  // in key order, as for competencies
    if (!a.grouping.empty()) m.emplace_hint(m.end(), case_keys::grouping, a.grouping);
    if (!a.identifier.empty()) m.emplace_hint(m.end(), case_keys::identifier, a.identifier);
    m.emplace_hint(m.end(), case_keys::json, std::move(a.json));
    b.add_association(std::move(x));
  }
  if (p.doc_own)
    for (auto& [key, value] : p.doc_own->metadata) b.set_metadata(key, std::move(value));
  b.set_metadata(case_keys::package, std::move(p.skeleton));

  // Every problem at once: the package's own, then the graph's (cycles, repeated ids).
  std::optional<framework> f;
  try {
    f = std::move(b).build(options.build);
  } catch (const validation_error& e) {
    if (problems.empty()) throw;
    problems.insert(problems.end(), e.problems().begin(), e.problems().end());
  }
  if (!problems.empty()) throw validation_error(std::move(problems));
  return std::move(*f);
}

}  // namespace

framework parse_case(std::string_view text, const case_options& options,
                     std::vector<std::string>* notes) {
  return parse_case_text(text, text.size(), options, notes);
}

framework read_case(const std::string& path, const case_options& options,
                    std::vector<std::string>* notes) {
  // Read with simdjson's padding, so the package is parsed where it was read (no copy, and no
  // zero-filled buffer first: together 10% of an import). A gzip file, or one that cannot be
  // read, goes through the library's reader, which inflates it or names the problem.
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text) == simdjson::SUCCESS &&
      !(text.size() >= 2 && static_cast<unsigned char>(text.data()[0]) == 0x1f &&
        static_cast<unsigned char>(text.data()[1]) == 0x8b))
    return parse_case_text(text, text.size() + simdjson::SIMDJSON_PADDING, options, notes);
  const std::string data = masterymap::detail::read_data_file(path, "CASE package");
  return parse_case_text(data, data.size(), options, notes);
}

}  // namespace masterymap::io
