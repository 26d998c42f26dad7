// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_CSV_HPP
#define MASTERYMAP_IO_CSV_HPP

#include <map>
#include <masterymap/config.hpp>
#include <masterymap/encoding.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/io/file.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io {

/// How to read a framework from edge-list CSV files (RFC 4180: quoted fields, CRLF or LF line
/// ends, an optional UTF-8 BOM; the first line names the columns).
struct csv_framework_options {
  std::string name;  ///< the framework's name
  /// The files' encoding: UTF-8 is checked (a bad byte is a parse_error with its position),
  /// Latin-1 and cp1252 are transcoded to UTF-8.
  text_encoding encoding = text_encoding::utf8;

  // --- the edge file: one prerequisite per row ---
  std::string prerequisite_column = "prerequisite";
  std::string dependent_column = "dependent";
  /// Optional column of strengths ("required", "familiar", "recommended"); empty = not used.
  std::string strength_column;
  /// Optional map from the strength column's own values to strengths (e.g. Princeton's
  /// {"coreq_ok": familiar}); values not in the map must be strength names.
  std::map<std::string, strength> strength_values;
  strength default_strength = strength::required;

  // --- the optional competency file: one competency per row ---
  std::string id_column = "id";
  std::string title_column = "title";              ///< empty or absent column = not used
  std::string description_column = "description";  ///< empty or absent column = not used
  std::string domain_column = "domain";            ///< empty or absent column = not used
  std::string level_column = "level";              ///< empty or absent column = not used
  /// Non-numeric level values and their numbers (e.g. {"K": 0, "HS": 9}); the raw text is kept
  /// in metadata under the level column's name.
  std::map<std::string, int> level_values;
  /// Extra columns copied into each competency's metadata.
  std::vector<std::string> metadata_columns;
  /// Ids that appear only in the edge file: add them as bare competencies (true) or report them
  /// as unknown ids (false). Without a competency file every id comes from the edges.
  bool add_missing = false;

  build_options build;  ///< e.g. drop_cycle_edges for real graphs with cycles
};

/// Reads a framework from an edge-list CSV and, optionally, a competency CSV (empty path = none).
/// A gzip-compressed file (.csv.gz) is decompressed.
/// \throws masterymap::parse_error with row (0-based data row), line and column (1-based) for
///         malformed CSV, invalid UTF-8, a bad level/strength value or an empty id; with line 1
///         for a missing column; a file compressed otherwise than with gzip.
/// \throws masterymap::cycle_error / masterymap::validation_error as `framework_builder::build`.
/// \throws masterymap::file_error if a file cannot be read.
[[nodiscard]] MASTERYMAP_API framework
read_framework_csv(const std::string& edges_path, const std::string& competencies_path = {},
                   const csv_framework_options& options = {});

/// The same from CSV text already in memory (empty `competencies_csv` = none).
[[nodiscard]] MASTERYMAP_API framework
parse_framework_csv(std::string_view edges_csv, std::string_view competencies_csv = {},
                    const csv_framework_options& options = {});

/// A 1-based position in a text file: the line, and the column counted in characters.
struct file_position {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// A parsed CSV table: the header and the rows, each with the 1-based line it starts on.
struct csv_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  /// Where each field of each row starts (the shape of `rows`), for errors about a value.
  std::vector<std::vector<file_position>> positions;
  /// Position of column `name`, or -1.
  [[nodiscard]] MASTERYMAP_API long column(std::string_view name) const noexcept;
};

/// Parses CSV text strictly: every row must have as many fields as the header. UTF-8 (a BOM is
/// skipped) or, with `encoding`, Latin-1/cp1252 transcoded to UTF-8.
/// \throws masterymap::parse_error naming `source`, the row (0-based data row), line and column
///         (1-based) of a syntax error, a short or long row or invalid UTF-8.
[[nodiscard]] MASTERYMAP_API csv_table parse_csv(std::string_view text,
                                                 const std::string& source = "csv",
                                                 text_encoding encoding = text_encoding::utf8);

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_CSV_HPP
