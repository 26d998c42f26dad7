// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <fstream>
#include <masterymap/io/csv.hpp>
#include <sstream>
#include <unordered_set>

#include "../csv_tokenizer.hpp"
#include "../encoding_detail.hpp"
#include "../file_util.hpp"

namespace masterymap::io {

long csv_table::column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<long>(i);
  return -1;
}

namespace {

// The character column of offsets on one line, counted on from the last offset asked for (the
// fields of a record come in order): linear in the record, not in fields x record.
class column_counter {
 public:
  explicit column_counter(std::string_view text) : text_(text) {}
  std::size_t column(std::size_t line_start, std::size_t offset) {
    if (line_start != line_start_ || offset < offset_) {
      line_start_ = offset_ = line_start;
      column_ = 1;
    }
    for (; offset_ < offset; ++offset_)
      if ((static_cast<unsigned char>(text_[offset_]) & 0xC0) != 0x80) ++column_;
    return column_;
  }

 private:
  std::string_view text_;
  std::size_t line_start_ = 0, offset_ = 0, column_ = 1;
};

}  // namespace

csv_table parse_csv(std::string_view bytes, const std::string& source, text_encoding encoding) {
  detail::utf8_input in;
  detail::decode_input(bytes, encoding, source.c_str(), in);
  const std::string_view text = in.text;
  csv_table t;
  detail::csv_tokenizer<> tok(text);  // CR, LF or CRLF end a record
  column_counter columns(text);
  std::vector<file_position> where;
  std::vector<std::string> record;
  std::string scratch;
  while (!tok.at_end()) {
    if (tok.skip_blank_line()) continue;
    const std::size_t line = tok.line();
    const bool header = t.header.empty();
    const std::optional<std::size_t> row =
        header ? std::nullopt : std::optional<std::size_t>(t.rows.size());
    record.clear();
    where.clear();
    try {
      for (bool end_of_record = false, escaped = false; !end_of_record;) {
        where.push_back({tok.line(), columns.column(tok.line_start(), tok.position())});
        record.emplace_back(tok.field(end_of_record, scratch, escaped));
      }
    } catch (const detail::csv_syntax_error& e) {
      const bool unclosed = e.problem == detail::csv_syntax_error::kind::unterminated_quote;
      const auto at = detail::position_of(text, e.offset);
      throw parse_error(fmt::format("{}: {} {} line {}, column {}", source, e.what(),
                                    unclosed ? "starting at" : "at", at.line, at.column),
                        at.line, at.column, row);
    }
    // A bad byte before the end of this record: reported with the record's row.
    if (in.invalid < tok.position())
      throw detail::utf8_error(text, in.invalid, row, source, detail::encoding_hint);
    if (header) {  // the first record that is not a blank line
      t.header = record;
      continue;
    }
    if (record.size() != t.header.size())
      throw parse_error(fmt::format("{}: row {} (line {}) has {} fields, the header has {}", source,
                                    *row, line, record.size(), t.header.size()),
                        line, 1, row);
    t.rows.push_back(record);
    t.lines.push_back(line);
    t.positions.push_back(where);
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

// A bad value in field `c` of row `r`: "<source>: row R (line L, column C): <what>".
[[noreturn]] void fail(const csv_table& t, std::size_t r, long c, const std::string& source,
                       const std::string& what) {
  const file_position at = t.positions[r][static_cast<std::size_t>(c)];
  throw parse_error(
      fmt::format("{}: row {} (line {}, column {}): {}", source, r, at.line, at.column, what),
      at.line, at.column, r);
}

}  // namespace

framework parse_framework_csv(std::string_view edges_csv, std::string_view competencies_csv,
                              const csv_framework_options& o) {
  framework_builder b(o.name);
  std::unordered_set<std::string> known;
  const bool have_competencies = !competencies_csv.empty();
  if (have_competencies) {
    const std::string src = "competencies";
    const csv_table t = parse_csv(competencies_csv, src, o.encoding);
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
              fail(t, r, lev, src,
                   fmt::format("column '{}': level '{}' is not an integer and not in level_values",
                               o.level_column, text));
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
  const csv_table t = parse_csv(edges_csv, src, o.encoding);
  const long pre = require_column(t, o.prerequisite_column, src);
  const long dep = require_column(t, o.dependent_column, src);
  const long str = o.strength_column.empty() ? -1 : require_column(t, o.strength_column, src);
  const bool add_ids = !have_competencies || o.add_missing;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string& a = row[static_cast<std::size_t>(pre)];
    const std::string& d = row[static_cast<std::size_t>(dep)];
    for (const auto* id : {&a, &d}) {
      if (id->empty()) fail(t, r, id == &a ? pre : dep, src, "empty competency id");
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
          fail(t, r, str, src, e.what());
        }
      }
    }
    b.add_prerequisite(d, a, s);
  }
  return b.build(o.build);
}

framework read_framework_csv(const std::string& edges_path, const std::string& competencies_path,
                             const csv_framework_options& options) {
  const std::string edges = detail::read_data_file(edges_path, "edges CSV");
  const std::string comps = competencies_path.empty()
                                ? std::string()
                                : detail::read_data_file(competencies_path, "competencies CSV");
  return parse_framework_csv(edges, comps, options);
}

}  // namespace masterymap::io
