// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The evidence log's CSV reader (named columns; parsed whole, then appended as one batch).
#include <fmt/format.h>

#include <deque>
#include <fstream>
#include <istream>
#include <iterator>
#include <masterymap/evidence.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "csv_tokenizer.hpp"
#include "encoding_detail.hpp"
#include "evidence_impl.hpp"
#include "file_util.hpp"
#include "progress_meter.hpp"

namespace masterymap {

using detail::trim;

// --- CSV -----------------------------------------------------------------------------------

namespace {

// A CSV text (UTF-8, without a BOM), record by record.
struct record_reader {
  std::string_view text;
  std::size_t invalid;                   // first invalid UTF-8 byte (npos: none)
  detail::csv_tokenizer<> tok;           // CR, LF or CRLF end a record
  std::vector<std::string_view> fields;  // views into the text (or the tokenizer's scratch)
  std::size_t start = 0;                 // offset of the record just read
  static constexpr const char* source = "evidence CSV";
  record_reader(const detail::utf8_input& in, char delimiter)
      : text(in.text), invalid(in.invalid), tok(in.text, delimiter) {}
  // Reads one record into `fields` and returns the line it starts on; `row` is its data row
  // (none for the header), for the errors in it.
  std::size_t next(std::optional<std::size_t> row) {
    const std::size_t line = tok.line();
    start = tok.position();
    try {
      tok.record(fields);
    } catch (const detail::csv_syntax_error& e) {
      const auto at = detail::position_of(text, e.offset);
      throw parse_error(
          fmt::format("{}: {} at line {}, column {}", source, e.what(), at.line, at.column),
          at.line, at.column, row);
    }
    if (invalid < tok.position())
      throw detail::utf8_error(text, invalid, row, source, detail::encoding_hint);
    return line;
  }
};

// Where the named columns stand in the header (-1: absent), and how many fields it has.
struct column_positions {
  int learner, competency, time, score, kind, weight, source, timestamp;
  std::size_t width;
};

// Reads the header. \throws parse_error for an empty input or a missing required column.
column_positions read_header(record_reader& r, const csv_columns& names) {
  if (r.tok.at_end())
    throw parse_error(fmt::format("{}: empty input (no header line)", record_reader::source), 1, 1);
  (void)r.next(std::nullopt);
  auto find = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (trim(r.fields[i]) == name) return static_cast<int>(i);
    return -1;
  };
  column_positions at{find(names.learner), find(names.competency), find(names.time),
                      find(names.score),   find(names.kind),       find(names.weight),
                      find(names.source),  find(names.timestamp),  r.fields.size()};
  // A column named "timestamp" given as another role (e.g. the time) is that role's only, as
  // for a frame.
  for (const int other :
       {at.learner, at.competency, at.time, at.score, at.kind, at.weight, at.source})
    if (at.timestamp >= 0 && other == at.timestamp) at.timestamp = -1;
  for (auto [idx, n] : {std::pair{at.learner, &names.learner},
                        {at.competency, &names.competency},
                        {at.time, &names.time},
                        {at.score, &names.score}})
    if (idx < 0) {
      // A header of one field holding another separator: the file is not comma-separated.
      std::string hint;
      if (r.fields.size() == 1)
        for (const char sep : {'\t', ';', '|'})
          if (sep != names.delimiter && r.fields[0].find(sep) != std::string_view::npos) {
            hint = fmt::format(
                "; the header is one field holding {}: give the delimiter ({} on the command "
                "line, {} in Python, csv_columns::delimiter in C++)",
                sep == '\t' ? "tabs" : fmt::format("'{}'", sep),
                sep == '\t' ? "--delimiter tab" : fmt::format("--delimiter '{}'", sep),
                sep == '\t' ? "delimiter='tab'" : fmt::format("delimiter='{}'", sep));
            break;
          }
      throw parse_error(fmt::format("{}: missing column '{}'{}", record_reader::source, *n, hint),
                        1, 1);
    }
  return at;
}

// One column: codes into its distinct texts.
struct coded {
  std::vector<std::uint32_t> codes;
  std::vector<std::string_view> texts;  // into `owned`
  std::unordered_map<std::string_view, std::uint32_t> index;
  // A copy of each distinct text: a field's view may point into the tokenizer's scratch,
  // which the next record overwrites. A deque never moves its strings.
  std::deque<std::string> owned;
  void push(std::string_view s) {
    auto x = index.find(s);
    if (x == index.end()) {
      const std::string_view kept = owned.emplace_back(s);
      x = index.emplace(kept, static_cast<std::uint32_t>(texts.size())).first;
      texts.push_back(kept);
    }
    codes.push_back(x->second);
  }
};

// The records of a CSV, coded per used column, with the line each starts on.
struct coded_records {
  coded learner, competency, time, score, kind, weight, source, timestamp;
  std::vector<std::size_t> lines;
  // Records whose width is not the header's: not coded (the batch has no row for them), listed
  // with their data row and line, in file order.
  std::vector<problem> ragged;
  std::vector<std::size_t> ragged_rows, ragged_lines;

  // Reads every record after the header (blank lines skipped), passing the bytes read to `m`
  // every few thousand records. A record whose width is not the header's is listed in
  // `ragged` and skipped, so every one is reported, not only the first.
  void read(record_reader& r, const column_positions& at, detail::meter& m) {
    std::size_t counted = 0;
    while (!r.tok.at_end()) {
      if ((lines.size() & 4095U) == 4095U) {
        m.advance(r.tok.position() - counted);
        counted = r.tok.position();
      }
      const std::size_t row = lines.size() + ragged.size();
      const std::size_t record_line = r.next(row);
      const auto& fields = r.fields;
      if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // blank line
      if (fields.size() != at.width) {
        ragged.push_back({problem_kind::invalid_value,
                          {},
                          fmt::format("row {} (line {}): has {} fields, the header has {}", row,
                                      record_line, fields.size(), at.width)});
        ragged_rows.push_back(row);
        ragged_lines.push_back(record_line);
        continue;
      }
      auto field = [&](int i) { return fields[static_cast<std::size_t>(i)]; };
      learner.push(trim(field(at.learner)));
      competency.push(trim(field(at.competency)));
      time.push(field(at.time));
      score.push(field(at.score));
      if (at.kind >= 0) {
        const std::string_view k = trim(field(at.kind));
        kind.push(k.empty() ? std::string_view("formative") : k);
      }
      if (at.weight >= 0) {
        const std::string_view w = trim(field(at.weight));
        weight.push(w.empty() ? std::string_view("1") : w);
      }
      if (at.source >= 0) source.push(trim(field(at.source)));
      if (at.timestamp >= 0) timestamp.push(trim(field(at.timestamp)));
      lines.push_back(record_line);
    }
  }

  // The records as a batch (views into this).
  evidence_columns columns(const column_positions& at) const {
    evidence_columns b;
    b.size = lines.size();
    b.learner = {learner.codes.data(), learner.texts};
    b.competency = {competency.codes.data(), competency.texts};
    b.time.codes = time.codes.data();
    b.time.names = time.texts;
    b.score.codes = score.codes.data();
    b.score.names = score.texts;
    if (at.kind >= 0) b.kind = {kind.codes.data(), kind.texts};
    if (at.weight >= 0) {
      b.weight.codes = weight.codes.data();
      b.weight.names = weight.texts;
    }
    if (at.source >= 0) b.source = {source.codes.data(), source.texts};
    // The texts as written (checked by the batch as any timestamp column is); a column of
    // empty fields alone keeps none.
    if (at.timestamp >= 0 && !(timestamp.texts.size() == 1 && timestamp.texts[0].empty())) {
      b.timestamp.resize(b.size);
      for (std::size_t i = 0; i < b.size; ++i) b.timestamp[i] = timestamp.texts[timestamp.codes[i]];
    }
    return b;
  }
};

// The data row of each batch row: the batch skips the ragged records.
std::vector<std::size_t> data_rows(const coded_records& r) {
  std::vector<std::size_t> rows(r.lines.size());
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    while (skipped < r.ragged_rows.size() && r.ragged_rows[skipped] <= i + skipped) ++skipped;
    rows[i] = i + skipped;
  }
  return rows;
}

// The batch's problems with the data row and file line of each ("row R (line L): <reason>"),
// merged in file order with the ragged records' (`e` null: those alone).
evidence_error with_lines(const evidence_error* e, const coded_records& r) {
  std::vector<problem> ps;
  std::vector<std::size_t> rows, lines;
  const std::vector<std::size_t> data = data_rows(r);
  std::size_t k = 0;  // next ragged record
  auto ragged_before = [&](std::size_t row) {
    for (; k < r.ragged.size() && r.ragged_rows[k] < row; ++k) {
      ps.push_back(r.ragged[k]);
      rows.push_back(r.ragged_rows[k]);
      lines.push_back(r.ragged_lines[k]);
    }
  };
  if (e != nullptr)
    for (std::size_t i = 0; i < e->problems().size(); ++i) {
      const std::size_t row = data[e->rows()[i]];
      ragged_before(row);
      problem p = e->problems()[i];
      const auto colon = p.message.find(": ");
      p.message = fmt::format("row {} (line {}): {}", row, r.lines[e->rows()[i]],
                              colon == std::string::npos ? p.message : p.message.substr(colon + 2));
      ps.push_back(std::move(p));
      rows.push_back(row);
      lines.push_back(r.lines[e->rows()[i]]);
    }
  ragged_before(static_cast<std::size_t>(-1));
  return evidence_error(std::move(ps), std::move(rows), std::move(lines));
}

// Progress: the text's bytes twice, parsed then validated (the batch's rows mapped on them).
void append_text(evidence_log& log, std::string_view bytes, const csv_columns& names,
                 const ingest_checks& checks, const progress& progress) {
  if (names.delimiter == '"' || names.delimiter == '\r' || names.delimiter == '\n')
    throw std::invalid_argument(fmt::format("csv_columns::delimiter cannot be {}",
                                            names.delimiter == '"' ? "a quote" : "a line break"));
  detail::utf8_input text;
  detail::decode_input(bytes, names.encoding, record_reader::source, text);
  const std::uint64_t size = text.text.size();
  detail::meter m(progress, 2 * size);
  coded_records records;
  m.run([&] {
    record_reader reader(text, names.delimiter);
    const column_positions at = read_header(reader, names);
    records.read(reader, at, m);
    if (!records.ragged.empty()) {
      // Rows of the wrong width: the other rows' problems too, in one list, and nothing is
      // appended (the other rows are validated in a scratch log with the same kinds).
      evidence_log scratch(log.kinds());
      try {
        scratch.append(records.columns(at), checks, m.nested(size, 2 * size));
      } catch (const evidence_error& e) {
        throw with_lines(&e, records);
      }
      throw with_lines(nullptr, records);
    }
    try {
      log.append(records.columns(at), checks, m.nested(size, 2 * size));
    } catch (const evidence_error& e) {
      throw with_lines(&e, records);
    }
    m.finish();  // (an empty batch makes no report of its own)
  });
}

}  // namespace

void evidence_log::append_csv(std::istream& in, const csv_columns& names,
                              const ingest_checks& checks, const progress& progress) {
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  append_text(*this, text, names, checks, progress);
}

void evidence_log::read_csv(const std::string& path, const csv_columns& columns,
                            const ingest_checks& checks, const progress& progress) {
  append_text(*this, detail::read_data_file(path, "evidence CSV"), columns, checks, progress);
}

}  // namespace masterymap
