// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The evidence log's retractions (xAPI voiding) and its statements path (idempotent appends keyed
// by the statement id in `source`).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <masterymap/evidence.hpp>
#include <stdexcept>
#include <unordered_map>

#include "evidence_impl.hpp"

namespace masterymap {

namespace detail {

void check_retractions(const std::vector<retraction>& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].source.empty())
      throw std::invalid_argument(fmt::format(
          "retract: retraction {} has an empty source (evidence without a source cannot be "
          "retracted){}",
          i, batch[i].by.empty() ? std::string() : fmt::format(" (by '{}')", batch[i].by)));
}

void check_not_voiding(const evidence_log& log, const std::vector<retraction>& batch) {
  if (batch.empty()) return;
  std::unordered_map<std::string_view, int> voiding;
  for (const auto& r : log.retractions())
    if (!r.by.empty()) voiding.emplace(r.by, 0);
  for (const auto& r : batch)
    if (!r.by.empty()) voiding.emplace(r.by, 0);
  std::vector<problem> problems;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (voiding.count(batch[i].source) != 0) {
      problems.push_back({problem_kind::invalid_value,
                          {batch[i].source},
                          fmt::format("void {}: statement '{}' voids '{}', itself a voiding "
                                      "statement (xAPI: a voiding statement cannot be voided)",
                                      i, batch[i].by, batch[i].source)});
      rows.push_back(i);
    }
  if (!problems.empty()) throw evidence_error(std::move(problems), std::move(rows));
}

void check_void_ids(const evidence_log& log, const evidence_columns& batch,
                    const std::vector<retraction>& voids) {
  // voiding statement id -> (the source it voids, where: -1 the log, else the void's index)
  std::unordered_map<std::string_view, std::pair<std::string_view, std::ptrdiff_t>> voiding;
  for (const auto& r : log.retractions())
    if (!r.by.empty()) voiding.emplace(r.by, std::make_pair(std::string_view(r.source), -1));
  if (voiding.empty() && voids.empty()) return;
  std::vector<problem> problems;
  std::vector<std::size_t> rows;
  const auto add = [&](std::size_t row, std::string_view id, std::string message) {
    problems.push_back({problem_kind::invalid_value, {std::string(id)}, std::move(message)});
    rows.push_back(row);
  };
  const auto where = [](std::ptrdiff_t at) {
    return at < 0 ? std::string("was ingested before") : fmt::format("is void {} of the batch", at);
  };
  for (std::size_t k = 0; k < voids.size(); ++k) {
    const retraction& v = voids[k];
    if (v.by.empty()) continue;
    const auto [it, fresh] = voiding.emplace(
        v.by, std::make_pair(std::string_view(v.source), static_cast<std::ptrdiff_t>(k)));
    if (!fresh && it->second.first != v.source)
      add(k, v.by,
          fmt::format("void {}: statement '{}' {} as a voiding statement of '{}': the same id "
                      "cannot void '{}' (a statement id names one statement)",
                      k, v.by, where(it->second.second), it->second.first, v.source));
  }
  if (voiding.empty()) return;
  // rows of the batch whose statement id is a voiding statement's (the first row of each id)
  std::unordered_map<std::string_view, std::size_t> batch_sources;  // source -> first row
  if (batch.size != 0 && batch.source.codes != nullptr) {
    std::vector<std::uint8_t> seen(batch.source.names.size(), 0);
    for (std::size_t r = 0; r < batch.size; ++r) {
      const std::uint32_t c = batch.source.codes[r];
      if (c >= seen.size() || seen[c] != 0) continue;
      seen[c] = 1;
      const std::string_view id = batch.source.names[c];
      if (id.empty()) continue;
      batch_sources.emplace(id, r);
      if (const auto it = voiding.find(id); it != voiding.end())
        add(r, id,
            fmt::format("row {}: statement '{}' {} as a voiding statement of '{}': the same id "
                        "cannot be evidence (a statement id names one statement)",
                        r, id, where(it->second.second), it->second.first));
    }
  }
  // voids whose id is the statement id of evidence (in the log, or in the batch)
  if (!voids.empty()) {
    std::unordered_map<std::uint32_t, std::size_t> by_codes;  // log source code -> void index
    const std::vector<std::string>& names = log.sources();
    std::unordered_map<std::string_view, std::uint32_t> code_of;
    for (std::size_t k = 0; k < voids.size(); ++k)
      if (!voids[k].by.empty()) code_of.emplace(voids[k].by, 0);
    for (std::size_t c = 1; c < names.size() && !code_of.empty(); ++c)
      if (const auto it = code_of.find(names[c]); it != code_of.end())
        it->second = static_cast<std::uint32_t>(c);
    std::unordered_map<std::uint32_t, int> with_rows;
    for (const auto& [id, c] : code_of)
      if (c != 0) with_rows.emplace(c, 0);
    if (!with_rows.empty())
      for (const auto& a : log.attributes())
        if (const auto it = with_rows.find(a.source); it != with_rows.end()) it->second = 1;
    for (std::size_t k = 0; k < voids.size(); ++k) {
      const retraction& v = voids[k];
      if (v.by.empty()) continue;
      const std::uint32_t c = code_of[v.by];
      const bool in_log = c != 0 && with_rows[c] == 1;
      const auto row = batch_sources.find(v.by);
      if (in_log || row != batch_sources.end())
        add(k, v.by,
            fmt::format("void {}: statement '{}' {} as evidence: the same id cannot be a "
                        "voiding statement of '{}' (a statement id names one statement)",
                        k, v.by,
                        in_log ? std::string("was ingested before")
                               : fmt::format("is row {} of the batch", row->second),
                        v.source));
    }
  }
  if (!problems.empty()) throw evidence_error(std::move(problems), std::move(rows));
}

std::vector<std::uint32_t> retract_sources(evidence_log::impl& d,
                                           const std::vector<retraction>& batch,
                                           std::size_t* fresh) {
  std::size_t added = 0;
  d.retractions.reserve(d.retractions.size() + batch.size());
  for (const auto& r : batch) {
    const std::uint32_t code = d.sources.intern(r.source);
    if (d.retraction_index.count(code) != 0) continue;  // retracted before: the first `by` stays
    d.retraction_index.emplace(code, static_cast<std::uint32_t>(d.retractions.size()));
    d.retractions.push_back(r);
    ++added;
  }
  if (fresh != nullptr) *fresh = added;
  std::vector<std::uint32_t> codes;
  if (added == 0) return codes;
  for (std::size_t a = 0; a < d.attrs.size(); ++a)
    if (!d.attrs[a].retracted && d.retraction_index.count(d.attrs[a].source) != 0) {
      d.attrs[a].retracted = true;
      codes.push_back(static_cast<std::uint32_t>(a));
    }
  return codes;
}

namespace {

// A stored score or weight (float32) as its shortest text: "0.6", not "0.6000000238418579".
std::string float_text(float v) { return fmt::format("{}", v); }

// Row `i` of a batch's number column as sent (its number, shortest, or its text), or "" when
// unknown or when that is what the stored value prints as.
std::string sent_text(const number_column& c, std::size_t i, float stored) {
  std::string sent;
  if (c.values) {
    if (static_cast<double>(stored) == c.values[i]) return {};
    sent = fmt::format("{}", c.values[i]);
  } else if (c.codes && c.codes[i] < c.names.size()) {
    sent = std::string(trim(c.names[c.codes[i]]));
  } else {
    return {};
  }
  return sent == float_text(stored) ? std::string() : sent;
}

// A stored value of a row, with the value as sent when row `r` (>= `first`) is of `batch` and
// was sent as another text: "0.6" or "0.6, sent as 0.60000001".
std::string value_text(float stored, const number_column& c, std::size_t r, std::size_t first) {
  std::string out = float_text(stored);
  if (r >= first)
    if (const auto sent = sent_text(c, r - first, stored); !sent.empty())
      out += fmt::format(", sent as {}", sent);
  return out;
}

// How the content of row `r` differs from that of row `e` (same source): "score 0.8 (was 0.6)".
// Rows from `first` on are those of `batch`.
std::string differences(const evidence_log::impl& d, std::size_t r, std::size_t e,
                        const evidence_columns& batch, std::size_t first) {
  std::vector<std::string> out;
  if (d.learner[r] != d.learner[e])
    out.push_back(fmt::format("learner '{}' (was '{}')", d.learners.names[d.learner[r]],
                              d.learners.names[d.learner[e]]));
  if (d.competency[r] != d.competency[e])
    out.push_back(fmt::format("competency '{}' (was '{}')", d.competencies.names[d.competency[r]],
                              d.competencies.names[d.competency[e]]));
  if (!(d.time[r] == d.time[e]))
    out.push_back(fmt::format("time {} (was {})", format_time(d.time[r]), format_time(d.time[e])));
  if (float_bits(d.score[r]) != float_bits(d.score[e]))
    out.push_back(fmt::format("score {} (was {})", value_text(d.score[r], batch.score, r, first),
                              value_text(d.score[e], batch.score, e, first)));
  const evidence_attributes& x = d.attrs[d.attr[r]];
  const evidence_attributes& y = d.attrs[d.attr[e]];
  if (x.kind != y.kind)
    out.push_back(
        fmt::format("kind '{}' (was '{}')", d.kinds.names[x.kind], d.kinds.names[y.kind]));
  if (float_bits(x.weight) != float_bits(y.weight))
    out.push_back(fmt::format("weight {} (was {})", value_text(x.weight, batch.weight, r, first),
                              value_text(y.weight, batch.weight, e, first)));
  return fmt::format("{}", fmt::join(out, ", "));
}

}  // namespace

void append_statement_rows(evidence_log& log, const evidence_columns& batch,
                           const ingest_checks& checks, const progress& progress,
                           statements_summary& s) {
  evidence_log::impl& d = evidence_access::of(log);
  const auto m = d.get_mark();
  log.append(batch, checks, progress);  // validated whole: throws with the log unchanged
  try {
    // The index of sources over the rows before this batch.
    for (std::size_t r = d.source_indexed; r < m.rows; ++r)
      if (const std::uint32_t src = d.attrs[d.attr[r]].source; src != 0)
        d.first_row_of_source.emplace(src, static_cast<std::uint32_t>(r));
    d.source_indexed = std::max(d.source_indexed, m.rows);
    std::unordered_map<std::uint32_t, std::uint32_t> in_batch;
    std::vector<problem> problems;
    std::vector<std::size_t> rows;
    std::vector<std::uint8_t> drop;
    std::size_t dropped = 0;
    const std::size_t n = d.learner.size();
    for (std::size_t r = m.rows; r < n; ++r) {
      const std::uint32_t src = d.attrs[d.attr[r]].source;
      if (src == 0) continue;
      std::size_t e = 0;
      if (auto it = d.first_row_of_source.find(src); it != d.first_row_of_source.end()) {
        e = it->second;
      } else if (auto [jt, fresh] = in_batch.emplace(src, static_cast<std::uint32_t>(r)); !fresh) {
        e = jt->second;
      } else {
        continue;  // a new statement
      }
      // The timestamp texts are not compared: each denotes its row's time (checked on the way
      // in), so equal times are the same instant, and xAPI ignores how a timestamp is written
      // (Data 2.3.1, Statement Immutability exception 4, applied by the Statement Comparison
      // Requirements): "...T10:00:00Z" sent again as "...T12:00:00+02:00" is a repeat, and
      // the first text stays (the log, like an LRS, is not modified by a repeat).
      const bool same = d.learner[r] == d.learner[e] && d.competency[r] == d.competency[e] &&
                        d.time[r] == d.time[e] &&
                        float_bits(d.score[r]) == float_bits(d.score[e]) && d.attr[r] == d.attr[e];
      if (same) {
        if (drop.empty()) drop.assign(n - m.rows, 0);
        drop[r - m.rows] = 1;
        ++dropped;
        continue;
      }
      const std::string& id = d.sources.names[src];
      problems.push_back(
          {problem_kind::invalid_value,
           {id},
           fmt::format("row {}: statement '{}' was ingested before with other content: {}",
                       r - m.rows, id, differences(d, r, e, batch, m.rows))});
      rows.push_back(r - m.rows);
    }
    if (!problems.empty()) throw evidence_error(std::move(problems), std::move(rows));
    if (dropped != 0) {
      // Keep the other rows in order. The names and attribute triples of a dropped row are
      // those of the row it repeats, and its time is that row's: nothing else to undo.
      std::size_t w = m.rows;
      for (std::size_t r = m.rows; r < n; ++r) {
        if (drop[r - m.rows]) continue;
        if (w != r) {
          d.learner[w] = d.learner[r];
          d.competency[w] = d.competency[r];
          d.time[w] = d.time[r];
          d.score[w] = d.score[r];
          d.attr[w] = d.attr[r];
        }
        ++w;
      }
      d.learner.resize(w);
      d.competency.resize(w);
      d.time.resize(w);
      d.score.resize(w);
      d.attr.resize(w);
      // The batch's timestamp texts: those of dropped rows go, the others follow their rows.
      if (d.stamp_rows.size() > m.stamps) {
        std::vector<std::uint64_t> rows_kept;
        std::vector<std::string> texts;
        std::vector<std::uint64_t> shift(n - m.rows, 0);  // new row = old row - shift
        for (std::size_t r = m.rows, gone = 0; r < n; ++r) {
          shift[r - m.rows] = gone;
          gone += drop[r - m.rows];
        }
        for (std::size_t k = m.stamps; k < d.stamp_rows.size(); ++k) {
          const std::uint64_t r = d.stamp_rows[k];
          if (drop[r - m.rows]) continue;
          rows_kept.push_back(r - shift[r - m.rows]);
          texts.emplace_back(d.stamp_at(k));
        }
        d.truncate_stamps(m.stamps);
        for (std::size_t k = 0; k < texts.size(); ++k) d.push_stamp(rows_kept[k], texts[k]);
      }
    }
    s.rows += n - m.rows - dropped;
    s.duplicates += dropped;
  } catch (...) {
    d.truncate(m);
    throw;
  }
}

}  // namespace detail

bool evidence_log::retract(std::string_view source, std::string_view by) {
  const std::vector<retraction> one{{std::string(source), std::string(by)}};
  detail::check_retractions(one);
  return !detail::retract_sources(*impl_, one, nullptr).empty();
}

std::vector<retraction> evidence_log::pending_retractions() const {
  const impl& d = *impl_;
  std::vector<retraction> out;
  if (d.retractions.empty()) return out;
  // An attribute triple exists only for evidence appended to the log (interned at ingest).
  std::unordered_map<std::uint32_t, int> present;
  for (const auto& a : d.attrs) present.emplace(a.source, 0);
  for (const auto& r : d.retractions) {
    const auto code = d.sources.find(r.source);
    if (!code || present.count(*code) == 0) out.push_back(r);
  }
  return out;
}

std::size_t evidence_log::retract(const std::vector<retraction>& batch) {
  detail::check_retractions(batch);
  std::size_t fresh = 0;
  detail::retract_sources(*impl_, batch, &fresh);
  return fresh;
}

const std::vector<retraction>& evidence_log::retractions() const noexcept {
  return impl_->retractions;
}

bool evidence_log::retracted(std::string_view source) const noexcept {
  return retraction_of(source) != nullptr;
}

const retraction* evidence_log::retraction_of(std::string_view source) const noexcept {
  const impl& d = *impl_;
  if (d.retractions.empty()) return nullptr;
  const auto code = d.sources.find(source);
  if (!code) return nullptr;
  const auto it = d.retraction_index.find(*code);
  return it == d.retraction_index.end() ? nullptr : &d.retractions[it->second];
}

bool evidence_log::row_retracted(std::size_t i) const {
  if (i >= size()) throw std::out_of_range(fmt::format("evidence row {} (log has {})", i, size()));
  return impl_->attrs[impl_->attr[i]].retracted;
}

statements_summary evidence_log::append_statements(const evidence_columns& batch,
                                                   const std::vector<retraction>& voids,
                                                   const ingest_checks& checks,
                                                   const progress& progress) {
  detail::check_retractions(voids);
  detail::check_not_voiding(*this, voids);
  detail::check_void_ids(*this, batch, voids);
  statements_summary s;
  detail::append_statement_rows(*this, batch, checks, progress, s);
  if (!voids.empty()) {
    const auto codes = detail::retract_sources(*impl_, voids, &s.retracted);
    if (!codes.empty()) {
      std::vector<std::uint8_t> fresh(impl_->attrs.size(), 0);
      for (auto a : codes) fresh[a] = 1;
      for (std::size_t r = 0; r < size(); ++r) s.rows_voided += fresh[impl_->attr[r]];
    }
  }
  return s;
}

}  // namespace masterymap
