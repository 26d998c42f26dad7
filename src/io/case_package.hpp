// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The CASE reader's first half: a package read into plain records (each node's fields the
// mapping needs, and its JSON as written), before any mapping to a framework.
#ifndef MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP
#define MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io::case_reader {

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

struct package {
  std::string skeleton;  // the package with [] for CFItems / CFAssociations
  std::string title, doc_identifier, doc_uri;
  std::vector<raw_item> items;
  std::vector<raw_association> associations;
};

/// Reads a CFPackage in one On-Demand pass, checking every value (kept JSON must be valid).
/// \throws masterymap::parse_error with the JSON path of a wrong field, or the line and column
///         of a syntax error.
package read_package(std::string_view text);

/// \throws masterymap::parse_error "<path>: <what>".
[[noreturn]] void fail(const std::string& path, std::string_view what);

}  // namespace masterymap::io::case_reader

#endif  // MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP
