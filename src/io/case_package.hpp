// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The CASE reader's first half: a package read into plain records (each node's fields the
// mapping needs, and its JSON as written), before any mapping to a framework.
#ifndef MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP
#define MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap::io::case_reader {

// The records' texts are views into the parsed package (its padded copy for spans, the parser's
// string buffer for unescaped strings), which `package` keeps alive: a 20 MB package has some
// 300,000 such texts, and a copy of each cost more than the parse itself (measured).

// A node reference (LinkGenURI): who an association points at.
struct node_ref {
  std::string_view identifier;
  std::string_view uri;
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
  std::string_view identifier, uri, code, full, abbreviated, item_type;
  std::vector<std::string> education_levels, keywords;
  std::string json;
  std::unique_ptr<own_fields> own;  // null when the node has no extensions.masterymap
};

struct raw_association {
  std::string_view identifier, type, grouping;
  std::string json;
  node_ref origin, destination;
  std::optional<long long> sequence;
  std::unique_ptr<own_fields> own;  // null when the node has no extensions.masterymap
};

struct package {
  std::shared_ptr<void> storage;  // what the views point into (the padded text, the parser)
  std::string skeleton;           // the package with [] for CFItems / CFAssociations
  std::string title, doc_identifier, doc_uri;
  // The document's extensions.masterymap (the framework's own metadata, when write_case wrote
  // the document for a framework not from CASE); null when absent.
  std::unique_ptr<own_fields> doc_own;
  std::vector<raw_item> items;
  std::vector<raw_association> associations;
  std::vector<std::string> notes;  // what the reader noticed (a mapped key given twice)
};

/// Reads a CFPackage in one On-Demand pass, checking every value (kept JSON must be valid).
/// \throws masterymap::parse_error with the JSON path of a wrong field, or the line and column
///         of a syntax error.
/// `readable` = how many bytes from text.data() may be read (at least text.size()): with
/// simdjson's padding to spare the text is parsed in place, else it is copied once.
package read_package(std::string_view text, std::size_t readable);

/// The members of a JSON object, each value's text as written (minified when it had line
/// breaks), in order: how write_case splices a package's skeleton back.
/// \throws masterymap::parse_error if `object` is not a JSON object.
std::vector<std::pair<std::string, std::string>> members_of(std::string_view object);

/// \throws masterymap::parse_error "<path>: <what>".
[[noreturn]] void fail(const std::string& path, std::string_view what);

}  // namespace masterymap::io::case_reader

#endif  // MASTERYMAP_SRC_IO_CASE_PACKAGE_HPP
