// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The evidence log's CSV reader (named columns; parsed whole, then appended as one batch).
#include <fmt/format.h>

#include <deque>
#include <fstream>
#include <istream>
#include <iterator>
#include <masterymap/evidence.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "csv_tokenizer.hpp"
#include "evidence_impl.hpp"
#include "file_util.hpp"

namespace masterymap {

using detail::trim;

// --- CSV -----------------------------------------------------------------------------------

void evidence_log::append_csv(std::istream& in, const csv_columns& names,
                              const ingest_checks& checks) {
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  detail::csv_tokenizer<> tok(text);     // CR, LF or CRLF end a record; skips a UTF-8 BOM
  std::vector<std::string_view> fields;  // views into text (or the tokenizer's scratch)
  // Reads one record into `fields` and returns the line it starts on. Syntax errors give the
  // field's number in the record as their column, as this reader always has.
  auto next = [&]() -> std::size_t {
    const std::size_t line = tok.line();
    try {
      tok.record(fields);
    } catch (const detail::csv_syntax_error& e) {
      throw parse_error(e.problem == detail::csv_syntax_error::kind::unterminated_quote
                            ? "CSV: unterminated quoted field"
                            : "CSV: unexpected character after a closing quote",
                        e.line, fields.size() + 1);
    }
    return line;
  };
  if (tok.at_end()) throw parse_error("CSV: empty input (no header line)", 1, 1);
  (void)next();
  auto find = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (trim(fields[i]) == name) return static_cast<int>(i);
    return -1;
  };
  const int il = find(names.learner), ic = find(names.competency), it = find(names.time),
            is = find(names.score), ik = find(names.kind), iw = find(names.weight),
            isrc = find(names.source);
  for (auto [idx, n] : {std::pair{il, &names.learner},
                        {ic, &names.competency},
                        {it, &names.time},
                        {is, &names.score}})
    if (idx < 0) throw parse_error(fmt::format("CSV: missing column '{}'", *n), 1, 1);
  const std::size_t width = fields.size();

  // Per used column: codes into distinct texts.
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
  coded cl, cc, ct, cs, ck, cw, csrc;
  std::vector<std::size_t> lines;
  while (!tok.at_end()) {
    const std::size_t record_line = next();
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // blank line
    if (fields.size() != width)
      throw parse_error(fmt::format("CSV: line {} has {} fields, the header has {}", record_line,
                                    fields.size(), width),
                        record_line, 1, lines.size() + 1);
    auto field = [&](int i) { return fields[static_cast<std::size_t>(i)]; };
    cl.push(trim(field(il)));
    cc.push(trim(field(ic)));
    ct.push(field(it));
    cs.push(field(is));
    if (ik >= 0) {
      const std::string_view k = trim(field(ik));
      ck.push(k.empty() ? std::string_view("formative") : k);
    }
    if (iw >= 0) {
      const std::string_view w = trim(field(iw));
      cw.push(w.empty() ? std::string_view("1") : w);
    }
    if (isrc >= 0) csrc.push(trim(field(isrc)));
    lines.push_back(record_line);
  }
  evidence_columns b;
  b.size = lines.size();
  b.learner = {cl.codes.data(), cl.texts};
  b.competency = {cc.codes.data(), cc.texts};
  b.time.codes = ct.codes.data();
  b.time.names = ct.texts;
  b.score.codes = cs.codes.data();
  b.score.names = cs.texts;
  if (ik >= 0) b.kind = {ck.codes.data(), ck.texts};
  if (iw >= 0) {
    b.weight.codes = cw.codes.data();
    b.weight.names = cw.texts;
  }
  if (isrc >= 0) b.source = {csrc.codes.data(), csrc.texts};
  try {
    append(b, checks);
  } catch (const evidence_error& e) {
    // Same problems, with the file line of each row in the message.
    std::vector<problem> ps = e.problems();
    for (std::size_t i = 0; i < ps.size(); ++i) {
      const auto colon = ps[i].message.find(": ");
      ps[i].message =
          fmt::format("line {}: {}", lines[e.rows()[i]],
                      colon == std::string::npos ? ps[i].message : ps[i].message.substr(colon + 2));
    }
    throw evidence_error(std::move(ps), e.rows());
  }
}

void evidence_log::read_csv(const std::string& path, const csv_columns& columns,
                            const ingest_checks& checks) {
  std::ifstream in;
  detail::open_input(in, path, "evidence CSV");
  append_csv(in, columns, checks);
}

}  // namespace masterymap
