// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// What the CASE reader and writer share: the metadata keys that carry a package through a
// framework, and the reading of a string as a list.
#ifndef MASTERYMAP_SRC_IO_CASE_DETAIL_HPP
#define MASTERYMAP_SRC_IO_CASE_DETAIL_HPP

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io::case_keys {

// On a competency or an association: the node's original JSON, minified (numbers and strings
// as written), and its identity fields.
inline constexpr const char* json = "case:json";
inline constexpr const char* identifier = "case:identifier";
inline constexpr const char* uri = "case:uri";
inline constexpr const char* human_coding_scheme = "case:humanCodingScheme";
inline constexpr const char* item_type = "case:CFItemType";
// On an association in a CFAssociationGrouping: the grouping's identifier.
inline constexpr const char* grouping = "case:CFAssociationGrouping";
// On the framework: the package with empty CFItems / CFAssociations arrays where it had them
// (so the writer knows which keys the package had), minified.
inline constexpr const char* package = "case:package";

}  // namespace masterymap::io::case_keys

namespace masterymap::io::detail {

// A single string where CASE has a list of strings (1.0's `educationalLevel`, "06,07" in some
// exports) read as the list: split at commas, empty parts dropped.
inline std::vector<std::string> split_at_commas(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t comma = std::min(s.find(',', start), s.size());
    if (comma > start) out.emplace_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace masterymap::io::detail

#endif  // MASTERYMAP_SRC_IO_CASE_DETAIL_HPP
