// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <fstream>
#include <masterymap/csv.hpp>
#include <sstream>
#include <unordered_set>

#include "csv_tokenizer.hpp"
#include "file_util.hpp"

namespace masterymap {

long csv_table::column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<long>(i);
  return -1;
}

csv_table parse_csv(std::string_view text, const std::string& source) {
  csv_table t;
  detail::csv_tokenizer<> tok(text);  // CR, LF or CRLF end a record; skips a UTF-8 BOM
  std::vector<std::string_view> fields;
  while (!tok.at_end()) {
    if (tok.skip_blank_line()) continue;
    const std::size_t line = tok.line();
    const std::size_t row = t.rows.size() + 1;  // (also 1 while reading the header)
    try {
      tok.record(fields);
    } catch (const detail::csv_syntax_error& e) {
      const bool unclosed = e.problem == detail::csv_syntax_error::kind::unterminated_quote;
      throw parse_error(fmt::format("{}: {} {} line {}, column {}", source, e.what(),
                                    unclosed ? "starting at" : "at", e.line, e.column),
                        e.line, e.column, row);
    }
    std::vector<std::string> record(fields.begin(), fields.end());
    if (t.header.empty()) {  // the first record that is not a blank line
      t.header = std::move(record);
      continue;
    }
    if (record.size() != t.header.size())
      throw parse_error(fmt::format("{}: row {} (line {}) has {} fields, the header has {}", source,
                                    row, line, record.size(), t.header.size()),
                        line, 1, row);
    t.rows.push_back(std::move(record));
    t.lines.push_back(line);
  }
  if (t.header.empty()) throw parse_error(fmt::format("{}: no header line", source), 1, 1);
  return t;
}

namespace {

long require_column(const csv_table& t, const std::string& name, const std::string& source) {
  const long c = t.column(name);
  if (c < 0)
    throw parse_error(fmt::format("{}: missing column '{}' (the header has: {})", source, name,
                                  fmt::join(t.header, ", ")),
                      1, 1);
  return c;
}

long optional_column(const csv_table& t, const std::string& name) {
  return name.empty() ? -1 : t.column(name);
}

}  // namespace

framework parse_framework_csv(std::string_view edges_csv, std::string_view competencies_csv,
                              const csv_framework_options& o) {
  framework_builder b(o.name);
  std::unordered_set<std::string> known;
  const bool have_competencies = !competencies_csv.empty();
  if (have_competencies) {
    const std::string src = "competencies";
    const csv_table t = parse_csv(competencies_csv, src);
    const long id = require_column(t, o.id_column, src);
    const long title = optional_column(t, o.title_column);
    const long desc = optional_column(t, o.description_column);
    const long dom = optional_column(t, o.domain_column);
    const long lev = optional_column(t, o.level_column);
    std::vector<long> meta;
    for (const auto& m : o.metadata_columns) meta.push_back(require_column(t, m, src));
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto& row = t.rows[r];
      competency c;
      c.id = row[static_cast<std::size_t>(id)];
      if (title >= 0) c.title = row[static_cast<std::size_t>(title)];
      if (desc >= 0) c.description = row[static_cast<std::size_t>(desc)];
      if (dom >= 0) c.domain = row[static_cast<std::size_t>(dom)];
      if (lev >= 0) {
        const std::string& text = row[static_cast<std::size_t>(lev)];
        if (!text.empty()) {
          auto it = o.level_values.find(text);
          if (it != o.level_values.end()) {
            c.level = it->second;
            c.metadata[o.level_column] = text;
          } else {
            int v = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || p != text.data() + text.size())
              throw parse_error(fmt::format("{}: row {} (line {}), column '{}': level '{}' is not "
                                            "an integer and not in level_values",
                                            src, r + 1, t.lines[r], o.level_column, text),
                                t.lines[r], static_cast<std::size_t>(lev) + 1, r + 1);
            c.level = v;
          }
        }
      }
      for (std::size_t k = 0; k < meta.size(); ++k)
        c.metadata[o.metadata_columns[k]] = row[static_cast<std::size_t>(meta[k])];
      known.insert(c.id);
      b.add_competency(std::move(c));
    }
  }
  const std::string src = "edges";
  const csv_table t = parse_csv(edges_csv, src);
  const long pre = require_column(t, o.prerequisite_column, src);
  const long dep = require_column(t, o.dependent_column, src);
  const long str = o.strength_column.empty() ? -1 : require_column(t, o.strength_column, src);
  const bool add_ids = !have_competencies || o.add_missing;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string& a = row[static_cast<std::size_t>(pre)];
    const std::string& d = row[static_cast<std::size_t>(dep)];
    for (const auto* id : {&a, &d}) {
      if (id->empty())
        throw parse_error(
            fmt::format("{}: row {} (line {}): empty competency id", src, r + 1, t.lines[r]),
            t.lines[r], static_cast<std::size_t>(id == &a ? pre : dep) + 1, r + 1);
      if (add_ids && known.insert(*id).second) b.add_competency(*id);
    }
    strength s = o.default_strength;
    if (str >= 0) {
      const std::string& v = row[static_cast<std::size_t>(str)];
      auto it = o.strength_values.find(v);
      if (it != o.strength_values.end()) {
        s = it->second;
      } else {
        try {
          s = parse_strength(v);
        } catch (const std::invalid_argument& e) {
          throw parse_error(
              fmt::format("{}: row {} (line {}): {}", src, r + 1, t.lines[r], e.what()), t.lines[r],
              static_cast<std::size_t>(str) + 1, r + 1);
        }
      }
    }
    b.add_prerequisite(d, a, s);
  }
  return b.build(o.build);
}

std::string read_text_file(const std::string& path) { return detail::read_file(path, "file"); }

void write_text_file(const std::string& path, const std::string& text) {
  detail::write_file(path, text, "file");
}

framework read_framework_csv(const std::string& edges_path, const std::string& competencies_path,
                             const csv_framework_options& options) {
  const std::string edges = detail::read_file(edges_path, "edges CSV");
  const std::string comps = competencies_path.empty()
                                ? std::string()
                                : detail::read_file(competencies_path, "competencies CSV");
  return parse_framework_csv(edges, comps, options);
}

}  // namespace masterymap
